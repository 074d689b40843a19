// The verify HTML report: one self-contained file (inline CSS and SVG, no script, no network) with the
// verdict, requests and failures per second, replicas and ready endpoints over time, the pod events as
// markers on the same time axis, the causes, and the full event table. Charts are drawn by the load
// report's SVG chart; the timeline and verdict are embedded as JSON (id="verify-result").
import { REPORT_STYLE } from "../../load/report/html.ts";
import { chart, escapeXml, type Series } from "../../load/report/svg.ts";
import type { ClusterEvent, Timeline } from "../timeline.ts";
import { relative } from "../timeline.ts";
import type { Verdict } from "../verdict.ts";
import { headline } from "./headline.ts";
import { describeEvent } from "./text.ts";

const COLORS = {
  requests: "#2563eb",
  failed: "#dc2626",
  desired: "#64748b",
  ready: "#16a34a",
  endpoints: "#9333ea",
  cpu: "#f59e0b",
};

/** The chart's plot area, so the marker strip lines up with it (the load chart's margins and width). */
const WIDTH = 720;
const PLOT = { left: 64, right: 16 };

function seconds(timeline: Timeline, t: number): number {
  return (t - timeline.startedAt) / 1000;
}

function domain(timeline: Timeline): [number, number] {
  return [0, Math.max(1, seconds(timeline, timeline.endedAt))];
}

/** A value that holds until the next change, drawn as steps. */
function steps(points: Array<[number, number]>, end: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const [i, [x, y]] of points.entries()) {
    if (i > 0) out.push([x, points[i - 1]![1]]);
    out.push([x, y]);
  }
  const last = points.at(-1);
  if (last) out.push([end, last[1]]);
  return out;
}

function loadChart(timeline: Timeline): string {
  const series: Series[] = [
    {
      name: "requests/s",
      color: COLORS.requests,
      kind: "line",
      points: timeline.load.seconds.map((s) => [seconds(timeline, s.t) + 0.5, s.calls]),
    },
    {
      name: "failed/s",
      color: COLORS.failed,
      kind: "bars",
      points: timeline.load.seconds
        .filter((s) => s.errors > 0)
        .map((s) => [seconds(timeline, s.t) + 0.5, s.errors]),
    },
  ];
  return chart({
    id: "chart-requests",
    title: "Requests and failures per second",
    xLabel: "seconds since start",
    yLabel: "requests",
    xDomain: domain(timeline),
    width: WIDTH,
    series,
  });
}

function replicasChart(timeline: Timeline): string {
  const end = domain(timeline)[1];
  const replicas = timeline.events.filter((e) => e.kind === "replicas");
  const ready = new Set<string>();
  const endpoints: Array<[number, number]> = [];
  for (const e of timeline.events) {
    if (e.kind !== "endpoint") continue;
    if (e.change === "ready" || e.change === "added-ready") ready.add(e.pod);
    else ready.delete(e.pod);
    endpoints.push([seconds(timeline, e.t), ready.size]);
  }
  const series: Series[] = [
    {
      name: "desired",
      color: COLORS.desired,
      kind: "line",
      dashed: true,
      points: steps(
        replicas.map((e) => [seconds(timeline, e.t), e.desired]),
        end,
      ),
    },
    {
      name: "ready replicas",
      color: COLORS.ready,
      kind: "line",
      points: steps(
        replicas.map((e) => [seconds(timeline, e.t), e.ready]),
        end,
      ),
    },
  ];
  if (endpoints.length)
    series.push({
      name: "ready endpoints",
      color: COLORS.endpoints,
      kind: "line",
      points: steps(endpoints, end),
    });
  return chart({
    id: "chart-replicas",
    title: "Replicas and ready endpoints",
    xLabel: "seconds since start",
    yLabel: "pods",
    xDomain: domain(timeline),
    width: WIDTH,
    height: 220,
    series,
  });
}

const LANES: Array<{ name: string; color: string; match: (e: ClusterEvent) => boolean }> = [
  { name: "phase", color: "#0f172a", match: (e) => e.kind === "phase" },
  { name: "created", color: "#2563eb", match: (e) => e.kind === "pod" && e.change === "created" },
  { name: "ready", color: "#16a34a", match: (e) => e.kind === "pod" && e.change === "ready" },
  { name: "stopping", color: "#dc2626", match: (e) => e.kind === "pod" && e.change === "terminating" },
  {
    name: "endpt out",
    color: "#f59e0b",
    match: (e) => e.kind === "endpoint" && ["not-ready", "terminating", "removed"].includes(e.change),
  },
  { name: "eviction", color: "#9333ea", match: (e) => e.kind === "eviction" },
];

/** One lane per kind of pod event, a tick per event (hover for what and when), on the charts' time axis.
 * Lane names stay short: they sit in the charts' left margin. "stopping" = pod Terminating (SIGTERM). */
