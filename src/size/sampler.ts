// Reads the workload's containers while the load runs, every `intervalMs`: the kubelet summary of
// each node its pods are on (through the API server's node proxy), metrics.k8s.io as the fallback
// and for its window, and the pods' statuses for OOM kills. A reading that fails is skipped, not
// fatal: a step is judged on the readings it has.
import type { Cluster } from "../cluster/client.ts";
import { parseQuantity } from "../k8s/quantity.ts";
import { type CfsCounters, cfsCounters, type KubeletSample, summarySamples } from "./kubelet-stats.ts";
import type { MemoryPoint, OomKill } from "./result.ts";
import type { CpuRate } from "./series.ts";
import { type LivePod, listPods, type Workload } from "./workload.ts";

interface PodMetrics {
  metadata?: { name?: string };
  timestamp?: string;
  window?: string;
  containers?: { name: string; usage?: { cpu?: string; memory?: string } }[];
}

export const METRICS_API = "/apis/metrics.k8s.io/v1beta1";

export class UsageSampler {
  readonly kubelet: KubeletSample[] = [];
  readonly metricsCpu: CpuRate[] = [];
  readonly metricsMemory: MemoryPoint[] = [];
  readonly oomKills: OomKill[] = [];
  /** The metrics API's windows seen (seconds). */
  readonly windows: number[] = [];
  #pods: LivePod[] = [];
  #timer: NodeJS.Timeout | undefined;
  #tick: Promise<void> = Promise.resolve();
  #kubeletFailed = false;

  readonly cluster: Cluster;
  readonly workload: Workload;
  readonly intervalMs: number;

  constructor(cluster: Cluster, workload: Workload, intervalMs: number) {
    this.cluster = cluster;
    this.workload = workload;
    this.intervalMs = intervalMs;
  }

  get pods(): readonly LivePod[] {
    return this.#pods;
  }

  /** Whether any kubelet summary answered: else the series come from metrics.k8s.io. */
  get kubeletReadable(): boolean {
    return this.kubelet.length > 0 && !this.#kubeletFailed;
  }

  start(): void {
    const loop = () => {
      this.#tick = this.sample().finally(() => {
        if (this.#timer !== undefined) this.#timer = setTimeout(loop, this.intervalMs);
      });
    };
    this.#timer = setTimeout(loop, 0);
  }

  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#tick;
  }

  async sample(): Promise<void> {
    const pods = await listPods(this.cluster, this.workload).catch(() => this.#pods);
    this.#pods = pods;
    for (const pod of pods)
      for (const [container, atMs] of pod.lastOom)
        if (!this.oomKills.some((k) => k.pod === pod.name && k.container === container && k.atMs === atMs))
          this.oomKills.push({ atMs, pod: pod.name, container });
    const names = new Set(pods.map((p) => p.name));
    const nodes = [...new Set(pods.flatMap((p) => (p.node ? [p.node] : [])))];
    const { namespace } = this.workload.ref;
    await Promise.all([
      ...nodes.map(async (node) => {
        try {
          const summary = await this.cluster.request("GET", `/api/v1/nodes/${node}/proxy/stats/summary`);
          this.kubelet.push(...summarySamples(summary, namespace, names));
        } catch {
          this.#kubeletFailed = this.kubelet.length === 0;
        }
      }),
      this.#sampleMetricsApi(names),
    ]);
  }

  async #sampleMetricsApi(names: ReadonlySet<string>): Promise<void> {
    const { namespace } = this.workload.ref;
    const list = await this.cluster
      .request<{ items: PodMetrics[] }>("GET", `${METRICS_API}/namespaces/${namespace}/pods`)
      .catch(() => ({ items: [] as PodMetrics[] }));
    for (const item of list.items) {
      const pod = item.metadata?.name;
      const atMs = item.timestamp ? Date.parse(item.timestamp) : Number.NaN;
      const window = item.window ? parseWindow(item.window) : undefined;
      if (!pod || !names.has(pod) || Number.isNaN(atMs) || window === undefined) continue;
      if (this.metricsCpu.some((p) => p.pod === pod && p.atMs === atMs)) continue;
      this.windows.push(window);
      for (const c of item.containers ?? []) {
        const base = { atMs, pod, container: c.name };
        if (c.usage?.cpu)
          this.metricsCpu.push({
            ...base,
            fromMs: atMs - window * 1000,
            millicores: parseQuantity(c.usage.cpu) * 1000,
          });
        if (c.usage?.memory) this.metricsMemory.push({ ...base, bytes: parseQuantity(c.usage.memory) });
      }
    }
  }

  /** cAdvisor's CFS counters of the workload's pods on every node, now; undefined when not readable. */
  async cfs(): Promise<Map<string, CfsCounters> | undefined> {
    const nodes = [...new Set(this.#pods.flatMap((p) => (p.node ? [p.node] : [])))];
    try {
      const texts = await Promise.all(
        nodes.map((node) =>
          this.cluster.request<string>("GET", `/api/v1/nodes/${node}/proxy/metrics/cadvisor`, { text: true }),
        ),
      );
      return new Map(texts.flatMap((t) => [...cfsCounters(t, this.workload.ref.namespace)]));
    } catch {
      return undefined;
    }
  }
}

/** "9.111s", "1m0.5s" → seconds. */
function parseWindow(text: string): number | undefined {
  let seconds = 0;
  for (const [, value, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g))
    seconds += Number(value) * { ms: 0.001, s: 1, m: 60, h: 3600 }[unit as "ms" | "s" | "m" | "h"];
  return seconds > 0 ? seconds : undefined;
}
