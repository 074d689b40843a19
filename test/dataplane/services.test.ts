// Real pods on real nodes: a spread Deployment answers HTTP on every node, and a pod reaches it
// through a Service by DNS name and by ClusterIP (kube-proxy's rules, CoreDNS's answers).
import assert from "node:assert/strict";
import { before, test } from "node:test";
import type { V1Pod } from "@kubernetes/client-node";
import { core, curlFromPod, freshNamespace, httpGet, isReady, waitFor } from "./support/dataplane.ts";
import { createWebWorkload } from "./support/web-workload.ts";

let ns = "";
let pods: V1Pod[] = [];

before(async () => {
  ns = await freshNamespace("dp-services");
  await createWebWorkload(ns, {
    replicas: 3,
    pod: {
      affinity: {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: { app: "web" } } },
          ],
        },
      },
    },
    serviceType: "ClusterIP",
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
