import assert from "node:assert/strict";
import { test } from "node:test";
import type { ReplicaSet } from "kubernetes-types/apps/v1.js";
import type { Pod } from "kubernetes-types/core/v1.js";
import type { EndpointSlice } from "kubernetes-types/discovery/v1.js";
import { endpointChanges, podChanges, replicaSetChanges } from "../../../src/verify/changes.ts";

function pod(patch: { node?: string; ready?: boolean; deleting?: boolean } = {}): Pod {
  return {
    metadata: {
      name: "web-7d9f-abcde",
      namespace: "shop",
      ownerReferences: [
        { apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-7d9f", uid: "u", controller: true },
      ],
      ...(patch.deleting ? { deletionTimestamp: "2026-01-01T00:00:30Z" } : {}),
    },
    spec: { containers: [{ name: "web" }], ...(patch.node ? { nodeName: patch.node } : {}) },
    status: { conditions: [{ type: "Ready", status: patch.ready ? "True" : "False" }] },
  };
}

test("a pod's life reads as created, scheduled, ready, terminating, deleted", () => {
  const changes = (before?: Pod, after?: Pod) =>
    podChanges(1, before, after).map((e) =>
      e.kind === "pod" ? `${e.change}${e.node ? `@${e.node}` : ""}` : e.kind,
    );
  assert.deepEqual(changes(undefined, pod()), ["created"]);
  assert.deepEqual(changes(pod(), pod({ node: "n1" })), ["scheduled@n1"]);
  assert.deepEqual(changes(pod({ node: "n1" }), pod({ node: "n1", ready: true })), ["ready"]);
  assert.deepEqual(changes(pod({ node: "n1", ready: true }), pod({ node: "n1", ready: true })), []);
  assert.deepEqual(
    changes(pod({ node: "n1", ready: true }), pod({ node: "n1", ready: true, deleting: true })),
    ["terminating"],
  );
  assert.deepEqual(
    changes(pod({ node: "n1", ready: true, deleting: true }), pod({ node: "n1", deleting: true })),
    ["not-ready"],
  );
  assert.deepEqual(changes(pod({ node: "n1", deleting: true }), undefined), ["deleted@n1"]);
});

test("pod events name the owning ReplicaSet", () => {
  const [event] = podChanges(5, undefined, pod());
  assert.deepEqual(event, { t: 5, kind: "pod", pod: "web-7d9f-abcde", change: "created", owner: "web-7d9f" });
});

function slice(endpoints: Array<[string, { ready?: boolean; terminating?: boolean }]>): EndpointSlice {
  return {
    addressType: "IPv4",
    metadata: { name: "web-x1", namespace: "shop" },
    endpoints: endpoints.map(([name, conditions]) => ({
      addresses: ["10.0.0.1"],
      conditions,
      targetRef: { kind: "Pod", name, namespace: "shop" },
    })),
  };
}

test("an endpoint joins ready, is marked terminating, then leaves the slice", () => {
  const changes = (before?: EndpointSlice, after?: EndpointSlice) =>
    endpointChanges(2, before, after).map((e) => (e.kind === "endpoint" ? `${e.pod}:${e.change}` : e.kind));
  const a = slice([["a", { ready: true }]]);
  const ab = slice([
    ["a", { ready: true }],
    ["b", { ready: false }],
  ]);
  assert.deepEqual(changes(undefined, a), ["a:added-ready"]);
  assert.deepEqual(changes(a, ab), ["b:added-not-ready"]);
  const bReady = slice([
    ["a", { ready: true }],
    ["b", { ready: true }],
  ]);
  assert.deepEqual(changes(ab, bReady), ["b:ready"]);
  const aTerminating = slice([
    ["a", { ready: false, terminating: true }],
    ["b", { ready: true }],
  ]);
  assert.deepEqual(changes(bReady, aTerminating), ["a:terminating"]);
  assert.deepEqual(changes(aTerminating, slice([["b", { ready: true }]])), ["a:removed"]);
  assert.deepEqual(changes(slice([["b", { ready: true }]]), undefined), ["b:removed"]);
});

test("an endpoint without a ready condition counts as ready, as the API defines", () => {
  const [event] = endpointChanges(3, undefined, slice([["a", {}]]));
  assert.equal(event?.kind === "endpoint" && event.change, "added-ready");
});

test("a ReplicaSet event is recorded only when its counts move", () => {
  const rs = (replicas: number, readyReplicas: number): ReplicaSet => ({
    metadata: { name: "web-7d9f" },
    status: { replicas, readyReplicas },
  });
  assert.deepEqual(replicaSetChanges(1, undefined, rs(3, 3)), [
    { t: 1, kind: "replicaset", name: "web-7d9f", replicas: 3, ready: 3 },
  ]);
  assert.deepEqual(replicaSetChanges(2, rs(3, 3), rs(3, 3)), []);
  assert.deepEqual(replicaSetChanges(3, rs(3, 3), rs(2, 2)), [
    { t: 3, kind: "replicaset", name: "web-7d9f", replicas: 2, ready: 2 },
  ]);
  assert.deepEqual(replicaSetChanges(4, rs(1, 0), undefined), [
    { t: 4, kind: "replicaset", name: "web-7d9f", replicas: 0, ready: 0 },
  ]);
});
