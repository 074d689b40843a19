// Every shape `--json` can write a load run in, one line each: `--format`'s choices, help and
// dispatch loop over this. A new shape is one file in report/ plus one line here.
import type { ResolvedLoadOptions } from "../options.ts";
import type { LoadResult } from "../result.ts";
import { fortioResult } from "./fortio.ts";

export interface JsonFormat {
  /** One line for --help. */
  summary: string;
  /** The object to write as JSON. */
  shape(result: LoadResult, options: ResolvedLoadOptions): unknown;
}

export const LOAD_JSON_FORMATS = {
  shipshape: { summary: "shipshape's own result (latencies in ms)", shape: (result) => result },
  fortio: { summary: "Fortio's result JSON, for its report UI and dashboards", shape: fortioResult },
} satisfies Record<string, JsonFormat>;

export type LoadJsonFormat = keyof typeof LOAD_JSON_FORMATS;
