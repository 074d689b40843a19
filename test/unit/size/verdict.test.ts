// Whether the size running now holds: only a set size (requests == limits everywhere) is judged;
// a broken SLO or an OOM kill fails it, throttling is said but the SLO decides.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import type { ContainerSize, SizeResult, StepResult } from "../../../src/size/result.ts";
import { judgeSize } from "../../../src/size/verdict.ts";

const recorded = JSON.parse(
  readFileSync(new URL("../../fixtures/size/web-burn.json", import.meta.url), "utf8"),
) as SizeResult;
const low = recorded.steps[0]!;
const size = (requests: ContainerSize, limits: ContainerSize) => new Map([["web", { requests, limits }]]);
const set = size({ cpu: 0.5, memory: 2 ** 26 }, { cpu: 0.5, memory: 2 ** 26 });
const withWeb = (step: StepResult, change: Partial<StepResult["containers"][number]>): StepResult => ({
  ...step,
  containers: step.containers.map((c) => ({ ...c, ...change })),
});

test("a workload without requests == limits has no size to judge", () => {
  for (const current of [size({}, {}), size({ cpu: 0.1, memory: 2 ** 26 }, { cpu: 0.5, memory: 2 ** 26 })]) {
    const verdict = judgeSize([low], current);
    assert.deepEqual(verdict, {
      holds: false,
      unsized: true,
      reasons: ["no requests == limits on web: no size to verify yet"],
    });
  }
  // limits alone are Guaranteed: requests default to them
  assert.equal(judgeSize([low], size({}, { cpu: 0.5, memory: 2 ** 26 })).unsized, false);
});

test("a set size holds when every step met the SLO, and says how much of it the top step used", () => {
  const verdict = judgeSize([low], set);
  assert.equal(verdict.holds, true);
  assert.equal(verdict.reasons[0], "every step met the SLO up to 5 qps, with no OOM kill");
  assert.match(
    verdict.reasons[1]!,
    /^web at 5 qps: CPU p95 118m of 500m \(24%\), memory max 8Mi of 64Mi \(12%\)$/,
  );
});

test("a broken step or an OOM kill fails it; throttling is said, and does not fail it when the SLO held", () => {
  const broken = judgeSize(recorded.steps, set);
  assert.equal(broken.holds, false);
  assert.deepEqual(broken.reasons, [
    "10 qps broke the SLO: p99<=500ms (measured 4907.01ms); qps>=95% (measured 88.5% of the target)",
  ]);
  assert.equal(judgeSize([withWeb(low, { oomKills: 1 })], set).holds, false);
  const throttled = judgeSize([withWeb(low, { throttledRatio: 0.3 })], set);
  assert.equal(throttled.holds, true);
  assert.ok(throttled.reasons.includes("5 qps: web throttled in 30% of CFS periods (the SLO held)"));
});
