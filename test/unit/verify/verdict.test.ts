// The verdict on timelines recorded on the testbed (test/integration/verify.test.ts with
// RECORD_VERIFY_FIXTURES=1): real pod, endpoint, ReplicaSet and eviction events, real load; each
// fixture's `note` says how it was obtained.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import type { PodSpec } from "kubernetes-types/core/v1.js";
import { auditObjects } from "../../../src/verify/audit.ts";
import { podStopOf } from "../../../src/verify/prestop.ts";
import { verifyHtmlReport } from "../../../src/verify/report/html.ts";
import { verifyTextReport } from "../../../src/verify/report/text.ts";
import type { Timeline } from "../../../src/verify/timeline.ts";
import { DEFAULT_VERDICT, verdict } from "../../../src/verify/verdict.ts";

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

test("a load from worker pods is reported with each worker that did not run its share", () => {
  const timeline = fixture("rollout-zero-downtime");
  timeline.load.workers = [
    { name: "shipshape-load-ab12-0-x", index: 0, state: "ran", calls: 900 },
    { name: "shipshape-load-ab12-1-y", index: 1, state: "died", detail: "OOMKilled (exit 137)", calls: 310 },
  ];
  const text = verifyTextReport(timeline, verdict(timeline, auditObjects(timeline.objects)));
  assert.match(text, /\n {2}Workers {6}2 pods: 1 ran their share, 1 died\n/);
  assert.match(text, /\n {15}shipshape-load-ab12-1-y DIED \(310 calls counted\): OOMKilled \(exit 137\)\n/);
  assert.doesNotMatch(text, /shipshape-load-ab12-0-x/);
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

/** The recorded rollout as it would be had its pods been made from `old` (the three that stop) and
 * `fresh` (the three that replace them) pod specs, and the Deployment's template were `now` at the end. */
function rolledFrom(old: PodSpec, fresh: PodSpec, now: PodSpec): Timeline {
  const timeline = fixture("rollout-no-prestop");
  const [deployment] = timeline.objects as unknown as Array<{ spec: { template: { spec: PodSpec } } }>;
  deployment!.spec.template.spec = now;
  const owners = new Map(timeline.events.flatMap((e) => (e.kind === "pod" ? [[e.pod, e.owner]] : [])));
  const replaced = [...owners].filter(([, owner]) => owner === "web-5bc947885f");
  assert.equal(replaced.length, 3, "the recording stops three pods of the first ReplicaSet");
  timeline.podStops = Object.fromEntries(
    [...owners].map(([pod, owner]) => [pod, podStopOf(owner === "web-5bc947885f" ? old : fresh)]),
  );
  return timeline;
}

const template = (preStopSeconds?: number): PodSpec => ({
  terminationGracePeriodSeconds: 30,
  containers: [
    {
      name: "web",
      image: "registry.invalid/web:1",
      ...(preStopSeconds !== undefined && { lifecycle: { preStop: { sleep: { seconds: preStopSeconds } } } }),
    },
  ],
});

test("a rollout that adds a preStop blames the replaced pods' failures on their own missing preStop, never 'although a preStop exists'", () => {
  const timeline = rolledFrom(template(), template(3), template(3));
  const v = verdict(timeline, auditObjects(timeline.objects));
  const sigterm = v.causes.filter((c) => c.kind === "after-sigterm");
  assert.equal(sigterm.length, 1);
  const [cause] = sigterm;
  assert.equal(cause?.failures, v.failed, "every failure is the replaced pods'");
  assert.match(
    cause?.title ?? "",
    /^endpoints removed after SIGTERM of pods made without a preStop; the template now has one \(preStop sleep 3 s\)/,
  );
  assert.doesNotMatch(
    `${cause?.title} ${cause?.fix}`,
    /although a preStop exists|add (a )?(lifecycle\.)?preStop/,
  );
  assert.match(cause?.fix ?? "", /^nothing to add: these failures came from the pods being replaced/);
  // Judged by the template alone (as before pods were recorded), the same failures read as a preStop's.
  delete timeline.podStops;
  const byTemplate = verdict(timeline, auditObjects(timeline.objects)).causes[0];
  assert.match(byTemplate?.title ?? "", /although a preStop exists \(preStop sleep 3 s/);
});

test("a rollout that removes the preStop judges the replaced pods by the hook they had", () => {
  const timeline = rolledFrom(template(5), template(), template());
  const v = verdict(timeline, auditObjects(timeline.objects));
  const [cause] = v.causes;
  assert.equal(cause?.kind, "after-sigterm");
  assert.match(
    cause?.title ?? "",
    /although a preStop exists \(preStop sleep 5 s, terminationGracePeriodSeconds 30 s\)/,
  );
  assert.doesNotMatch(`${cause?.title} ${cause?.fix}`, /add (a )?(lifecycle\.)?preStop/);
  // The template's missing preStop is still a risk for the next rollout, found by the rule.
  assert.ok(v.risks.some((f) => f.rule === "prestop-missing"));
});

test("failing pods that stop differently get a cause each, their failures split between them", () => {
  const timeline = rolledFrom(template(), template(), template());
  const whole = verdict(timeline, auditObjects(timeline.objects)).causes.find(
    (c) => c.kind === "after-sigterm",
  )!;
  assert.ok(whole.pods.length >= 2, `the recording blames several pods: ${whole.pods}`);
  const [withHook, ...without] = whole.pods;
  timeline.podStops![withHook!] = podStopOf(template(4));
  const v = verdict(timeline, auditObjects(timeline.objects));
  const sigterm = v.causes.filter((c) => c.kind === "after-sigterm");
  assert.equal(sigterm.length, 2);
  const despite = sigterm.find((c) => /although a preStop exists \(preStop sleep 4 s/.test(c.title))!;
  const missing = sigterm.find((c) => c.title === "endpoints removed after SIGTERM: add a preStop sleep")!;
  assert.deepEqual(despite.pods, [withHook]);
  assert.deepEqual(missing.pods.sort(), without.sort());
  assert.equal(despite.failures + missing.failures, whole.failures);
  assert.ok(despite.failures > 0 && missing.failures > 0);
  assert.deepEqual(
    missing.findings.map((f) => f.rule),
    ["prestop-missing"],
  );
  assert.deepEqual(despite.findings, []);
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
  // Not the rollout's downtime: counted apart, and the headline says what they are.
  assert.equal(v.zeroDowntime, true);
  assert.equal(v.baselineFailed, 2);
  const text = verifyTextReport(timeline, v);
  assert.match(text, /: BAD BASELINE\n/);
  assert.match(text, /zero downtime: yes — \d+ requests, none failed from the disruption on/);
  assert.match(
    text,
    /bad baseline: 2 requests failed in the warm-up, before anything was disrupted — not the rollout's doing/,
  );
});

test("an autoscale run's warm-up failures are its baseline too: the end of the warm-up is recorded", () => {
  const timeline = fixture("autoscale-up-down");
  const warmedUp = timeline.startedAt + 2000;
  timeline.events.push({ t: warmedUp, kind: "phase", phase: "warmed-up" });
  timeline.events.sort((a, b) => a.t - b.t);
  timeline.load.failures = [
    { t: warmedUp - 500, status: 503 },
    { t: warmedUp + 60_000, status: 503 },
  ];
  timeline.load.failed = 2;
  const v = verdict(timeline, auditObjects(timeline.objects));
  assert.equal(v.baselineFailed, 1);
  assert.equal(v.zeroDowntime, false, "the failure after the warm-up is the run's");
  assert.deepEqual(v.causes.find((c) => c.kind === "baseline")?.failures, 1);
  assert.match(
    verifyTextReport(timeline, v),
    /zero downtime: NO — 1 of \d+ requests failed from the disruption on/,
  );
});

test("a drain's failures after SIGTERM are judged by the failing pod's own workload: its preStop counts", () => {
  const timeline = fixture("drain-no-pdb");
  const before = verdict(timeline, auditObjects(timeline.objects)).causes.find(
    (c) => c.kind === "after-sigterm",
  );
  assert.match(before?.title ?? "", /add a preStop sleep/, "the recorded Deployment has none");
  const deployment = timeline.objects.find((o) => o.kind === "Deployment") as unknown as {
    spec: { template: { spec: PodSpec } };
  };
  deployment.spec.template.spec.containers[0]!.lifecycle = { preStop: { sleep: { seconds: 5 } } };
  const after = verdict(timeline, auditObjects(timeline.objects)).causes.find(
    (c) => c.kind === "after-sigterm",
  );
  assert.match(after?.title ?? "", /although a preStop exists \(preStop sleep 5 s/);
  assert.doesNotMatch(`${after?.title} ${after?.fix}`, /add (a )?(lifecycle\.)?preStop/);
});

test("risks honour shipshape.dev/ignore as check does; a measured cause stays confirmed", () => {
  const timeline = fixture("rollout-zero-downtime");
  const deployment = timeline.objects.find((o) => o.kind === "Deployment")!;
  deployment.metadata.annotations = { "shipshape.dev/ignore": "pdb-missing, anti-affinity-missing" };
  const v = verdict(timeline, auditObjects(timeline.objects));
  assert.deepEqual(
    v.risks.map((f) => f.rule),
    ["prestop-missing"],
  );
  assert.doesNotMatch(verifyTextReport(timeline, v), /pdb-missing|anti-affinity-missing/);
  deployment.metadata.annotations = { "shipshape.dev/ignore": "all" };
  assert.deepEqual(verdict(timeline, auditObjects(timeline.objects)).risks, []);

  const failing = fixture("rollout-no-prestop");
  failing.objects.find((o) => o.kind === "Deployment")!.metadata.annotations = {
    "shipshape.dev/ignore": "prestop-missing",
  };
  const cause = verdict(failing, auditObjects(failing.objects)).causes[0];
  assert.deepEqual(
    cause?.findings.map((f) => f.rule),
    ["prestop-missing"],
    "what explains measured failures is said whatever was opted out",
  );
});

test("a run that went on unproven (--assume-reach) says in every format that it proves nothing", () => {
  const timeline = fixture("rollout-zero-downtime");
  const how = "127.0.0.1:8080 is no pod, Service, node port or published ingress address of the cluster";
  timeline.reach = { proven: false, assumed: true, how };
  const v = verdict(timeline, auditObjects(timeline.objects));
  assert.deepEqual(v.reach, timeline.reach, "the JSON verdict carries it");
  const text = verifyTextReport(timeline, v);
  assert.match(text, /: VERIFIED — PROVES NOTHING ABOUT THE WORKLOAD\n/);
  assert.match(
    text,
    /!! the load was NOT proven to reach Deployment \S+'s pods \(the run went on by --assume-reach\): 127\.0\.0\.1:8080 is no pod/,
  );
  const html = verifyHtmlReport(timeline, v);
  assert.match(html, /<span id="status" class="ok">VERIFIED — PROVES NOTHING ABOUT THE WORKLOAD<\/span>/);
  assert.match(html, /<p id="reach" class="bad">.*the load was NOT proven to reach/);
  timeline.reach = { proven: true, how: "Service ns/web (10.96.0.20:80), which selects the target's pods" };
  const proven = verifyTextReport(timeline, verdict(timeline, auditObjects(timeline.objects)));
  assert.match(proven, /: VERIFIED\n {2}the load reached the workload: Service ns\/web/);
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

test("with a preStop in place, when the failures came says what explains them", () => {
  const withPreStop = (sleep: number, grace: number) => {
    const timeline = fixture("rollout-no-prestop");
    const [deployment] = timeline.objects as unknown as Array<{ spec: { template: { spec: PodSpec } } }>;
    deployment!.spec.template.spec.containers[0]!.lifecycle = { preStop: { sleep: { seconds: sleep } } };
    deployment!.spec.template.spec.terminationGracePeriodSeconds = grace;
    return timeline;
  };
  const title = (timeline: Timeline) =>
    verdict(timeline, auditObjects(timeline.objects), { ...DEFAULT_VERDICT, windowMs: 10_000 }).causes.find(
      (c) => c.kind === "after-sigterm",
    )?.title ?? "";
  // The recorded failures came within 1.4 s of Terminating: a 60 s sleep should have held them off.
  assert.match(
    title(withPreStop(60, 90)),
    /the failures came 0\.0 s–1\.4 s after Terminating, while the 60 s sleep should still have kept it serving: the process stopped early/,
  );
  assert.match(title(withPreStop(30, 30)), /the grace period \(30 s\) ends before the 30 s sleep does/);
  // Moved 6 s later, they come (3.1–4.7 s after the latest Terminating) after a 3 s sleep ended: the ingress reacted later than the preStop
  // lasted (a window as long as such an ingress's reaction keeps them blamed on the pods).
  const late = withPreStop(3, 30);
  late.load.failures = late.load.failures.map((f) => ({ ...f, t: f.t + 6000 }));
  assert.match(
    title(late),
    /the failures came 3\.1 s–4\.7 s after Terminating, after the 3 s sleep ended: the ingress still sent the pod requests when it stopped — the preStop is shorter than the ingress's reaction/,
  );
});
