// From readings to series: cumulative CPU counters become millicores over each interval between
// two distinct kubelet timestamps (a reading repeated by a slow housekeeping is no new point), and
// the points of a step are those whose whole interval lies inside it.
import type { KubeletSample } from "./kubelet-stats.ts";
import type { CpuPoint, MemoryPoint } from "./result.ts";

export interface Interval {
  fromMs: number;
  toMs: number;
}

/** A rate point with the interval it covers. */
export interface CpuRate extends CpuPoint {
  fromMs: number;
}

/** Per pod/container, consecutive distinct readings → CPU rate points; a counter that went back (a restart) starts afresh. */
export function cpuRates(samples: readonly KubeletSample[]): CpuRate[] {
  const last = new Map<string, KubeletSample>();
  const out: CpuRate[] = [];
  for (const s of [...samples].sort((a, b) => a.atMs - b.atMs)) {
    if (s.cpuCoreNanoseconds === undefined) continue;
    const key = `${s.pod}/${s.container}`;
    const before = last.get(key);
    if (before && s.atMs === before.atMs) continue;
    last.set(key, s);
    if (
      !before ||
      before.cpuCoreNanoseconds === undefined ||
      s.cpuCoreNanoseconds < before.cpuCoreNanoseconds
    )
      continue;
    const seconds = (s.atMs - before.atMs) / 1000;
    out.push({
      fromMs: before.atMs,
      atMs: s.atMs,
      pod: s.pod,
      container: s.container,
      millicores: (s.cpuCoreNanoseconds - before.cpuCoreNanoseconds) / 1e6 / seconds,
    });
  }
  return out;
}

/** Distinct working-set readings. */
export function memoryPoints(samples: readonly KubeletSample[]): MemoryPoint[] {
  const seen = new Set<string>();
  const out: MemoryPoint[] = [];
  for (const s of [...samples].sort((a, b) => (a.memoryAtMs ?? 0) - (b.memoryAtMs ?? 0))) {
    if (s.workingSetBytes === undefined || s.memoryAtMs === undefined) continue;
    const key = `${s.pod}/${s.container}@${s.memoryAtMs}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ atMs: s.memoryAtMs, pod: s.pod, container: s.container, bytes: s.workingSetBytes });
  }
  return out;
}

export function within<T extends { atMs: number; fromMs?: number }>(
  points: readonly T[],
  step: Interval,
): T[] {
  return points.filter((p) => (p.fromMs ?? p.atMs) >= step.fromMs && p.atMs <= step.toMs);
}

/** The nearest-rank percentile (0..100) of `values`; 0 for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}
