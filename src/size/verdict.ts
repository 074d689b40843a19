// Does the size the workload runs with now hold the load? Only a size that is set can be judged:
// requests == limits on every container. It holds when every step met the SLO with no OOM kill
// (throttling is said, not failed: the SLO is the judge of whether it mattered).
import { formatCpu, formatMemory, THROTTLED } from "./recommend.ts";
import type { ContainerSize, SizeVerdict, StepResult } from "./result.ts";

const pct = (ratio: number) => `${Math.round(ratio * 100)}%`;

function guaranteed(size: { requests: ContainerSize; limits: ContainerSize }): boolean {
  const { requests, limits } = size;
  return (
    limits.cpu !== undefined &&
    limits.memory !== undefined &&
    (requests.cpu ?? limits.cpu) === limits.cpu &&
    (requests.memory ?? limits.memory) === limits.memory
  );
}

export function judgeSize(
  steps: readonly StepResult[],
  current: ReadonlyMap<string, { requests: ContainerSize; limits: ContainerSize }>,
): SizeVerdict {
  const unsizedContainers = [...current].filter(([, size]) => !guaranteed(size)).map(([name]) => name);
  if (unsizedContainers.length > 0)
    return {
      holds: false,
      unsized: true,
      reasons: [`no requests == limits on ${unsizedContainers.join(", ")}: no size to verify yet`],
    };
  const reasons: string[] = [];
  for (const step of steps) {
    if (!step.slo.met) reasons.push(`${step.targetQps} qps broke the SLO: ${step.slo.broken.join("; ")}`);
    for (const c of step.containers) {
      if (c.oomKills > 0) reasons.push(`${step.targetQps} qps: ${c.container} OOMKilled ${c.oomKills}×`);
    }
  }
  const holds = reasons.length === 0;
  for (const step of steps)
    for (const c of step.containers)
      if (c.throttledRatio !== undefined && c.throttledRatio >= THROTTLED)
        reasons.push(
          `${step.targetQps} qps: ${c.container} throttled in ${pct(c.throttledRatio)} of CFS periods${step.slo.met ? " (the SLO held)" : ", where the SLO broke: the CPU limit is a likely cause"}`,
        );
  const top = [...steps].sort((a, b) => b.targetQps - a.targetQps)[0];
  if (holds && top) {
    reasons.unshift(`every step met the SLO up to ${top.targetQps} qps, with no OOM kill`);
    for (const c of top.containers) {
      const size = current.get(c.container)?.limits;
      if (!size?.cpu || !size.memory) continue;
      reasons.push(
        `${c.container} at ${top.targetQps} qps: CPU p95 ${formatCpu(c.cpuP95 / 1000)} of ${formatCpu(size.cpu)} (${pct(c.cpuP95 / 1000 / size.cpu)}), memory max ${formatMemory(c.memoryMax)} of ${formatMemory(size.memory)} (${pct(c.memoryMax / size.memory)})`,
      );
    }
  }
  return { holds, unsized: false, reasons };
}
