// `shipshape load` end to end: the CLI process against a local server — the JSON file's shape,
// the text summary, the HTML file, exit codes, and Ctrl-C printing the partial result.
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { closedPort, every10th502, withServer } from "./servers.ts";

const MAIN = join(import.meta.dirname, "../../../src/cli/main.ts");

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN, "load", ...args], (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

test("load --json and --html write the result; the summary names codes and percentiles", async () => {
  const dir = await mkdtemp(join(tmpdir(), "shipshape-load-cli-"));
  await withServer(every10th502(), async (url) => {
    const json = join(dir, "out.json");
    const html = join(dir, "report.html");
    const run = await cli([url, "--qps", "0", "-c", "2", "-n", "200", "--json", json, "--html", html]);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(await readFile(json, "utf8"));
    for (const key of ["calls", "qps", "durationSeconds", "latencyMs", "codes", "errors", "timeline"]) {
      assert.ok(key in result, `JSON has ${key}`);
    }
    for (const p of ["p50", "p75", "p90", "p99", "p999", "max"])
      assert.equal(typeof result.latencyMs[p], "number");
    assert.deepEqual(result.codes, { 200: 180, 502: 20 });
    assert.deepEqual(Object.keys(result.errors), ["connect", "timeout", "reset", "other"]);
    assert.match(run.stdout, /200 calls/);
    assert.match(run.stdout, /502: 20 \(10\.0 %\)/);
    assert.match(run.stdout, /p99\.9 \d/);
    const page = await readFile(html, "utf8");
    assert.match(page, /<svg id="chart-qps"/);
    assert.doesNotMatch(page, /<script src=|<link [^>]*href="http/);
  }).finally(() => rm(dir, { recursive: true, force: true }));
});

test("load exits 1 when nothing answered, 2 for bad options, 0 for --help", async () => {
  const refused = await cli([`http://127.0.0.1:${await closedPort()}/`, "-n", "3", "--quiet"]);
  assert.equal(refused.code, 1);
  assert.match(refused.stdout, /connect 3/);
  const bad = await cli(["http://127.0.0.1:1/", "--duration", "forever"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--duration: not a duration/);
  const noUrl = await cli([]);
  assert.equal(noUrl.code, 2);
  const help = await cli(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /coordinated omission/);
});

test("Ctrl-C stops the run and still prints the partial result", async () => {
  // Ctrl-C once the load is under way (its first request arrived), not after a fixed delay: on a
  // busy machine the CLI may still be starting after any delay one picks.
  let running: () => void = () => {};
  const underWay = new Promise<void>((resolve) => {
    running = resolve;
  });
  await withServer(
    (_req, res) => {
      running();
      res.end("ok");
    },
    async (url) => {
      const child = spawn(process.execPath, [MAIN, "load", url, "-q", "50", "-c", "2", "-t", "1m"]);
      let stdout = "";
      child.stdout.on("data", (d) => {
        stdout += d;
      });
      await underWay;
      child.kill("SIGINT");
      const code = await new Promise((resolve) => child.on("exit", resolve));
      assert.equal(code, 130);
      assert.match(stdout, /\(stopped early\)/);
      assert.match(stdout, /Codes +200: \d+/);
    },
  );
});

test("load --workers refuses what it cannot run before anything starts: no image, options of a local run", async () => {
  const noImage = await cli(["http://web.test/", "--workers", "2"]);
  assert.equal(noImage.code, 2);
  assert.match(noImage.stderr, /--image: --workers needs --image REF/);
  const noWorkers = await cli(["http://web.test/", "--image", "shipshape:1"]);
  assert.equal(noWorkers.code, 2);
  assert.match(noWorkers.stderr, /--image: --image goes with --workers N/);
  const namespace = await cli(["http://web.test/", "--namespace", "loadtest"]);
  assert.equal(namespace.code, 2);
  assert.match(namespace.stderr, /--namespace goes with --workers N/);
  const zero = await cli(["http://web.test/", "--workers", "0", "--image", "shipshape:1"]);
  assert.equal(zero.code, 2);
  assert.match(zero.stderr, /--workers: must be ≥ 1/);
  const help = await cli(["--help"]);
  assert.match(help.stdout, /--workers N +run the load from N worker pods/);
});
