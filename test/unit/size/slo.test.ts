// What a step must meet: the one --slo grammar with size's defaults for what is left out, the latency
// bound the CPU recommendation keeps, and the judgement of a step.
import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../../../src/errors.ts";
import type { LatencySummary } from "../../../src/load/result.ts";
import { DEFAULT_SLO, describeSlo, judgeStep, latencyBound, sizeSlo } from "../../../src/size/slo.ts";

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

const texts = (slo: readonly { text: string }[]) => slo.map((t) => t.text);

test("a threshold given replaces size's default of its kind (latency, failures, rate), the rest stay", () => {
  assert.deepEqual(texts(sizeSlo(undefined)), ["p99<=500ms", "errors<=1%", "qps>=95%"]);
  assert.deepEqual(texts(sizeSlo("p95<=250ms")), ["errors<=1%", "qps>=95%", "p95<=250ms"]);
  assert.deepEqual(texts(sizeSlo("success>=99.5%, qps>=80%, p99.9<1s")), [
    "success>=99.5%",
    "qps>=80%",
    "p99.9<1s",
  ]);
  assert.equal(describeSlo(DEFAULT_SLO), "p99<=500ms, errors<=1%, qps>=95% of the target rate");
});

test("the latency bound is the first percentile upper bound, in the load summary's field names", () => {
  assert.deepEqual(latencyBound(sizeSlo(undefined)), { percentile: "p99", latencyMs: 500 });
  assert.deepEqual(latencyBound(sizeSlo("max<3s,p99.9<=2s")), { percentile: "p999", latencyMs: 2000 });
  // A lower bound on latency or a bound on max alone gives the recommendation nothing to keep.
  assert.equal(latencyBound(sizeSlo("max<3s")), undefined);
  assert.equal(latencyBound(sizeSlo("p99>1ms")), undefined);
});

test("--slo for size is the one grammar: what it cannot read is refused, naming the term", () => {
  for (const [text, message] of [
    ["p99", /"p99": expects METRIC OP VALUE/],
    ["p42<=1s", /unknown metric "p42"/],
    ["errors<=1", /"errors<=1": errors is a percentage/],
    ["p99<=fast", /expects METRIC OP VALUE/],
    ["qps>=95ms", /qps is requests per second, or N% of the target rate/],
  ] as const)
    assert.throws(
      () => sizeSlo(text),
      (e: unknown) => e instanceof InputError && e.place.field === "--slo" && message.test(e.message),
      text,
    );
});

test("a step meets the SLO only within every threshold, and says each one it broke with what it measured", () => {
  const step = { targetQps: 100, achievedQps: 99, calls: 1000, failed: 1, latencyMs: latency(120) };
  assert.deepEqual(judgeStep(DEFAULT_SLO, step), { met: true, broken: [] });
  assert.deepEqual(
    judgeStep(DEFAULT_SLO, { ...step, achievedQps: 90, failed: 20, latencyMs: latency(800) }),
    {
      met: false,
      broken: [
        "p99<=500ms (measured 800ms)",
        "errors<=1% (measured 2%)",
        "qps>=95% (measured 90% of the target)",
      ],
    },
  );
  // A step that sent nothing measured no error share: broken, not held.
  assert.equal(judgeStep(DEFAULT_SLO, { ...step, calls: 0, failed: 0 }).met, false);
});
