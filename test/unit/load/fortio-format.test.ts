// `--json --format fortio`: a shipshape run in Fortio's result shape. Held against a result file the
// Fortio binary writes in the same test (same server, same rate), and read by Fortio's own report
// code (the functions its UI draws a result with, from its Go module's source). Both come from
// bench/install-tools.sh; without them those tests are skipped, saying so.
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { runInNewContext } from "node:vm";
import { fortioResult, goDuration } from "../../../src/load/report/fortio.ts";
import { startLoad } from "../../../src/load/run.ts";
import { every10th502, withServer } from "./servers.ts";

const FORTIO = join(
  process.env.SHIPSHAPE_BENCH_BIN ?? join(homedir(), ".cache/shipshape-bench/bin"),
  "fortio",
);

/** Fortio's UI script (ui/static/js/fortio_chart.js) from the module the binary was built from. */
function fortioChartScript(): string | undefined {
  try {
    const version = execFileSync(FORTIO, ["version"], { encoding: "utf8" }).trim();
    const modules = execFileSync("go", ["env", "GOMODCACHE"], { encoding: "utf8" }).trim();
    const file = join(modules, `fortio.org/fortio@v${version}`, "ui/static/js/fortio_chart.js");
    return existsSync(file) ? readFileSync(file, "utf8") : undefined;
  } catch {
    return undefined;
  }
}
const chartScript = existsSync(FORTIO) ? fortioChartScript() : undefined;
const fortioMissing = existsSync(FORTIO) ? false : `${FORTIO} is missing: run bench/install-tools.sh`;
const chartMissing = chartScript ? false : "Fortio's module source is missing: run bench/install-tools.sh";

interface ChartData {
  title: string[];
  dataP: { x: number; y: number }[];
  dataH: { x: number; y: number }[];
  dataE: { x: number; y: number }[];
}

/** Fortio's own fortioResultToJsChartData (title lines, percentile curve, histogram, error histogram). */
function fortioChart(result: unknown): ChartData {
  const context = { Chart: { defaults: { global: {} } }, result };
  return runInNewContext(`${chartScript}\n;fortioResultToJsChartData(result)`, context) as ChartData;
}

/** 200 qps on 4 connections, 400 requests, every 10th answered 502: the shipshape run in Fortio's shape. */
async function shipshapeAsFortio(url: string) {
  const run = startLoad({ url, qps: 200, connections: 4, count: 400 });
  const result = await run.result();
  return { result, fortio: JSON.parse(JSON.stringify(fortioResult(result, run.options))) };
}

/** A value's JSON type: a histogram's Data may be null (empty) or a list, so both are "list". */
function kind(value: unknown): string {
  if (value === null || Array.isArray(value)) return "list";
  return typeof value;
}

/** Every field path below `value`, with its JSON type; list items by their first element. */
function fieldTypes(value: unknown, at = ""): Map<string, string> {
  const out = new Map<string, string>();
  if (value === null || typeof value !== "object") return out;
  const entries = Array.isArray(value) ? (value.length > 0 ? [["[]", value[0]]] : []) : Object.entries(value);
  for (const [key, child] of entries) {
    const path = at ? `${at}.${key}` : String(key);
    out.set(path, kind(child));
    for (const [p, t] of fieldTypes(child, path)) out.set(p, t);
  }
  return out;
}

/** What shipshape does not measure per request, so leaves out (see report/fortio.ts). */
const NOT_MEASURED = ["Sizes", "HeaderSizes", "ConnectionStats", "Sockets"];

test("Go durations are written as Go writes them", () => {
  assert.equal(goDuration(500), "500ms");
  assert.equal(goDuration(5000), "5s");
  assert.equal(goDuration(1500), "1.5s");
  assert.equal(goDuration(120_000), "2m0s");
  assert.equal(goDuration(5_400_000), "1h30m0s");
});

