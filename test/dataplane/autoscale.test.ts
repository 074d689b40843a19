// Real CPU, end to end: the kubelets measure it, metrics-server serves it as metrics.k8s.io,
// and the HPA controller scales a CPU-bound Deployment up under `shipshape load` from the host
// (through a NodePort and kube-proxy), and back down when the load stops.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { AutoscalingV2Api, CustomObjectsApi } from "@kubernetes/client-node";
import { parseQuantity } from "../../src/k8s/quantity.ts";
import { freshNamespace, kubeConfig, nodePortUrl, waitFor } from "./support/dataplane.ts";
import { createWebWorkload } from "./support/web-workload.ts";

const CLI = fileURLToPath(new URL("../../bin/shipshape.js", import.meta.url));

const kc = kubeConfig();
const autoscaling = kc.makeApiClient(AutoscalingV2Api);
const metrics = kc.makeApiClient(CustomObjectsApi);
let ns = "";

interface Usage {
  usage: { cpu: string; memory: string };
}

before(async () => {
  ns = await freshNamespace("dp-autoscale");
  await createWebWorkload(ns, {
    name: "burner",
    container: {
      resources: { requests: { cpu: "100m", memory: "32Mi" }, limits: { cpu: "200m", memory: "64Mi" } },
    },
  });
  await autoscaling.createNamespacedHorizontalPodAutoscaler({
    namespace: ns,
    body: {
      metadata: { name: "burner" },
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "burner" },
        minReplicas: 1,
        maxReplicas: 3,
        metrics: [
          {
            type: "Resource",
            resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 50 } },
          },
        ],
      },
    },
  });
});

async function replicas(): Promise<number> {
  const hpa = await autoscaling.readNamespacedHorizontalPodAutoscaler({ name: "burner", namespace: ns });
  return hpa.status?.currentReplicas ?? 0;
}

test("metrics-server serves every node's and a pod's real usage, read from the kubelets", async () => {
  const nodes = await waitFor(
    async () => {
      const list = (await metrics.listClusterCustomObject({
        group: "metrics.k8s.io",
        version: "v1beta1",
        plural: "nodes",
      })) as { items: Usage[] };
      return list.items.length >= 4 && list.items;
    },
    { timeoutMs: 90_000, what: "metrics of 4 nodes" },
  );
  for (const node of nodes) assert.ok(parseQuantity(node.usage.memory) > 0);
  const pods = await waitFor(
    async () => {
      const list = (await metrics.listNamespacedCustomObject({
        group: "metrics.k8s.io",
        version: "v1beta1",
        namespace: ns,
        plural: "pods",
      })) as { items: { containers: Usage[] }[] };
      return list.items.length > 0 && list.items;
    },
    { timeoutMs: 90_000, what: "metrics of the burner pod" },
  );
  assert.ok(parseQuantity(pods[0]?.containers[0]?.usage.memory ?? "0") > 0);
});

let load: ReturnType<typeof spawn> | undefined;
after(() => load?.kill("SIGKILL"));

test("the HPA scales the Deployment up under shipshape load from the host, and down when the load stops", async () => {
  // Requests of 200 ms of CPU each, as fast as 4 connections allow, saturate one 200m-limited
  // replica (2x its 100m request, the target being 50 %). Bounded by --duration should the test
  // fail before it stops the load.
  const url = await nodePortUrl(ns, "burner", "/burn?ms=200");
  load = spawn(process.execPath, [
    CLI,
    "load",
    url,
    "--qps",
    "0",
    "-c",
    "4",
    "--duration",
    "300s",
    "--timeout",
    "60s",
    "--quiet",
  ]);
  let output = "";
  load.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  await waitFor(async () => (await replicas()) >= 2, {
    timeoutMs: 180_000,
    what: "the HPA to scale up",
    intervalMs: 1000,
  });
  // Ctrl-C: the load stops and prints what it measured.
  load.kill("SIGINT");
  const [code] = await once(load, "close");
  assert.equal(code, 130, output);
  assert.match(output, /200\s*:\s*\d+/, `every answer of the pods is counted by status:\n${output}`);
  await waitFor(async () => (await replicas()) === 1, {
    timeoutMs: 180_000,
    what: "the HPA to scale back down to 1",
    intervalMs: 1000,
  });
});
