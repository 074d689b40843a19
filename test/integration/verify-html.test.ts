// The verify HTML report in a real browser (Debian's chromium via playwright-core), on a timeline
// recorded on the testbed: it opens from a file with the network cut off, draws the requests, the
// replicas and one mark per pod event and failed request, names the cause, and logs no console error.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { chromium } from "playwright-core";
import { auditObjects } from "../../src/verify/audit.ts";
import { htmlVerifyReport } from "../../src/verify/report/html.ts";
import type { Timeline } from "../../src/verify/timeline.ts";
import { verdict } from "../../src/verify/verdict.ts";

const CHROMIUM = "/usr/bin/chromium";
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing`;

test("the verify report draws the recorded rollout and its cause in headless chromium", {
  skip,
}, async () => {
  const timeline: Timeline = JSON.parse(
    readFileSync(new URL("../fixtures/verify/rollout-no-prestop.json", import.meta.url), "utf8"),
  );
  const result = verdict(timeline, auditObjects(timeline.objects));
  const dir = await mkdtemp(join(tmpdir(), "shipshape-verify-"));
  const file = join(dir, "verify.html");
  await writeFile(file, htmlVerifyReport(timeline, result));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
    ],
  });
  try {
    const page = await browser.newPage();
    const problems: string[] = [];
    const fetched: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    await page.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith("file:")) return route.continue();
      fetched.push(url);
      return route.abort();
    });
    await page.goto(`file://${file}`);

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
    await browser.close();
    await rm(dir, { recursive: true, force: true });
  }
});
