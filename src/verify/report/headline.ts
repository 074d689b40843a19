// The verdict's first lines, which every report format says the same way: the status word, whether
// the load was proven to reach the workload (loudly when it was not), and the zero-downtime answer
// with the warm-up's failures set apart as a bad baseline.
import type { Verdict } from "../verdict.ts";

export interface Headline {
  /** VERIFIED, PARTIAL, BAD BASELINE or FAILED; with " — PROVES NOTHING ABOUT THE WORKLOAD" when unproven. */
  status: string;
  /** The reach line: how the load reached the workload, or the warning that it was not proven to. */
  reach?: { proven: boolean; text: string };
  downtime: { ok: boolean; text: string };
  /** Set when requests failed in the warm-up. */
  baseline?: string;
}

export function headline(v: Verdict): Headline {
  const baseline = v.baselineFailed ?? 0;
  const disrupted = v.failed - baseline;
  const word = v.ok
    ? "VERIFIED"
    : v.partial
      ? "PARTIAL"
      : baseline && v.zeroDowntime && v.goal.met
        ? "BAD BASELINE"
        : "FAILED";
  const unproven = v.reach !== undefined && !v.reach.proven;
  const rate = v.calls ? ` (${((100 * disrupted) / v.calls).toFixed(2)} %)` : "";
  const result: Headline = {
    status: `${word}${unproven ? " — PROVES NOTHING ABOUT THE WORKLOAD" : ""}`,
    downtime: v.zeroDowntime
      ? {
          ok: true,
          text: `zero downtime: yes — ${v.calls} requests, none failed${baseline ? " from the disruption on" : ""}`,
        }
      : {
          ok: false,
          text: `zero downtime: NO — ${disrupted} of ${v.calls} requests failed from the disruption on${rate}`,
        },
  };
  if (v.reach)
    result.reach = unproven
      ? {
          proven: false,
          text: `the load was NOT proven to reach ${v.subject}'s pods (the run went on by --assume-reach): ${v.reach.how}`,
        }
      : { proven: true, text: `the load reached the workload: ${v.reach.how}` };
  if (baseline)
    result.baseline = `bad baseline: ${baseline} request${baseline === 1 ? "" : "s"} failed in the warm-up, before anything was disrupted — not the ${v.scenario}'s doing, and the run proves nothing until the service holds the load undisturbed`;
  return result;
}
