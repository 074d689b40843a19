// The verdict: did the service stay up while the cluster rolled, drained or scaled, did the scenario
// reach its goal, and if not, why. A pure function of the recorded timeline and the check findings on
// the live objects, so it is tested on recorded timelines.
import type { RuleId } from "../check/rules/index.ts";
import type { Finding } from "../check/types.ts";
import { afterSigtermDespitePreStop, afterSigtermOfOldPods, CAUSES, type CauseText } from "./causes.ts";
import {
  type CorrelateOptions,
  type Correlation,
  type CorrelationKind,
  correlate,
  DEFAULT_CORRELATE,
} from "./correlate.ts";
import { optedOut } from "./opt-outs.ts";
import { podsByPreStop, sigtermTiming } from "./prestop.ts";
import type { TargetReach } from "./reach.ts";
import { findScenario } from "./scenarios/index.ts";
import { type ClusterEvent, type FailedRequest, seconds, type Timeline } from "./timeline.ts";

export interface Cause {
  kind: CorrelationKind;
  title: string;
  /** What in the timeline points at it, in one sentence. */
  evidence: string;
  fix: string;
  pods: string[];
  failures: number;
  /** Check findings on the live objects that name the same mistake in the spec. */
  findings: Finding[];
}

/** A burst of failed requests and the cluster events around it. */
export interface Incident {
  from: number;
  to: number;
  failures: number;
  /** "502" or "connect" → count. */
  codes: Record<string, number>;
  events: ClusterEvent[];
}

export interface Goal {
  met: boolean;
  /** "rollout completed in 29.4 s", "12 pods evicted (3 refusals retried); node uncordoned". */
  summary: string;
  /** When missed: findings of the rules that explain why (a PDB that blocks the drain…). */
  findings: Finding[];
}

export interface Verdict {
  scenario: Timeline["scenario"];
  subject: string;
  ok: boolean;
  /** No request failed from the disruption on (warm-up failures are the baseline's, counted apart). */
  zeroDowntime: boolean;
  goal: Goal;
  calls: number;
  failed: number;
  /** Of `failed`, those in the warm-up, before anything was disrupted: a bad baseline, which leaves
   * the run proving nothing (not ok), but never blamed on the disruption. */
  baselineFailed: number;
  incidents: Incident[];
  causes: Cause[];
  /** Findings of the consulted rules that no failure pointed at: risks the run did not trigger (those
   * an object opts out of with shipshape.dev/ignore left out, as `check` leaves them out). */
  risks: Finding[];
  /** Why the run was cut short, when it was: the verdict covers what was observed. */
  partial?: string;
  /** Whether the load was traced to the target's pods; when it was not (the run went on by
   * --assume-reach), the verdict proves nothing about the workload. Absent in older recordings. */
  reach?: TargetReach;
}

export interface VerdictOptions extends CorrelateOptions {
  /** Failures further apart than this start a new incident. */
  incidentGapMs: number;
  /** Cluster events this long before an incident (and half as long after) are shown with it. */
  contextMs: number;
}

export const DEFAULT_VERDICT: VerdictOptions = { ...DEFAULT_CORRELATE, incidentGapMs: 1000, contextMs: 5000 };

export function failureCode(failure: FailedRequest): string {
  return failure.status !== undefined ? String(failure.status) : (failure.error ?? "error");
}

export function countCodes(failures: FailedRequest[]): Record<string, number> {
  const codes: Record<string, number> = {};
  for (const f of failures) codes[failureCode(f)] = (codes[failureCode(f)] ?? 0) + 1;
  return codes;
}

function incidents(timeline: Timeline, options: VerdictOptions): Incident[] {
  const failures = [...timeline.load.failures].sort((a, b) => a.t - b.t);
  const bursts: FailedRequest[][] = [];
  for (const f of failures) {
    const last = bursts.at(-1);
    if (last && f.t - last.at(-1)!.t <= options.incidentGapMs) last.push(f);
    else bursts.push([f]);
  }
  return bursts.map((burst) => {
    const from = burst[0]!.t;
    const to = burst.at(-1)!.t;
    // Changes only: the state found at the start (stamped startedAt) is not an event around anything.
    const events = timeline.events.filter(
      (e) =>
        e.kind !== "replicas" &&
        e.t > timeline.startedAt &&
        e.t >= from - options.contextMs &&
        e.t <= to + options.contextMs / 2,
    );
    return { from, to, failures: burst.length, codes: countCodes(burst), events };
  });
}

