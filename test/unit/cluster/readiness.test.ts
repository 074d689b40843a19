import assert from "node:assert/strict";
import { test } from "node:test";
import { readinessOf } from "../../../src/cluster/readiness.ts";
import type { KubeObject } from "../../../src/k8s/object.ts";

function deployment(
  generation: number,
  spec: { replicas: number },
  status: Record<string, unknown>,
): KubeObject {
  return { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", generation }, spec, status };
}

test("a Deployment whose new spec the controller has not observed yet is waiting, whatever its replica counts", () => {
  const d = deployment(
    2,
    { replicas: 3 },
    { observedGeneration: 1, replicas: 3, updatedReplicas: 3, availableReplicas: 3 },
  );
  assert.deepEqual(readinessOf(d), { state: "waiting", detail: "spec update to be observed" });
});

test("a Deployment mid-rollout with maxSurge 1 (4 pods, 1 updated) waits for new replicas, then old ones to go, then availability", () => {
  const steps = [
    [
      { observedGeneration: 2, replicas: 4, updatedReplicas: 1, availableReplicas: 3 },
      "1 of 3 new replicas updated",
    ],
    [
      { observedGeneration: 2, replicas: 4, updatedReplicas: 3, availableReplicas: 3 },
      "1 old replicas pending termination",
    ],
    [
      { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 2 },
      "2 of 3 updated replicas available",
    ],
  ] as const;
  for (const [status, detail] of steps) {
    assert.deepEqual(readinessOf(deployment(2, { replicas: 3 }, status)), { state: "waiting", detail });
  }
  const done = deployment(
    2,
    { replicas: 3 },
    { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3 },
  );
  assert.equal(readinessOf(done).state, "ready");
});

test("a Deployment past its progress deadline has failed, not merely waiting", () => {
  const d = deployment(
    1,
    { replicas: 3 },
    {
      observedGeneration: 1,
      conditions: [
        {
          type: "Progressing",
          status: "False",
          reason: "ProgressDeadlineExceeded",
          message: 'ReplicaSet "web-1" has timed out progressing.',
        },
      ],
    },
  );
  assert.equal(readinessOf(d).state, "failed");
});

test("a StatefulSet is ready only when all replicas are ready and the update revision has rolled", () => {
  const sts = (status: Record<string, unknown>): KubeObject => ({
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: "mysql", generation: 1 },
    spec: { replicas: 1, updateStrategy: { type: "RollingUpdate" } },
    status: { observedGeneration: 1, ...status },
  });
  assert.equal(readinessOf(sts({ readyReplicas: 0 })).detail, "0 of 1 pods ready");
  assert.equal(
    readinessOf(
      sts({ readyReplicas: 1, currentRevision: "mysql-a", updateRevision: "mysql-b", updatedReplicas: 0 }),
    ).state,
    "waiting",
  );
  assert.equal(
    readinessOf(sts({ readyReplicas: 1, currentRevision: "mysql-b", updateRevision: "mysql-b" })).state,
    "ready",
  );
});

test("a Pending PVC waits, unless its StorageClass binds on first consumer", () => {
  const pvc: KubeObject = {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name: "data" },
    status: { phase: "Pending" },
  };
  assert.equal(readinessOf(pvc).state, "waiting");
  assert.equal(readinessOf(pvc, { volumeBindingMode: "WaitForFirstConsumer" }).state, "ready");
  assert.equal(readinessOf({ ...pvc, status: { phase: "Bound" } }).state, "ready");
});

test("a Service with a selector waits for a ready endpoint in its EndpointSlices", () => {
  const svc: KubeObject = {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "web" },
    spec: { selector: { app: "web" } },
  };
  const slice = (ready: boolean) => ({
    addressType: "IPv4" as const,
    endpoints: [{ addresses: ["10.0.0.1"], conditions: { ready } }],
  });
  assert.equal(readinessOf(svc, { endpointSlices: [] }).detail, "endpoints");
  assert.deepEqual(readinessOf(svc, { endpointSlices: [slice(false)] }), {
    state: "waiting",
    detail: "0 of 1 endpoints ready",
  });
  assert.deepEqual(readinessOf(svc, { endpointSlices: [slice(false), slice(true)] }), {
    state: "ready",
    detail: "1 ready endpoint",
  });
  assert.equal(
    readinessOf({ ...svc, spec: { type: "ExternalName", externalName: "db.example.com" } }).state,
    "ready",
  );
});

