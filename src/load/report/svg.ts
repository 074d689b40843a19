// Small inline-SVG charts for the HTML report: axes with round-number ticks, lines and bars.
// Written here rather than taken from a chart library so the report needs no script and no
// network: it is one file that opens anywhere. Every drawn series says how many data points it
// holds (data-points), so a test can check that real data was drawn.

export interface Series {
  name: string;
  color: string;
  points: [number, number][];
  kind: "line" | "bars";
  dashed?: boolean;
}

export interface ChartSpec {
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  /** Tick labels placed at given x values (default: round numbers over the x range). */
  xTicks?: { value: number; label: string }[];
  xDomain?: [number, number];
  width?: number;
  height?: number;
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** About `n` round-number ticks covering [low, high] (1, 2 or 5 times a power of ten apart). */
export function niceTicks(low: number, high: number, n = 5): number[] {
  if (!(high > low)) return [low];
  const raw = (high - low) / n;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let v = Math.ceil(low / step) * step; v <= high + step * 1e-9; v += step) {
    ticks.push(Number(v.toPrecision(12)));
  }
  return ticks;
}

function label(value: number): string {
  if (value !== 0 && (Math.abs(value) >= 1e5 || Math.abs(value) < 1e-3)) return value.toExponential(1);
  return String(Number(value.toPrecision(6)));
}

const MARGIN = { left: 64, right: 16, top: 34, bottom: 46 };

export function chart(spec: ChartSpec): string {
  const width = spec.width ?? 700;
  const height = spec.height ?? 280;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const all = spec.series.flatMap((s) => s.points);
  const xs = all.map((p) => p[0]);
  const [x0, x1] = spec.xDomain ?? [Math.min(...xs, 0), Math.max(...xs, 1)];
  const yTicks = niceTicks(0, Math.max(...all.map((p) => p[1]), 0) || 1);
  const yMax = Math.max(yTicks.at(-1)!, ...all.map((p) => p[1]));
  const sx = (x: number) => MARGIN.left + (x1 === x0 ? plotW / 2 : ((x - x0) / (x1 - x0)) * plotW);
  const sy = (y: number) => MARGIN.top + plotH - (y / (yMax || 1)) * plotH;
  const out: string[] = [
    `<svg id="${spec.id}" class="chart" role="img" aria-label="${escapeXml(spec.title)}" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<text class="title" x="${MARGIN.left}" y="20">${escapeXml(spec.title)}</text>`,
  ];
  for (const t of yTicks) {
    const y = sy(t).toFixed(1);
    out.push(
      `<line class="grid" x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y}" y2="${y}"/>`,
      `<text class="tick" x="${MARGIN.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${label(t)}</text>`,
    );
  }
  const xTicks = spec.xTicks ?? niceTicks(x0, x1, 8).map((value) => ({ value, label: label(value) }));
  for (const t of xTicks) {
    const x = sx(t.value).toFixed(1);
    out.push(
      `<line class="axis" x1="${x}" x2="${x}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH + 4}"/>`,
      `<text class="tick" x="${x}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${escapeXml(t.label)}</text>`,
    );
  }
  out.push(
    `<line class="axis" x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH}"/>`,
    `<line class="axis" x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}"/>`,
    `<text class="label" x="${MARGIN.left + plotW / 2}" y="${height - 8}" text-anchor="middle">${escapeXml(spec.xLabel)}</text>`,
    `<text class="label" transform="translate(14 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(spec.yLabel)}</text>`,
  );
  for (const s of spec.series) out.push(drawSeries(s, sx, sy, plotW, x0, x1));
  out.push(legend(spec.series, width), "</svg>");
  return out.join("\n");
}

function drawSeries(
  s: Series,
  sx: (x: number) => number,
  sy: (y: number) => number,
  plotW: number,
  x0: number,
  x1: number,
): string {
  const attrs = `class="series ${s.kind}" data-series="${escapeXml(s.name)}" data-points="${s.points.length}"`;
  if (s.kind === "line") {
    const d = s.points.map(([x, y], i) => `${i === 0 ? "M" : "L"}${sx(x).toFixed(1)} ${sy(y).toFixed(1)}`);
    const dash = s.dashed ? ` stroke-dasharray="6 4"` : "";
    return `<path ${attrs} d="${d.join(" ")}" fill="none" stroke="${s.color}" stroke-width="2"${dash}/>`;
  }
  const slot = s.points.length > 0 ? plotW / Math.max(1, (x1 - x0) / minGap(s.points) + 1) : 0;
  const barW = Math.max(1, slot * 0.8);
  const bars = s.points.map(([x, y]) => {
    const top = sy(y);
    return `<rect x="${(sx(x) - barW / 2).toFixed(1)}" y="${top.toFixed(1)}" width="${barW.toFixed(1)}" height="${(sy(0) - top).toFixed(1)}" fill="${s.color}"><title>${label(x)}: ${label(y)}</title></rect>`;
  });
  return `<g ${attrs}>${bars.join("")}</g>`;
}

function minGap(points: [number, number][]): number {
  let gap = Number.POSITIVE_INFINITY;
  for (let i = 1; i < points.length; i++) gap = Math.min(gap, points[i]![0] - points[i - 1]![0]);
  return Number.isFinite(gap) && gap > 0 ? gap : 1;
}

function legend(series: Series[], width: number): string {
  let x = width - MARGIN.right;
  const items: string[] = [];
  for (const s of [...series].reverse()) {
    const w = 24 + s.name.length * 7;
    x -= w;
    items.push(
      `<rect x="${x}" y="10" width="12" height="12" fill="${s.color}"/><text class="legend" x="${x + 16}" y="20">${escapeXml(s.name)}</text>`,
    );
  }
  return `<g class="legend">${items.join("")}</g>`;
}
