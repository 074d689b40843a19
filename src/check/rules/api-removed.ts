import type { Rule } from "../types.ts";
import { describe } from "./helpers.ts";

interface Removal {
  /** The Kubernetes release that stopped serving it. */
  removedIn: string;
  /** What to use instead ("" when the kind itself is gone). */
  replacement: string;
}

const APPS = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ControllerRevision"];
const RBAC = ["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"];

/** apiVersion → kinds removed with it ("*": every kind of that apiVersion). From the upstream deprecation guide. */
const REMOVED: Record<string, Record<string, Removal>> = {
  "extensions/v1beta1": {
    ...Object.fromEntries(APPS.map((k) => [k, { removedIn: "1.16", replacement: "apps/v1" }])),
    NetworkPolicy: { removedIn: "1.16", replacement: "networking.k8s.io/v1" },
    PodSecurityPolicy: {
      removedIn: "1.16",
      replacement: "policy/v1beta1 (itself removed in 1.25: use Pod Security Admission)",
    },
    Ingress: { removedIn: "1.22", replacement: "networking.k8s.io/v1" },
  },
  "apps/v1beta1": { "*": { removedIn: "1.16", replacement: "apps/v1" } },
  "apps/v1beta2": { "*": { removedIn: "1.16", replacement: "apps/v1" } },
  "networking.k8s.io/v1beta1": {
    Ingress: { removedIn: "1.22", replacement: "networking.k8s.io/v1" },
    IngressClass: { removedIn: "1.22", replacement: "networking.k8s.io/v1" },
  },
  "rbac.authorization.k8s.io/v1beta1": Object.fromEntries(
    RBAC.map((k) => [k, { removedIn: "1.22", replacement: "rbac.authorization.k8s.io/v1" }]),
  ),
  "apiextensions.k8s.io/v1beta1": { "*": { removedIn: "1.22", replacement: "apiextensions.k8s.io/v1" } },
  "admissionregistration.k8s.io/v1beta1": {
    "*": { removedIn: "1.22", replacement: "admissionregistration.k8s.io/v1" },
  },
  "apiregistration.k8s.io/v1beta1": { "*": { removedIn: "1.22", replacement: "apiregistration.k8s.io/v1" } },
  "scheduling.k8s.io/v1beta1": { "*": { removedIn: "1.22", replacement: "scheduling.k8s.io/v1" } },
  "certificates.k8s.io/v1beta1": { "*": { removedIn: "1.22", replacement: "certificates.k8s.io/v1" } },
  "coordination.k8s.io/v1beta1": { "*": { removedIn: "1.22", replacement: "coordination.k8s.io/v1" } },
  "storage.k8s.io/v1beta1": {
    CSIDriver: { removedIn: "1.22", replacement: "storage.k8s.io/v1" },
    CSINode: { removedIn: "1.22", replacement: "storage.k8s.io/v1" },
    StorageClass: { removedIn: "1.22", replacement: "storage.k8s.io/v1" },
    VolumeAttachment: { removedIn: "1.22", replacement: "storage.k8s.io/v1" },
    CSIStorageCapacity: { removedIn: "1.27", replacement: "storage.k8s.io/v1" },
  },
  "policy/v1beta1": {
    PodDisruptionBudget: { removedIn: "1.25", replacement: "policy/v1" },
    PodSecurityPolicy: { removedIn: "1.25", replacement: "" },
  },
  "batch/v1beta1": { CronJob: { removedIn: "1.25", replacement: "batch/v1" } },
  "batch/v2alpha1": { CronJob: { removedIn: "1.21", replacement: "batch/v1" } },
  "autoscaling/v2beta1": { HorizontalPodAutoscaler: { removedIn: "1.25", replacement: "autoscaling/v2" } },
  "autoscaling/v2beta2": { HorizontalPodAutoscaler: { removedIn: "1.26", replacement: "autoscaling/v2" } },
  "discovery.k8s.io/v1beta1": { EndpointSlice: { removedIn: "1.25", replacement: "discovery.k8s.io/v1" } },
  "events.k8s.io/v1beta1": { Event: { removedIn: "1.25", replacement: "events.k8s.io/v1" } },
  "node.k8s.io/v1beta1": { RuntimeClass: { removedIn: "1.25", replacement: "node.k8s.io/v1" } },
  "flowcontrol.apiserver.k8s.io/v1beta1": {
    "*": { removedIn: "1.26", replacement: "flowcontrol.apiserver.k8s.io/v1" },
  },
  "flowcontrol.apiserver.k8s.io/v1beta2": {
    "*": { removedIn: "1.29", replacement: "flowcontrol.apiserver.k8s.io/v1" },
  },
  "flowcontrol.apiserver.k8s.io/v1beta3": {
    "*": { removedIn: "1.32", replacement: "flowcontrol.apiserver.k8s.io/v1" },
  },
};

/** When `apiVersion`/`kind` was removed, or undefined when it is still served. */
export function removal(apiVersion: string, kind: string): Removal | undefined {
  const kinds = REMOVED[apiVersion];
  return kinds?.[kind] ?? kinds?.["*"];
}

export const apiRemoved: Rule = {
  id: "api-removed",
  title: "Objects use API versions the cluster still serves",
  severity: "error",
  category: "api",
  explain: `What breaks: an apiVersion removed from Kubernetes is rejected at apply time ("no matches for kind
PodDisruptionBudget in version policy/v1beta1") — the whole deploy fails, typically right after a cluster
upgrade, with manifests that "worked yesterday". Helm releases holding removed versions cannot even be
upgraded or uninstalled cleanly.

Why: the seed was written for an older cluster: its PodDisruptionBudget is policy/v1beta1, removed in
Kubernetes 1.25; the same generation of tutorials used extensions/v1beta1 Ingress (removed in 1.22) and
autoscaling/v2beta2 HPAs (removed in 1.26).

Fix: move to the stable version named in the finding (policy/v1, networking.k8s.io/v1, autoscaling/v2,
apps/v1, batch/v1 …) and adapt the fields that changed (e.g. an Ingress backend becomes
service: {name, port: {number}}; a policy/v1 PDB with an empty selector selects every pod).`,
  check(subject) {
    const { apiVersion, kind } = subject.object;
    const gone = removal(apiVersion, kind);
    if (!gone) return [];
    return [
      {
        message: `${describe(subject)} uses ${apiVersion}, removed in Kubernetes ${gone.removedIn}${gone.replacement ? `; use ${gone.replacement}` : " with no replacement"}`,
        fix: gone.replacement
          ? `Change apiVersion to ${gone.replacement.split(" ")[0]} and adapt the fields that changed.`
          : `Remove the ${kind}; its job is done by another mechanism now.`,
        path: ["apiVersion"],
      },
    ];
  },
};
