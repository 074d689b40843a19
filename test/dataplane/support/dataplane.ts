// Helpers for the data-plane tests: what the testbed publishes (images, storage classes), and
// pods that run for real on its nodes. The cluster is `npm run testbed:up -- --data-plane`.
import { setTimeout as sleep } from "node:timers/promises";
import { CoreV1Api, type V1Container, type V1Pod } from "@kubernetes/client-node";
import { kubeConfig, waitFor } from "../../integration/support/cluster.ts";
import { testbedPublished } from "../../integration/support/published.ts";

export { freshNamespace, kubeConfig, waitFor } from "../../integration/support/cluster.ts";

export const core = kubeConfig().makeApiClient(CoreV1Api);

export interface Testbed {
  images: { web: string; wordpress: string; mysql: string; shipshape: string };
  storage: { rwo: string; rwx: string };
}

let published: Testbed | undefined;

/** A reader of ConfigMap kube-public/testbed, where the testbed publishes what tests need. */
export async function testbedConfig(): Promise<(key: string) => string> {
  const data = await testbedPublished();
  return (key) => {
    const value = data[key];
    if (!value)
      throw new Error(`ConfigMap kube-public/testbed has no ${key}: is this a --data-plane testbed?`);
    return value;
  };
}

/** The images and storage classes the testbed publishes. */
export async function testbed(): Promise<Testbed> {
  if (published) return published;
  const get = await testbedConfig();
  published = {
    images: {
      web: get("images.web"),
      wordpress: get("images.wordpress"),
      mysql: get("images.mysql"),
      shipshape: get("images.shipshape"),
    },
    storage: { rwo: get("storage.rwo"), rwx: get("storage.rwx") },
  };
  return published;
}

/** A container of the `web` test server (HTTP on 8080), never pulled. */
export async function webContainer(extra: Partial<V1Container> = {}): Promise<V1Container> {
  const { images } = await testbed();
  return {
    name: "web",
    image: images.web,
    imagePullPolicy: "Never",
    ports: [{ name: "http", containerPort: 8080 }],
    ...extra,
  };
}

export async function podWhen(
  namespace: string,
  name: string,
  ok: (pod: V1Pod) => boolean,
  what: string,
  timeoutMs = 90_000,
): Promise<V1Pod> {
  return waitFor(
    async () => {
      const pod = await core.readNamespacedPod({ name, namespace });
      return ok(pod) && pod;
    },
    { timeoutMs, what: `pod ${namespace}/${name}: ${what}` },
  );
}

export const isReady = (pod: V1Pod): boolean =>
  pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;

export const hasFinished = (pod: V1Pod): boolean =>
  pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";

/** Runs `curl` against `url` in a one-shot pod of the web image (optionally on `node`) and
 * returns its output: traffic that starts inside the cluster, as a pod's would. */
export async function curlFromPod(namespace: string, url: string, node?: string): Promise<string> {
  const name = `curl-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const container = await webContainer({
    name: "curl",
    command: ["curl", "-sS", "--fail", "--max-time", "10", "--retry", "5", "--retry-all-errors", url],
  });
  await core.createNamespacedPod({
    namespace,
    body: {
      metadata: { name },
      spec: { restartPolicy: "Never", containers: [container], ...(node ? { nodeName: node } : {}) },
    },
  });
  const pod = await podWhen(namespace, name, hasFinished, "curl finished");
  const log = await core.readNamespacedPodLog({ name, namespace });
  if (pod.status?.phase !== "Succeeded") throw new Error(`curl ${url} failed in pod ${name}: ${log}`);
  return log;
}

/** GET from the host to an address inside the testbed's namespaces (a pod IP), with retries. */
export async function httpGet(url: string, timeoutMs = 30_000): Promise<{ status: number; body: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      return { status: response.status, body: await response.text() };
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await sleep(500);
    }
  }
}

/** An http URL of a NodePort Service at a node's address: how traffic from the host (a load, a
 * sizing run) reaches a Service through kube-proxy, since ClusterIPs live only in the nodes. */
export async function nodePortUrl(namespace: string, service: string, path = "/"): Promise<string> {
  const svc = await core.readNamespacedService({ name: service, namespace });
  const port = svc.spec?.ports?.[0]?.nodePort;
  if (!port) throw new Error(`Service ${namespace}/${service} has no nodePort: make it type NodePort`);
  const { items } = await core.listNode();
  const address = items[0]?.status?.addresses?.find((a) => a.type === "InternalIP")?.address;
  if (!address) throw new Error("no node has an InternalIP");
  return `http://${address}:${port}${path}`;
}

/** The `--set`s that run the WordPress blueprint in `namespace` on the testbed's images and storage
 * classes, with short drains (the seed's 20 s are for production), plus `settings`. */
export async function testbedBlueprintArgs(namespace: string, ...settings: string[]): Promise<string[]> {
  const { images, storage } = await testbed();
  const sets = [
    `namespace=${namespace}`,
    `wordpressImage=${images.wordpress}`,
    `mysqlImage=${images.mysql}`,
    `storageClass=${storage.rwx}`,
    `dbStorageClass=${storage.rwo}`,
    "preStopSeconds=2",
    "terminationGracePeriodSeconds=10",
    ...settings,
  ];
  return sets.flatMap((s) => ["--set", s]);
}
