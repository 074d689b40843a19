// One step's usage per container name (every pod of a workload runs the same template): the
// distribution of CPU over all pods' points, the workload's total, the memory peak, throttling
// and OOM kills inside the step.
import type { CfsCounters } from "./kubelet-stats.ts";
import type { ContainerStep, CpuPoint, MemoryPoint, OomKill } from "./result.ts";
import { type CpuRate, type Interval, mean, percentile, within } from "./series.ts";

export interface StepReadings {
  cpu: readonly (CpuRate | CpuPoint)[];
  memory: readonly MemoryPoint[];
  oomKills: readonly OomKill[];
  /** "pod/container" → CFS counters at the step's start and end; absent when cAdvisor was not readable. */
  cfs?: { start: Map<string, CfsCounters>; end: Map<string, CfsCounters> };
}

function throttled(cfs: NonNullable<StepReadings["cfs"]>, container: string): number | undefined {
  let periods = 0;
  let throttledPeriods = 0;
  for (const [key, end] of cfs.end) {
    if (key.slice(key.indexOf("/") + 1) !== container) continue;
    const start = cfs.start.get(key) ?? { periods: 0, throttledPeriods: 0 };
    periods += end.periods - start.periods;
    throttledPeriods += end.throttledPeriods - start.throttledPeriods;
  }
  return periods > 0 ? throttledPeriods / periods : undefined;
}

export function stepUsage(
  readings: StepReadings,
  step: Interval,
  containers: readonly string[],
): ContainerStep[] {
  const cpu = within(readings.cpu, step);
  const memory = within(readings.memory, step);
  return containers.map((container) => {
    const points = cpu.filter((p) => p.container === container);
    const pods = [...new Set(points.map((p) => p.pod))];
    const ratio = readings.cfs ? throttled(readings.cfs, container) : undefined;
    return {
      container,
      pods: pods.length,
      cpuP95: percentile(
        points.map((p) => p.millicores),
        95,
      ),
      cpuMax: Math.max(0, ...points.map((p) => p.millicores)),
      cpuTotalMean: pods.reduce(
        (sum, pod) => sum + mean(points.filter((p) => p.pod === pod).map((p) => p.millicores)),
        0,
      ),
      memoryMax: Math.max(0, ...memory.filter((m) => m.container === container).map((m) => m.bytes)),
      ...(ratio === undefined ? {} : { throttledRatio: ratio }),
      oomKills: readings.oomKills.filter(
        (k) => k.container === container && k.atMs >= step.fromMs && k.atMs <= step.toMs,
      ).length,
    };
  });
}
