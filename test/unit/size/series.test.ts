// From kubelet readings to one step's usage: rates between distinct readings, restarts, which
// points belong to a step, CFS deltas and OOM kills inside it.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeletSample } from "../../../src/size/kubelet-stats.ts";
import { cpuRates, memoryPoints, percentile } from "../../../src/size/series.ts";
import { stepUsage } from "../../../src/size/step-usage.ts";

const reading = (atS: number, pod: string, cpuS: number, memoryMi: number): KubeletSample => ({
  atMs: atS * 1000,
  pod,
  container: "web",
  cpuCoreNanoseconds: cpuS * 1e9,
  memoryAtMs: atS * 1000,
  workingSetBytes: memoryMi * 2 ** 20,
});

// pod a at 200m then 400m, read every 10 s but polled more often (repeats); pod b restarts
const samples = [
  reading(0, "a", 1, 10),
  reading(0, "a", 1, 10),
  reading(10, "a", 3, 12),
  reading(10, "a", 3, 12),
  reading(20, "a", 7, 20),
  reading(0, "b", 5, 8),
  reading(10, "b", 6, 9),
  reading(20, "b", 0.5, 4),
  reading(30, "b", 1.5, 5),
];

test("cpuRates: one point per interval between distinct readings, none across a counter reset", () => {
  const rates = cpuRates(samples).map((r) => [
    r.pod,
    r.fromMs / 1000,
    r.atMs / 1000,
    Math.round(r.millicores),
  ]);
  assert.deepEqual(rates, [
    ["a", 0, 10, 200],
    ["b", 0, 10, 100],
    ["a", 10, 20, 400],
    ["b", 20, 30, 100],
  ]);
});

test("memoryPoints drops repeated readings", () => {
  assert.equal(memoryPoints(samples).length, 7);
});

test("percentile is nearest-rank", () => {
  assert.equal(percentile([5, 1, 4, 2, 3], 95), 5);
  assert.equal(percentile([5, 1, 4, 2, 3], 50), 3);
  assert.equal(percentile([], 95), 0);
});

test("stepUsage counts only intervals wholly inside the step, sums the pods' means, and takes the CFS and OOM deltas", () => {
  const usage = stepUsage(
    {
      cpu: cpuRates(samples),
      memory: memoryPoints(samples),
      oomKills: [
        { atMs: 15_000, pod: "a", container: "web" },
        { atMs: 45_000, pod: "a", container: "web" },
      ],
      cfs: {
        start: new Map([["a/web", { periods: 100, throttledPeriods: 10 }]]),
        end: new Map([
          ["a/web", { periods: 300, throttledPeriods: 60 }],
          ["b/web", { periods: 200, throttledPeriods: 0 }],
        ]),
      },
    },
    { fromMs: 5_000, toMs: 30_000 },
    ["web"],
  );
  assert.deepEqual(usage, [
    {
      container: "web",
      pods: 2,
      cpuP95: 400,
      cpuMax: 400,
      cpuTotalMean: 500,
      memoryMax: 20 * 2 ** 20,
      // (60 - 10) throttled of (300 - 100) + (200 - 0) periods
      throttledRatio: 50 / 400,
      oomKills: 1,
    },
  ]);
});

test("stepUsage without CFS counters leaves throttling unknown", () => {
  const [web] = stepUsage({ cpu: [], memory: [], oomKills: [] }, { fromMs: 0, toMs: 1 }, ["web"]);
  assert.equal(web?.throttledRatio, undefined);
  assert.equal(web?.pods, 0);
});
