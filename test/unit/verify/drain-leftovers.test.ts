// Which pods a drain leaves on the node and why, and what the drain's goal then says: never "node
// drained" while a pod it should move is still there.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Pod } from "kubernetes-types/core/v1.js";
import { leftovers, whyLeft } from "../../../src/verify/drain-leftovers.ts";
import { verifyTextReport } from "../../../src/verify/report/text.ts";
import type { ClusterEvent, Timeline } from "../../../src/verify/timeline.ts";
import { verdict } from "../../../src/verify/verdict.ts";

function pod(
  name: string,
  extra: { namespace?: string; owner?: string; mirror?: boolean; phase?: string } = {},
): Pod {
  const metadata: Pod["metadata"] = { name, namespace: extra.namespace ?? "shop" };
  if (extra.owner)
    metadata.ownerReferences = [
      { apiVersion: "apps/v1", kind: extra.owner, name: "x", uid: "u", controller: true },
    ];
  if (extra.mirror) metadata.annotations = { "kubernetes.io/config.mirror": "abc" };
  return { metadata, status: { phase: extra.phase ?? "Running" } };
}

test("DaemonSet, static and finished pods stay by design; other namespaces and bare pods as told", () => {
  const scope = { namespace: "shop" };
  assert.equal(
    whyLeft(pod("web-1", { owner: "ReplicaSet" }), scope),
    undefined,
    "a ReplicaSet's pod is moved",
  );
  assert.equal(whyLeft(pod("agent", { owner: "DaemonSet", namespace: "kube-system" }), scope), "daemonset");
  assert.equal(whyLeft(pod("etcd-node-1", { mirror: true, namespace: "kube-system" }), scope), "static");
  assert.equal(whyLeft(pod("job-x", { owner: "Job", phase: "Succeeded" }), scope), "finished");
  assert.equal(whyLeft(pod("api-1", { owner: "ReplicaSet", namespace: "billing" }), scope), "namespace");
  assert.equal(whyLeft(pod("debug"), scope), "no-controller");
  assert.equal(whyLeft(pod("debug"), { force: true }), undefined, "--force moves a bare pod");
  const left = leftovers(
    [pod("web-1", { owner: "ReplicaSet" }), pod("debug")],
    scope,
    () => "still terminating",
  );
  assert.deepEqual(left, [
    { pod: "shop/web-1", reason: "not-evicted", detail: "still terminating" },
    { pod: "shop/debug", reason: "no-controller" },
  ]);
});

const T0 = 1_700_000_000_000;
const at = (s: number) => T0 + s * 1000;
const phase = (
  s: number,
  p: Extract<ClusterEvent, { kind: "phase" }>["phase"],
  detail?: string,
): ClusterEvent =>
  detail ? { t: at(s), kind: "phase", phase: p, detail } : { t: at(s), kind: "phase", phase: p };

function drain(events: ClusterEvent[]): Timeline {
  return {
    scenario: "drain",
    subject: "Node node-2",
    url: "http://10.40.0.12:30080/",
    startedAt: T0,
    endedAt: at(20),
    load: { targetQps: 10, connections: 1, seconds: [], failures: [], calls: 200, failed: 0 },
    events: [
      phase(1, "cordoned"),
      { t: at(1.1), kind: "eviction", pod: "web-a", outcome: "evicted" },
      phase(4, "drained"),
      ...events,
      phase(15, "uncordoned"),
    ],
    objects: [],
  };
}

test("a DaemonSet pod left behind still lets the node count as drained, and is named", () => {
  const v = verdict(drain([{ t: at(4), kind: "left", pod: "kube-system/agent-x", reason: "daemonset" }]));
  assert.equal(v.goal.met, true);
  assert.equal(
    v.goal.summary,
    "1 pod evicted; node drained at 4.0 s; uncordoned; left by design: kube-system/agent-x (DaemonSet)",
  );
});

test("a bare pod left behind: the node is NOT drained, the goal is missed, and the report says why", () => {
  const timeline = drain([
    { t: at(4), kind: "left", pod: "kube-system/agent-x", reason: "daemonset" },
    { t: at(4), kind: "left", pod: "shop/debug", reason: "no-controller" },
  ]);
  const v = verdict(timeline);
  assert.equal(v.goal.met, false);
  assert.equal(v.ok, false);
  assert.doesNotMatch(v.goal.summary, /node drained/);
  assert.match(
    v.goal.summary,
    /evicted pods gone at 4\.0 s, but node NOT drained: left shop\/debug \(no controller; --force evicts it\)/,
  );
  const text = verifyTextReport(timeline, v);
  assert.match(text, /goal NOT met/);
});

test("pods of other namespaces than -n: as asked, but the node is not called drained", () => {
  const v = verdict(drain([{ t: at(4), kind: "left", pod: "billing/api-1", reason: "namespace" }]));
  assert.equal(v.goal.met, true, "the namespace asked for was moved off");
  assert.match(
    v.goal.summary,
    /the pods asked for \(-n\) moved off at 4\.0 s, node NOT drained: left billing\/api-1 \(outside -n\)/,
  );
});
