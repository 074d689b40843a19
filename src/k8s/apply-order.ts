// The order a careful operator applies objects in: what others depend on goes first
// (a Namespace before what lives in it, a CRD before its custom objects, storage and Secrets before
// the pods that mount them, workloads before what targets them, Middleware before the routes using it).
// Synth writes objects in this order and deploy applies them in it, phase by phase.
import type { KubeObject } from "./object.ts";

type Kinded = Pick<KubeObject, "kind">;

/** Kinds by apply phase, each phase listed in the order synth writes it; anything not listed
 * (IngressRoute, Certificate…) goes last. */
const PHASES: ReadonlyArray<ReadonlyArray<string>> = [
  ["Namespace"],
  ["CustomResourceDefinition"],
  ["StorageClass", "CephFilesystem", "PriorityClass", "PersistentVolume"],
  [
    "ServiceAccount",
    "ClusterRole",
    "Role",
    "ClusterRoleBinding",
    "RoleBinding",
    "LimitRange",
    "ResourceQuota",
  ],
  ["Secret", "ConfigMap"],
  ["PersistentVolumeClaim"],
  ["Service"],
  ["StatefulSet", "Deployment", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod"],
  ["PodDisruptionBudget"],
  ["HorizontalPodAutoscaler"],
  ["NetworkPolicy", "Middleware"],
  ["IngressClass", "Ingress"],
];

const PHASE = new Map<string, number>(
  PHASES.flatMap((kinds, phase) => kinds.map((kind) => [kind, phase] as const)),
);
const KINDS = PHASES.flat();

/** The phase an object is applied in (lower first); objects of one phase do not depend on each other. */
export function applyPhase(object: Kinded): number {
  return PHASE.get(object.kind) ?? PHASES.length;
}

/** The kind's position in apply order, finer than its phase (a Secret before a ConfigMap). */
export function applyRank(object: Kinded): number {
  const rank = KINDS.indexOf(object.kind);
  return rank === -1 ? KINDS.length : rank;
}

/** Objects sorted for applying: by phase, input order kept within a phase. */
export function orderForApply<T extends Kinded>(objects: readonly T[]): T[] {
  return objects
    .map((object, index) => ({ object, index, phase: applyPhase(object) }))
    .sort((a, b) => a.phase - b.phase || a.index - b.index)
    .map((entry) => entry.object);
}

/** The reverse, for deleting: custom objects and Ingresses first, Namespaces last. */
export function orderForDelete<T extends Kinded>(objects: readonly T[]): T[] {
  return orderForApply(objects).reverse();
}
