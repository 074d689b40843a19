// Ties each failed request to the pod event that most likely caused it. Pure: a function of the timeline.
//
// The three stories the seed tells (零宕机):
// - after-sigterm: a pod went Terminating and got SIGTERM while load balancers still sent it traffic,
//   because endpoint removal is asynchronous. Failures land between "terminating" and shortly after the
//   endpoint left the rotation. Fix: a preStop sleep so the process outlives the reconfiguration.
// - before-ready: a new pod entered the rotation before it could serve (no readiness probe, so Ready
//   means "container started"). Failures land shortly after its endpoint turned ready.
// - no-ready-endpoints: every pod was out of the rotation at once (a drain without PDB, maxUnavailable
//   equal to replicas, one replica). Failures land while the count of ready endpoints is zero.
// And one that is no story about the disruption at all:
// - baseline: requests failed before anything was disrupted (in the warm-up); the service was
//   failing on its own, and blaming the rollout or the drain for it would be a lie.
import type { ClusterEvent, EndpointChange, FailedRequest, Phase, Timeline } from "./timeline.ts";

export type CorrelationKind =
  | "baseline"
  | "after-sigterm"
  | "before-ready"
  | "no-ready-endpoints"
  | "unexplained";

export interface Correlation {
  kind: CorrelationKind;
  /** The pods whose events explain the failures (empty for no-ready-endpoints and unexplained). */
  pods: string[];
  failures: FailedRequest[];
  /** Each of `pods`' own failures: pods of one kind may need different fixes (one has a preStop). */
  byPod: Map<string, FailedRequest[]>;
}

export interface CorrelateOptions {
  /** How long after an endpoint leaves (or joins) the rotation failures are still blamed on it:
   * the time load balancers take to catch up. */
  windowMs: number;
  /** How long before an observed pod event a failure may still be its effect: watch events reach us
   * some tens of milliseconds after the change (measured on the testbed: ~70 ms). */
  slackMs: number;
}

export const DEFAULT_CORRELATE: CorrelateOptions = { windowMs: 3000, slackMs: 500 };

/** When each pod left or joined the rotation, derived from its pod and endpoint events. */
interface PodStory {
  pod: string;
  terminatingAt?: number;
  /** First time its endpoint stopped taking new traffic (not ready, terminating or removed). */
  outOfRotationAt?: number;
  /** When its endpoint turned ready, if the pod appeared during the run. */
  inRotationAt?: number;
  createdDuringRun: boolean;
}

function inRotation(change: EndpointChange): boolean {
  return change === "ready" || change === "added-ready";
}

function podStories(events: ClusterEvent[], startedAt: number): Map<string, PodStory> {
  const stories = new Map<string, PodStory>();
  const story = (pod: string) => {
    let s = stories.get(pod);
    if (!s) {
      s = { pod, createdDuringRun: false };
      stories.set(pod, s);
    }
    return s;
  };
  for (const event of events) {
    if (event.kind === "pod") {
      const s = story(event.pod);
      if (event.change === "created" && event.t > startedAt) s.createdDuringRun = true;
      if (event.change === "terminating") s.terminatingAt ??= event.t;
    } else if (event.kind === "endpoint") {
      const s = story(event.pod);
      if (inRotation(event.change)) s.inRotationAt ??= event.t;
      else if (s.inRotationAt !== undefined && event.change !== "added-not-ready")
        s.outOfRotationAt ??= event.t;
    }
  }
  return stories;
}

/** Intervals during which no endpoint was ready, from the running count of ready endpoints. */
export function noReadyIntervals(events: ClusterEvent[], endedAt: number): Array<[number, number]> {
  const ready = new Set<string>();
  const intervals: Array<[number, number]> = [];
  let seen = false;
  let emptySince: number | undefined;
  for (const event of events) {
    if (event.kind !== "endpoint") continue;
    seen = true;
    if (inRotation(event.change)) ready.add(event.pod);
    else ready.delete(event.pod);
    if (ready.size === 0) emptySince ??= event.t;
    else if (emptySince !== undefined) {
      intervals.push([emptySince, event.t]);
      emptySince = undefined;
    }
  }
  if (seen && emptySince !== undefined) intervals.push([emptySince, endedAt]);
  return intervals;
}

