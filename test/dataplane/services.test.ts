// Real pods on real nodes: a spread Deployment answers HTTP on every node, and a pod reaches it
// through a Service by DNS name and by ClusterIP (kube-proxy's rules, CoreDNS's answers).
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { AppsV1Api, type V1Pod } from "@kubernetes/client-node";
import {
  core,
  curlFromPod,
  freshNamespace,
  httpGet,
  isReady,
  kubeConfig,
  waitFor,
  webContainer,
} from "./support/dataplane.ts";

const apps = kubeConfig().makeApiClient(AppsV1Api);
let ns = "";
let pods: V1Pod[] = [];

before(async () => {
  ns = await freshNamespace("dp-services");
  const labels = { app: "web" };
  await apps.createNamespacedDeployment({
    namespace: ns,
    body: {
      metadata: { name: "web", labels },
      spec: {
        replicas: 3,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            affinity: {
              podAntiAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: [
                  { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: labels } },
                ],
              },
            },
            containers: [
              await webContainer({
                readinessProbe: { httpGet: { path: "/healthz", port: "http" }, periodSeconds: 1 },
              }),
            ],
          },
        },
      },
    },
  });
  await core.createNamespacedService({
    namespace: ns,
    body: {
      metadata: { name: "web" },
      spec: { selector: labels, ports: [{ port: 80, targetPort: "http" }] },
    },
  });
  pods = await waitFor(
    async () => {
      const { items } = await core.listNamespacedPod({ namespace: ns, labelSelector: "app=web" });
      return items.length === 3 && items.every(isReady) && items;
    },
    { timeoutMs: 120_000, what: "3 ready web pods" },
  );
});

test("a 3-replica Deployment with required anti-affinity runs on 3 different nodes, each pod answering HTTP", async () => {
  const nodes = new Set(pods.map((p) => p.spec?.nodeName));
  assert.equal(nodes.size, 3, [...nodes].join(","));
  for (const pod of pods) {
    const { status, body } = await httpGet(`http://${pod.status?.podIP}:8080/`);
    assert.equal(status, 200);
    assert.equal(body.trim(), pod.metadata?.name);
  }
});

test("a pod reaches the Service by its DNS name and by its ClusterIP, and is answered by one of its pods", async () => {
  const names = new Set(pods.map((p) => p.metadata?.name));
  const service = await core.readNamespacedService({ name: "web", namespace: ns });
  const byName = await curlFromPod(ns, `http://web.${ns}.svc.cluster.local/`);
  assert.ok(names.has(byName.trim()), byName);
  const byShortName = await curlFromPod(ns, "http://web/");
  assert.ok(names.has(byShortName.trim()), byShortName);
  const byIP = await curlFromPod(ns, `http://${service.spec?.clusterIP}/`);
  assert.ok(names.has(byIP.trim()), byIP);
});
