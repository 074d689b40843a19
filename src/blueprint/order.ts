// Apply order: what others depend on goes first (the namespace before what lives in it, storage and
// secrets before the pods that mount them, workloads before what targets them).
import type { KubeObject } from "../k8s/object.ts";

const ORDER = [
  "Namespace",
  "CustomResourceDefinition",
  "StorageClass",
  "CephFilesystem",
  "ServiceAccount",
  "Secret",
  "ConfigMap",
  "PersistentVolumeClaim",
  "Service",
  "StatefulSet",
  "Deployment",
  "PodDisruptionBudget",
  "HorizontalPodAutoscaler",
  "NetworkPolicy",
  "Middleware",
  "Ingress",
  "IngressRoute",
];

/** Position of a kind in apply order; kinds not listed go last, in the order they were created. */
export function applyRank(object: Pick<KubeObject, "kind">): number {
  const rank = ORDER.indexOf(object.kind);
  return rank === -1 ? ORDER.length : rank;
}
