// The HTML report: one self-contained file (inline CSS and SVG, no script, no network) with CPU
// and memory per pod over time and the chosen size drawn across them, latency per step against
// the SLO, and the recommendation with its reasons. The full result is embedded as JSON
// (id="size-result") so the page can be checked against it.
import { ms, rate } from "../../load/report/format.ts";
import { REPORT_STYLE } from "../../load/report/html.ts";
import { chart, escapeXml, type Series } from "../../load/report/svg.ts";
import { formatCpu, formatMemory } from "../recommend.ts";
import type { SizeResult } from "../result.ts";
import { describeSlo, latencyBound } from "../slo.ts";

const PALETTE = ["#2563eb", "#9333ea", "#059669", "#ea580c", "#0891b2", "#db2777", "#65a30d", "#7c3aed"];
const CHOSEN = "#dc2626";

const STYLE = `${REPORT_STYLE}
.meta{color:#475569;margin-bottom:16px}
th,td{padding:2px 10px;text-align:right;border-bottom:1px solid #e2e8f0}th{text-align:left;font-weight:500}
.broken{color:#dc2626;font-weight:600}.met{color:#059669}
li{margin:2px 0}`;

/** One line per pod/container over seconds since the start, and the chosen size as a dashed line. */
function usageChart(
  r: SizeResult,
  id: string,
  title: string,
  yLabel: string,
  points: { atMs: number; pod: string; container: string; value: number }[],
  chosen: { container: string; value: number }[],
): string {
  const t0 = Date.parse(r.startedAt);
  const keys = [...new Set(points.map((p) => `${p.pod}/${p.container}`))].sort();
  const end = Math.max(1, ...points.map((p) => (p.atMs - t0) / 1000));
  const series: Series[] = keys.map((key, i) => ({
    name: key,
    color: PALETTE[i % PALETTE.length]!,
    kind: "line",
    points: points
      .filter((p) => `${p.pod}/${p.container}` === key)
      .sort((a, b) => a.atMs - b.atMs)
      .map((p) => [(p.atMs - t0) / 1000, p.value]),
  }));
  for (const c of chosen)
    series.push({
      name: `chosen ${c.container}`,
      color: CHOSEN,
      kind: "line",
      dashed: true,
      points: [
        [0, c.value],
        [end, c.value],
      ],
    });
  return chart({ id, title, xLabel: "seconds since start", yLabel, series, xDomain: [0, end], width: 820 });
}

/** The percentile the SLO bounds (p99 when it bounds none), and the bound if any. */
function latencyShown(r: SizeResult) {
  const bound = latencyBound(r.slo);
  return { percentile: bound?.percentile ?? "p99", latencyMs: bound?.latencyMs };
}

function latencyChart(r: SizeResult): string {
  const at = (pick: (s: SizeResult["steps"][number]) => number): [number, number][] =>
    r.steps.map((s) => [s.targetQps, pick(s)]);
  const qps = r.steps.map((s) => s.targetQps);
  const { percentile, latencyMs } = latencyShown(r);
  const bound: Series[] =
    latencyMs === undefined
      ? []
      : [
          {
            name: "SLO",
            color: CHOSEN,
            kind: "line",
            dashed: true,
            points: [
              [0, latencyMs],
              [Math.max(...qps) * 1.05, latencyMs],
            ],
          },
        ];
  return chart({
    id: "chart-latency-steps",
    title: "Latency per step",
    xLabel: "target qps",
    yLabel: "latency (ms)",
    xTicks: qps.map((value) => ({ value, label: String(value) })),
    xDomain: [0, Math.max(...qps) * 1.05],
    series: [
      { name: "p50", color: PALETTE[0]!, kind: "line", points: at((s) => s.latencyMs.p50) },
      { name: percentile, color: PALETTE[1]!, kind: "line", points: at((s) => s.latencyMs[percentile]) },
      ...bound,
    ],
  });
}

