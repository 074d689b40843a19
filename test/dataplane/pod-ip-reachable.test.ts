// Why network-policy-missing judges pods no Service selects, when they declare a port: on real nodes any
// pod of any namespace reaches such a pod at its IP and port — no Service is needed to be reachable. (The
// testbed enforces no NetworkPolicy, so this proves the exposure the rule describes, not the fence.)
import assert from "node:assert/strict";
import { before, test } from "node:test";
import type { V1Pod } from "@kubernetes/client-node";
import { checkObjects } from "../../src/check/engine.ts";
import type { KubeObject } from "../../src/k8s/object.ts";
import { parseManifests } from "../../src/manifest/parse.ts";
import { testCluster } from "../integration/deploy-support.ts";
import { curlFromPod, freshNamespace, isReady, podWhen, webContainer } from "./support/dataplane.ts";

const cluster = testCluster();
let ns = "";
let exporter: V1Pod & KubeObject;

before(async () => {
  ns = await freshNamespace("dp-pod-ip");
  const container = await webContainer({ readinessProbe: { httpGet: { path: "/healthz", port: "http" } } });
  exporter = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "exporter", namespace: ns, labels: { app: "exporter" } },
    spec: { containers: [container] },
  };
  await cluster.apply(exporter);
});

test("check reports a port-declaring pod that no Service selects, in a namespace that fences others", () => {
  const policy = {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: "web", namespace: ns },
    spec: { podSelector: { matchLabels: { app: "web" } }, policyTypes: ["Ingress"] },
  };
  const text = [policy, exporter].map((o) => JSON.stringify(o)).join("\n---\n");
  const found = checkObjects(parseManifests(text, "input.yaml")).findings.filter(
    (f) => f.rule === "network-policy-missing",
  );
  assert.deepEqual(
    found.map((f) => `${f.severity} ${f.object.name}`),
    ["warning exporter"],
  );
});

test("a pod in another namespace reaches it at its pod IP, with no Service in between", async () => {
  const pod = await podWhen(ns, "exporter", isReady, "ready");
  const other = await freshNamespace("dp-pod-ip-client");
  const body = await curlFromPod(other, `http://${pod.status!.podIP}:8080/healthz`);
  assert.ok(body.length > 0, "the exporter answered");
});
