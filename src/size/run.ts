// runSize: the library face of `shipshape size`. It refuses what cannot be measured before any
// load (no metrics API, no pods, a URL that fails a short warm-up), then runs the load in steps
// while the sampler reads every container, and ends with the steps, the recommendation and the
// verdict on the size the workload runs with now.
import { ApiError, type Cluster } from "../cluster/client.ts";
import { InputError } from "../errors.ts";
import type { LoadResult } from "../load/result.ts";
import { type LoadRun, startLoad } from "../load/run.ts";
import type { SloThreshold } from "../load/slo.ts";
import type { CfsCounters } from "./kubelet-stats.ts";
import { recommend } from "./recommend.ts";
import type { SizeResult, StepResult } from "./result.ts";
import { METRICS_API, UsageSampler } from "./sampler.ts";
import { cpuRates, memoryPoints, percentile } from "./series.ts";
import { judgeStep, latencyBound } from "./slo.ts";
import { stepUsage } from "./step-usage.ts";
import { judgeSize } from "./verdict.ts";
import { listPods, readWorkload, type WorkloadRef } from "./workload.ts";

export interface SizeOptions {
  workload: WorkloadRef;
  url: string;
  /** Target qps of each step, in the order run. */
  qps: number[];
  connections: number;
  stepMs: number;
  warmupMs: number;
  slo: SloThreshold[];
  margins: { cpu: number; memory: number };
  peakQps?: number;
  /** How often the kubelets and the metrics API are read. */
  intervalMs: number;
  insecure?: boolean;
  headers?: Record<string, string>;
}

export interface SizeHooks {
  /** A step begins; `run` can be stopped (Ctrl-C). */
  onStepStart?(qps: number, run: LoadRun): void;
  onStepEnd?(step: StepResult): void;
  /** Set to stop after the step running now. */
  stopped?(): boolean;
}

function answered(result: LoadResult): number {
  return Object.entries(result.codes).reduce((n, [code, count]) => (Number(code) < 400 ? n + count : n), 0);
}

async function requireMetricsApi(cluster: Cluster): Promise<void> {
  const missing = () =>
    new InputError(
      "no metrics API (metrics.k8s.io) on this cluster: size reads CPU and memory from it; install metrics-server",
    );
  try {
    const found = await cluster.request("GET", METRICS_API, { allowMissing: true });
    if (!found) throw missing();
  } catch (error) {
    if (error instanceof ApiError) throw missing();
    throw error;
  }
}

async function warmUp(options: SizeOptions): Promise<void> {
  const result = await startLoad({
    url: options.url,
    qps: options.qps[0]!,
    connections: options.connections,
    durationMs: options.warmupMs,
    insecure: options.insecure,
    headers: options.headers,
  }).result();
  const ok = answered(result);
  if (result.calls === 0 || ok / result.calls < 0.9) {
    const causes = [
      ...result.errorCauses.map((c) => `${c.count}× ${c.code}`),
      ...Object.entries(result.codes)
        .filter(([code]) => Number(code) >= 400)
        .map(([code, n]) => `${n}× HTTP ${code}`),
    ];
    throw new InputError(
      `the warm-up failed: ${ok} of ${result.calls} requests answered below HTTP 400${causes.length ? ` (${causes.slice(0, 3).join(", ")})` : ""}`,
      { field: options.url },
    );
  }
}

/** The median time between two distinct kubelet readings of a container: the data's real resolution. */
function medianInterval(points: readonly { atMs: number; fromMs?: number }[]): number | undefined {
  const gaps = points.flatMap((p) => (p.fromMs === undefined ? [] : [(p.atMs - p.fromMs) / 1000]));
  return gaps.length ? percentile(gaps, 50) : undefined;
}

