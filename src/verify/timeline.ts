// One timeline for a verification: what the load saw (per second, and every failed request at its
// intended send time) and what the control plane did (pods, endpoints, ReplicaSets, nodes, evictions),
// all on the same clock (epoch milliseconds, as observed by shipshape). It is what `--json` writes and
// what the unit tests replay, so the verdict is a pure function of it.
import type { Container, PodSpec } from "kubernetes-types/core/v1.js";
import type { KubeObject } from "../k8s/object.ts";
import type { LatencySummary, WorkerSummary } from "../load/result.ts";
import type { LeftReason } from "./drain-leftovers.ts";
import type { TargetReach } from "./reach.ts";
import type { ScenarioName } from "./scenarios/index.ts";

/** One second of load, starting at `t`. */
export interface LoadSecond {
  t: number;
  calls: number;
  /** Requests that failed: a non-2xx/3xx status, a connection error or a timeout. */
  errors: number;
  p50Ms?: number;
  p99Ms?: number;
}

/** A request that failed, placed at the time it was meant to be sent (coordinated omission corrected). */
export interface FailedRequest {
  t: number;
  /** HTTP status, when there was a response. */
  status?: number;
  /** "connect", "timeout", "reset"… when there was none. */
  error?: string;
  latencyMs?: number;
}

export type PodChange = "created" | "scheduled" | "ready" | "not-ready" | "terminating" | "deleted";
export type EndpointChange =
  | "added-ready"
  | "added-not-ready"
  | "ready"
  | "not-ready"
  | "terminating"
  | "removed";
export type Phase =
  | "load-started"
  | "warmed-up"
  | "rollout-triggered"
  | "rollout-complete"
  | "cordoned"
  | "drained"
  | "uncordoned"
  | "scaled-up"
  | "scaled-down"
  | "pod-deleted"
  | "pod-replaced"
  | "settled"
  | "interrupted"
  | "timed-out"
  | "load-stopped";

/** What the control plane did, observed when the watch told us (not the object's own timestamps:
 * `deletionTimestamp`, for one, is the deadline of the grace period, not the moment of deletion). */
export type ClusterEvent =
  | { t: number; kind: "pod"; pod: string; change: PodChange; node?: string; owner?: string }
  | { t: number; kind: "endpoint"; pod: string; change: EndpointChange; slice: string }
  | { t: number; kind: "replicaset"; name: string; replicas: number; ready: number }
  /** The workload's (or HPA's) replica counts: desired from the spec, ready from the status. */
  | { t: number; kind: "replicas"; desired: number; ready: number; cpuPercent?: number }
  | { t: number; kind: "eviction"; pod: string; outcome: "evicted" | "refused" | "failed"; message?: string }
  /** A pod still on the drained node at the end ("namespace/name"), and why. */
  | { t: number; kind: "left"; pod: string; reason: LeftReason; detail?: string }
  | { t: number; kind: "phase"; phase: Phase; detail?: string };

/** What a pod's own spec says about how it stops: its containers' preStop hooks and its grace period.
 * A pod keeps the template it was made from, so a rollout's old pods may stop otherwise than the
 * workload's template says by the end of the run. */
export type PodStop = Pick<PodSpec, "terminationGracePeriodSeconds"> & {
  containers: Array<
    Pick<Container, "name"> & { lifecycle?: Pick<NonNullable<Container["lifecycle"]>, "preStop"> }
  >;
};

export interface Timeline {
  scenario: ScenarioName;
  /** "Deployment kube-example/wordpress" or "Node kwok-node-1". */
  subject: string;
  url: string;
  startedAt: number;
  endedAt: number;
  load: {
    targetQps: number;
    connections: number;
    seconds: LoadSecond[];
    failures: FailedRequest[];
    /** Calls and failed calls in total (the per-second list may be cut short by an interrupt). */
    calls: number;
    failed: number;
    /** Latency over the whole run (coordinated omission corrected); absent in older recordings. */
    latencyMs?: LatencySummary;
    /** Achieved requests per second over the whole run; absent in older recordings. */
    qps?: number;
    /** Set when the load ran on worker pods (`--workers`): each one, and what became of it. */
    workers?: WorkerSummary[];
  };
  events: ClusterEvent[];
  /** The live objects the verdict audits with the check rules: the workload, its PDB, HPA, Services. */
  objects: KubeObject[];
  /** Pod name → how it stops, from the pod as first observed (absent in older recordings, which are
   * judged by the workload's template). */
  podStops?: Record<string, PodStop>;
  /** Whether the URL was traced to the target's pods before the load started (absent in older
   * recordings). */
  reach?: TargetReach;
  /** Set when the run was cut short (Ctrl-C, timeout): the verdict is then partial. */
  interrupted?: string;
  /** Free text for recorded fixtures: how the timeline was obtained. */
  note?: string;
}

/** A duration as verdicts say it: "29.4 s". */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Seconds since the start, as the reports print them: "+12.031 s". */
export function relative(timeline: Pick<Timeline, "startedAt">, t: number): string {
  return `+${((t - timeline.startedAt) / 1000).toFixed(3)} s`;
}

export function phaseEvent(
  timeline: Pick<Timeline, "events">,
  phase: Phase,
): Extract<ClusterEvent, { kind: "phase" }> | undefined {
  for (const event of timeline.events) if (event.kind === "phase" && event.phase === phase) return event;
  return undefined;
}

export function phaseAt(timeline: Pick<Timeline, "events">, phase: Phase): number | undefined {
  return phaseEvent(timeline, phase)?.t;
}

/** When the run timed out (undefined if it did not) and why, as " (detail)" for a goal's summary. */
export function timeout(timeline: Pick<Timeline, "events">): { at?: number; why: string } {
  const event = phaseEvent(timeline, "timed-out");
  return { ...(event ? { at: event.t } : {}), why: event?.detail ? ` (${event.detail})` : "" };
}
