// The testbed is a real control plane: these tests hold it to the behaviour the other
// integration tests rely on (nodes, version, scheduling, QoS, autoscaling; disruption budgets in
// eviction-oracle.test.ts).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import {
  AppsV1Api,
  AutoscalingV2Api,
  CoreV1Api,
  type V1Deployment,
  type V1Pod,
  VersionApi,
} from "@kubernetes/client-node";
import { freshNamespace, kubeConfig, waitFor } from "./support/cluster.ts";

const kc = kubeConfig();
const core = kc.makeApiClient(CoreV1Api);
const apps = kc.makeApiClient(AppsV1Api);

/** The Kubernetes version the testbed's wrapper module pins (what the build compiles). */
function pinnedVersion(): string {
  const goMod = readFileSync(new URL("../../testbed/k8s/go.mod", import.meta.url), "utf8");
  const match = /^\s*k8s\.io\/kubernetes (v\S+)/m.exec(goMod);
  assert.ok(match?.[1], "k8s.io/kubernetes in testbed/k8s/go.mod");
  return match[1];
}

function isReady(conditions: { type: string; status: string }[] | undefined): boolean {
  return conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
}

async function readyNodes() {
  const { items } = await core.listNode();
  return items.filter((node) => isReady(node.status?.conditions));
}

function deployment(name: string, replicas: number, pod: Partial<V1Pod["spec"]> = {}, annotations = {}) {
  const labels = { app: name };
  return {
    metadata: { name, labels },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels, annotations },
        spec: { containers: [{ name: "app", image: "registry.invalid/app:1" }], ...pod },
      },
    },
  } satisfies V1Deployment;
}

async function podsOf(namespace: string, app: string): Promise<V1Pod[]> {
  const { items } = await core.listNamespacedPod({ namespace, labelSelector: `app=${app}` });
  return items.filter((pod) => !pod.metadata?.deletionTimestamp);
}

async function readyPods(namespace: string, app: string, count: number): Promise<V1Pod[] | undefined> {
  const pods = await podsOf(namespace, app);
  const ready = pods.filter((pod) => isReady(pod.status?.conditions));
  return ready.length === count ? ready : undefined;
}

describe("testbed", () => {
  test("has at least 3 Ready nodes, labelled with hostname, across at least 2 zones", async () => {
    const nodes = await readyNodes();
    assert.ok(nodes.length >= 3, `${nodes.length} Ready nodes`);
    for (const node of nodes) {
      assert.equal(node.metadata?.labels?.["kubernetes.io/hostname"], node.metadata?.name);
    }
    const zones = new Set(nodes.map((node) => node.metadata?.labels?.["topology.kubernetes.io/zone"]));
    zones.delete(undefined);
    assert.ok(zones.size >= 2, `zones: ${[...zones].join(", ")}`);
  });

  test("serves the pinned Kubernetes version", async () => {
    const version = await kc.makeApiClient(VersionApi).getCode();
    assert.equal(version.gitVersion, pinnedVersion());
  });

  test("the scheduler honours required pod anti-affinity: one pod per node, the surplus Pending", async () => {
    const namespace = await freshNamespace("anti-affinity");
    // Schedulable ones only: another test file may be draining a node meanwhile.
    const nodeCount = (await readyNodes()).filter((node) => !node.spec?.unschedulable).length;
    const spread = {
      affinity: {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            { labelSelector: { matchLabels: { app: "spread" } }, topologyKey: "kubernetes.io/hostname" },
          ],
        },
      },
    };
    await apps.createNamespacedDeployment({ namespace, body: deployment("spread", 3, spread) });
    const pods = await waitFor(() => readyPods(namespace, "spread", 3), {
      timeoutMs: 30_000,
      what: "3 Ready pods",
    });
    const nodes = new Set(pods.map((pod) => pod.spec?.nodeName));
    assert.equal(nodes.size, 3, `pods on ${[...nodes].join(", ")}`);

    // One more replica than nodes: exactly one must stay unschedulable.
    await apps.patchNamespacedDeployment({
      name: "spread",
      namespace,
      body: [{ op: "replace", path: "/spec/replicas", value: nodeCount + 1 }],
    });
    const pending = await waitFor(
      async () => {
        const all = await podsOf(namespace, "spread");
        const unschedulable = all.filter((pod) =>
          pod.status?.conditions?.some((c) => c.type === "PodScheduled" && c.reason === "Unschedulable"),
        );
        return all.length === nodeCount + 1 && unschedulable.length === 1 ? unschedulable : undefined;
      },
      { timeoutMs: 30_000, what: `${nodeCount} scheduled pods and 1 unschedulable` },
    );
    assert.equal(pending[0]?.spec?.nodeName, undefined);
    const placed = (await podsOf(namespace, "spread")).map((pod) => pod.spec?.nodeName).filter(Boolean);
    assert.equal(new Set(placed).size, nodeCount);
  });

  test("a pod whose requests equal its limits reads Guaranteed from the apiserver", async () => {
    const namespace = await freshNamespace("qos");
    const resources = { requests: { cpu: "250m", memory: "64Mi" }, limits: { cpu: "250m", memory: "64Mi" } };
    const pod = await core.createNamespacedPod({
      namespace,
      body: {
        metadata: { name: "exact" },
        spec: { containers: [{ name: "app", image: "registry.invalid/app:1", resources }] },
      },
    });
    assert.equal(pod.status?.qosClass, "Guaranteed");
  });

  test("the HPA scales a KWOK Deployment up on high annotated CPU usage, and back down when it drops", async (t) => {
    const namespace = await freshNamespace("hpa");
    const usage = "kwok.x-k8s.io/usage-cpu";
    const resources = { requests: { cpu: "100m", memory: "32Mi" } };
    await apps.createNamespacedDeployment({
      namespace,
      body: deployment(
        "busy",
        1,
        { containers: [{ name: "app", image: "registry.invalid/app:1", resources }] },
        {
          [usage]: "400m",
        },
      ),
    });
    await waitFor(() => readyPods(namespace, "busy", 1), { timeoutMs: 30_000, what: "1 Ready pod" });
    await kc.makeApiClient(AutoscalingV2Api).createNamespacedHorizontalPodAutoscaler({
      namespace,
      body: {
        metadata: { name: "busy" },
        spec: {
          scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "busy" },
          minReplicas: 1,
          maxReplicas: 4,
          metrics: [
            {
              type: "Resource",
              resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 50 } },
            },
          ],
          behavior: { scaleDown: { stabilizationWindowSeconds: 0 } },
        },
      },
    });
    const replicas = async () =>
      (await apps.readNamespacedDeployment({ name: "busy", namespace })).spec?.replicas ?? 0;

    const upStart = Date.now();
    await waitFor(async () => (await replicas()) === 4, {
      timeoutMs: 150_000,
      what: "scale-up to 4 replicas",
    });
    const upSeconds = (Date.now() - upStart) / 1000;

    const downStart = Date.now();
    await apps.patchNamespacedDeployment({
      name: "busy",
      namespace,
      body: [
        {
          op: "replace",
          path: `/spec/template/metadata/annotations/${usage.replace("/", "~1")}`,
          value: "10m",
        },
      ],
    });
    await waitFor(async () => (await replicas()) === 1, {
      timeoutMs: 150_000,
      what: "scale-down to 1 replica",
    });
    const downSeconds = (Date.now() - downStart) / 1000;
    t.diagnostic(
      `HPA scale-up 1→4 took ${upSeconds.toFixed(1)} s, scale-down 4→1 took ${downSeconds.toFixed(1)} s`,
    );
  });
});
