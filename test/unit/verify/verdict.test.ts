// The verdict on timelines recorded on the testbed (test/integration/verify.test.ts with
// RECORD_VERIFY_FIXTURES=1): real pod, endpoint, ReplicaSet and eviction events, real load; each
// fixture's `note` says how it was obtained.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import type { PodSpec } from "kubernetes-types/core/v1.js";
import { auditObjects } from "../../../src/verify/audit.ts";
import { verifyHtmlReport } from "../../../src/verify/report/html.ts";
import { verifyTextReport } from "../../../src/verify/report/text.ts";
import type { Timeline } from "../../../src/verify/timeline.ts";
import { verdict } from "../../../src/verify/verdict.ts";

function fixture(name: string): Timeline {
  return JSON.parse(readFileSync(new URL(`../../fixtures/verify/${name}.json`, import.meta.url), "utf8"));
}

test("a recorded rollout with a readiness probe and no failed request is verified", () => {
  const timeline = fixture("rollout-zero-downtime");
  const v = verdict(timeline, auditObjects(timeline.objects));
  assert.equal(v.ok, true);
  assert.equal(v.zeroDowntime, true);
  assert.match(v.goal.summary, /^rollout completed in \d+\.\d s$/);
  assert.deepEqual(v.incidents, []);
  assert.deepEqual(v.causes, []);
  const text = verifyTextReport(timeline, v);
  assert.match(text, /: VERIFIED\n/);
  assert.match(text, /zero downtime: yes/);
});

test("a recorded rollout without preStop names 'endpoints removed after SIGTERM', confirmed by prestop-missing", () => {
  const timeline = fixture("rollout-no-prestop");
  const v = verdict(timeline, auditObjects(timeline.objects));
  assert.equal(v.ok, false);
  assert.equal(v.zeroDowntime, false);
  assert.equal(v.goal.met, true, "the rollout itself completed");
  const [cause] = v.causes;
  assert.equal(cause?.kind, "after-sigterm");
  assert.equal(cause?.title, "endpoints removed after SIGTERM: add a preStop sleep");
  assert.equal(cause?.failures, v.failed, "every failure is placed after a pod's SIGTERM");
  assert.deepEqual(
    cause?.findings.map((f) => f.rule),
    ["prestop-missing"],
  );
  // Every failed request sits in an incident shown with the pod event that caused it.
  assert.equal(
    v.incidents.reduce((n, i) => n + i.failures, 0),
    v.failed,
  );
  for (const incident of v.incidents) {
    assert.ok(incident.events.some((e) => e.kind === "pod" && e.change === "terminating"));
  }
  const text = verifyTextReport(timeline, v);
  assert.match(text, /zero downtime: NO — \d+ of \d+ requests failed/);
  assert.match(text, /pod web-[a-z0-9]+-[a-z0-9]+ terminating/);
  assert.match(text, /✗ \d+ failed: \d+ × 502/);
  assert.match(text, /confirmed by rule prestop-missing/);
});

test("failures after SIGTERM with a preStop in place never advise adding one: the text names what explains them", () => {
  const timeline = fixture("rollout-no-prestop");
  const [deployment] = timeline.objects as unknown as Array<{ spec: { template: { spec: PodSpec } } }>;
  deployment!.spec.template.spec.containers[0]!.lifecycle = { preStop: { sleep: { seconds: 2 } } };
  deployment!.spec.template.spec.terminationGracePeriodSeconds = 30;
  const v = verdict(timeline, auditObjects(timeline.objects));
  const [cause] = v.causes;
  assert.equal(cause?.kind, "after-sigterm");
  assert.doesNotMatch(`${cause?.title} ${cause?.fix}`, /add (a )?(lifecycle\.)?preStop/);
  assert.match(
    cause?.title ?? "",
    /although a preStop exists \(preStop sleep 2 s, terminationGracePeriodSeconds 30 s\)/,
  );
  assert.match(cause?.fix ?? "", /outlast the time the ingress/);
  assert.ok(!cause?.findings.some((f) => f.rule === "prestop-missing"));
});

test("failures in the warm-up are a bad baseline, never blamed on the rollout", () => {
  const timeline = fixture("rollout-zero-downtime");
  const triggered = timeline.events.find((e) => e.kind === "phase" && e.phase === "rollout-triggered")!.t;
  timeline.load.failures = [
    { t: triggered - 800, latencyMs: 3, status: 503 },
    { t: triggered - 300, latencyMs: 4, status: 503 },
  ];
  timeline.load.failed = 2;
  const v = verdict(timeline, auditObjects(timeline.objects));
  assert.equal(v.ok, false);
  assert.deepEqual(
    v.causes.map((c) => [c.kind, c.failures]),
    [["baseline", 2]],
  );
  assert.match(v.causes[0]?.title ?? "", /before anything was disrupted: a bad baseline/);
  assert.match(v.causes[0]?.evidence ?? "", /^2 of 2 failed requests came before the disruption started/);
});

test("a recorded drain behind a PDB shows the refusals, the evictions and the uncordon", () => {
  const timeline = fixture("drain-pdb");
  const v = verdict(timeline, auditObjects(timeline.objects));
  assert.equal(v.ok, true);
  assert.match(
    v.goal.summary,
    /^3 pods evicted; \d+ refusals? by a PDB retried; node drained at [\d.]+ s; uncordoned$/,
  );
});

test("a recorded drain without a PDB: failures while no endpoint was ready are blamed on the missing PDB", () => {
  const timeline = fixture("drain-no-pdb");
  const v = verdict(timeline, auditObjects(timeline.objects));
  assert.equal(v.ok, false);
  assert.equal(v.goal.met, true, "the drain itself went through");
  const capacity = v.causes.find((c) => c.kind === "no-ready-endpoints");
  assert.ok(capacity && capacity.failures > 0);
  assert.ok(capacity.findings.some((f) => f.rule === "pdb-missing"));
  assert.equal(
    v.causes.reduce((n, c) => n + c.failures, 0),
    v.failed,
    "every failure is attributed to exactly one cause",
  );
  assert.ok(!v.causes.some((c) => c.kind === "unexplained"));
});

test("a recorded autoscale shows the replicas rising and falling", () => {
  const timeline = fixture("autoscale-up-down");
  const v = verdict(timeline, auditObjects(timeline.objects));
  assert.equal(v.ok, true);
  assert.match(
    v.goal.summary,
    /^scaled 2 → [34] replicas in [\d.]+ s; scale-up seen at [\d.]+ s; scaled back down at [\d.]+ s$/,
  );
});

test("the HTML report draws the recorded data: requests per second, replicas and one mark per pod event", () => {
  const timeline = fixture("rollout-no-prestop");
  const v = verdict(timeline, auditObjects(timeline.objects));
  const html = verifyHtmlReport(timeline, v);
  const points = (attribute: string, name: string) =>
    Number(new RegExp(`${attribute}="${name}" data-points="(\\d+)"`).exec(html)?.[1]);
  assert.equal(points("data-series", "requests/s"), timeline.load.seconds.length);
  assert.equal(
    points("data-lane", "stopping"),
    timeline.events.filter((e) => e.kind === "pod" && e.change === "terminating").length,
  );
  assert.equal(points("data-lane", "failed"), timeline.load.failures.length);
  assert.ok(points("data-series", "ready replicas") > 0);
  assert.doesNotMatch(html, /<script(?! type="application\/json")/, "no script: it opens offline");
  const embedded = JSON.parse(
    /<script type="application\/json" id="verify-result">(.*)<\/script>/s.exec(html)![1]!,
  );
  assert.equal(embedded.verdict.failed, v.failed);
});