test("Namespace Active, CRD Established and Job Complete are ready; a failed Job and rejected CRD names have failed", () => {
  assert.equal(
    readinessOf({ apiVersion: "v1", kind: "Namespace", metadata: { name: "a" }, status: { phase: "Active" } })
      .state,
    "ready",
  );
  const crd = (conditions: unknown[]): KubeObject => ({
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "x" },
    status: { conditions },
  });
  assert.equal(readinessOf(crd([{ type: "NamesAccepted", status: "True" }])).state, "waiting");
  assert.equal(readinessOf(crd([{ type: "Established", status: "True" }])).state, "ready");
  assert.equal(
    readinessOf(crd([{ type: "NamesAccepted", status: "False", message: "plural taken" }])).state,
    "failed",
  );
  const job = (conditions: unknown[]): KubeObject => ({
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: "j" },
    status: { conditions },
  });
  assert.equal(readinessOf(job([{ type: "Complete", status: "True" }])).state, "ready");
  assert.equal(
    readinessOf(job([{ type: "Failed", status: "True", reason: "BackoffLimitExceeded" }])).state,
    "failed",
  );
  assert.equal(readinessOf(job([])).state, "waiting");
});

test("kinds without a rule (ConfigMap) are ready once applied", () => {
  assert.equal(readinessOf({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } }).state, "ready");
});

test("an HPA waits until it has decided to scale its target to at least its minimum", () => {
  const hpa = (currentReplicas: number, desiredReplicas?: number): KubeObject => ({
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: { name: "web" },
    spec: { minReplicas: 3, maxReplicas: 6 },
    status: { currentReplicas, desiredReplicas },
  });
  assert.deepEqual(readinessOf(hpa(1)), {
    state: "waiting",
    detail: "the autoscaler to scale to its minimum 3 (1 now)",
  });
  assert.equal(readinessOf(hpa(1, 1)).state, "waiting");
  assert.equal(readinessOf(hpa(1, 3)).state, "ready");
});

test("a DaemonSet is ready when every scheduled node runs an updated, available pod", () => {
  const ds = (status: Record<string, unknown>): KubeObject => ({
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: "agent", generation: 2 },
    spec: { updateStrategy: { type: "RollingUpdate" } },
    status: {
      observedGeneration: 2,
      currentNumberScheduled: 4,
      numberMisscheduled: 0,
      numberReady: 4,
      ...status,
    },
  });
  assert.equal(
    readinessOf(ds({ desiredNumberScheduled: 4, updatedNumberScheduled: 3, numberAvailable: 4 })).detail,
    "3 of 4 pods updated",
  );
  assert.equal(
    readinessOf(ds({ desiredNumberScheduled: 4, updatedNumberScheduled: 4, numberAvailable: 3 })).state,
    "waiting",
  );
  assert.equal(
    readinessOf(ds({ desiredNumberScheduled: 4, updatedNumberScheduled: 4, numberAvailable: 4 })).state,
    "ready",
  );
});

test("a paused Deployment with a rollout pending has failed (it will not progress), a paused but rolled-out one is judged normally", () => {
  const paused = (status: Record<string, unknown>): KubeObject => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", generation: 2 },
    spec: { replicas: 3, paused: true },
    status: { observedGeneration: 2, ...status },
  });
  assert.equal(
    readinessOf(paused({ replicas: 3, updatedReplicas: 0, availableReplicas: 3 })).state,
    "failed",
  );
  assert.equal(readinessOf(paused({ replicas: 3, updatedReplicas: 3, availableReplicas: 3 })).state, "ready");
});
