// Why probe-port-unknown is only info for a numeric port the container does not declare: on real nodes the
// kubelet probes the pod's IP at that port whatever the declared ports say, so the same finding is a pod
// that becomes ready (the server listens there) or one that never does (a typo). The input cannot tell.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type { V1Pod } from "@kubernetes/client-node";
import { checkObjects } from "../../src/check/engine.ts";
import type { KubeObject } from "../../src/k8s/object.ts";
import { parseManifests } from "../../src/manifest/parse.ts";
import { testCluster } from "../integration/deploy-support.ts";
import { core, freshNamespace, isReady, podWhen, webContainer } from "./support/dataplane.ts";

const cluster = testCluster();
let ns = "";
const pods: (V1Pod & KubeObject)[] = [];

/** The web server (HTTP on 8080) declaring only port 9090, its readiness probe aimed at `port`. */
async function probing(name: string, port: number): Promise<V1Pod & KubeObject> {
  const container = await webContainer({
    ports: [{ name: "other", containerPort: 9090 }],
    readinessProbe: { httpGet: { path: "/healthz", port }, periodSeconds: 1 },
  });
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: ns },
    spec: { containers: [container] },
  };
}

before(async () => {
  ns = await freshNamespace("dp-probe-port");
  pods.push(await probing("listens", 8080), await probing("typo", 8008));
  for (const pod of pods) await cluster.apply(pod);
});

test("check says the same, as info, of a probe on an undeclared port the server listens on and of a typo", () => {
  const text = pods.map((p) => JSON.stringify(p)).join("\n---\n");
  const found = checkObjects(parseManifests(text, "pods.yaml"))
    .findings.filter((f) => f.rule === "probe-port-unknown")
    .map((f) => `${f.severity} ${f.object.name}`);
  assert.deepEqual(found.sort(), ["info listens", "info typo"]);
});

test("the kubelet readies the pod whose server listens on the undeclared port, and never the typo", async () => {
  await podWhen(ns, "listens", isReady, "ready through a probe on undeclared port 8080");
  // Long enough for many failed probes at one per second: the typo's pod stays unready.
  await sleep(15_000);
  const typo = await core.readNamespacedPod({ name: "typo", namespace: ns });
  assert.equal(typo.status?.phase, "Running");
  assert.equal(isReady(typo), false);
});
