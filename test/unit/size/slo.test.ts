// What a step must meet: --slo's grammar, its defaults, and the judgement of a step.
import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../../../src/errors.ts";
import type { LatencySummary } from "../../../src/load/result.ts";
import { DEFAULT_SLO, describeSlo, judgeStep, parseSlo } from "../../../src/size/slo.ts";

const latency = (p99: number): LatencySummary => ({
  min: 1,
  mean: 5,
  stdDev: 1,
  p50: 4,
  p75: 6,
  p90: 8,
  p95: 9,
  p99,
  p999: p99 * 2,
  max: p99 * 3,
});

test("--slo terms override the defaults one by one", () => {
  assert.deepEqual(parseSlo("p95<=250ms"), { ...DEFAULT_SLO, percentile: "p95", latencyMs: 250 });
  assert.deepEqual(parseSlo("errors<=0.5%, qps>=80%, p999<1s"), {
    percentile: "p999",
    latencyMs: 1000,
    errorRatio: 0.005,
    minQpsRatio: 0.8,
  });
  assert.equal(describeSlo(DEFAULT_SLO), "p99 <= 500 ms, errors <= 1%, qps >= 95% of target");
});

test("--slo refuses what it cannot read, naming the term", () => {
  for (const [text, message] of [
    ["p99", /"p99": expects e\.g\. p99<=500ms/],
    ["p42<=1s", /unknown bound p42/],
    ["errors<=1", /"errors<=1": expects a percentage/],
    ["p99<=fast", /not a duration/],
  ] as const)
    assert.throws(
      () => parseSlo(text),
      (e: unknown) => e instanceof InputError && message.test(e.message),
      text,
    );
});

test("a step meets the SLO only within every bound, and says each one it broke", () => {
  const step = { targetQps: 100, achievedQps: 99, errorRatio: 0.001, latencyMs: latency(120) };
  assert.deepEqual(judgeStep(DEFAULT_SLO, step), { met: true, broken: [] });
  assert.deepEqual(
    judgeStep(DEFAULT_SLO, { ...step, achievedQps: 90, errorRatio: 0.02, latencyMs: latency(800) }),
    {
      met: false,
      broken: ["p99 800.0 ms > 500 ms", "errors 2.00% > 1.00%", "reached 90.0 of 100 qps"],
    },
  );
});
