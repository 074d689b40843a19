// The scenario goals and the verdict's bookkeeping, on small hand-made timelines; the causes are
// tested on recorded timelines in verdict.test.ts.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Finding } from "../../../src/check/types.ts";
import type { ClusterEvent, Timeline } from "../../../src/verify/timeline.ts";
import { verdict } from "../../../src/verify/verdict.ts";

const T0 = 1_700_000_000_000;
const at = (s: number) => T0 + s * 1000;

function timeline(
  scenario: Timeline["scenario"],
  events: ClusterEvent[],
  extra: Partial<Timeline> = {},
): Timeline {
  return {
    scenario,
    subject: "Deployment shop/web",
    url: "http://127.0.0.1:8080/",
    startedAt: T0,
    endedAt: at(30),
    load: { targetQps: 10, connections: 1, seconds: [], failures: [], calls: 300, failed: 0 },
    events,
    objects: [],
    ...extra,
  };
}

function finding(rule: string): Finding {
  return {
    rule,
    severity: "warning",
    object: { apiVersion: "apps/v1", kind: "Deployment", namespace: "shop", name: "web" },
    file: "(cluster)",
    line: 1,
    col: 1,
    message: `${rule} fired`,
    fix: `fix ${rule}`,
  };
}

const phase = (s: number, p: Extract<ClusterEvent, { kind: "phase" }>["phase"]): ClusterEvent => ({
  t: at(s),
  kind: "phase",
  phase: p,
});

test("a rollout that completed with no failed request is verified", () => {
  const v = verdict(timeline("rollout", [phase(2, "rollout-triggered"), phase(14.5, "rollout-complete")]));
  assert.equal(v.ok, true);
  assert.equal(v.zeroDowntime, true);
  assert.equal(v.goal.summary, "rollout completed in 12.5 s");
});

test("a rollout that timed out fails its goal even without failed requests", () => {
  const v = verdict(timeline("rollout", [phase(2, "rollout-triggered"), phase(30, "timed-out")]));
  assert.equal(v.ok, false);
  assert.equal(v.zeroDowntime, true);
  assert.equal(v.goal.met, false);
});

test("a drain counts evictions, refusals and the uncordon; a blocked drain names the PDB rule", () => {
  const events: ClusterEvent[] = [
    phase(1, "cordoned"),
    { t: at(1.1), kind: "eviction", pod: "web-a", outcome: "evicted" },
    { t: at(1.1), kind: "eviction", pod: "web-b", outcome: "refused", message: "Cannot evict pod" },
    { t: at(3), kind: "eviction", pod: "web-b", outcome: "evicted" },
    phase(5, "drained"),
    phase(9, "uncordoned"),
  ];
  const done = verdict(timeline("drain", events), [finding("pdb-blocks-drain")]);
  assert.equal(done.ok, true);
  assert.equal(
    done.goal.summary,
    "2 pods evicted; 1 refusal by a PDB retried; node drained at 5.0 s; uncordoned",
  );
  assert.deepEqual(done.goal.findings, [], "a met goal needs no explanation");
  assert.deepEqual(
    done.risks.map((f) => f.rule),
    ["pdb-blocks-drain"],
  );

  const blocked = verdict(
    timeline("drain", [
      phase(1, "cordoned"),
      { t: at(1.1), kind: "eviction", pod: "web-a", outcome: "refused" },
      phase(30, "timed-out"),
      phase(30, "uncordoned"),
    ]),
    [finding("pdb-blocks-drain")],
  );
  assert.equal(blocked.ok, false);
  assert.match(blocked.goal.summary, /node NOT drained/);
  assert.deepEqual(
    blocked.goal.findings.map((f) => f.rule),
    ["pdb-blocks-drain"],
  );
  assert.deepEqual(blocked.risks, []);
});

test("autoscale is met when desired replicas rose, and reports the scale-down when waited for", () => {
  const replicas = (s: number, desired: number, ready: number): ClusterEvent => ({
    t: at(s),
    kind: "replicas",
    desired,
    ready,
  });
  const v = verdict(
    timeline("autoscale", [
      replicas(0, 2, 2),
      replicas(8, 4, 2),
      phase(8, "scaled-up"),
      replicas(9, 4, 4),
      phase(25, "scaled-down"),
    ]),
  );
  assert.equal(v.ok, true);
  assert.equal(
    v.goal.summary,
    "scaled 2 → 4 replicas in 8.0 s; scale-up seen at 8.0 s; scaled back down at 25.0 s",
  );
  const flat = verdict(timeline("autoscale", [replicas(0, 2, 2), phase(30, "timed-out")]), [
    finding("hpa-without-requests"),
  ]);
  assert.equal(flat.ok, false);
  assert.equal(flat.goal.summary, "did not scale: stayed at 2 replicas");
  assert.deepEqual(
    flat.goal.findings.map((f) => f.rule),
    ["hpa-without-requests"],
  );
});

test("delete is met once a replacement was Ready, and says how long after the delete", () => {
  const v = verdict(
    timeline("delete", [phase(2, "pod-deleted"), phase(9.5, "pod-replaced"), phase(19.5, "settled")]),
  );
  assert.equal(v.goal.met, true);
  assert.equal(v.goal.summary, "pod deleted; its replacement was Ready 7.5 s later");
  const lost = verdict(timeline("delete", [phase(2, "pod-deleted"), phase(30, "timed-out")]));
  assert.equal(lost.ok, false);
  assert.equal(lost.goal.summary, "no replacement was Ready before the timeout");
});

test("an interrupted run is partial and never verified", () => {
  const v = verdict(
    timeline("rollout", [phase(2, "rollout-triggered"), phase(5, "rollout-complete")], {
      interrupted: "interrupted by Ctrl-C",
    }),
  );
  assert.equal(v.ok, false);
  assert.equal(v.partial, "interrupted by Ctrl-C");
});

test("failed requests are grouped into incidents by time, with their codes counted", () => {
  const failures = [
    { t: at(10), status: 502 },
    { t: at(10.4), status: 502 },
    { t: at(10.9), error: "reset" },
    { t: at(20), status: 503 },
  ];
  const v = verdict(
    timeline("rollout", [phase(2, "rollout-triggered"), phase(25, "rollout-complete")], {
      load: { targetQps: 10, connections: 1, seconds: [], failures, calls: 300, failed: 4 },
    }),
  );
  assert.equal(v.zeroDowntime, false);
  assert.deepEqual(
    v.incidents.map((i) => [i.failures, i.codes]),
    [
      [3, { "502": 2, reset: 1 }],
      [1, { "503": 1 }],
    ],
  );
});
