// Gather what the cluster knows about an object that is not ready — its pods (by its selector),
// the claims they mount, the events about all of them, the last log lines of crashing containers —
// for diagnose.ts to explain.
import type { Event, PersistentVolumeClaim, Pod } from "kubernetes-types/core/v1.js";
import type { LabelSelector } from "kubernetes-types/meta/v1.js";
import type { KubeObject } from "../k8s/object.ts";
import { matchesSelector } from "../k8s/selector.ts";
import type { Cluster } from "./client.ts";
import type { Evidence } from "./diagnose.ts";

function selectorOf(object: KubeObject): LabelSelector | undefined {
  const spec = object.spec as { selector?: LabelSelector } | undefined;
  return object.kind === "Service" ? undefined : spec?.selector;
}

/** Claims a workload's pods use: PVC volumes, and for a StatefulSet its per-pod claims. */
function claimNames(object: KubeObject, pods: readonly Pod[]): Set<string> {
  const names = new Set<string>();
  for (const pod of pods) {
    for (const volume of pod.spec?.volumes ?? [])
      if (volume.persistentVolumeClaim) names.add(volume.persistentVolumeClaim.claimName);
  }
  const spec = object.spec as {
    template?: { spec?: Pod["spec"] };
    volumeClaimTemplates?: Array<{ metadata?: { name?: string } }>;
    replicas?: number;
  };
  for (const volume of spec?.template?.spec?.volumes ?? [])
    if (volume.persistentVolumeClaim) names.add(volume.persistentVolumeClaim.claimName);
  for (const template of spec?.volumeClaimTemplates ?? []) {
    for (let i = 0; i < (spec.replicas ?? 1); i++)
      names.add(`${template.metadata?.name}-${object.metadata.name}-${i}`);
  }
  return names;
}

export async function gatherEvidence(cluster: Cluster, object: KubeObject): Promise<Evidence> {
  const namespace = object.metadata.namespace;
  const [podList, eventList, pvcList] = await Promise.all([
    cluster.list("v1", "Pod", namespace),
    cluster.list("v1", "Event", namespace),
    cluster.list("v1", "PersistentVolumeClaim", namespace),
  ]);
  const selector = selectorOf(object);
  const pods = (podList.items as unknown as Pod[]).filter(
    (pod) =>
      selector &&
      pod.metadata?.deletionTimestamp === undefined &&
      matchesSelector(selector, pod.metadata?.labels),
  );
  const claims =
    object.kind === "PersistentVolumeClaim"
      ? new Set([object.metadata.name ?? ""])
      : claimNames(object, pods);
  const pvcs = (pvcList.items as unknown as PersistentVolumeClaim[]).filter((pvc) =>
    claims.has(pvc.metadata?.name ?? ""),
  );
  // Events about the object, its pods and claims, and controllers it owns (a Deployment's ReplicaSets).
  const podNames = new Set(pods.map((p) => p.metadata?.name));
  const owned = new Set(pods.flatMap((p) => p.metadata?.ownerReferences?.map((o) => o.name) ?? []));
  const events = (eventList.items as unknown as Event[]).filter((e) => {
    const { kind, name } = e.involvedObject ?? {};
    if (kind === "Pod") return podNames.has(name);
    if (kind === "PersistentVolumeClaim") return claims.has(name ?? "");
    if (kind === object.kind && name === object.metadata.name) return true;
    return (
      kind === "ReplicaSet" && (owned.has(name ?? "") || (name ?? "").startsWith(`${object.metadata.name}-`))
    );
  });
  const logs: Record<string, string> = {};
  await Promise.all(
    pods.flatMap((pod) =>
      (pod.status?.containerStatuses ?? [])
        // Crash-looping: backing off (the previous run crashed) or just crashed (this run did).
        .filter(
          (s) =>
            s.state?.waiting?.reason === "CrashLoopBackOff" || (s.restartCount > 0 && s.state?.terminated),
        )
        .map(async (s) => {
          const name = pod.metadata?.name ?? "";
          const previous = !s.state?.terminated;
          logs[`${name}/${s.name}`] = await cluster.podLog(namespace ?? "default", name, s.name, previous);
        }),
    ),
  );
  return { pods, events, pvcs, logs };
}
