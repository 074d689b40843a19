import assert from "node:assert/strict";
import { test } from "node:test";
import {
  inventoryObject,
  mergeRefs,
  type ObjectRef,
  planPrune,
  readInventory,
} from "../../../src/cluster/inventory.ts";

const ref = (kind: string, name: string, extra: Partial<ObjectRef> = {}): ObjectRef => ({
  apiVersion: kind === "Deployment" ? "apps/v1" : "v1",
  kind,
  namespace: "blog",
  name,
  ...extra,
});

test("objects that left the input are pruned; PVCs, Namespaces and generated Secrets are kept without --prune-data", () => {
  const previous = [
    ref("Deployment", "web"),
    ref("ConfigMap", "old-config"),
    ref("PersistentVolumeClaim", "wordpress-pvc"),
    ref("Secret", "wordpress-mysql", { data: true }),
    { apiVersion: "v1", kind: "Namespace", name: "blog" },
  ];
  const current = [ref("Deployment", "web")];
  const plan = planPrune(previous, current, { pruneData: false });
  assert.deepEqual(
    plan.prune.map((r) => r.name),
    ["old-config"],
  );
  assert.deepEqual(
    plan.keep.map((r) => r.name),
    ["wordpress-pvc", "wordpress-mysql", "blog"],
  );
  const withData = planPrune(previous, current, { pruneData: true });
  assert.deepEqual(
    withData.prune.map((r) => r.name),
    ["old-config", "wordpress-pvc", "wordpress-mysql", "blog"],
  );
  assert.deepEqual(withData.keep, []);
});

test("an object whose apiVersion changed (extensions/v1beta1 → apps/v1) is the same object, not pruned", () => {
  const plan = planPrune(
    [ref("Deployment", "web", { apiVersion: "extensions/v1beta1" })],
    [ref("Deployment", "web", { apiVersion: "extensions/v1" })],
    {
      pruneData: false,
    },
  );
  assert.deepEqual(plan.prune, []);
});

test("the inventory ConfigMap round-trips its refs, and an unreadable one holds none", () => {
  const refs = [ref("Service", "web"), ref("Secret", "wordpress-mysql", { data: true })];
  const cm = inventoryObject("wordpress", "blog", refs);
  assert.equal(cm.metadata.name, "shipshape-inventory-wordpress");
  assert.deepEqual(
    readInventory(cm).map((r) => r.name),
    ["wordpress-mysql", "web"],
  );
  assert.deepEqual(readInventory({ ...cm, data: { objects: "{not json" } }), []);
  assert.deepEqual(readInventory(undefined), []);
});

test("mergeRefs keeps the data mark once an object was recorded as data", () => {
  const merged = mergeRefs(
    [ref("Secret", "db", { data: true })],
    [ref("Secret", "db"), ref("Service", "web")],
  );
  assert.deepEqual(merged, [ref("Secret", "db", { data: true }), ref("Service", "web")]);
});

test("an inventory ref is provably the app's only when the live object is in scope, labelled and applied by shipshape", async () => {
  const { notProvablyOurs, scopeOf } = await import("../../../src/cluster/inventory.ts");
  const applied = [{ manager: "shipshape", operation: "Apply", fieldsV1: { "f:data": {} } }];
  const live = (namespace: string | undefined, labels: Record<string, string>, managedFields = applied) => ({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "x", ...(namespace ? { namespace } : {}), labels, managedFields },
  });
  const input = [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "y", namespace: "blog" } }];
  const scope = scopeOf(input, "blog");
  const ours = { "shipshape.dev/app": "blog" };
  assert.equal(notProvablyOurs(ref("ConfigMap", "x"), live("blog", ours), "blog", scope), undefined);
  assert.match(
    notProvablyOurs(
      ref("ConfigMap", "x", { namespace: "kube-system" }),
      live("kube-system", ours),
      "blog",
      scope,
    ) ?? "",
    /namespace kube-system is not one this input deploys to/,
  );
  const clusterRole = { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", name: "admin" };
  assert.match(notProvablyOurs(clusterRole, live(undefined, ours), "blog", scope) ?? "", /cluster-scoped/);
  assert.match(notProvablyOurs(ref("ConfigMap", "x"), live("blog", {}), "blog", scope) ?? "", /not labelled/);
  assert.match(
    notProvablyOurs(ref("ConfigMap", "x"), live("blog", { "shipshape.dev/app": "shop" }), "blog", scope) ??
      "",
    /labelled as app "shop"/,
  );
  assert.match(
    notProvablyOurs(ref("ConfigMap", "x"), live("blog", ours, []), "blog", scope) ?? "",
    /not applied by shipshape/,
  );
});

test("a Secret deploy generated is provably the app's by shipshape's create of its mark and label; the same Secret written by another tool is not", async () => {
  const { notProvablyOurs, scopeOf } = await import("../../../src/cluster/inventory.ts");
  // managedFields as the API server records a create (POST ?fieldManager=…): operation Update.
  const created = (manager: string) => [
    {
      manager,
      operation: "Update",
      fieldsV1: {
        "f:data": { ".": {}, "f:password": {} },
        "f:metadata": {
          "f:annotations": { ".": {}, "f:shipshape.dev/generated-secret": {} },
          "f:labels": { ".": {}, "f:shipshape.dev/app": {} },
        },
        "f:type": {},
      },
    },
  ];
  const secret = (
    managedFields: ReturnType<typeof created>,
    annotations: Record<string, string> = { "shipshape.dev/generated-secret": "true" },
  ) => ({
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: "db",
      namespace: "blog",
      labels: { "shipshape.dev/app": "blog" },
      annotations,
      managedFields,
    },
  });
  const scope = scopeOf(
    [{ apiVersion: "v1", kind: "Secret", metadata: { name: "db", namespace: "blog" } }],
    "blog",
  );
  const db = ref("Secret", "db", { data: true });
  assert.equal(notProvablyOurs(db, secret(created("shipshape")), "blog", scope), undefined);
  assert.match(
    notProvablyOurs(db, secret(created("kubectl-create")), "blog", scope) ?? "",
    /not applied by shipshape/,
  );
  // Created by shipshape but not marked generated: an update of someone's Secret is no proof.
  assert.match(
    notProvablyOurs(db, secret(created("shipshape"), {}), "blog", scope) ?? "",
    /not applied by shipshape/,
  );
  // Only Secrets are generated: a ConfigMap shipshape only updated is not its own.
  assert.match(
    notProvablyOurs(
      ref("ConfigMap", "db"),
      { ...secret(created("shipshape")), kind: "ConfigMap" },
      "blog",
      scope,
    ) ?? "",
    /not applied by shipshape/,
  );
});

test("every Secret and every CRD is data, besides PVCs, PVs and Namespaces", async () => {
  const { isData } = await import("../../../src/cluster/inventory.ts");
  for (const kind of [
    "Secret",
    "CustomResourceDefinition",
    "PersistentVolumeClaim",
    "PersistentVolume",
    "Namespace",
  ])
    assert.ok(isData({ kind }), kind);
  assert.ok(!isData({ kind: "ConfigMap" }));
  assert.ok(isData({ kind: "ConfigMap", data: true }));
});
