// --slo: thresholds written as k6 and Fortio users write them, checked against what a run
// measured; a broken one is named with its measured value, and a run that measured nothing
// proves nothing (broken, not held).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { InputError } from "../../../src/errors.ts";
import {
  checkSlo,
  failedCalls,
  parseSlo,
  requireTargetRate,
  sloBroken,
  sloLine,
} from "../../../src/load/slo.ts";
import { every10th502, withServer } from "./servers.ts";

const latency = {
  min: 1,
  mean: 20,
  stdDev: 5,
  p50: 10,
  p75: 15,
  p90: 30,
  p95: 60,
  p99: 480,
  p999: 900,
  max: 1200,
};

test("parseSlo reads percentages, latencies in ms or s, qps, and every comparison", () => {
  assert.deepEqual(
    parseSlo("success>=99.9%, p99<500ms,p99.9 <= 1.5s,errors<0.1%,qps>150").map(({ metric, op, value }) => [
      metric,
      op,
      value,
    ]),
    [
      ["success", ">=", 99.9],
      ["p99", "<", 500],
      ["p99.9", "<=", 1500],
      ["errors", "<", 0.1],
      ["qps", ">", 150],
    ],
  );
});

test("parseSlo refuses what it cannot mean, naming --slo and the threshold", () => {
  for (const [text, why] of [
    ["success>=99.9", /percentage: write it with %/],
    ["p99<500", /latency: write it with ms or s/],
    ["success>=120%", /above 100/],
    ["latency<1s", /unknown metric "latency"/],
    ["p99=500ms", /expects METRIC OP VALUE/],
    ["success>=99%,", /an empty threshold/],
    ["qps>10ms", /requests per second, or N% of the target rate/],
  ] as const) {
    assert.throws(
      () => parseSlo(text),
      (error: unknown) =>
        error instanceof InputError && error.place.field === "--slo" && why.test(error.message),
      text,
    );
  }
});

test("checkSlo holds or breaks each threshold on the measured values; unmeasured is broken", () => {
  const thresholds = parseSlo("success>=99.9%,p99<500ms,p99.9<500ms,qps>=100");
  const checks = checkSlo(thresholds, { calls: 10_000, failed: 20, latencyMs: latency, qps: 190 });
  // 20 of 10 000 failed: 99.8 % success breaks 99.9 %; p99 480 ms holds; p99.9 900 ms breaks.
  assert.deepEqual(
    checks.map((c) => [c.threshold.text, c.actual, c.ok]),
    [
      ["success>=99.9%", 99.8, false],
      ["p99<500ms", 480, true],
      ["p99.9<500ms", 900, false],
      ["qps>=100", 190, true],
    ],
  );
  assert.equal(
    sloBroken(checks),
    "SLO broken: success>=99.9% (measured 99.8%), p99.9<500ms (measured 900ms)",
  );
  assert.match(
    sloLine(checks),
    /^SLO: success 99\.8% \(success>=99\.9%\) BROKEN; p99 480ms \(p99<500ms\) held;/,
  );
  const nothing = checkSlo(parseSlo("success>=50%,p99<1s"), { calls: 0, failed: 0 });
  assert.deepEqual(
    nothing.map((c) => c.ok),
    [false, false],
  );
  assert.match(sloBroken(nothing) ?? "", /measured not measured/);
});

test("qps with % is a share of the target rate: held or broken against it, unmeasured at full speed", () => {
  const [share] = parseSlo("qps>=95%");
  assert.deepEqual(share, { text: "qps>=95%", metric: "qps", op: ">=", value: 95, ofTarget: true });
  const at = (qps: number, targetQps: number) =>
    checkSlo([share!], { calls: 100, failed: 0, qps, targetQps });
  assert.deepEqual(
    [at(96, 100), at(90, 100), at(500, 0)].map(([c]) => [c!.actual, c!.ok]),
    [
      [96, true],
      [90, false],
      [undefined, false],
    ],
  );
  assert.equal(sloBroken(at(90, 100)), "SLO broken: qps>=95% (measured 90% of the target)");
  assert.throws(
    () => requireTargetRate([share!], 0),
    (error: unknown) => error instanceof InputError && /share of the target rate/.test(error.message),
  );
  requireTargetRate([share!], 50);
});

test("failedCalls counts statuses of 400 and above and every transport error", () => {
  assert.equal(
    failedCalls({
      codes: { 200: 90, 301: 3, 404: 2, 502: 5 },
      errors: { connect: 1, timeout: 2, reset: 3, other: 4 },
    }),
    17,
  );
});

const MAIN = join(import.meta.dirname, "../../../src/cli/main.ts");

test("load --slo exits 1 naming the broken threshold, 0 when all held, 2 for a malformed one", async () => {
  const cli = (args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(process.execPath, [MAIN, "load", ...args], (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
      ),
    );
  await withServer(every10th502(), async (url) => {
    const broken = await cli([
      url,
      "--qps",
      "0",
      "-c",
      "1",
      "-n",
      "100",
      "--quiet",
      "--slo",
      "success>=99%,p99<10s",
    ]);
    assert.equal(broken.code, 1, broken.stderr);
    assert.match(broken.stderr, /shipshape load: SLO broken: success>=99% \(measured 90%\)$/m);
    assert.match(broken.stdout, /SLO: success 90% \(success>=99%\) BROKEN; p99 [\d.]+ms \(p99<10s\) held/);
    const held = await cli([url, "--qps", "0", "-c", "1", "-n", "100", "--quiet", "--slo", "success>=85%"]);
    assert.equal(held.code, 0, held.stderr);
    const bad = await cli([url, "-n", "1", "--slo", "p99<fast"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^shipshape load: --slo: "p99<fast": expects METRIC OP VALUE/);
  });
});
