// The HTML report: one self-contained file (inline CSS and SVG, no script, no network) with the
// summary numbers, the latency curve and histogram, and throughput, errors and latency per second.
// The full result is embedded as JSON (id="load-result") so the page can be checked against it.
import { ERROR_KINDS, totalErrors } from "../failure.ts";
import type { LoadResult } from "../result.ts";
import { count, ms, percent, rate } from "./format.ts";
import { chart, escapeXml, type Series } from "./svg.ts";

const COLORS = { main: "#2563eb", second: "#9333ea", target: "#64748b", error: "#dc2626", status: "#f59e0b" };

/** Percentile → x position on a "nines" axis: 0 → 0, 90 → 1, 99 → 2, 99.9 → 3 …; max at 5. */
function nines(percentile: number): number {
  return percentile >= 100 ? 5 : Math.min(4.7, -Math.log10(1 - percentile / 100));
}

function percentileChart(r: LoadResult): string {
  const series: Series[] = [
    {
      // only the open model has intended send times to correct from
      name: r.model === "open" ? "latency (corrected)" : "latency",
      color: COLORS.main,
      kind: "line",
      points: r.percentiles.map((p) => [nines(p.percentile), p.ms]),
    },
  ];
  if (r.model === "open" && r.calls > 0) {
    // what a tool that times from the actual send would have shown: the gap is coordinated omission
    const s = r.serviceTimeMs;
    const points: [number, number][] = [
      [0, s.min],
      [50, s.p50],
      [75, s.p75],
      [90, s.p90],
      [95, s.p95],
      [99, s.p99],
      [99.9, s.p999],
      [100, s.max],
    ];
    series.push({
      name: "uncorrected",
      color: COLORS.target,
      kind: "line",
      dashed: true,
      points: points.map(([p, ms]) => [nines(p), ms]),
    });
  }
  return chart({
    id: "chart-percentiles",
    title: "Latency by percentile",
    xLabel: "percentile",
    yLabel: "latency (ms)",
    xDomain: [0, 5],
    xTicks: ["p0", "p90", "p99", "p99.9", "p99.99", "max"].map((label, value) => ({ value, label })),
    series,
  });
}

function histogramChart(r: LoadResult): string {
  const every = Math.max(1, Math.ceil(r.histogram.length / 8));
  return chart({
    id: "chart-histogram",
    title: "Latency histogram",
    xLabel: "latency (ms, log-spaced bins)",
    yLabel: "requests",
    xDomain: [-0.5, Math.max(0.5, r.histogram.length - 0.5)],
    xTicks: r.histogram
      .map((bin, i) => ({ value: i - 0.5, label: ms(bin.fromMs) }))
      .filter((_, i) => i % every === 0),
    series: [
      { name: "requests", color: COLORS.main, kind: "bars", points: r.histogram.map((b, i) => [i, b.count]) },
    ],
  });
}

function timeDomain(r: LoadResult): [number, number] {
  return [-0.5, Math.max(0.5, r.timeline.length - 0.5)];
}

function throughputChart(r: LoadResult): string {
  const series: Series[] = [
    { name: "qps", color: COLORS.main, kind: "line", points: r.timeline.map((s) => [s.second, s.qps]) },
  ];
  if (r.model === "open" && r.timeline.length > 0) {
    series.push({
      name: "target",
      color: COLORS.target,
      kind: "line",
      points: [
        [0, r.targetQps],
        [r.timeline.length - 1, r.targetQps],
      ],
      dashed: true,
    });
  }
  return chart({
    id: "chart-qps",
    title: "Throughput per second (requests by intended send second)",
    xLabel: "seconds since start",
    yLabel: "requests / s",
    xDomain: timeDomain(r),
    series,
  });
}

function errorsChart(r: LoadResult): string {
  const badStatus = (codes: Record<string, number>) =>
    Object.entries(codes).reduce((n, [code, c]) => (Number(code) >= 400 ? n + c : n), 0);
  return chart({
    id: "chart-errors",
    title: "Failures per second",
    xLabel: "seconds since start",
    yLabel: "requests",
    xDomain: timeDomain(r),
    height: 220,
    series: [
      {
        name: "errors",
        color: COLORS.error,
        kind: "bars",
        points: r.timeline.map((s) => [s.second, totalErrors(s.errors)]),
      },
      {
        name: "HTTP >= 400",
        color: COLORS.status,
        kind: "line",
        points: r.timeline.map((s) => [s.second, badStatus(s.codes)]),
      },
    ],
  });
}

function latencyTimeChart(r: LoadResult): string {
  return chart({
    id: "chart-latency-time",
    title: "Latency per second",
    xLabel: "seconds since start",
    yLabel: "latency (ms)",
    xDomain: timeDomain(r),
    series: [
      { name: "p50", color: COLORS.main, kind: "line", points: r.timeline.map((s) => [s.second, s.p50Ms]) },
      { name: "p99", color: COLORS.second, kind: "line", points: r.timeline.map((s) => [s.second, s.p99Ms]) },
    ],
  });
}

function cell(field: string, text: string): string {
  return `<td data-field="${escapeXml(field)}">${escapeXml(text)}</td>`;
}

