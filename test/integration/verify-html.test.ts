// The verify HTML report in a real browser (Debian's chromium via playwright-core), on a timeline
// recorded on the testbed: it opens from a file with the network cut off, draws the requests, the
// replicas and one mark per pod event and failed request, names the cause, and logs no console error.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { auditObjects } from "../../src/verify/audit.ts";
import { verifyHtmlReport } from "../../src/verify/report/html.ts";
import type { Timeline } from "../../src/verify/timeline.ts";
import { verdict } from "../../src/verify/verdict.ts";
import { chromiumMissing, openOffline } from "../browser/offline-page.ts";

test("the verify report draws the recorded rollout and its cause in headless chromium", {
  skip: chromiumMissing,
}, async () => {
  const timeline: Timeline = JSON.parse(
    readFileSync(new URL("../fixtures/verify/rollout-no-prestop.json", import.meta.url), "utf8"),
  );
  const result = verdict(timeline, auditObjects(timeline.objects));
  const dir = await mkdtemp(join(tmpdir(), "shipshape-verify-"));
  const file = join(dir, "verify.html");
  await writeFile(file, verifyHtmlReport(timeline, result));
  const { page, problems, fetched, close } = await openOffline(file);
  try {
    assert.equal(await page.locator("#status").textContent(), "FAILED");
    assert.match((await page.locator("#causes").textContent()) ?? "", /endpoints removed after SIGTERM/);
    const series = await page.$$eval("svg.chart .series", (nodes) =>
      nodes.map((n) => ({
        name: n.getAttribute("data-series"),
        vertices: (n.getAttribute("d") ?? "").match(/[ML]/g)?.length ?? 0,
        bars: n.querySelectorAll("rect").length,
        width: (n as SVGGraphicsElement).getBBox().width,
      })),
    );
    const find = (name: string) => series.find((s) => s.name === name);
    assert.equal(find("requests/s")?.vertices, timeline.load.seconds.length);
    assert.equal(find("failed/s")?.bars, timeline.load.seconds.filter((s) => s.errors > 0).length);
    assert.ok((find("ready replicas")?.width ?? 0) > 100, "the replica line spans the run");
    const lanes = await page.$$eval("svg#chart-events .markers", (groups) =>
      Object.fromEntries(groups.map((g) => [g.getAttribute("data-lane"), g.querySelectorAll("line").length])),
    );
    assert.equal(
      lanes.stopping,
      timeline.events.filter((e) => e.kind === "pod" && e.change === "terminating").length,
    );
    assert.equal(lanes.failed, timeline.load.failures.length);
    const rows = await page.locator("table.events tr.failed").count();
    assert.equal(rows, timeline.load.failures.length, "every failed request is a row of the timeline");
    assert.deepEqual(problems, [], "no console errors or warnings");
    assert.deepEqual(fetched, [], "nothing fetched from the network");
  } finally {
    await close();
    await rm(dir, { recursive: true, force: true });
  }
});
