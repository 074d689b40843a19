import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkObjects } from "../../../src/check/engine.ts";
import { unknownKind } from "../../../src/check/rules/kind-unknown.ts";
import { asSource } from "./fixtures.ts";

describe("kind-unknown", () => {
  it("names the apiVersion that serves a kind put in the wrong group or version", () => {
    assert.deepEqual(unknownKind("v1", "Deployment"), {
      message: "Deployment is served as apps/v1, not v1",
      path: "apiVersion",
      servedAs: "apps/v1",
    });
    assert.equal(unknownKind("v1", "PodDisruptionBudget")?.servedAs, "policy/v1");
    assert.equal(unknownKind("apps/v2", "Deployment")?.servedAs, "apps/v1");
  });

  it("offers the most stable version first when several serve the kind", () => {
    assert.match(
      unknownKind("v1", "HorizontalPodAutoscaler")?.message ?? "",
      /served as autoscaling\/v2 or autoscaling\/v1,/,
    );
  });

  it("suggests the kind meant for a misspelling or a wrong case", () => {
    assert.deepEqual(unknownKind("apps/v1", "Deploymnet"), {
      message: 'the apps group has no kind Deploymnet (did you mean "Deployment"?)',
      path: "kind",
    });
    assert.match(unknownKind("v1", "configmap")?.message ?? "", /did you mean "ConfigMap"/);
  });

  it("refuses a dotless group that is not built in, since no CRD may use one", () => {
    assert.match(
      unknownKind("app/v1", "Widget")?.message ?? "",
      /no API group "app" \(did you mean "apps"\?\)/,
    );
  });

  it("leaves built-in pairs, removed versions (api-removed's) and CRD groups alone", () => {
    for (const [apiVersion, kind] of [
      ["apps/v1", "Deployment"],
      ["v1", "ConfigMap"],
      ["policy/v1beta1", "PodDisruptionBudget"],
      ["extensions/v1beta1", "Ingress"],
      ["traefik.io/v1alpha1", "IngressRoute"],
      ["cert-manager.io/v1", "Certificate"],
      ["gateway.networking.k8s.io/v1", "HTTPRoute"],
    ]) {
      assert.equal(unknownKind(apiVersion!, kind!), undefined, `${apiVersion} ${kind}`);
    }
  });

  it("keeps the other rules off a Deployment the apiserver would refuse: it is no workload", () => {
    const deployment = (apiVersion: string) => ({
      apiVersion,
      kind: "Deployment",
      metadata: { name: "web", namespace: "shop" },
      spec: {
        selector: { matchLabels: { app: "web" } },
        template: {
          metadata: { labels: { app: "web" } },
          spec: { containers: [{ name: "web", image: "nginx" }] },
        },
      },
    });
    const rules = (apiVersion: string) =>
      new Set(checkObjects([asSource(deployment(apiVersion))]).findings.map((f) => f.rule));
    assert.deepEqual([...rules("v1")], ["kind-unknown"]);
    const served = rules("apps/v1");
    assert.ok(served.has("replicas-single") && !served.has("kind-unknown"), [...served].join(", "));
  });
});
