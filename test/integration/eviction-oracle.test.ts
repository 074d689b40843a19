// The Eviction API and the disruption controller, which `verify drain` and the PDB rules rely on:
// an eviction that would break a PodDisruptionBudget is refused with 429 and allowed once it would
// not. On a data plane the pods run, and the evicted one is really stopped and replaced.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ApiException, AppsV1Api, CoreV1Api, PolicyV1Api, type V1Pod } from "@kubernetes/client-node";
import { freshNamespace, kubeConfig, waitFor } from "./support/cluster.ts";
import { runnable } from "./support/runnable.ts";

const kc = kubeConfig();
const core = kc.makeApiClient(CoreV1Api);
const apps = kc.makeApiClient(AppsV1Api);
const policy = kc.makeApiClient(PolicyV1Api);

const isReady = (pod: V1Pod): boolean =>
  pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;

async function readyPods(namespace: string, count: number): Promise<V1Pod[] | undefined> {
  const { items } = await core.listNamespacedPod({ namespace, labelSelector: "app=guarded" });
  const ready = items.filter((pod) => !pod.metadata?.deletionTimestamp && isReady(pod));
  return ready.length === count ? ready : undefined;
}

test("an Eviction that would break a PodDisruptionBudget is refused with 429, and allowed once it would not", async () => {
  const namespace = await freshNamespace("eviction");
  const labels = { app: "guarded" };
  await apps.createNamespacedDeployment({
    namespace,
    body: {
      metadata: { name: "guarded", labels },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [await runnable({ name: "app" })] } },
      },
    },
  });
  await policy.createNamespacedPodDisruptionBudget({
    namespace,
    body: { metadata: { name: "guarded" }, spec: { minAvailable: 2, selector: { matchLabels: labels } } },
  });
  const pods = await waitFor(() => readyPods(namespace, 2), { timeoutMs: 90_000, what: "2 Ready pods" });
  const budgetSettled = (allowed: number) => async () => {
    const pdb = await policy.readNamespacedPodDisruptionBudget({ name: "guarded", namespace });
    const { observedGeneration, currentHealthy, disruptionsAllowed } = pdb.status ?? {};
    return (
      observedGeneration === pdb.metadata?.generation &&
      currentHealthy === 2 &&
      disruptionsAllowed === allowed
    );
  };
  await waitFor(budgetSettled(0), { timeoutMs: 30_000, what: "the PDB to count 2 healthy, 0 allowed" });

  const name = pods[0]?.metadata?.name ?? "";
  const evict = () =>
    core.createNamespacedPodEviction({
      name,
      namespace,
      body: { apiVersion: "policy/v1", kind: "Eviction", metadata: { name, namespace } },
    });
  await assert.rejects(evict(), (error: unknown) => {
    assert.ok(error instanceof ApiException, String(error));
    assert.equal(error.code, 429);
    return true;
  });

  await policy.patchNamespacedPodDisruptionBudget({
    name: "guarded",
    namespace,
    body: [{ op: "replace", path: "/spec/minAvailable", value: 1 }],
  });
  await waitFor(budgetSettled(1), { timeoutMs: 30_000, what: "the PDB to allow 1 disruption" });
  await evict();
  // Gone (its container stopped, on a data plane), and the Deployment back at 2 Ready pods.
  await waitFor(async () => !(await core.readNamespacedPod({ name, namespace }).catch(() => undefined)), {
    timeoutMs: 60_000,
    what: `the evicted pod ${name} to be gone`,
  });
  const after = await waitFor(() => readyPods(namespace, 2), { timeoutMs: 90_000, what: "a replacement" });
  assert.ok(!after.some((pod) => pod.metadata?.name === name));
});
