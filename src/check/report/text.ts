// The human report: one line per finding, `file:line:col: severity rule: message`, so editors and
// terminals jump to it, with the fix indented on the next line; findings follow their object's line,
// which carries the facts computed per workload (QoS class, OOM score adjustment, allowed disruptions);
// a summary line. Colour only when asked (a TTY without NO_COLOR).
import {
  type CheckResult,
  type CheckRun,
  type CheckSummary,
  DEFAULT_NODE_MEMORY,
  type ObjectFacts,
  rerun,
} from "../engine.ts";
import type { Severity } from "../types.ts";

export interface TextOptions {
  color?: boolean;
  /** Node memory the Burstable OOM scores were computed for. */
  nodeMemory?: number;
}

const SGR = { red: 31, yellow: 33, blue: 34, green: 32, bold: 1, dim: 2 } as const;
type Style = keyof typeof SGR;

export function formatText(result: CheckResult, options: TextOptions = {}): string {
  return [...textReport(rerun(result), options)].join("");
}

/** The text report as it is written: a chunk per object with findings or facts, then the summary. */
export function* textReport(run: CheckRun, options: TextOptions = {}): Generator<string> {
  const paint = (style: Style, text: string) => (options.color ? `\x1b[${SGR[style]}m${text}\x1b[0m` : text);
  const severityStyle: Record<Severity, Style> = { error: "red", warning: "yellow", info: "blue" };
  const gib = (options.nodeMemory ?? DEFAULT_NODE_MEMORY) / 1024 ** 3;
  const files = new Set<string>();
  let written = false;
  for (const { facts: object, findings } of run) {
    files.add(object.file);
    const facts = factsLine(object, gib);
    if (findings.length === 0 && !facts) continue;
    const file = object.file === "-" ? "(stdin)" : object.file;
    const at = (line: number, col: number) => paint("dim", `${file}:${line}:${col}:`);
    const out: string[] = written ? [""] : [];
    const name = `${object.kind} ${object.namespace ? `${object.namespace}/` : ""}${object.name ?? "(unnamed)"}`;
    const status = findings.length === 0 ? paint("green", " ✓") : "";
    out.push(
      `${at(object.line, object.col)} ${paint("bold", name)}${status}${facts ? `  ${paint("dim", facts)}` : ""}`,
    );
    for (const f of findings) {
      out.push(
        `${at(f.line, f.col)} ${paint(severityStyle[f.severity], f.severity)} ${f.rule}: ${f.message}`,
      );
      out.push(`    ${paint("dim", `fix: ${f.fix}`)}`);
    }
    written = true;
    yield `${out.join("\n")}\n`;
  }
  yield `${written ? "\n" : ""}${summaryLine(run.summary, files.size, paint)}\n`;
}

function factsLine(object: ObjectFacts, gib: number): string {
  if (!object.qosClass) return "";
  const parts = [`QoS ${object.qosClass}`];
  if (object.oomScoreAdj !== undefined) {
    const node = object.qosClass === "Burstable" ? ` on a ${gib} GiB node` : "";
    parts.push(`oom_score_adj ${object.oomScoreAdj}${node}`);
  }
  if (object.allowedDisruptions !== undefined)
    parts.push(`PDB allows ${object.allowedDisruptions} disruption(s)`);
  return parts.join(" · ");
}

function summaryLine(
  summary: CheckSummary,
  files: number,
  paint: (style: Style, text: string) => string,
): string {
  const { objects, errors, warnings, infos } = summary;
  const problems = errors + warnings + infos;
  const counts = `${plural(errors, "error")}, ${plural(warnings, "warning")}, ${plural(infos, "info")}`;
  const scope = `${plural(objects, "object")} in ${plural(files, "file")}`;
  if (problems === 0) return paint("green", `✓ no problems in ${scope}`);
  const mark = errors > 0 ? paint("red", "✖") : paint("yellow", "!");
  return `${mark} ${plural(problems, "problem")} (${counts}) in ${scope}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
