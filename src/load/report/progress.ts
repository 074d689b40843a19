// The one-line live progress of a run (elapsed, calls, qps, failures).
import type { LoadProgress } from "../run.ts";
import { count, rate } from "./format.ts";

export function progressLine(p: LoadProgress, durationMs: number | undefined, plannedCalls?: number): string {
  const elapsed = (p.elapsedMs / 1000).toFixed(1);
  const of =
    durationMs !== undefined
      ? ` / ${(durationMs / 1000).toFixed(0)}s`
      : plannedCalls !== undefined
        ? ` (${((100 * p.calls) / plannedCalls).toFixed(0)} % of ${count(plannedCalls)})`
        : "";
  const qps = p.lastSecondQps > 0 ? p.lastSecondQps : p.elapsedMs > 0 ? (1000 * p.calls) / p.elapsedMs : 0;
  return `${elapsed}s${of}  calls ${count(p.calls)}  qps ${rate(qps)}  errors ${count(p.errors)}  http>=400 ${count(p.badStatus)}`;
}