/** Among pod events whose window [at - slack, until] covers `t`: the latest one at or before `t`,
 * else (observed a little late) the earliest one after it. */
function closest<E extends { at: number; until: number }>(
  events: E[],
  t: number,
  slackMs: number,
): E | undefined {
  const covering = events.filter((e) => t >= e.at - slackMs && t <= e.until);
  const before = covering.filter((e) => e.at <= t).sort((a, b) => b.at - a.at)[0];
  return before ?? covering.sort((a, b) => a.at - b.at)[0];
}

/** The end of the warm-up and the phases that start a disruption (recordings older than the
 * warmed-up phase have only the latter); before the first of them, the load is the baseline. */
const DISRUPTIONS: readonly Phase[] = ["warmed-up", "rollout-triggered", "cordoned", "pod-deleted"];

export function correlate(
  timeline: Pick<Timeline, "events" | "load" | "startedAt" | "endedAt">,
  options: CorrelateOptions = DEFAULT_CORRELATE,
): Correlation[] {
  const stories = [...podStories(timeline.events, timeline.startedAt).values()];
  const empty = noReadyIntervals(timeline.events, timeline.endedAt);
  const groups = new Map<string, Correlation>();
  const add = (kind: CorrelationKind, pod: string | undefined, failure: FailedRequest) => {
    const key = `${kind}/${pod ?? ""}`;
    let group = groups.get(key);
    if (!group) {
      const failures: FailedRequest[] = [];
      group = { kind, pods: pod ? [pod] : [], failures, byPod: new Map(pod ? [[pod, failures]] : []) };
      groups.set(key, group);
    }
    group.failures.push(failure);
  };

  const disruptedAt = timeline.events.find((e) => e.kind === "phase" && DISRUPTIONS.includes(e.phase))?.t;
  for (const failure of timeline.load.failures) {
    if (disruptedAt !== undefined && failure.t < disruptedAt) {
      add("baseline", undefined, failure);
      continue;
    }
    if (empty.some(([from, to]) => failure.t >= from && failure.t <= to)) {
      add("no-ready-endpoints", undefined, failure);
      continue;
    }
    // A pod that went Terminating shortly before is the likeliest culprit (the seed's story, and
    // the one a rollout always has); a pod that just joined comes second — with a fast rollout the
    // two happen within the same second and the watches may report them in either order. Within a
    // kind, the most recent event wins.
    const sigterm = closest(
      stories.flatMap((s) => {
        if (s.terminatingAt === undefined) return [];
        const until = Math.max(s.terminatingAt, s.outOfRotationAt ?? s.terminatingAt) + options.windowMs;
        return [{ pod: s.pod, at: s.terminatingAt, until }];
      }),
      failure.t,
      options.slackMs,
    );
    const joined = closest(
      stories.flatMap((s) =>
        s.createdDuringRun && s.inRotationAt !== undefined
          ? [{ pod: s.pod, at: s.inRotationAt, until: s.inRotationAt + options.windowMs }]
          : [],
      ),
      failure.t,
      options.slackMs,
    );
    const best = sigterm
      ? { kind: "after-sigterm" as const, pod: sigterm.pod }
      : joined
        ? { kind: "before-ready" as const, pod: joined.pod }
        : undefined;
    add(best?.kind ?? "unexplained", best?.pod, failure);
  }

  // One correlation per kind, pods merged, largest first: that is the order a reader wants.
  const byKind = new Map<CorrelationKind, Correlation>();
  for (const group of groups.values()) {
    const merged = byKind.get(group.kind);
    if (merged) {
      merged.pods.push(...group.pods);
      merged.failures.push(...group.failures);
      for (const [pod, failures] of group.byPod) merged.byPod.set(pod, failures);
    } else
      byKind.set(group.kind, {
        ...group,
        pods: [...group.pods],
        failures: [...group.failures],
        byPod: new Map(group.byPod),
      });
  }
  for (const c of byKind.values()) c.failures.sort((a, b) => a.t - b.t);
  return [...byKind.values()].sort((a, b) => b.failures.length - a.failures.length);
}
