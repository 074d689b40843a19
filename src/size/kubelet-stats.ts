// What the kubelet itself says about a node's containers, read through the API server's node
// proxy: the summary API's cumulative CPU counter and working set (fresher than metrics-server,
// which scrapes every 10 s at best), and cAdvisor's CFS counters, the only place throttling shows.

/** One reading of one container: cumulative CPU (core-nanoseconds) and memory at the kubelet's time. */
export interface KubeletSample {
  atMs: number;
  pod: string;
  container: string;
  cpuCoreNanoseconds?: number;
  memoryAtMs?: number;
  workingSetBytes?: number;
}

interface SummaryContainer {
  name: string;
  cpu?: { time?: string; usageCoreNanoSeconds?: number };
  memory?: { time?: string; workingSetBytes?: number };
}

interface Summary {
  pods?: { podRef?: { name?: string; namespace?: string }; containers?: SummaryContainer[] }[];
}

/** The containers of the named pods of `namespace` in a `/stats/summary` answer. */
export function summarySamples(
  summary: unknown,
  namespace: string,
  pods: ReadonlySet<string>,
): KubeletSample[] {
  const out: KubeletSample[] = [];
  for (const pod of (summary as Summary)?.pods ?? []) {
    const name = pod.podRef?.name;
    if (pod.podRef?.namespace !== namespace || !name || !pods.has(name)) continue;
    for (const c of pod.containers ?? []) {
      const cpuAt = c.cpu?.time ? Date.parse(c.cpu.time) : Number.NaN;
      const memoryAt = c.memory?.time ? Date.parse(c.memory.time) : Number.NaN;
      if (Number.isNaN(cpuAt) && Number.isNaN(memoryAt)) continue;
      out.push({
        atMs: Number.isNaN(cpuAt) ? memoryAt : cpuAt,
        pod: name,
        container: c.name,
        ...(c.cpu?.usageCoreNanoSeconds === undefined
          ? {}
          : { cpuCoreNanoseconds: c.cpu.usageCoreNanoSeconds }),
        ...(c.memory?.workingSetBytes === undefined
          ? {}
          : {
              memoryAtMs: Number.isNaN(memoryAt) ? cpuAt : memoryAt,
              workingSetBytes: c.memory.workingSetBytes,
            }),
      });
    }
  }
  return out;
}

/** CFS period counters of one container, cumulative. */
export interface CfsCounters {
  periods: number;
  throttledPeriods: number;
}

const CFS_LINE = /^container_cpu_cfs_(throttled_)?periods_total\{([^}]*)\}\s+(\S+)/;
const LABEL = /(\w+)="((?:[^"\\]|\\.)*)"/g;

/** "pod/container" → its CFS counters, for `namespace`, from cAdvisor's Prometheus text. */
export function cfsCounters(text: string, namespace: string): Map<string, CfsCounters> {
  const out = new Map<string, CfsCounters>();
  for (const line of text.split("\n")) {
    const match = CFS_LINE.exec(line);
    if (!match) continue;
    const labels = Object.fromEntries([...match[2]!.matchAll(LABEL)].map((m) => [m[1], m[2]]));
    if (labels.namespace !== namespace || !labels.pod || !labels.container) continue;
    const key = `${labels.pod}/${labels.container}`;
    const counters = out.get(key) ?? { periods: 0, throttledPeriods: 0 };
    if (match[1]) counters.throttledPeriods = Number(match[3]);
    else counters.periods = Number(match[3]);
    out.set(key, counters);
  }
  return out;
}
