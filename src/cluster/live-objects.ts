// `check --cluster`: the live objects of a namespace (or all of them) that the rules look at, as their
// authors wrote them (live-strip.ts), and the facts only the cluster knows (the QoS class the server
// gave the pods, what each PDB allows now, pods that cannot run and why, Pod Security labels).
// Objects a controller made (a Deployment's pods, a CronJob's Jobs) are not checked themselves: the
// object that made them is. liveCheckInput() is pure, so it is unit-tested on recorded objects.
import type { Pod } from "kubernetes-types/core/v1.js";
import type { LabelSelector } from "kubernetes-types/meta/v1.js";
import { type LiveFacts, liveKey, type StuckPod } from "../k8s/live-facts.ts";
import type { KubeObject } from "../k8s/object.ts";
import { matchesSelector } from "../k8s/selector.ts";
import { ApiError, type Cluster } from "./client.ts";
import { stripServerFields } from "./live-strip.ts";

/** The kinds the rules read, namespaced first. */
const NAMESPACED: ReadonlyArray<[string, string]> = [
  ["apps/v1", "Deployment"],
  ["apps/v1", "StatefulSet"],
  ["apps/v1", "DaemonSet"],
  ["batch/v1", "Job"],
  ["batch/v1", "CronJob"],
  ["v1", "Pod"],
  ["v1", "Service"],
  ["v1", "PersistentVolumeClaim"],
  ["v1", "Secret"],
  ["policy/v1", "PodDisruptionBudget"],
  ["autoscaling/v2", "HorizontalPodAutoscaler"],
  ["networking.k8s.io/v1", "Ingress"],
  ["networking.k8s.io/v1", "NetworkPolicy"],
];
const CLUSTER_SCOPED: ReadonlyArray<[string, string]> = [
  ["v1", "Namespace"],
  ["v1", "PersistentVolume"],
  ["storage.k8s.io/v1", "StorageClass"],
];

export interface LiveListing {
  objects: KubeObject[];
  /** Kinds the credentials may not list (403): checked without them. */
  forbidden: string[];
}

/** Lists the kinds the rules need in `namespace` (every namespace when undefined). */
export async function readLiveObjects(cluster: Cluster, namespace: string | undefined): Promise<LiveListing> {
  const forbidden: string[] = [];
  const list = async ([apiVersion, kind]: [string, string], scope?: string) => {
    try {
      return (await cluster.list(apiVersion, kind, scope)).items;
    } catch (error) {
      if (error instanceof ApiError && error.status === 403) {
        forbidden.push(kind);
        return [];
      }
      throw error;
    }
  };
  const lists = await Promise.all([
    ...NAMESPACED.map((kind) => list(kind, namespace)),
    ...CLUSTER_SCOPED.map((kind) => list(kind)),
  ]);
  return { objects: lists.flat(), forbidden };
}

export interface LiveCheckInput {
  /** What the rules check, server-set fields stripped. */
  objects: KubeObject[];
  /** Per checked object (by liveKey), what the cluster says about it. */
  facts: Map<string, LiveFacts>;
}

/** The objects to check and their live facts; cluster-scoped ones only where the namespace uses them. */
export function liveCheckInput(listed: readonly KubeObject[], namespace: string | undefined): LiveCheckInput {
  const namespaced = listed.filter((o) => !isClusterScoped(o));
  const claims = namespaced.filter((o) => o.kind === "PersistentVolumeClaim");
  const relevant = listed.filter((o) => {
    if (!isClusterScoped(o) || namespace === undefined) return true;
    if (o.kind === "Namespace") return o.metadata.name === namespace;
    if (o.kind === "StorageClass") return claims.some((c) => spec(c).storageClassName === o.metadata.name);
    return claims.some((c) => spec(c).volumeName === o.metadata.name);
  });
  const scaled = new Set(
    namespaced
      .filter((o) => o.kind === "HorizontalPodAutoscaler")
      .map((hpa) => {
        const target = (spec(hpa).scaleTargetRef ?? {}) as { kind?: string; name?: string };
        return liveKey({ kind: target.kind ?? "", namespace: hpa.metadata.namespace, name: target.name });
      }),
  );
  const pods = namespaced.filter((o) => o.kind === "Pod") as unknown as Pod[];
  const objects: KubeObject[] = [];
  const facts = new Map<string, LiveFacts>();
  for (const object of relevant) {
    if (madeByController(object)) continue;
    const key = liveKey({ kind: object.kind, ...object.metadata });
    objects.push(stripServerFields(object, scaled.has(key)));
    const known = factsOf(object, pods);
    if (known) facts.set(key, known);
  }
  return { objects, facts };
}

