// The check job's QoS computation against the apiserver as the oracle: each pod shape is
// created on the testbed and its `status.qosClass` must equal qosClass(spec). On a data plane
// the pods also run, and the kubelet must put each in the cgroup tier of its class.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { before, describe, test } from "node:test";
import { CoreV1Api, type V1PodSpec } from "@kubernetes/client-node";
import type { Container, ResourceRequirements } from "kubernetes-types/core/v1.js";
import { type PodSpecWithResources, type QosClass, qosClass } from "../../src/check/facts/qos.ts";
import { freshNamespace, kubeConfig, waitFor } from "./support/cluster.ts";
import { onDataPlane, runnable } from "./support/runnable.ts";

const image = "registry.invalid/app:1";
const c = (name: string, resources?: ResourceRequirements): Container => ({ name, image, resources });
const sidecar = (name: string, resources?: ResourceRequirements): Container => ({
  ...c(name, resources),
  restartPolicy: "Always",
});
const exact = (cpu: string, memory: string): ResourceRequirements => ({
  requests: { cpu, memory },
  limits: { cpu, memory },
});

const shapes: Record<string, PodSpecWithResources> = {
  "no resources at all": { containers: [c("app")] },
  "requests equal limits": { containers: [c("app", exact("100m", "64Mi"))] },
  "limits only (requests default to them)": {
    containers: [c("app", { limits: { cpu: "100m", memory: "64Mi" } })],
  },
  "cpu request only": { containers: [c("app", { requests: { cpu: "100m" } })] },
  "memory request only": { containers: [c("app", { requests: { memory: "64Mi" } })] },
  "cpu limit only": { containers: [c("app", { limits: { cpu: "100m" } })] },
  "memory limit only": { containers: [c("app", { limits: { memory: "64Mi" } })] },
  "requests below limits": {
    containers: [
      c("app", { requests: { cpu: "50m", memory: "32Mi" }, limits: { cpu: "100m", memory: "64Mi" } }),
    ],
  },
  "cpu request below its limit, memory limit only": {
    containers: [c("app", { requests: { cpu: "50m" }, limits: { cpu: "100m", memory: "64Mi" } })],
  },
  "equal quantities written differently (1 vs 1000m, 1Gi vs bytes)": {
    containers: [
      c("app", { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "1000m", memory: "1073741824" } }),
    ],
  },
  "decimal vs milli cpu (0.5 vs 500m)": {
    containers: [
      c("app", { requests: { cpu: "0.5", memory: "64Mi" }, limits: { cpu: "500m", memory: "64Mi" } }),
    ],
  },
  "zero requests": { containers: [c("app", { requests: { cpu: "0", memory: "0" } })] },
  "ephemeral-storage only": {
    containers: [
      c("app", { requests: { "ephemeral-storage": "1Gi" }, limits: { "ephemeral-storage": "2Gi" } }),
    ],
  },
  "guaranteed cpu/memory plus unequal ephemeral-storage": {
    containers: [
      c("app", {
        requests: { cpu: "100m", memory: "64Mi", "ephemeral-storage": "1Gi" },
        limits: { cpu: "100m", memory: "64Mi", "ephemeral-storage": "2Gi" },
      }),
    ],
  },
  "extended resource only": {
    containers: [
      c("app", { requests: { "example.com/widget": "1" }, limits: { "example.com/widget": "1" } }),
    ],
  },
  "two guaranteed containers": {
    containers: [c("app", exact("100m", "64Mi")), c("helper", exact("50m", "32Mi"))],
  },
  "one guaranteed container, one without resources": {
    containers: [c("app", exact("100m", "64Mi")), c("helper")],
  },
  "cpu in one container, memory in the other": {
    containers: [
      c("app", { requests: { cpu: "100m" }, limits: { cpu: "100m" } }),
      c("helper", { requests: { memory: "64Mi" }, limits: { memory: "64Mi" } }),
    ],
  },
  "guaranteed init container, main without resources": {
    initContainers: [c("init", exact("100m", "64Mi"))],
    containers: [c("app")],
  },
  "init container without resources, guaranteed main": {
    initContainers: [c("init")],
    containers: [c("app", exact("100m", "64Mi"))],
  },
  "guaranteed init and main containers": {
    initContainers: [c("init", exact("200m", "128Mi"))],
    containers: [c("app", exact("100m", "64Mi"))],
  },
  "init container with requests only, no main resources": {
    initContainers: [c("init", { requests: { cpu: "100m" } })],
    containers: [c("app")],
  },
  "guaranteed sidecar and main": {
    initContainers: [sidecar("proxy", exact("50m", "32Mi"))],
    containers: [c("app", exact("100m", "64Mi"))],
  },
  "sidecar without resources, guaranteed main": {
    initContainers: [sidecar("proxy")],
    containers: [c("app", exact("100m", "64Mi"))],
  },
  "sidecar with a memory limit only, main without resources": {
    initContainers: [sidecar("proxy", { limits: { memory: "32Mi" } })],
    containers: [c("app")],
  },
  "pod-level requests equal limits, containers without resources": {
    resources: exact("200m", "128Mi"),
    containers: [c("app"), c("helper")],
  },
  "pod-level limits only": {
    resources: { limits: { cpu: "200m", memory: "128Mi" } },
    containers: [c("app")],
  },
  "pod-level cpu request only": { resources: { requests: { cpu: "200m" } }, containers: [c("app")] },
  "pod-level guaranteed over burstable containers": {
    resources: exact("400m", "256Mi"),
    containers: [c("app", { requests: { cpu: "100m", memory: "64Mi" } }), c("helper")],
  },
  "pod-level cpu limit only over guaranteed containers": {
    resources: { limits: { cpu: "400m" } },
    containers: [c("app", exact("100m", "64Mi"))],
  },
};

