// Where a run's reports go, the same for load, verify and size: `--json -` puts the JSON on stdout
// (and nothing else there, so it can be piped); otherwise the text report goes to stdout and the
// JSON to its file when one is named. `--html FILE` writes the HTML report either way.
import { writeFile } from "node:fs/promises";

export interface ReportTargets {
  json?: string;
  html?: string;
}

export interface Reports {
  /** The value written as JSON. */
  json: unknown;
  text: () => string;
  html: () => string;
}

export async function writeReports(targets: ReportTargets, reports: Reports): Promise<void> {
  const json = `${JSON.stringify(reports.json, null, 2)}\n`;
  if (targets.json === "-") process.stdout.write(json);
  else {
    process.stdout.write(reports.text());
    if (targets.json !== undefined) await writeFile(targets.json, json);
  }
  if (targets.html !== undefined) await writeFile(targets.html, reports.html());
}
