// Every check report format, one line each: `--format`'s choices, help and dispatch loop over this.
// A new format is one file in report/ plus one line here. Each writes its report in chunks as the check
// runs, so a large input is never held as one report string.
import type { CheckRun } from "../engine.ts";
import { jsonReport } from "./json.ts";
import { junitReport } from "./junit.ts";
import { sarifReport } from "./sarif.ts";
import { textReport } from "./text.ts";

/** What a format may be told about where it is written. */
export interface ReportContext {
  /** The report goes to a terminal that shows colours. */
  color: boolean;
}

export const CHECK_FORMATS = {
  text: (run, { color }) => textReport(run, { color }),
  json: (run) => jsonReport(run),
  sarif: (run) => sarifReport(run),
  junit: (run) => junitReport(run),
} satisfies Record<string, (run: CheckRun, context: ReportContext) => Iterable<string>>;

export type CheckFormat = keyof typeof CHECK_FORMATS;
