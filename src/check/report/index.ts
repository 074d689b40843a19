// Every check report format, one line each: `--format`'s choices, help and dispatch loop over this.
// A new format is one file in report/ plus one line here.
import type { CheckResult } from "../engine.ts";
import { formatJson } from "./json.ts";
import { formatJunit } from "./junit.ts";
import { formatSarif } from "./sarif.ts";
import { formatText } from "./text.ts";

/** What a format may be told about where it is written. */
export interface ReportContext {
  /** The report goes to a terminal that shows colours. */
  color: boolean;
}

export const CHECK_FORMATS = {
  text: (result, { color }) => formatText(result, { color }),
  json: (result) => formatJson(result),
  sarif: (result) => formatSarif(result),
  junit: (result) => formatJunit(result),
} satisfies Record<string, (result: CheckResult, context: ReportContext) => string>;

export type CheckFormat = keyof typeof CHECK_FORMATS;