export async function runSize(
  cluster: Cluster,
  options: SizeOptions,
  hooks: SizeHooks = {},
): Promise<SizeResult> {
  await requireMetricsApi(cluster);
  const workload = await readWorkload(cluster, options.workload);
  const { kind, namespace, name } = options.workload;
  const pods = await listPods(cluster, workload);
  if (pods.length === 0) throw new InputError(`${kind} ${namespace}/${name} has no pods: nothing to measure`);
  if (!pods.some((p) => p.ready))
    throw new InputError(`${kind} ${namespace}/${name} has no ready pod: nothing would answer the load`);
  await warmUp(options);

  const sampler = new UsageSampler(cluster, workload, options.intervalMs);
  const startedAt = new Date().toISOString();
  sampler.start();
  const runs: {
    result: LoadResult;
    fromMs: number;
    toMs: number;
    cfs?: { start: Map<string, CfsCounters>; end: Map<string, CfsCounters> };
  }[] = [];
  try {
    for (const qps of options.qps) {
      if (hooks.stopped?.()) break;
      const cfsStart = await sampler.cfs();
      const run = startLoad({
        url: options.url,
        qps,
        connections: options.connections,
        durationMs: options.stepMs,
        insecure: options.insecure,
        headers: options.headers,
      });
      hooks.onStepStart?.(qps, run);
      const result = await run.result();
      const fromMs = run.startedAt;
      const toMs = fromMs + result.durationSeconds * 1000;
      const cfsEnd = await sampler.cfs();
      runs.push({
        result,
        fromMs,
        toMs,
        ...(cfsStart && cfsEnd ? { cfs: { start: cfsStart, end: cfsEnd } } : {}),
      });
      hooks.onStepEnd?.(toStep(runs.at(-1)!));
    }
  } finally {
    await sampler.stop();
  }

  function readings() {
    const kubelet = sampler.kubeletReadable;
    return {
      kubelet,
      cpu: kubelet ? cpuRates(sampler.kubelet) : sampler.metricsCpu,
      memory: kubelet ? memoryPoints(sampler.kubelet) : sampler.metricsMemory,
    };
  }
  function toStep(r: (typeof runs)[number]): StepResult {
    const calls = r.result.calls;
    const failed = calls - answered(r.result);
    const measured = {
      targetQps: r.result.targetQps,
      achievedQps: r.result.qps,
      errorRatio: calls === 0 ? 1 : failed / calls,
      latencyMs: r.result.latencyMs,
    };
    const { cpu, memory } = readings();
    return {
      ...measured,
      startedAt: r.result.startedAt,
      durationSeconds: r.result.durationSeconds,
      calls,
      codes: r.result.codes,
      slo: judgeStep(options.slo, { ...measured, calls, failed }),
      containers: stepUsage(
        { cpu, memory, oomKills: sampler.oomKills, ...(r.cfs ? { cfs: r.cfs } : {}) },
        { fromMs: r.fromMs, toMs: r.toMs },
        workload.containers,
      ),
    };
  }
  const steps = runs.map(toStep);
  if (steps.length === 0) throw new InputError("stopped before the first step finished: nothing measured");
  const { kubelet, cpu, memory } = readings();
  const windows = sampler.windows;
  const latency = latencyBound(options.slo);
  const bound = latency ? { slo: latency } : {};
  return {
    workload: { kind, namespace, name },
    url: options.url,
    connections: options.connections,
    slo: options.slo,
    sources: {
      kubelet,
      ...(windows.length
        ? { metricsApiWindowSeconds: windows.reduce((a, b) => a + b, 0) / windows.length }
        : {}),
      ...(kubelet ? { kubeletIntervalSeconds: medianInterval(cpu) } : {}),
      intervalMs: options.intervalMs,
    },
    startedAt,
    steps,
    cpu: cpu.map(({ atMs, pod, container, millicores }) => ({ atMs, pod, container, millicores })),
    memory,
    oomKills: sampler.oomKills,
    recommendation: recommend({
      steps,
      current: workload.current,
      margins: options.margins,
      ...bound,
      ...(options.peakQps === undefined ? {} : { peakQps: options.peakQps }),
    }),
    verdict: judgeSize(steps, workload.current),
  };
}
