// What a size run found, as plain JSON-ready data: per step the load's own numbers beside each
// container's CPU and memory, what happened to the containers (throttling, OOM kills), the
// recommendation with the reasoning it used, and whether the size the workload runs with held.
import type { LatencySummary } from "../load/result.ts";
import type { SloThreshold } from "../load/slo.ts";
import type { SloVerdict } from "./slo.ts";

/** One measured point of one container: CPU in millicores over the interval ending at `atMs`. */
export interface CpuPoint {
  atMs: number;
  pod: string;
  container: string;
  millicores: number;
}

export interface MemoryPoint {
  atMs: number;
  pod: string;
  container: string;
  bytes: number;
}

/** A container that was OOMKilled, as its pod status said. */
export interface OomKill {
  atMs: number;
  pod: string;
  container: string;
}

export interface ContainerStep {
  container: string;
  /** Pods this container had points from in the step. */
  pods: number;
  /** Over every point of every pod (millicores). */
  cpuP95: number;
  cpuMax: number;
  /** The sum over pods of each pod's mean: the workload's CPU for this container (millicores). */
  cpuTotalMean: number;
  memoryMax: number;
  /** Throttled CFS periods / all periods in the step (cAdvisor); undefined when not readable. */
  throttledRatio?: number;
  oomKills: number;
}

export interface StepResult {
  targetQps: number;
  startedAt: string;
  durationSeconds: number;
  achievedQps: number;
  calls: number;
  /** Failed requests and HTTP >= 400, over calls. */
  errorRatio: number;
  latencyMs: LatencySummary;
  codes: Record<string, number>;
  slo: SloVerdict;
  containers: ContainerStep[];
}

export interface ContainerSize {
  cpu?: number;
  memory?: number;
}

export interface ContainerRecommendation {
  container: string;
  /** Cores and bytes; requests == limits. */
  cpu: number;
  memory: number;
  /** What the live workload runs with now (limits; requests when no limit). */
  current: { requests: ContainerSize; limits: ContainerSize };
  /** One line each: how the number was chosen, and what a throttled or OOMKilled step means. */
  reasons: string[];
}

export interface Recommendation {
  /** The highest step that met the SLO, the basis of the CPU numbers; undefined when none did. */
  basisQps?: number;
  containers: ContainerRecommendation[];
  replicas: number;
  /** The HPA's averageUtilization (% of the CPU request) that adds pods before the SLO breaks. */
  hpaCpuUtilization: number;
  /** CPU per request at the basis step (ms of CPU), over every container of the pod. */
  cpuMsPerRequest?: number;
  /** The qps the replicas are counted for. */
  peakQps: number;
  margins: { cpu: number; memory: number };
  reasons: string[];
}

/** Does the size the workload runs with now hold the load? */
export interface SizeVerdict {
  holds: boolean;
  /** No requests == limits on every container: there was no size to verify. */
  unsized: boolean;
  reasons: string[];
}

export interface SizeResult {
  workload: { kind: string; namespace: string; name: string };
  url: string;
  connections: number;
  slo: SloThreshold[];
  /** Where the CPU and memory came from, and how often. */
  sources: {
    kubelet: boolean;
    /** Median seconds between two distinct kubelet readings (its housekeeping, ~10–15 s). */
    kubeletIntervalSeconds?: number;
    metricsApiWindowSeconds?: number;
    intervalMs: number;
  };
  startedAt: string;
  steps: StepResult[];
  cpu: CpuPoint[];
  memory: MemoryPoint[];
  oomKills: OomKill[];
  recommendation: Recommendation;
  verdict: SizeVerdict;
}