function stepsTable(r: SizeResult): string {
  const { percentile } = latencyShown(r);
  const rows = r.steps.flatMap((s) =>
    s.containers.map(
      (c) =>
        `<tr class="step" data-qps="${s.targetQps}" data-container="${escapeXml(c.container)}"><td>${s.targetQps}</td><td>${rate(s.achievedQps)}</td><td>${ms(s.latencyMs.p50)}</td><td>${ms(s.latencyMs[percentile])}</td><td>${(s.errorRatio * 100).toFixed(2)}%</td><td class="${s.slo.met ? "met" : "broken"}">${s.slo.met ? "met" : escapeXml(s.slo.broken.join("; "))}</td><td>${escapeXml(c.container)}</td><td>${c.pods}</td><td class="cpu-p95">${formatCpu(c.cpuP95 / 1000)}</td><td>${formatMemory(c.memoryMax)}</td><td>${c.throttledRatio === undefined ? "?" : `${(c.throttledRatio * 100).toFixed(1)}%`}</td><td class="${c.oomKills ? "broken" : ""}">${c.oomKills ? `${c.oomKills}× OOMKilled` : "-"}</td></tr>`,
    ),
  );
  return `<table id="steps"><caption>Steps</caption><tr><th>qps</th><th>reached</th><th>p50 (ms)</th><th>${percentile} (ms)</th><th>errors</th><th>SLO</th><th>container</th><th>pods</th><th>cpu p95</th><th>mem max</th><th>throttled</th><th>OOM</th></tr>${rows.join("")}</table>`;
}

function recommendation(r: SizeResult): string {
  const rec = r.recommendation;
  const items = rec.containers.map(
    (c) =>
      `<li class="container" data-container="${escapeXml(c.container)}"><b>${escapeXml(c.container)}</b>: cpu <span class="cpu">${formatCpu(c.cpu)}</span>, memory <span class="memory">${formatMemory(c.memory)}</span> (requests == limits)<ul>${c.reasons.map((x) => `<li>${escapeXml(x)}</li>`).join("")}</ul></li>`,
  );
  const verdict = r.verdict.unsized ? "none set" : r.verdict.holds ? "holds" : "does not hold";
  return `<section><h2>Recommendation</h2><ul>${items.join("")}
<li>replicas <span id="replicas">${rec.replicas}</span> for ${rec.peakQps} qps; HPA CPU target <span id="hpa-target">${rec.hpaCpuUtilization}</span>%<ul>${rec.reasons.map((x) => `<li>${escapeXml(x)}</li>`).join("")}</ul></li></ul>
<h2>Current size: <span id="verdict" class="${r.verdict.holds ? "met" : "broken"}">${verdict}</span></h2><ul>${r.verdict.reasons.map((x) => `<li>${escapeXml(x)}</li>`).join("")}</ul></section>`;
}

export function sizeHtmlReport(r: SizeResult): string {
  const { kind, namespace, name } = r.workload;
  const rec = r.recommendation.containers;
  const data = JSON.stringify(r).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>shipshape size — ${escapeXml(`${kind} ${namespace}/${name}`)}</title><style>${STYLE}</style></head>
<body>
<h1>Size: ${escapeXml(`${kind} ${namespace}/${name}`)}</h1>
<div class="meta">Started ${escapeXml(r.startedAt)} · load to ${escapeXml(r.url)} · ${r.connections} connections · SLO ${escapeXml(describeSlo(r.slo))} · usage from ${r.sources.kubelet ? "the kubelets' summary" : "metrics.k8s.io"}</div>
${stepsTable(r)}
<section class="charts">
${usageChart(
  r,
  "chart-cpu",
  "CPU per pod (millicores)",
  "millicores",
  r.cpu.map((p) => ({ ...p, value: p.millicores })),
  rec.map((c) => ({ container: c.container, value: c.cpu * 1000 })),
)}
${usageChart(
  r,
  "chart-memory",
  "Memory working set per pod (MiB)",
  "MiB",
  r.memory.map((p) => ({ ...p, value: p.bytes / 2 ** 20 })),
  rec.map((c) => ({ container: c.container, value: c.memory / 2 ** 20 })),
)}
${latencyChart(r)}
</section>
${recommendation(r)}
<script type="application/json" id="size-result">${data}</script>
</body></html>
`;
}