function markerStrip(timeline: Timeline): string {
  const [x0, x1] = domain(timeline);
  const plotW = WIDTH - PLOT.left - PLOT.right;
  const sx = (x: number) => PLOT.left + ((x - x0) / (x1 - x0)) * plotW;
  const laneH = 18;
  const lanes = [...LANES, { name: "failed", color: COLORS.failed, match: () => false }];
  const height = 30 + lanes.length * laneH;
  const out = [
    `<svg id="chart-events" class="chart" role="img" aria-label="Pod events" xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}">`,
    `<text class="title" x="${PLOT.left}" y="18">Pod events (hover a mark for details)</text>`,
  ];
  lanes.forEach((lane, i) => {
    const y = 28 + i * laneH;
    const marks =
      lane.name === "failed"
        ? timeline.load.failures.map((f) => ({ t: f.t, text: `failed: ${f.status ?? f.error ?? "error"}` }))
        : timeline.events.filter(lane.match).map((e) => ({ t: e.t, text: describeEvent(e) }));
    const ticks = marks.map(
      (m) =>
        `<line x1="${sx(seconds(timeline, m.t)).toFixed(1)}" x2="${sx(seconds(timeline, m.t)).toFixed(1)}" y1="${y + 2}" y2="${y + laneH - 2}" stroke="${lane.color}" stroke-width="2"><title>${escapeXml(`${relative(timeline, m.t)} ${m.text}`)}</title></line>`,
    );
    out.push(
      `<text class="tick" x="${PLOT.left - 6}" y="${y + laneH / 2}" text-anchor="end" dominant-baseline="middle">${escapeXml(lane.name)}</text>`,
      `<line class="grid" x1="${PLOT.left}" x2="${WIDTH - PLOT.right}" y1="${y + laneH / 2}" y2="${y + laneH / 2}"/>`,
      `<g class="markers" data-lane="${escapeXml(lane.name)}" data-points="${marks.length}">${ticks.join("")}</g>`,
    );
  });
  out.push("</svg>");
  return out.join("\n");
}

function eventTable(timeline: Timeline): string {
  const rows: Array<[number, string, string]> = timeline.events.map((e) => [e.t, e.kind, describeEvent(e)]);
  for (const f of timeline.load.failures) rows.push([f.t, "failed", `✗ ${f.status ?? f.error ?? "error"}`]);
  rows.sort((a, b) => a[0] - b[0]);
  const body = rows
    .map(
      ([t, kind, text]) =>
        `<tr class="${kind}"><td>${escapeXml(relative(timeline, t))}</td><td>${escapeXml(kind)}</td><td>${escapeXml(text)}</td></tr>`,
    )
    .join("");
  return `<section><h2>Timeline (${rows.length} entries)</h2><table class="events"><tr><th>time</th><th>kind</th><th>what</th></tr>${body}</table></section>`;
}

function causes(v: Verdict): string {
  if (!v.causes.length && !v.goal.findings.length) return "";
  const items = v.causes.map(
    (c) =>
      `<li><strong>${escapeXml(c.title)}</strong><br>${escapeXml(c.evidence)}${c.findings
        .map((f) => `<br>confirmed by rule <code>${escapeXml(f.rule)}</code>: ${escapeXml(f.message)}`)
        .join("")}<br>fix: ${escapeXml(c.findings[0]?.fix ?? c.fix)}</li>`,
  );
  for (const f of v.goal.findings)
    items.push(
      `<li>goal missed, rule <code>${escapeXml(f.rule)}</code>: ${escapeXml(f.message)}<br>fix: ${escapeXml(f.fix)}</li>`,
    );
  return `<section id="causes"><h2>Likely cause</h2><ol>${items.join("")}</ol></section>`;
}

const STYLE = `${REPORT_STYLE}
h2{font-size:16px}.ok{color:#16a34a}.bad{color:#dc2626}
th,td{padding:2px 10px;text-align:left;border-bottom:1px solid #e2e8f0}
.events td{font-family:ui-monospace,monospace;font-size:12px}.events tr.failed td{color:#dc2626}`;

export function verifyHtmlReport(timeline: Timeline, v: Verdict): string {
  const head = headline(v);
  const data = JSON.stringify({ verdict: v, timeline }).replace(/</g, "\\u003c");
  const downtime = `<span class="${head.downtime.ok ? "ok" : "bad"}">${escapeXml(head.downtime.text)}</span>`;
  const reach = head.reach
    ? `<p id="reach"${head.reach.proven ? "" : ' class="bad"'}><strong>${head.reach.proven ? "" : "!! "}</strong>${escapeXml(head.reach.text)}</p>\n`
    : "";
  const baseline = head.baseline ? `<p id="baseline" class="bad">${escapeXml(head.baseline)}</p>\n` : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>shipshape verify ${escapeXml(v.scenario)} — ${escapeXml(v.subject)}</title><style>${STYLE}</style></head>
<body>
<h1>verify ${escapeXml(v.scenario)} ${escapeXml(v.subject)}: <span id="status" class="${v.ok ? "ok" : "bad"}">${escapeXml(head.status)}</span></h1>
${reach}<p id="downtime">${downtime}</p>
${baseline}<p id="goal">${v.goal.met ? "goal met" : '<span class="bad">goal NOT met</span>'}: ${escapeXml(v.goal.summary)}</p>
<p>Load: ${timeline.load.targetQps || "max"} qps, ${timeline.load.connections} connections against ${escapeXml(timeline.url)}${v.partial ? ` · partial: ${escapeXml(v.partial)}` : ""}</p>
${causes(v)}
<section class="charts">
${loadChart(timeline)}
${replicasChart(timeline)}
${markerStrip(timeline)}
</section>
${eventTable(timeline)}
<script type="application/json" id="verify-result">${data}</script>
</body></html>
`;
}
