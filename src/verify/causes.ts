// What each correlation means, how to fix it, and which check rules name the same mistake in the
// workload's spec. One table, so the verdict and `--explain` style texts cannot drift apart.
import type { RuleId } from "../check/rules/index.ts";
import type { CorrelationKind } from "./correlate.ts";

export interface CauseText {
  title: string;
  fix: string;
  /** Check rule ids that, when they fire on the live objects, confirm this cause. */
  rules: readonly RuleId[];
}

export const CAUSES: Record<CorrelationKind, CauseText> = {
  baseline: {
    title: "requests failed before anything was disrupted: a bad baseline, not the disruption's doing",
    fix:
      "make the service answer this load without failures first (shipshape load against the same URL), " +
      "then verify again; failures from the warm-up on prove nothing about the rollout or drain",
    rules: [],
  },
  "after-sigterm": {
    title: "endpoints removed after SIGTERM: add a preStop sleep",
    fix:
      "add lifecycle.preStop (a sleep of 5–20 s) shorter than terminationGracePeriodSeconds, so the pod keeps " +
      "serving while endpoints and load balancers drop it, then shuts down on SIGTERM",
    rules: ["prestop-missing", "grace-period-too-short"],
  },
  "before-ready": {
    title: "traffic reached new pods before they could serve: add a readiness probe",
    fix: "add an HTTP readinessProbe on the serving port, so a pod joins the endpoints only when it answers",
    rules: ["readiness-probe-missing"],
  },
  "no-ready-endpoints": {
    title: "no pod was ready to serve: keep capacity during the disruption",
    fix:
      "run ≥ 2 replicas spread over nodes, roll with maxUnavailable 0 and maxSurge 1, and protect them " +
      "with a PodDisruptionBudget (maxUnavailable 1) so drains evict one at a time",
    rules: ["rolling-update-unsafe", "pdb-missing", "replicas-single", "anti-affinity-missing"],
  },
  unexplained: {
    title: "failures not near any pod event: look at the application or the path to it",
    fix: "read the status codes and errors below; compare with a run without disruption",
    rules: [],
  },
};

/** When the failures of an after-sigterm cause came, in ms after their pod went Terminating. */
export interface SigtermTiming {
  fromMs: number;
  toMs: number;
}

const s1 = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** What explains failures after SIGTERM despite a preStop, from the hook, the grace period and when
 * the failures came: a grace period the sleep outlasts, failures after the sleep ended (the ingress
 * reacted later than the preStop lasted), or during it (the process stopped serving early). */
function despiteWhy(
  sleepSeconds: number | undefined,
  graceSeconds: number | undefined,
  timing?: SigtermTiming,
): string {
  if (sleepSeconds !== undefined && graceSeconds !== undefined && graceSeconds <= sleepSeconds)
    return `the grace period (${graceSeconds} s) ends before the ${sleepSeconds} s sleep does, so the pod is killed without a graceful stop`;
  if (sleepSeconds === undefined || !timing)
    return "the ingress dropped the pod later than the preStop lasted, or the process stopped early";
  const when = `the failures came ${s1(timing.fromMs)}–${s1(timing.toMs)} after Terminating`;
  if (timing.fromMs >= sleepSeconds * 1000)
    return `${when}, after the ${sleepSeconds} s sleep ended: the ingress still sent the pod requests when it stopped — the preStop is shorter than the ingress's reaction`;
  if (timing.toMs < sleepSeconds * 1000)
    return `${when}, while the ${sleepSeconds} s sleep should still have kept it serving: the process stopped early (the hook failed, or something else stopped it)`;
  return `${when}, around the end of the ${sleepSeconds} s sleep: the ingress dropped the pod about when the preStop ended`;
}

/** after-sigterm when the live workload already has a preStop: advising one would be wrong, so
 * the text names what does explain it. */
export function afterSigtermDespitePreStop(
  preStop: string,
  graceSeconds: number | undefined,
  sleepSeconds?: number,
  timing?: SigtermTiming,
): CauseText {
  const grace = graceSeconds === undefined ? "" : `, terminationGracePeriodSeconds ${graceSeconds} s`;
  return {
    title: `failures after SIGTERM although a preStop exists (${preStop}${grace}): ${despiteWhy(sleepSeconds, graceSeconds, timing)}`,
    fix:
      "make the preStop outlast the time the ingress or load balancer takes to drop a terminating endpoint " +
      "(see when the failures end), keep terminationGracePeriodSeconds above the preStop plus the app's " +
      "own shutdown, and check that the hook runs (a FailedPreStopHook event) and the image's stop signal " +
      "stops it gracefully",
    rules: ["grace-period-too-short"],
  };
}

/** after-sigterm of pods made without a preStop while their workload's template now has one (a
 * rollout that adds it replaces pods that lack it): nothing to add, and the text says whose failures
 * they were. */
export function afterSigtermOfOldPods(templatePreStop: string): CauseText {
  return {
    title: `endpoints removed after SIGTERM of pods made without a preStop; the template now has one (${templatePreStop}), so the pods it makes keep serving while they stop`,
    fix:
      "nothing to add: these failures came from the pods being replaced, made from the earlier template. " +
      "The next rollout stops pods that have the preStop: verify that one (shipshape verify rollout)",
    rules: [],
  };
}
