import assert from "node:assert/strict";
import { test } from "node:test";
import { buildObjectIndex } from "../../../src/check/object-index.ts";
import { asSource } from "./fixtures.ts";

function deployment(name: string, labels: Record<string, string>, extra: Record<string, unknown> = {}) {
  return asSource({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "shop" },
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: "app", image: "app:1" }] } },
      ...extra,
    },
  });
}

const web = deployment("web", { app: "shop", tier: "web" }, { replicas: 3 });
const api = deployment("api", { app: "shop", tier: "api" });

test("workloads: pod template, labels and the replica count each kind runs", () => {
  const cron = asSource({
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name: "report" },
    spec: {
      jobTemplate: {
        spec: {
          template: { metadata: { labels: { job: "report" } }, spec: { containers: [{ name: "r" }] } },
        },
      },
    },
  });
  const daemon = asSource({
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: "agent" },
    spec: { template: { spec: { containers: [{ name: "a" }] } } },
  });
  const pod = asSource({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p" },
    spec: { containers: [{ name: "c" }] },
  });
  const index = buildObjectIndex([web, api, cron, daemon, pod]);
  assert.equal(index.workloadOf(web)?.replicas, 3);
  assert.equal(index.workloadOf(api)?.replicas, 1);
  assert.equal(index.workloadOf(api)?.declaredReplicas, undefined);
  assert.equal(index.workloadOf(daemon)?.replicas, undefined);
  assert.equal(index.workloadOf(pod)?.replicas, 1);
  assert.deepEqual(index.workloadOf(cron)?.specPath, ["spec", "jobTemplate", "spec", "template", "spec"]);
  assert.deepEqual(index.workloadOf(cron)?.podLabels, { job: "report" });
  assert.equal(index.workloadOf(cron)?.namespace, "default");
});

test("Services select workloads by pod labels, within their namespace only", () => {
  const both = asSource({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "all", namespace: "shop" },
    spec: { selector: { app: "shop" } },
  });
  const one = asSource({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "web", namespace: "shop" },
    spec: { selector: { app: "shop", tier: "web" } },
  });
  const elsewhere = asSource({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "web", namespace: "other" },
    spec: { selector: { app: "shop" } },
  });
  const none = asSource({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "typo", namespace: "shop" },
    spec: { selector: { app: "shop", tier: "wbe" } },
  });
  const index = buildObjectIndex([web, api, both, one, elsewhere, none]);
  assert.deepEqual(
    index
      .selectedBy(both)
      .map((w) => w.name)
      .sort(),
    ["api", "web"],
  );
  assert.deepEqual(
    index.selectedBy(one).map((w) => w.name),
    ["web"],
  );
  assert.deepEqual(index.selectedBy(elsewhere), []);
  assert.deepEqual(index.selectedBy(none), []);
  assert.deepEqual(index.workloadOf(web)?.services, [both, one]);
});

test("PodDisruptionBudgets: expressions, and an empty selector by API version", () => {
  const pdb = (apiVersion: string, selector: unknown, name: string) =>
    asSource({
      apiVersion,
      kind: "PodDisruptionBudget",
      metadata: { name, namespace: "shop" },
      spec: { selector },
    });
  const byExpression = pdb(
    "policy/v1",
    { matchExpressions: [{ key: "tier", operator: "NotIn", values: ["web"] }] },
    "e",
  );
  const emptyV1 = pdb("policy/v1", {}, "v1");
  const emptyBeta = pdb("policy/v1beta1", {}, "beta");
  const index = buildObjectIndex([web, api, byExpression, emptyV1, emptyBeta]);
  assert.deepEqual(
    index.selectedBy(byExpression).map((w) => w.name),
    ["api"],
  );
  assert.deepEqual(
    index
      .selectedBy(emptyV1)
      .map((w) => w.name)
      .sort(),
    ["api", "web"],
  );
  assert.deepEqual(index.selectedBy(emptyBeta), []);
});

test("an HPA resolves its scaleTargetRef by kind and name in its own namespace", () => {
  const hpa = (name: string, kind: string, namespace = "shop") =>
    asSource({
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: { name, namespace },
      spec: { scaleTargetRef: { apiVersion: "apps/v1", kind, name: "web" } },
    });
  const right = hpa("a", "Deployment");
  const wrongKind = hpa("b", "StatefulSet");
  const wrongNamespace = hpa("c", "Deployment", "other");
  const index = buildObjectIndex([web, right, wrongKind, wrongNamespace]);
  assert.equal(index.hpaTarget(right)?.source, web);
  assert.equal(index.hpaTarget(wrongKind), undefined);
  assert.equal(index.hpaTarget(wrongNamespace), undefined);
  assert.deepEqual(index.workloadOf(web)?.hpas, [right]);
});