/** Whether a table of rule ids names a finding's rule (findings carry plain strings: custom rules). */
function names(rules: readonly RuleId[], rule: string): boolean {
  return (rules as readonly string[]).includes(rule);
}

function goal(timeline: Timeline): Omit<Goal, "findings"> {
  const scenario = findScenario(timeline.scenario);
  if (!scenario) return { met: false, summary: `unknown scenario "${timeline.scenario}"` };
  return scenario.goal(timeline);
}

function evidence(
  kind: CorrelationKind,
  failures: number,
  total: number,
  pods: string[],
  windowMs: number,
): string {
  const share = `${failures} of ${total} failed request${total === 1 ? "" : "s"}`;
  const pod = pods.length === 1 ? "pod" : "pods";
  const its = pods.length === 1 ? "its" : "their";
  const podList =
    pods.length > 3 ? `${pods.slice(0, 3).join(", ")} and ${pods.length - 3} more` : pods.join(", ");
  switch (kind) {
    case "baseline":
      return `${share} came before the disruption started, in the warm-up`;
    case "after-sigterm":
      return `${share} came between ${pod} ${podList} going Terminating and ${seconds(windowMs)} after ${its} endpoint${pods.length === 1 ? "" : "s"} left the rotation`;
    case "before-ready":
      return `${share} came within ${seconds(windowMs)} after new ${pod} ${podList} joined the endpoints as ready`;
    case "no-ready-endpoints":
      return `${share} came while no endpoint was ready`;
    case "unexplained":
      return `${share} came with no pod event near them`;
  }
}

/** Each correlation with the text that explains it; after-sigterm split by how the failing pods' own
 * specs stop them, since a pod with a preStop and one without need different fixes. */
function explained(
  timeline: Timeline,
  options: VerdictOptions,
): (c: Correlation) => Array<{ c: Correlation; text: CauseText }> {
  return (c) => {
    if (c.kind !== "after-sigterm") return [{ c, text: CAUSES[c.kind] }];
    const parts = podsByPreStop(timeline, c.pods).map((group) => {
      const failures = group.pods.flatMap((pod) => c.byPod.get(pod) ?? []).sort((a, b) => a.t - b.t);
      const part: Correlation = { ...c, pods: group.pods, failures };
      const { preStop, templatePreStop } = group;
      const text = preStop
        ? afterSigtermDespitePreStop(
            preStop.hook,
            preStop.graceSeconds,
            preStop.sleepSeconds,
            sigtermTiming(timeline, group.pods, failures, options.slackMs),
          )
        : templatePreStop
          ? afterSigtermOfOldPods(templatePreStop.hook)
          : CAUSES[c.kind];
      return { c: part, text };
    });
    return parts.sort((a, b) => b.c.failures.length - a.c.failures.length);
  };
}

export function verdict(
  timeline: Timeline,
  findings: Finding[] = [],
  options: VerdictOptions = DEFAULT_VERDICT,
): Verdict {
  const failed = Math.max(timeline.load.failed, timeline.load.failures.length);
  const correlations = correlate(timeline, options);
  const used = new Set<Finding>();
  const causes: Cause[] = correlations.flatMap(explained(timeline, options)).map(({ c, text }) => {
    const matching = findings.filter((f) => names(text.rules, f.rule));
    for (const f of matching) used.add(f);
    return {
      kind: c.kind,
      title: text.title,
      evidence: evidence(c.kind, c.failures.length, failed, c.pods, options.windowMs),
      fix: text.fix,
      pods: c.pods,
      failures: c.failures.length,
      findings: matching,
    };
  });
  const baselineFailed = correlations.find((c) => c.kind === "baseline")?.failures.length ?? 0;
  const zeroDowntime = failed - baselineFailed === 0;
  const reached = goal(timeline);
  const goalFindings = reached.met
    ? []
    : findings.filter((f) => names(findScenario(timeline.scenario)?.goalRules ?? [], f.rule));
  for (const f of goalFindings) used.add(f);
  const g: Goal = { ...reached, findings: goalFindings };
  const result: Verdict = {
    scenario: timeline.scenario,
    subject: timeline.subject,
    ok: zeroDowntime && baselineFailed === 0 && g.met && !timeline.interrupted,
    zeroDowntime,
    goal: g,
    calls: timeline.load.calls,
    failed,
    baselineFailed,
    incidents: incidents(timeline, options),
    causes,
    risks: findings.filter((f) => !used.has(f) && !optedOut(f, timeline.objects)),
  };
  if (timeline.interrupted) result.partial = timeline.interrupted;
  if (timeline.reach) result.reach = timeline.reach;
  return result;
}