test("the Fortio shape keeps shipshape's counts: codes, errors apart, the histogram adding up to its count", async () => {
  await withServer(every10th502(), async (url) => {
    const { result, fortio } = await shipshapeAsFortio(url);
    assert.deepEqual(fortio.RetCodes, { 200: 360, 502: 40 });
    assert.equal(fortio.RequestedQPS, "200");
    assert.equal(fortio.RequestedDuration, "exactly 400 calls");
    assert.equal(fortio.NumThreads, 4);
    const h = fortio.DurationHistogram;
    assert.equal(h.Count, 400);
    assert.equal(
      h.Data.reduce((n: number, b: { Count: number }) => n + b.Count, 0),
      400,
    );
    assert.equal(h.Data.at(-1).Percent, 100);
    assert.equal(h.Data[0].Start, h.Min);
    assert.equal(h.Data.at(-1).End, h.Max);
    assert.equal(
      h.Percentiles.find((p: { Percentile: number }) => p.Percentile === 99).Value,
      result.latencyMs.p99 / 1000,
    );
    assert.equal(fortio.ErrorsDurationHistogram.Count, 40);
    assert.ok(Math.abs(fortio.ActualDuration / 1e9 - result.durationSeconds) < 1e-6);
  });
});

test("a shipshape result has the fields Fortio writes, of the same types, and counts as Fortio does", {
  skip: fortioMissing,
}, async () => {
  const dir = await mkdtemp(join(tmpdir(), "shipshape-fortio-"));
  try {
    await withServer(every10th502(), async (url) => {
      const file = join(dir, "fortio.json");
      // not execFileSync: the server answering Fortio runs in this process
      await promisify(execFile)(FORTIO, ["load", "-qps", "200", "-c", "4", "-n", "400", "-json", file, url]);
      const theirResult = JSON.parse(await readFile(file, "utf8"));
      const ourResult = (await shipshapeAsFortio(url)).fortio;
      // the same server, the same requests: the same codes, the same count of errors
      assert.deepEqual(ourResult.RetCodes, theirResult.RetCodes);
      assert.equal(ourResult.ErrorsDurationHistogram.Count, theirResult.ErrorsDurationHistogram.Count);
      const theirs = fieldTypes(theirResult);
      const ours = fieldTypes(ourResult);
      for (const [path, type] of theirs) {
        if (NOT_MEASURED.includes(path.split(".")[0]!)) continue;
        assert.equal(ours.get(path), type, `${path}: Fortio writes a ${type}`);
      }
      for (const path of ours.keys()) assert.ok(theirs.has(path), `${path} is not a Fortio field`);
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("Fortio's report code draws a shipshape result with shipshape's numbers", {
  skip: chartMissing,
}, async () => {
  await withServer(every10th502(), async (url) => {
    const { result, fortio } = await shipshapeAsFortio(url);
    const chart = fortioChart(fortio);
    assert.match(chart.title[0]!, new RegExp(`${url.replaceAll("/", "\\/")}`));
    assert.match(chart.title[1]!, /at 200 target qps .* 4 connections for exactly 400 calls/);
    assert.match(chart.title[1]!, /, 10% errors$/);
    const p50 = Math.round(result.latencyMs.p50 * 100) / 100;
    assert.ok(chart.title[2]!.includes(`p50 ${p50} ms`), `${chart.title[2]} names p50 ${p50} ms`);
    // the percentile curve climbs to 100 %, the histogram's steps hold every request (each drawn as two points)
    assert.equal(chart.dataP.at(-1)!.y, 100);
    for (let i = 1; i < chart.dataP.length; i++) assert.ok(chart.dataP[i]!.y >= chart.dataP[i - 1]!.y);
    const drawn = (points: { y: number }[]) => points.reduce((n, p) => n + p.y, 0) / 2;
    assert.equal(drawn(chart.dataH), 400);
    assert.equal(drawn(chart.dataE), 40);
  });
});