function summaryTable(r: LoadResult): string {
  const l = r.latencyMs;
  const rows: [string, string, string][] = [
    ["Calls", "calls", count(r.calls)],
    ["Achieved qps", "qps", rate(r.qps)],
    ["Target qps", "targetQps", r.model === "open" ? rate(r.targetQps) : "max (closed model)"],
    ["Duration (s)", "durationSeconds", r.durationSeconds.toFixed(3)],
    ["Connections", "connections", String(r.connections)],
    ["Sockets used", "sockets", count(r.sockets)],
    ["Not sent (behind or stopped)", "unsent", count(r.unsent)],
    ["Sent again (kept-alive closed)", "retried", count(r.retried)],
    ["Bytes sent", "bytes.sent", count(r.bytes.sent)],
    ["Bytes received", "bytes.received", count(r.bytes.received)],
  ];
  const latency: [string, string, number][] = [
    ["min", "min", l.min],
    ["p50", "p50", l.p50],
    ["p75", "p75", l.p75],
    ["p90", "p90", l.p90],
    ["p99", "p99", l.p99],
    ["p99.9", "p999", l.p999],
    ["max", "max", l.max],
  ];
  const codes = Object.entries(r.codes).map(
    ([code, n]) =>
      `<tr><th>${escapeXml(code)}</th>${cell(`codes.${code}`, count(n))}<td>${percent(n, r.calls)}</td></tr>`,
  );
  const errors = ERROR_KINDS.map((k) => {
    const causes = r.errorCauses.filter((c) => c.kind === k).map((c) => `${c.code} ${count(c.count)}`);
    return `<tr><th>${k}</th>${cell(`errors.${k}`, count(r.errors[k]))}<td>${escapeXml(causes.join(", "))}</td></tr>`;
  });
  // the closed model sends when the previous answer is in: its latency is the service time, uncorrected
  const open = r.model === "open";
  const latencyRows = latency.map(
    ([h, f, v]) =>
      `<tr><th>${h}</th>${cell(`latencyMs.${f}`, ms(v))}${open ? `<td>${ms(r.serviceTimeMs[f as keyof typeof r.serviceTimeMs])}</td>` : ""}</tr>`,
  );
  return `<section class="tables">
<table><caption>Run</caption>${rows.map(([h, f, v]) => `<tr><th>${h}</th>${cell(f, v)}</tr>`).join("")}</table>
<table><caption>Latency (ms)</caption><tr><th></th><th>${open ? "corrected" : "latency"}</th>${open ? "<th>service</th>" : ""}</tr>${latencyRows.join("")}</table>
<table><caption>Status codes</caption><tr><th>code</th><th>calls</th><th>share</th></tr>${codes.join("") || '<tr><td colspan="3">none</td></tr>'}</table>
<table><caption>Errors</caption><tr><th>kind</th><th>calls</th><th>causes</th></tr>${errors.join("")}</table>
</section>`;
}

const SHOWN_FAILURES = 100;

function failuresTable(r: LoadResult): string {
  if (r.failures.length === 0) return "";
  const rows = r.failures
    .slice(0, SHOWN_FAILURES)
    .map(
      (f) =>
        `<tr><td>${(f.atMs / 1000).toFixed(3)}</td><td>${escapeXml(f.kind)}</td><td>${f.status ?? ""}</td><td>${ms(f.latencyMs)}</td><td>${escapeXml(f.detail ?? "")}</td></tr>`,
    );
  const more = r.failures.length + r.failuresDropped - rows.length;
  return `<section><details><summary>Failed requests: ${count(r.failures.length + r.failuresDropped)}${more > 0 ? ` (first ${rows.length} listed)` : ""}</summary>
<table class="failures"><tr><th>due at (s)</th><th>kind</th><th>status</th><th>latency (ms)</th><th>detail</th></tr>${rows.join("")}</table></details></section>`;
}

/** What every shipshape HTML report shares: the page, headings, tables and the SVG charts. */
export const REPORT_STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#0f172a;max-width:1500px}
h1{font-size:20px;margin:0 0 4px}table{border-collapse:collapse}
.charts{display:flex;flex-wrap:wrap;gap:16px}.chart{background:#fff;border:1px solid #e2e8f0}
.chart .title{font-weight:600;font-size:13px}.chart .tick,.chart .legend,.chart .label{font-size:11px;fill:#334155}
.chart .grid{stroke:#e2e8f0}.chart .axis{stroke:#64748b}`;

const STYLE = `${REPORT_STYLE}
.meta{color:#475569;margin-bottom:16px}
.tables{display:flex;flex-wrap:wrap;gap:24px;margin-bottom:16px;align-items:flex-start}
caption{text-align:left;font-weight:600;padding-bottom:4px}
th,td{padding:2px 10px;text-align:right;border-bottom:1px solid #e2e8f0}th{text-align:left;font-weight:500}
.failures td{font-family:ui-monospace,monospace}`;

export function loadHtmlReport(r: LoadResult): string {
  const model =
    r.model === "open"
      ? `open model at ${rate(r.targetQps)} qps; latency from each request's intended send time`
      : "closed model at max speed";
  const data = JSON.stringify(r).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>shipshape load — ${escapeXml(r.url)}</title><style>${STYLE}</style></head>
<body>
<h1>Load: ${escapeXml(r.method)} ${escapeXml(r.url)}</h1>
<div class="meta">Started ${escapeXml(r.startedAt)} · ${r.connections} connections · ${model}${r.stopped ? " · stopped early" : ""}</div>
${summaryTable(r)}
<section class="charts">
${percentileChart(r)}
${histogramChart(r)}
${throughputChart(r)}
${errorsChart(r)}
${latencyTimeChart(r)}
</section>
${failuresTable(r)}
<script type="application/json" id="load-result">${data}</script>
</body></html>
`;
}
