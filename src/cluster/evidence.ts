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

/** What the cluster holds in the object's namespace, listed once (status shares one listing for all). */
export interface NamespaceObjects {
  pods: readonly Pod[];
  events: readonly Event[];
  pvcs: readonly PersistentVolumeClaim[];
}

/** The evidence about one object among its namespace's objects: pure, so status and deploy agree. */
export function evidenceAmong(object: KubeObject, all: NamespaceObjects): Evidence {
  const selector = selectorOf(object);
  // Lists may span namespaces (status -A); an object with none set is matched anywhere, as before.
  const here = (namespace: string | undefined) =>
    object.metadata.namespace === undefined || namespace === object.metadata.namespace;
  const pods = all.pods.filter(
    (pod) =>
      selector &&
      here(pod.metadata?.namespace) &&
      pod.metadata?.deletionTimestamp === undefined &&
      matchesSelector(selector, pod.metadata?.labels),
  );
  const claims =
    object.kind === "PersistentVolumeClaim"
      ? new Set([object.metadata.name ?? ""])
      : claimNames(object, pods);
  const pvcs = all.pvcs.filter(
    (pvc) => here(pvc.metadata?.namespace) && claims.has(pvc.metadata?.name ?? ""),
  );
  // Events about the object, its pods and claims, and controllers it owns (a Deployment's ReplicaSets).
  const podNames = new Set(pods.map((p) => p.metadata?.name));
  const owned = new Set(pods.flatMap((p) => p.metadata?.ownerReferences?.map((o) => o.name) ?? []));
  const events = all.events.filter((e) => {
    const { kind, name, namespace } = e.involvedObject ?? {};
    if (!here(namespace ?? e.metadata?.namespace)) return false;
    if (kind === "Pod") return podNames.has(name);
    if (kind === "PersistentVolumeClaim") return claims.has(name ?? "");
    if (kind === object.kind && name === object.metadata.name) return true;
    return (
      kind === "ReplicaSet" && (owned.has(name ?? "") || (name ?? "").startsWith(`${object.metadata.name}-`))
    );
  });
  return { pods, events, pvcs };
}

/** The last log lines of every crashing container, by "pod/container" (its previous instance). */
export async function crashLogs(cluster: Cluster, pods: readonly Pod[]): Promise<Record<string, string>> {
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
          const namespace = pod.metadata?.namespace ?? "default";
          // A container that just crashed shows this run's log; one backing off, the run before.
          const previous = !s.state?.terminated;
          logs[`${name}/${s.name}`] = await cluster.podLog(namespace, name, s.name, previous);
        }),
    ),
  );
  return logs;
}

export async function gatherEvidence(cluster: Cluster, object: KubeObject): Promise<Evidence> {
  const namespace = object.metadata.namespace;
  const [podList, eventList, pvcList] = await Promise.all([
    cluster.list("v1", "Pod", namespace),
    cluster.list("v1", "Event", namespace),
    cluster.list("v1", "PersistentVolumeClaim", namespace),
  ]);
  const evidence = evidenceAmong(object, {
    pods: podList.items as unknown as Pod[],
    events: eventList.items as unknown as Event[],
    pvcs: pvcList.items as unknown as PersistentVolumeClaim[],
  });
  return { ...evidence, logs: await crashLogs(cluster, evidence.pods) };
}
