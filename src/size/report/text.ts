// The text report: per step the load's numbers beside each container's CPU and memory, then the
// recommendation with how each number was chosen, then whether the size running now held.
import { ms, rate } from "../../load/report/format.ts";
import { formatCpu, formatMemory } from "../recommend.ts";
import type { SizeResult } from "../result.ts";
import { describeSlo } from "../slo.ts";

const pct = (ratio: number) => `${(ratio * 100).toFixed(ratio < 0.1 ? 2 : 1)}%`;

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => `  ${r.map((cell, i) => cell.padEnd(widths[i]!)).join("  ")}`.trimEnd());
}

export function sizeTextReport(r: SizeResult): string {
  const { kind, namespace, name } = r.workload;
  const source = r.sources.kubelet
    ? `kubelet summary via the node proxy (a reading every ~${r.sources.kubeletIntervalSeconds?.toFixed(0) ?? "?"} s)`
    : `metrics.k8s.io (window ~${r.sources.metricsApiWindowSeconds?.toFixed(0) ?? "?"} s)`;
  const lines = [
    `size ${kind} ${namespace}/${name} under load to ${r.url}, ${r.connections} connections`,
    `SLO: ${describeSlo(r.slo)}; usage from ${source}`,
    "",
    "Steps:",
  ];
  const rows = [
    [
      "qps",
      "reached",
      "p50",
      "p99",
      "errors",
      "SLO",
      "container",
      "pods",
      "cpu p95",
      "cpu max",
      "mem max",
      "throttled",
      "OOM",
    ],
  ];
  for (const s of r.steps) {
    for (const [i, c] of s.containers.entries()) {
      const head =
        i === 0
          ? [
              String(s.targetQps),
              rate(s.achievedQps),
              ms(s.latencyMs.p50),
              ms(s.latencyMs.p99),
              pct(s.errorRatio),
              s.slo.met ? "met" : "BROKEN",
            ]
          : ["", "", "", "", "", ""];
      rows.push([
        ...head,
        c.container,
        String(c.pods),
        formatCpu(c.cpuP95 / 1000),
        formatCpu(c.cpuMax / 1000),
        formatMemory(c.memoryMax),
        c.throttledRatio === undefined ? "?" : pct(c.throttledRatio),
        c.oomKills ? `${c.oomKills}× OOMKilled` : "-",
      ]);
    }
  }
  lines.push(...table(rows));
  for (const s of r.steps)
    if (!s.slo.met) lines.push(`  ${s.targetQps} qps broke the SLO: ${s.slo.broken.join("; ")}`);
  const rec = r.recommendation;
  lines.push(
    "",
    `Recommendation (requests == limits: Guaranteed QoS; margins cpu +${Math.round(rec.margins.cpu * 100)}%, memory +${Math.round(rec.margins.memory * 100)}%):`,
  );
  for (const c of rec.containers) {
    const now = c.current.limits;
    const was =
      now.cpu !== undefined || now.memory !== undefined
        ? ` (now limits cpu ${now.cpu === undefined ? "none" : formatCpu(now.cpu)}, memory ${now.memory === undefined ? "none" : formatMemory(now.memory)})`
        : " (now unset)";
    lines.push(`  ${c.container}: cpu ${formatCpu(c.cpu)}, memory ${formatMemory(c.memory)}${was}`);
    for (const reason of c.reasons) lines.push(`    - ${reason}`);
  }
  lines.push(`  replicas ${rec.replicas} for ${rec.peakQps} qps; HPA CPU target ${rec.hpaCpuUtilization}%`);
  for (const reason of rec.reasons) lines.push(`    - ${reason}`);
  lines.push(
    "",
    r.verdict.unsized
      ? "Current size: none set"
      : `Current size: ${r.verdict.holds ? "HOLDS" : "DOES NOT HOLD"}`,
  );
  for (const reason of r.verdict.reasons) lines.push(`  - ${reason}`);
  return `${lines.join("\n")}\n`;
}
