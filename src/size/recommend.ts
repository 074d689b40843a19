// The recommendation, from the steps alone (pure): requests == limits for every container
// (Guaranteed QoS), CPU from the highest step that met the SLO, memory from the peak of any step,
// the replicas the peak load needs at that size, and the HPA target that adds pods while the
// load is still one the SLO held at.
import type { ContainerRecommendation, ContainerSize, Recommendation, StepResult } from "./result.ts";
import type { LatencyBound, LatencyPercentile } from "./slo.ts";

export interface RecommendInput {
  steps: readonly StepResult[];
  /** Container name → what it runs with now (cores, bytes). */
  current: ReadonlyMap<string, { requests: ContainerSize; limits: ContainerSize }>;
  /** Headroom over the measured numbers, e.g. 0.25 = +25 %. */
  margins: { cpu: number; memory: number };
  /** The qps to count replicas for; default: the highest step's. */
  peakQps?: number;
  /** The SLO's latency bound: the CPU a request needs must leave its queue within it (see cpuFloor). */
  slo?: LatencyBound;
}

/** Above this share of throttled CFS periods the measured CPU is the limit's, not the need. */
export const THROTTLED = 0.05;
const MIN_CPU = 0.01;
const MIN_MEMORY = 16 * 2 ** 20;

/** Up to whole 5 millicores: the grain people write. */
const roundCpu = (cores: number) => Math.max(MIN_CPU, Math.ceil((cores * 1000) / 5 - 1e-9) * 0.005);
/** Up to whole MiB. */
const roundMemory = (bytes: number) => Math.max(MIN_MEMORY, Math.ceil(bytes / 2 ** 20 - 1e-9) * 2 ** 20);

export const formatCpu = (cores: number) => `${Math.round(cores * 1000)}m`;
export const formatMemory = (bytes: number) => `${Math.round(bytes / 2 ** 20)}Mi`;
const pct = (ratio: number) => `${Math.round(ratio * 100)}%`;

const PERCENTILE: Record<LatencyPercentile, number> = {
  p50: 0.5,
  p75: 0.75,
  p90: 0.9,
  p95: 0.95,
  p99: 0.99,
  p999: 0.999,
};

/**
 * The least CPU limit (cores) at which a pod answering `perPodQps` requests of `cpuSeconds` each
 * keeps the SLO's percentile within half its bound. At a limit of L cores a request is served in
 * c/L s and the pod is busy ρ = λc/L of the time; a queue of that kind (M/M/1) has its p-th
 * percentile response time at ln(1/(1-p))·(c/L)/(1-ρ). Solved for L:
 * L ≥ λc + ln(1/(1-p))·c/T. Usage averaged over the kubelet's ~10 s readings is λc alone, and a
 * limit near it leaves requests queueing for seconds.
 */
export function cpuFloor(cpuSeconds: number, perPodQps: number, slo: LatencyBound): number {
  const seconds = slo.latencyMs / 1000 / 2;
  return perPodQps * cpuSeconds + (Math.log(1 / (1 - PERCENTILE[slo.percentile])) * cpuSeconds) / seconds;
}

/** The step the CPU comes from: the highest that met the SLO without an OOM kill. */
export function basisStep(steps: readonly StepResult[]): StepResult | undefined {
  return [...steps]
    .sort((a, b) => b.targetQps - a.targetQps)
    .find((s) => s.slo.met && s.containers.every((c) => c.oomKills === 0));
}

