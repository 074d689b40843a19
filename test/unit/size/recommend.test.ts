// The recommendation math on a recorded run (test/fixtures/size/web-burn.json: a web Deployment
// spending 20 ms of CPU per request, steps of 5 and 10 qps on the data plane) and on variations of
// it that a throttled, an OOMKilled or an overloaded workload produce.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { basisStep, cpuFloor, recommend } from "../../../src/size/recommend.ts";
import type { ContainerSize, SizeResult, StepResult } from "../../../src/size/result.ts";

const recorded = JSON.parse(
  readFileSync(new URL("../../fixtures/size/web-burn.json", import.meta.url), "utf8"),
) as SizeResult;
const margins = { cpu: 0.25, memory: 0.25 };
const unset = new Map([["web", { requests: {}, limits: {} }]]);

function withContainer(step: StepResult, change: Partial<StepResult["containers"][number]>): StepResult {
  return { ...step, containers: step.containers.map((c) => ({ ...c, ...change })) };
}

const sized = (cpu: number, memory: number) =>
  new Map<string, { requests: ContainerSize; limits: ContainerSize }>([
    ["web", { requests: { cpu, memory }, limits: { cpu, memory } }],
  ]);

test("CPU comes from the p95 of the highest step that met the SLO, plus the margin, up to whole 5m", () => {
  const [low, high] = recorded.steps as [StepResult, StepResult];
  assert.equal(low.slo.met, true);
  assert.equal(high.slo.met, false);
  const rec = recommend({ steps: recorded.steps, current: unset, margins });
  assert.equal(rec.basisQps, low.targetQps);
  const web = rec.containers[0]!;
  const wanted = (low.containers[0]!.cpuP95 / 1000) * 1.25;
  assert.ok(web.cpu >= wanted && web.cpu < wanted + 0.005, `${web.cpu} for ${wanted}`);
  assert.equal(Math.round(web.cpu * 1000) % 5, 0);
});

test("memory comes from the peak of every step, the broken ones too, plus the margin, at least 16Mi", () => {
  const peak = Math.max(...recorded.steps.map((s) => s.containers[0]!.memoryMax));
  const big = recorded.steps.map((s, i) => withContainer(s, { memoryMax: (i + 1) * 100 * 2 ** 20 }));
  assert.equal(recommend({ steps: big, current: unset, margins }).containers[0]!.memory, 250 * 2 ** 20);
  // the recorded web server's few MiB round up to the floor
  assert.ok(peak * 1.25 < 16 * 2 ** 20);
  assert.equal(
    recommend({ steps: recorded.steps, current: unset, margins }).containers[0]!.memory,
    16 * 2 ** 20,
  );
});

test("the HPA target is what each pod averaged at the basis step, and replicas scale the CPU per request to the peak", () => {
  const rec = recommend({ steps: recorded.steps, current: unset, margins });
  const basis = recorded.steps[0]!;
  const used = basis.containers[0]!.cpuTotalMean / 1000;
  const podCpu = rec.containers[0]!.cpu;
  assert.equal(rec.hpaCpuUtilization, Math.floor((used / podCpu) * 100));
  assert.ok(Math.abs(rec.cpuMsPerRequest! - basis.containers[0]!.cpuTotalMean / basis.achievedQps) < 1e-9);
  // one pod held 5 qps; 10 qps at the same per-pod load takes two
  assert.equal(rec.replicas, 2);
  assert.equal(recommend({ steps: recorded.steps, current: unset, margins, peakQps: 5 }).replicas, 1);
  assert.equal(recommend({ steps: recorded.steps, current: unset, margins, peakQps: 20 }).replicas, 4);
});

test("a step throttled by its limit keeps at least that limit, and throttling where the SLO broke is named", () => {
  const steps = recorded.steps.map((s) => withContainer(s, { throttledRatio: 0.4 }));
  const rec = recommend({ steps, current: sized(0.5, 64 * 2 ** 20), margins });
  const web = rec.containers[0]!;
  assert.equal(web.cpu, 0.5);
  assert.ok(
    web.reasons.some((r) => /throttled in 40% .* the limit 500m capped it/.test(r)),
    web.reasons.join("\n"),
  );
  assert.ok(web.reasons.some((r) => /at 10 qps, where the SLO broke, it was throttled/.test(r)));
});

test("an OOMKilled step is never the basis, and asks for twice the limit at least", () => {
  const steps = recorded.steps.map((s, i) => (i === 1 ? s : withContainer(s, { oomKills: 2 })));
  const top = steps[1]!;
  const healed = [steps[0]!, { ...top, slo: { met: true, broken: [] } }];
  assert.equal(basisStep(healed)?.targetQps, 10);
  assert.equal(basisStep(steps), undefined);
  const rec = recommend({ steps: healed, current: sized(0.5, 32 * 2 ** 20), margins });
  const web = rec.containers[0]!;
  assert.equal(web.memory, 64 * 2 ** 20);
  assert.ok(
    web.reasons.some((r) => /OOMKilled 2× \(at 5 qps\): the limit 32Mi is below what it needs/.test(r)),
  );
});

test("when no step met the SLO the size comes from the lowest, and says so", () => {
  const steps = recorded.steps.map((s) => ({
    ...s,
    slo: { met: false, broken: ["p99<=500ms (measured 900ms)"] },
  }));
  const rec = recommend({ steps, current: unset, margins });
  assert.equal(rec.basisQps, undefined);
  assert.match(rec.reasons[0]!, /no step met the SLO: sized from the lowest \(5 qps\)/);
  const wanted = (steps[0]!.containers[0]!.cpuP95 / 1000) * 1.25;
  assert.ok(rec.containers[0]!.cpu >= wanted && rec.containers[0]!.cpu < wanted + 0.005);
});

test("the CPU limit leaves requests room to queue: λc + ln(1/(1-p))·c/(SLO/2), never below the measured size", () => {
  const basis = recorded.steps[0]!;
  const c = basis.containers[0]!.cpuTotalMean / basis.achievedQps / 1000;
  const perPod = basis.achievedQps / basis.containers[0]!.pods;
  const loose = recommend({
    steps: recorded.steps,
    current: unset,
    margins,
    slo: { percentile: "p99", latencyMs: 10_000 },
  });
  assert.equal(loose.containers[0]!.reasons.length, 2, "a loose SLO leaves the measured size");
  assert.ok(cpuFloor(c, perPod, { percentile: "p99", latencyMs: 10_000 }) < loose.containers[0]!.cpu);
  const tight = recommend({
    steps: recorded.steps,
    current: unset,
    margins,
    slo: { percentile: "p99", latencyMs: 100 },
  });
  const web = tight.containers[0]!;
  const wanted = perPod * c + (Math.log(100) * c) / 0.05;
  assert.ok(web.cpu >= wanted && web.cpu < wanted + 0.005, `${web.cpu} for ${wanted}`);
  assert.match(
    web.reasons[1]!,
    /^raised to \d+m: [\d.]+ ms of CPU per request at 5\.00 qps per pod needs that limit for a p99 within half the SLO's 100 ms/,
  );
  // a median needs less room than a p99
  assert.ok(
    cpuFloor(c, perPod, { percentile: "p50", latencyMs: 100 }) <
      cpuFloor(c, perPod, { percentile: "p99", latencyMs: 100 }),
  );
});
