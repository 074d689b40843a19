// The apiserver's validation code, offline: each rule's path and the defaults it must reckon with. The
// verdicts themselves are held to the apiserver's by test/integration/schema-oracle.test.ts.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { validateObject } from "../../../src/k8s/schema.ts";

const container = (extra: object = {}) => ({
  name: "app",
  image: "registry.example.com/app:1.0.3",
  ...extra,
});
const template = (pod: object = {}, c: object = {}) => ({
  metadata: { labels: { app: "app" } },
  spec: { containers: [container(c)], ...pod },
});
const workload = (kind: string, spec: object, name = "app") => ({
  apiVersion: "apps/v1",
  kind,
  metadata: { name, namespace: "shop" },
  spec: { selector: { matchLabels: { app: "app" } }, template: template(), ...spec },
});
const job = (pod: object) => ({
  apiVersion: "batch/v1",
  kind: "Job",
  metadata: { name: "migrate" },
  spec: { template: { spec: { containers: [container()], ...pod } } },
});
const paths = (object: object) => (validateObject(object) ?? []).map((v) => v.path);

describe("restart policies per kind", () => {
  it("a Job must say OnFailure or Never: unset means Always, which it refuses", () => {
    assert.deepEqual(paths(job({})), ["spec.template.spec.restartPolicy"]);
    assert.deepEqual(paths(job({ restartPolicy: "Always" })), ["spec.template.spec.restartPolicy"]);
    assert.deepEqual(paths(job({ restartPolicy: "Never" })), []);
  });

  it("a Deployment's pods restart Always; a Pod may use any of the three", () => {
    const never = workload("Deployment", { template: template({ restartPolicy: "Never" }) });
    assert.deepEqual(paths(never), ["spec.template.spec.restartPolicy"]);
    const pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p" },
      spec: template({ restartPolicy: "Never" }).spec,
    };
    assert.deepEqual(paths(pod), []);
  });
});

describe("defaults the apiserver fills in before it validates", () => {
  it("a Deployment with maxSurge 0 alone keeps the default 25% maxUnavailable", () => {
    const ok = workload("Deployment", { strategy: { rollingUpdate: { maxSurge: 0 } } });
    assert.deepEqual(paths(ok), []);
    const stuck = workload("Deployment", {
      strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: "0%" } },
    });
    assert.deepEqual(paths(stuck), ["spec.strategy.rollingUpdate.maxUnavailable"]);
  });

  it("a DaemonSet with maxSurge alone also has the default maxUnavailable 1, and may not", () => {
    const both = workload("DaemonSet", { updateStrategy: { rollingUpdate: { maxSurge: 1 } } });
    const [violation] = validateObject(both) ?? [];
    assert.equal(violation?.path, "spec.updateStrategy.rollingUpdate.maxSurge");
    assert.match(violation?.message ?? "", /defaults to 1/);
    assert.deepEqual(
      paths(workload("DaemonSet", { updateStrategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } })),
      [],
    );
  });

  it("a Service targetPort of 0 becomes the port itself", () => {
    const service = {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "web" },
      spec: { ports: [{ port: 80, targetPort: 0 }] },
    };
    assert.deepEqual(paths(service), []);
  });
});

describe("values", () => {
  it("compares a request and its limit as quantities, whatever the notation", () => {
    const equal = { requests: { cpu: "300m", memory: "1Gi" }, limits: { cpu: "0.3", memory: "1073741824" } };
    assert.deepEqual(paths(workload("Deployment", { template: template({}, { resources: equal }) })), []);
    const above = { requests: { memory: "257Mi" }, limits: { memory: "256Mi" } };
    assert.deepEqual(paths(workload("Deployment", { template: template({}, { resources: above }) })), [
      "spec.template.spec.containers[0].resources.requests.memory",
    ]);
  });

  it("names a label key with a slash by its key", () => {
    const labelled = workload("Deployment", {});
    Object.assign(labelled.metadata, { labels: { "a/b/c": "x", "example.com/tier": "" } });
    assert.deepEqual(paths(labelled), ['metadata.labels["a/b/c"]']);
  });

  it("says a selector that misses the template at the template's labels", () => {
    const missed = workload("Deployment", { selector: { matchLabels: { app: "app", tier: "web" } } });
    assert.deepEqual(paths(missed), ["spec.template.metadata.labels"]);
  });

  it("lets a StatefulSet mount its volumeClaimTemplates, and nothing else", () => {
    const claim = { metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"] } };
    const mounts = (name: string) => template({}, { volumeMounts: [{ name, mountPath: "/data" }] });
    const sts = (name: string) =>
      workload(
        "StatefulSet",
        { serviceName: "db", volumeClaimTemplates: [claim], template: mounts(name) },
        "db",
      );
    assert.deepEqual(paths(sts("data")), []);
    assert.deepEqual(paths(sts("logs")), ["spec.template.spec.containers[0].volumeMounts[0].name"]);
  });

  it("copes with values of the wrong type: the schema reports them, the validation code skips them", () => {
    const odd = workload("Deployment", {
      replicas: "3",
      strategy: "fast",
      template: { metadata: { labels: "app" }, spec: { containers: "app", topologySpreadConstraints: [7] } },
    });
    const violations = validateObject(odd) ?? [];
    assert.ok(violations.length > 0);
    assert.ok(
      violations.every((v) => /must be|required/.test(v.message)),
      JSON.stringify(violations),
    );
  });
});