function sizeContainer(name: string, input: RecommendInput, basis: StepResult): ContainerRecommendation {
  const current = input.current.get(name) ?? { requests: {}, limits: {} };
  const usage = basis.containers.find((c) => c.container === name);
  const reasons: string[] = [];
  const p95 = (usage?.cpuP95 ?? 0) / 1000;
  let cpu = roundCpu(p95 * (1 + input.margins.cpu));
  reasons.push(
    `cpu ${formatCpu(cpu)} = p95 ${formatCpu(p95)} per pod at ${basis.targetQps} qps + ${pct(input.margins.cpu)}`,
  );
  const msPerRequest = usage && basis.achievedQps > 0 ? usage.cpuTotalMean / basis.achievedQps : 0;
  if (input.slo && msPerRequest > 0 && usage) {
    const floor = roundCpu(
      cpuFloor(msPerRequest / 1000, basis.achievedQps / Math.max(1, usage.pods), input.slo),
    );
    if (floor > cpu) {
      cpu = floor;
      reasons.push(
        `raised to ${formatCpu(cpu)}: ${msPerRequest.toFixed(1)} ms of CPU per request at ${(basis.achievedQps / Math.max(1, usage.pods)).toFixed(2)} qps per pod needs that limit for a ${input.slo.percentile} within half the SLO's ${input.slo.latencyMs} ms (a queue at the limit: λc + ln(1/(1-p))·c/(SLO/2))`,
      );
    }
  }
  const cpuLimit = current.limits.cpu;
  if (usage?.throttledRatio !== undefined && usage.throttledRatio >= THROTTLED && cpuLimit !== undefined) {
    cpu = Math.max(cpu, cpuLimit);
    reasons.push(
      `throttled in ${pct(usage.throttledRatio)} of CFS periods at ${basis.targetQps} qps: the limit ${formatCpu(cpuLimit)} capped it, so the measured CPU is a floor of the need; the SLO held at ${formatCpu(cpuLimit)}, so the size keeps at least that`,
    );
  }
  for (const step of input.steps) {
    const c = step.containers.find((x) => x.container === name);
    if (
      step.targetQps > basis.targetQps &&
      !step.slo.met &&
      c?.throttledRatio !== undefined &&
      c.throttledRatio >= THROTTLED
    )
      reasons.push(
        `at ${step.targetQps} qps, where the SLO broke, it was throttled in ${pct(c.throttledRatio)} of CFS periods: the CPU limit is a likely cause; more replicas (the HPA) or more CPU serve that load`,
      );
  }
  const peak = Math.max(
    0,
    ...input.steps.flatMap((s) => s.containers.filter((c) => c.container === name).map((c) => c.memoryMax)),
  );
  let memory = roundMemory(peak * (1 + input.margins.memory));
  reasons.push(
    `memory ${formatMemory(memory)} = max ${formatMemory(peak)} over every step + ${pct(input.margins.memory)}`,
  );
  const oomSteps = input.steps.filter((s) =>
    s.containers.some((c) => c.container === name && c.oomKills > 0),
  );
  const memoryLimit = current.limits.memory;
  if (oomSteps.length > 0) {
    const kills = oomSteps.reduce(
      (n, s) => n + (s.containers.find((c) => c.container === name)?.oomKills ?? 0),
      0,
    );
    const floor = memoryLimit === undefined ? memory : roundMemory(memoryLimit * 2);
    memory = Math.max(memory, floor);
    reasons.push(
      `OOMKilled ${kills}× (at ${oomSteps.map((s) => `${s.targetQps} qps`).join(", ")})${memoryLimit === undefined ? "" : `: the limit ${formatMemory(memoryLimit)} is below what it needs, and the peak seen before each kill is the limit's, not the need`}; asking for ${formatMemory(memory)} (twice the limit); run size again to confirm it holds`,
    );
  }
  return { container: name, cpu, memory, current, reasons };
}

export function recommend(input: RecommendInput): Recommendation {
  const steps = [...input.steps].sort((a, b) => a.targetQps - b.targetQps);
  const top = steps.at(-1);
  if (!top) throw new Error("recommend: no steps");
  const met = basisStep(steps);
  // Nothing met the SLO: size from the gentlest step, and say the replicas must grow.
  const basis = met ?? steps[0]!;
  const reasons: string[] = [];
  if (!met)
    reasons.push(
      `no step met the SLO: sized from the lowest (${basis.targetQps} qps); more replicas or a lower load`,
    );
  const names = [...new Set(steps.flatMap((s) => s.containers.map((c) => c.container)))];
  const containers = names.map((name) => sizeContainer(name, input, basis));
  const podCpu = containers.reduce((n, c) => n + c.cpu, 0) * 1000;
  const pods = Math.max(1, ...basis.containers.map((c) => c.pods));
  const workloadCpu = basis.containers.reduce((n, c) => n + c.cpuTotalMean, 0);
  // What each pod used on average at the basis, as a share of its new request: the HPA adds pods at it.
  const utilization = workloadCpu / pods / podCpu;
  const hpaCpuUtilization = Math.min(90, Math.max(10, Math.floor(utilization * 100)));
  reasons.push(
    `HPA target ${hpaCpuUtilization}%: each pod averaged ${pct(utilization)} of its CPU request at ${basis.targetQps} qps${met ? ", the highest load the SLO held at" : ""}, so the HPA adds pods before the load passes it`,
  );
  const peakQps = input.peakQps ?? top.targetQps;
  const cpuMsPerRequest = basis.achievedQps > 0 ? workloadCpu / basis.achievedQps : undefined;
  const replicas =
    cpuMsPerRequest === undefined
      ? pods
      : // a few % of measurement noise does not buy a whole pod
        Math.max(1, Math.ceil((cpuMsPerRequest * peakQps) / (podCpu * (hpaCpuUtilization / 100)) - 0.05));
  reasons.push(
    cpuMsPerRequest === undefined
      ? `replicas ${replicas}: as measured (no request was answered at ${basis.targetQps} qps)`
      : `replicas ${replicas}: ${cpuMsPerRequest.toFixed(1)} ms of CPU per request × ${peakQps} qps over ${formatCpu(podCpu / 1000)} per pod at ${hpaCpuUtilization}%`,
  );
  return {
    ...(met ? { basisQps: met.targetQps } : {}),
    containers,
    replicas,
    hpaCpuUtilization,
    ...(cpuMsPerRequest === undefined ? {} : { cpuMsPerRequest }),
    peakQps,
    margins: input.margins,
    reasons,
  };
}
