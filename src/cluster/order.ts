// The order a careful operator applies objects in: what others depend on goes first
// (a Namespace before what lives in it, a CRD before its custom objects, a Secret before the pods that mount it).
import type { KubeObject } from "../k8s/object.ts";

/** Kinds by apply phase; anything not listed (IngressRoute, Middleware, Certificate…) goes last. */
const PHASES: ReadonlyArray<ReadonlyArray<string>> = [
  ["Namespace"],
  ["CustomResourceDefinition"],
  ["StorageClass", "PriorityClass", "PersistentVolume"],
  [
    "ServiceAccount",
    "ClusterRole",
    "Role",
    "ClusterRoleBinding",
    "RoleBinding",
    "LimitRange",
    "ResourceQuota",
  ],
  ["ConfigMap", "Secret"],
  ["PersistentVolumeClaim"],
  ["Service"],
  ["StatefulSet", "Deployment", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod"],
  ["PodDisruptionBudget"],
  ["HorizontalPodAutoscaler"],
  ["IngressClass", "Ingress"],
];

const RANK = new Map<string, number>(
  PHASES.flatMap((kinds, rank) => kinds.map((kind) => [kind, rank] as const)),
);

/** The phase an object is applied in (lower first). */
export function applyRank(object: Pick<KubeObject, "kind">): number {
  return RANK.get(object.kind) ?? PHASES.length;
}

/** Objects sorted for applying: by phase, input order kept within a phase. */
export function orderForApply<T extends Pick<KubeObject, "kind">>(objects: readonly T[]): T[] {
  return objects
    .map((object, index) => ({ object, index, rank: applyRank(object) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((entry) => entry.object);
}

/** The reverse, for deleting: custom objects and Ingresses first, Namespaces last. */
export function orderForDelete<T extends Pick<KubeObject, "kind">>(objects: readonly T[]): T[] {
  return orderForApply(objects).reverse();
}