test("Secrets, claims and storage classes", () => {
  const secret = asSource({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "db", namespace: "shop" },
    data: { a: "eA==" },
    stringData: { b: "y" },
  });
  const declaring = asSource({
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: {
      name: "mysql",
      namespace: "shop",
      annotations: { "shipshape.dev/generated-secrets": "mysql: root, user" },
    },
    spec: {
      template: {
        spec: {
          containers: [{ name: "mysql" }],
          volumes: [{ name: "d", persistentVolumeClaim: { claimName: "data" } }],
        },
      },
    },
  });
  const claim = asSource({
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name: "data", namespace: "shop" },
    spec: { accessModes: ["ReadWriteOnce"], storageClassName: "fast" },
  });
  const sc = asSource({
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name: "fast", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
  });
  const index = buildObjectIndex([secret, declaring, claim, sc]);
  assert.deepEqual([...index.secret("shop", "db")!.keys].sort(), ["a", "b"]);
  assert.deepEqual([...index.secret("shop", "mysql")!.keys], ["root", "user"]);
  assert.equal(index.secret("other", "db"), undefined);
  assert.deepEqual(index.claim("shop", "data")?.accessModes, ["ReadWriteOnce"]);
  assert.deepEqual(
    index.claim("shop", "data")?.users.map((w) => w.name),
    ["mysql"],
  );
  assert.equal(index.storageClass("fast"), sc);
  assert.equal(index.get("StorageClass", "any-namespace", "fast"), sc);
  assert.equal(index.defaultStorageClass, sc);
});

test("ingress backends: networking/v1, the legacy form, the default backend and Traefik routes", () => {
  const v1 = asSource({
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: { name: "i" },
    spec: {
      defaultBackend: { service: { name: "fallback", port: { number: 8080 } } },
      rules: [{ http: { paths: [{ backend: { service: { name: "web", port: { name: "http" } } } }] } }],
    },
  });
  const legacy = asSource({
    apiVersion: "extensions/v1beta1",
    kind: "Ingress",
    metadata: { name: "old" },
    spec: { rules: [{ http: { paths: [{ backend: { serviceName: "web", servicePort: 80 } }] } }] },
  });
  const route = asSource({
    apiVersion: "traefik.io/v1alpha1",
    kind: "IngressRoute",
    metadata: { name: "r" },
    spec: {
      routes: [
        {
          services: [
            { name: "web", port: 80 },
            { name: "wrr", kind: "TraefikService" },
          ],
        },
      ],
    },
  });
  const service = asSource({ apiVersion: "v1", kind: "Service", metadata: { name: "web" }, spec: {} });
  const index = buildObjectIndex([v1, legacy, route, service]);
  assert.deepEqual(index.routedBy(service), [v1, legacy, route]);
  assert.deepEqual(
    index.ingressBackends(v1).map((b) => [b.service, b.port, b.path.join(".")]),
    [
      ["fallback", 8080, "spec.defaultBackend"],
      ["web", "http", "spec.rules.0.http.paths.0.backend"],
    ],
  );
  assert.deepEqual(
    index.ingressBackends(legacy).map((b) => [b.service, b.port]),
    [["web", 80]],
  );
  assert.deepEqual(
    index.ingressBackends(route).map((b) => [b.service, b.port, b.path.join(".")]),
    [["web", 80, "spec.routes.0.services.0"]],
  );
});

test("redefines: an object defined again names the latest earlier one of its own API group", () => {
  const ingress = (apiVersion: string, host: string) =>
    asSource({
      apiVersion,
      kind: "Ingress",
      metadata: { name: "web", namespace: "shop" },
      spec: { rules: [{ host }] },
    });
  const first = ingress("networking.k8s.io/v1", "a.example.com");
  const legacy = ingress("extensions/v1beta1", "b.example.com");
  const again = ingress("networking.k8s.io/v1", "c.example.com");
  const elsewhere = asSource({
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: { name: "web", namespace: "other" },
  });
  const index = buildObjectIndex([first, legacy, again, elsewhere]);
  assert.equal(index.redefines(first), undefined);
  // Another group's object of the same kind and name in between is not the one replaced.
  assert.equal(index.redefines(legacy), undefined);
  assert.equal(index.redefines(again), first);
  assert.equal(index.redefines(elsewhere), undefined);
  assert.equal(index.get("Ingress", "shop", "web"), again);
});

test("get: a cluster-scoped kind is found whatever namespace is asked for", () => {
  const fast = asSource({
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name: "fast" },
  });
  const index = buildObjectIndex([fast]);
  assert.equal(index.get("StorageClass", "shop", "fast"), fast);
  assert.equal(index.storageClass("fast"), fast);
  assert.equal(index.get("StorageClass", "shop", "slow"), undefined);
});
