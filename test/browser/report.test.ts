// The HTML report in a real browser (Debian's chromium via playwright-core): it opens from a
// file with the network cut off, draws its charts from the run's data, shows the same numbers
// as the JSON result, and logs no console error.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { loadHtmlReport } from "../../src/load/report/html.ts";
import type { LoadResult } from "../../src/load/result.ts";
import { startLoad } from "../../src/load/run.ts";
import { withServer } from "../unit/load/servers.ts";
import { chromiumMissing, openOffline } from "./offline-page.ts";

async function measuredRun(): Promise<LoadResult> {
  let n = 0;
  return withServer(
    (_req, res) => {
      n += 1;
      res.statusCode = n % 10 === 0 ? 502 : 200;
      setTimeout(() => res.end("hello"), n % 7);
    },
    async (url) => {
      return startLoad({ url, qps: 200, connections: 4, durationMs: 3000 }).result();
    },
  );
}

/** The number a table cell shows ("1,234", "10.52"). */
function shown(text: string): number {
  return Number(text.replace(/,/g, "").match(/-?\d+(\.\d+)?/)![0]);
}

function field(result: LoadResult, path: string): unknown {
  return path.split(".").reduce<unknown>((o, key) => (o as Record<string, unknown>)?.[key], result);
}

test("the HTML report renders its charts and numbers in headless chromium", {
  skip: chromiumMissing,
}, async () => {
  const result = await measuredRun();
  const dir = await mkdtemp(join(tmpdir(), "shipshape-report-"));
  const file = join(dir, "report.html");
  await writeFile(file, loadHtmlReport(result));
  const { page, problems, fetched, close } = await openOffline(file);
  try {
    // the embedded data is the run's result
    const embedded = JSON.parse((await page.locator("#load-result").textContent()) ?? "null");
    assert.deepEqual(embedded, JSON.parse(JSON.stringify(result)));

    // every chart is drawn, each series with as many marks as the result has data points
    const series = await page.$$eval("svg.chart .series", (nodes) =>
      nodes.map((n) => ({
        chart: n.closest("svg")!.id,
        name: n.getAttribute("data-series"),
        points: Number(n.getAttribute("data-points")),
        lineVertices: (n.getAttribute("d") ?? "").match(/[ML]/g)?.length ?? 0,
        bars: n.querySelectorAll("rect").length,
        tallBars: [...n.querySelectorAll("rect")].filter((r) => Number(r.getAttribute("height")) > 0).length,
        box: (({ width, height }) => ({ width, height }))((n as SVGGraphicsElement).getBBox()),
      })),
    );
    const find = (chart: string, name: string) => {
      const s = series.find((x) => x.chart === chart && x.name === name);
      assert.ok(s, `series ${name} in ${chart}`);
      return s;
    };
    assert.equal(result.timeline.length, 3);
    assert.equal(find("chart-qps", "qps").lineVertices, result.timeline.length);
    assert.equal(find("chart-percentiles", "latency (corrected)").lineVertices, result.percentiles.length);
    assert.equal(find("chart-percentiles", "uncorrected").lineVertices, 8);
    assert.ok(result.percentiles.length > 10);
    const histogram = find("chart-histogram", "requests");
    assert.equal(histogram.bars, result.histogram.length);
    assert.equal(histogram.tallBars, result.histogram.filter((b) => b.count > 0).length);
    assert.ok(histogram.tallBars >= 2, "the latency histogram has real bars");
    assert.equal(find("chart-errors", "HTTP >= 400").lineVertices, result.timeline.length);
    assert.equal(find("chart-latency-time", "p99").lineVertices, result.timeline.length);
    for (const s of series) {
      if (s.points > 1 && s.bars === 0)
        assert.ok(s.box.width > 0 || s.box.height > 0, `${s.chart}/${s.name} is drawn`);
    }

    // the numbers on the page are the result's numbers
    const cells = await page.$$eval("td[data-field]", (tds) =>
      tds.map((td) => ({ field: td.getAttribute("data-field")!, text: td.textContent ?? "" })),
    );
    const checked = new Set<string>();
    for (const { field: path, text } of cells) {
      const value = field(result, path);
      if (typeof value !== "number") continue;
      const tolerance = Math.max(0.0011, Math.abs(value) * 0.0011);
      assert.ok(
        Math.abs(shown(text) - value) <= tolerance,
        `${path}: page shows "${text}", result has ${value}`,
      );
      checked.add(path);
    }
    for (const must of [
      "calls",
      "qps",
      "durationSeconds",
      "latencyMs.p50",
      "latencyMs.p99",
      "codes.200",
      "codes.502",
    ]) {
      assert.ok(checked.has(must), `${must} shown on the page`);
    }
    assert.equal(shown(cells.find((c) => c.field === "codes.502")!.text), result.codes["502"]);

    assert.deepEqual(problems, [], "no console errors or warnings");
    assert.deepEqual(fetched, [], "the report loads nothing from the network");
  } finally {
    await close();
    await rm(dir, { recursive: true, force: true });
  }
});