function isClusterScoped(object: KubeObject): boolean {
  return CLUSTER_SCOPED.some(([, kind]) => kind === object.kind);
}

function spec(object: KubeObject): Record<string, unknown> {
  return (object.spec ?? {}) as Record<string, unknown>;
}

function madeByController(object: KubeObject): boolean {
  return (object.metadata.ownerReferences ?? []).some((owner) => owner.controller === true);
}

const WORKLOADS = new Set(["Deployment", "StatefulSet", "DaemonSet", "Job", "Pod"]);

function factsOf(object: KubeObject, pods: readonly Pod[]): LiveFacts | undefined {
  const status = (object.status ?? {}) as Record<string, unknown>;
  if (object.kind === "PodDisruptionBudget" && typeof status.disruptionsAllowed === "number")
    return { disruptionsAllowed: status.disruptionsAllowed };
  if (object.kind === "Namespace") {
    const labels = Object.entries(object.metadata.labels ?? {}).filter(([key]) =>
      key.startsWith("pod-security.kubernetes.io/"),
    );
    return labels.length > 0 ? { podSecurity: Object.fromEntries(labels) } : undefined;
  }
  if (!WORKLOADS.has(object.kind)) return undefined;
  const mine =
    object.kind === "Pod"
      ? [object as unknown as Pod]
      : pods.filter(
          (pod) =>
            pod.metadata?.namespace === object.metadata.namespace &&
            matchesSelector(spec(object).selector as LabelSelector | undefined, pod.metadata?.labels),
        );
  if (mine.length === 0) return undefined;
  const qosClasses = [...new Set(mine.flatMap((pod) => (pod.status?.qosClass ? [pod.status.qosClass] : [])))];
  const stuckPods = mine.flatMap((pod) => {
    const stuck = stuckReason(pod);
    return stuck ? [stuck] : [];
  });
  return { ...(qosClasses.length > 0 && { qosClasses }), ...(stuckPods.length > 0 && { stuckPods }) };
}

/** Waiting reasons that mean the pod is starting, not stuck. */
const STARTING = new Set(["ContainerCreating", "PodInitializing"]);

/** Why a pod cannot run, when it cannot: a container waiting on a failure or just failed (a crash
 * loop is seen between restarts too), or an unschedulable pod. */
export function stuckReason(pod: Pod): StuckPod | undefined {
  const name = pod.metadata?.name ?? "(unnamed)";
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  for (const container of statuses) {
    const { waiting, terminated } = container.state ?? {};
    const restarts = container.restartCount > 0 ? `${container.restartCount} restarts` : undefined;
    if (waiting?.reason && !STARTING.has(waiting.reason)) {
      const last = container.lastState?.terminated;
      const exit = last ? `last exit ${last.exitCode}${last.reason ? ` (${last.reason})` : ""}` : undefined;
      const message = [
        `container "${container.name}"`,
        [exit, restarts].filter(Boolean).join(", "),
        waiting.message,
      ]
        .filter(Boolean)
        .join(": ");
      return { name, reason: waiting.reason, message };
    }
    // Failed and about to be restarted (the kubelet says CrashLoopBackOff once it waits to).
    if (terminated && terminated.exitCode !== 0 && restarts && pod.status?.phase === "Running") {
      const message = `container "${container.name}": exit ${terminated.exitCode}, ${restarts}`;
      return { name, reason: terminated.reason ?? "Error", message };
    }
  }
  if (pod.status?.phase !== "Pending") return undefined;
  const scheduled = pod.status.conditions?.find((c) => c.type === "PodScheduled");
  if (scheduled?.status !== "False") return undefined;
  return {
    name,
    reason: scheduled.reason ?? "Unschedulable",
    ...(scheduled.message && { message: scheduled.message }),
  };
}
