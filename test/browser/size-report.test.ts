// The size HTML report in a real browser: it opens from a file with the network cut off, draws
// CPU and memory per pod from the recorded run's points with the chosen size across them, shows
// the recommendation the JSON holds, and logs no console error.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { sizeHtmlReport } from "../../src/size/report/html.ts";
import type { SizeResult } from "../../src/size/result.ts";
import { chromiumMissing, openOffline } from "./offline-page.ts";

test("the size HTML report renders its charts and recommendation in headless chromium", {
  skip: chromiumMissing,
}, async () => {
  const result = JSON.parse(
    await readFile(new URL("../fixtures/size/web-burn.json", import.meta.url), "utf8"),
  ) as SizeResult;
  const dir = await mkdtemp(join(tmpdir(), "shipshape-size-report-"));
  const file = join(dir, "size.html");
  await writeFile(file, sizeHtmlReport(result));
  const { page, problems, fetched, close } = await openOffline(file);
  try {
    const embedded = JSON.parse((await page.locator("#size-result").textContent()) ?? "null");
    assert.deepEqual(embedded, JSON.parse(JSON.stringify(result)));

    const series = await page.$$eval("svg.chart .series", (nodes) =>
      nodes.map((n) => ({
        chart: n.closest("svg")!.id,
        name: n.getAttribute("data-series"),
        vertices: (n.getAttribute("d") ?? "").match(/[ML]/g)?.length ?? 0,
        box: (({ width, height }) => ({ width, height }))((n as SVGGraphicsElement).getBBox()),
      })),
    );
    const find = (chart: string, name: string) => {
      const s = series.find((x) => x.chart === chart && x.name === name);
      assert.ok(s, `series ${name} in ${chart}: ${JSON.stringify(series)}`);
      return s;
    };
    const pods = [...new Set(result.cpu.map((p) => `${p.pod}/${p.container}`))];
    assert.ok(pods.length >= 1);
    for (const key of pods) {
      assert.equal(
        find("chart-cpu", key).vertices,
        result.cpu.filter((p) => `${p.pod}/${p.container}` === key).length,
      );
      assert.equal(
        find("chart-memory", key).vertices,
        result.memory.filter((p) => `${p.pod}/${p.container}` === key).length,
      );
    }
    for (const chart of ["chart-cpu", "chart-memory"]) assert.equal(find(chart, "chosen web").vertices, 2);
    assert.equal(find("chart-latency-steps", "p50").vertices, result.steps.length);
    assert.equal(find("chart-latency-steps", "SLO").vertices, 2);
    for (const s of series) if (s.vertices > 1) assert.ok(s.box.width > 0, `${s.chart}/${s.name} is drawn`);

    // the chosen CPU line is drawn at its value: above the points below it, below those above it
    const boxes = await page.$$eval("#chart-cpu .series", (nodes) =>
      Object.fromEntries(
        nodes.map((n) => {
          const { y, height } = (n as SVGGraphicsElement).getBBox();
          return [n.getAttribute("data-series"), { top: y, bottom: y + height }];
        }),
      ),
    );
    const chosen = result.recommendation.containers[0]!.cpu * 1000;
    for (const key of pods) {
      const values = result.cpu.filter((p) => `${p.pod}/${p.container}` === key).map((p) => p.millicores);
      const line = boxes["chosen web"]!.top;
      if (Math.max(...values) > chosen)
        assert.ok(boxes[key]!.top < line, `${key} peaks above the chosen line`);
      else assert.ok(boxes[key]!.top > line, `${key} stays below the chosen line`);
      if (Math.min(...values) < chosen)
        assert.ok(boxes[key]!.bottom > line, `${key} dips below the chosen line`);
    }

    const rec = result.recommendation;
    assert.equal(
      await page.locator(".container[data-container=web] .cpu").first().textContent(),
      `${Math.round(rec.containers[0]!.cpu * 1000)}m`,
    );
    assert.equal(await page.locator("#replicas").textContent(), String(rec.replicas));
    assert.equal(await page.locator("#hpa-target").textContent(), String(rec.hpaCpuUtilization));
    assert.equal(await page.locator("tr.step").count(), result.steps.length);
    assert.equal(await page.locator("#verdict").textContent(), "none set");

    assert.deepEqual(problems, [], "no console errors or warnings");
    assert.deepEqual(fetched, [], "the report loads nothing from the network");
  } finally {
    await close();
    await rm(dir, { recursive: true, force: true });
  }
});
