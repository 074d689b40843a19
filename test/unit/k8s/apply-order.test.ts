import assert from "node:assert/strict";
import { test } from "node:test";
import { applyPhase, applyRank, orderForApply, orderForDelete } from "../../../src/k8s/apply-order.ts";

const kinds = (objects: Array<{ kind: string; name?: string }>) => objects.map((o) => o.name ?? o.kind);

test("orderForApply puts what others depend on first: Namespace, CRD, storage, RBAC, config, PVC, Service, workloads, PDB, HPA, Ingress, custom", () => {
  const input = [
    { kind: "IngressRoute" },
    { kind: "Ingress" },
    { kind: "HorizontalPodAutoscaler" },
    { kind: "PodDisruptionBudget" },
    { kind: "Deployment" },
    { kind: "Service" },
    { kind: "PersistentVolumeClaim" },
    { kind: "Secret" },
    { kind: "RoleBinding" },
    { kind: "ServiceAccount" },
    { kind: "StorageClass" },
    { kind: "CustomResourceDefinition" },
    { kind: "Namespace" },
  ];
  assert.deepEqual(kinds(orderForApply(input)), [
    "Namespace",
    "CustomResourceDefinition",
    "StorageClass",
    "RoleBinding",
    "ServiceAccount",
    "Secret",
    "PersistentVolumeClaim",
    "Service",
    "Deployment",
    "PodDisruptionBudget",
    "HorizontalPodAutoscaler",
    "Ingress",
    "IngressRoute",
  ]);
});

test("orderForApply keeps input order within a phase (StatefulSet written before Deployment stays before)", () => {
  const input = [
    { kind: "Deployment", name: "web" },
    { kind: "StatefulSet", name: "db" },
    { kind: "ConfigMap", name: "b" },
    { kind: "Secret", name: "a" },
  ];
  assert.deepEqual(kinds(orderForApply(input)), ["b", "a", "web", "db"]);
});

test("orderForDelete removes custom objects first and the Namespace last", () => {
  const ordered = kinds(
    orderForDelete([{ kind: "Namespace" }, { kind: "Middleware" }, { kind: "Deployment" }]),
  );
  assert.deepEqual(ordered, ["Middleware", "Deployment", "Namespace"]);
});

test("synth's finer applyRank never contradicts deploy's phases (a kind ranked earlier is never in a later phase)", () => {
  const kinds = ["Namespace", "CephFilesystem", "Role", "Secret", "ConfigMap", "StatefulSet", "Deployment"]
    .concat(["NetworkPolicy", "Middleware", "Ingress", "IngressRoute", "Certificate"])
    .map((kind) => ({ kind }));
  for (const a of kinds)
    for (const b of kinds)
      if (applyRank(a) < applyRank(b))
        assert.ok(applyPhase(a) <= applyPhase(b), `${a.kind} before ${b.kind}`);
  assert.ok(applyRank({ kind: "Secret" }) < applyRank({ kind: "ConfigMap" }));
  assert.equal(applyPhase({ kind: "Secret" }), applyPhase({ kind: "ConfigMap" }));
});