/** The shape with runnable containers: every serving container on a port of its own. */
async function runnableSpec(spec: PodSpecWithResources): Promise<PodSpecWithResources> {
  let port = 8080;
  const init = spec.initContainers ?? [];
  return {
    ...spec,
    initContainers: await Promise.all(
      init.map((c) => (c.restartPolicy === "Always" ? runnable(c, "sidecar", port++) : runnable(c, "init"))),
    ),
    containers: await Promise.all(spec.containers.map((c) => runnable(c, "main", port++))),
  };
}

const NODE_RESOURCES = new Set(["cpu", "memory", "ephemeral-storage"]);
function requestsExtendedResources(spec: PodSpecWithResources): boolean {
  const containers = [...(spec.initContainers ?? []), ...spec.containers];
  return containers.some((c) =>
    Object.keys({ ...c.resources?.requests, ...c.resources?.limits }).some(
      (name) => !NODE_RESOURCES.has(name),
    ),
  );
}

const CPU_CGROUPS = "/sys/fs/cgroup/cpu";
/** Where the kubelet (cgroupfs driver, one cgroup root per node) put the pod: the QoS tier its
 * cgroup sits in — kubepods/pod<uid> for Guaranteed, kubepods/<tier>/pod<uid> otherwise. */
function kubeletTier(uid: string): QosClass | undefined {
  for (const root of readdirSync(CPU_CGROUPS)) {
    const kubepods = `${CPU_CGROUPS}/${root}/kubepods`;
    const has = (dir: string): boolean => {
      try {
        return readdirSync(dir).includes(`pod${uid}`);
      } catch {
        return false;
      }
    };
    if (has(kubepods)) return "Guaranteed";
    if (has(`${kubepods}/burstable`)) return "Burstable";
    if (has(`${kubepods}/besteffort`)) return "BestEffort";
  }
  return undefined;
}

describe("qosClass agrees with the apiserver's status.qosClass", () => {
  const core = kubeConfig().makeApiClient(CoreV1Api);
  const seen = new Set<QosClass>();
  const tiers = new Set<QosClass>();
  let namespace = "";
  before(async () => {
    namespace = await freshNamespace("qos-oracle");
  });

  Object.entries(shapes).forEach(([shape, spec], index) => {
    test(shape, async (t) => {
      const pod = await core.createNamespacedPod({
        namespace,
        body: { metadata: { name: `shape-${index}` }, spec: (await runnableSpec(spec)) as V1PodSpec },
      });
      // A field the release does not know would be dropped silently, and the shape test nothing.
      if (spec.resources) assert.ok(pod.spec?.resources, "the apiserver kept pod-level resources");
      const oracle = pod.status?.qosClass as QosClass;
      seen.add(oracle);
      assert.equal(qosClass(spec), oracle);
      // No node offers an extended resource: such a pod is never scheduled, so there is no cgroup.
      if ((await onDataPlane()) && !requestsExtendedResources(spec)) {
        const name = `shape-${index}`;
        // The other data-plane tests may hold the CPU a large shape asks for: then it waits
        // Unschedulable, which is said, and the tier is judged on the shapes that ran.
        const placed = await waitFor(
          async () => {
            const { spec: s, status } = await core.readNamespacedPod({ name, namespace });
            const refused = status?.conditions?.find(
              (c) => c.type === "PodScheduled" && c.reason === "Unschedulable",
            );
            return s?.nodeName ? "scheduled" : refused && "unschedulable";
          },
          { timeoutMs: 60_000, what: `pod ${name} to be scheduled or refused` },
        );
        if (placed === "unschedulable") {
          t.diagnostic(
            `${name} is Unschedulable here (the nodes' CPU or memory is taken): no cgroup to judge`,
          );
          return;
        }
        const tier = await waitFor(() => kubeletTier(pod.metadata?.uid ?? ""), {
          timeoutMs: 60_000,
          what: `the kubelet to create the cgroup of pod ${name}`,
        });
        assert.equal(tier, oracle, "the kubelet's cgroup tier");
        tiers.add(tier);
      }
    });
  });

  test("on a data plane, the kubelet's tier was judged for every class", async (t) => {
    if (!(await onDataPlane())) return t.skip("KWOK runs no kubelet");
    assert.deepEqual([...tiers].sort(), ["BestEffort", "Burstable", "Guaranteed"]);
  });

  test("the table reaches every class (else it would not test the distinctions)", () => {
    assert.deepEqual([...seen].sort(), ["BestEffort", "Burstable", "Guaranteed"]);
  });
});
