// The API versions Kubernetes stopped serving, from the upstream deprecated-API migration guide: what
// api-removed reports, and what kind-unknown leaves to it.

export interface Removal {
  /** The Kubernetes release that stopped serving it. */
  removedIn: string;
  /** The apiVersion serving the same kind now; undefined when the kind itself is gone. */
  replacement?: string;
  /** What replaces a kind that is gone. */
  instead?: string;
}

const APPS = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ControllerRevision"];
const RBAC = ["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"];
const PSP_GONE = {
  removedIn: "1.25",
  instead: "Pod Security Admission (namespace labels pod-security.kubernetes.io/*)",
};

const all = (kinds: string[], removedIn: string, replacement: string): Record<string, Removal> =>
  Object.fromEntries(kinds.map((kind) => [kind, { removedIn, replacement }]));

/** apiVersion → kind → when it was removed, from the upstream deprecated-API migration guide. */
export const REMOVED_APIS: Record<string, Record<string, Removal>> = {
  "extensions/v1beta1": {
    ...all(["Deployment", "DaemonSet", "ReplicaSet"], "1.16", "apps/v1"),
    NetworkPolicy: { removedIn: "1.16", replacement: "networking.k8s.io/v1" },
    PodSecurityPolicy: PSP_GONE,
    Ingress: { removedIn: "1.22", replacement: "networking.k8s.io/v1" },
  },
  "apps/v1beta1": all(["Deployment", "StatefulSet", "ControllerRevision"], "1.16", "apps/v1"),
  "apps/v1beta2": all(APPS, "1.16", "apps/v1"),
  "networking.k8s.io/v1beta1": all(["Ingress", "IngressClass"], "1.22", "networking.k8s.io/v1"),
  "rbac.authorization.k8s.io/v1beta1": all(RBAC, "1.22", "rbac.authorization.k8s.io/v1"),
  "apiextensions.k8s.io/v1beta1": all(["CustomResourceDefinition"], "1.22", "apiextensions.k8s.io/v1"),
  "admissionregistration.k8s.io/v1beta1": all(
    ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"],
    "1.22",
    "admissionregistration.k8s.io/v1",
  ),
  "apiregistration.k8s.io/v1beta1": all(["APIService"], "1.22", "apiregistration.k8s.io/v1"),
  "scheduling.k8s.io/v1beta1": all(["PriorityClass"], "1.22", "scheduling.k8s.io/v1"),
  "certificates.k8s.io/v1beta1": all(["CertificateSigningRequest"], "1.22", "certificates.k8s.io/v1"),
  "coordination.k8s.io/v1beta1": all(["Lease"], "1.22", "coordination.k8s.io/v1"),
  "storage.k8s.io/v1beta1": {
    ...all(["CSIDriver", "CSINode", "StorageClass", "VolumeAttachment"], "1.22", "storage.k8s.io/v1"),
    CSIStorageCapacity: { removedIn: "1.27", replacement: "storage.k8s.io/v1" },
  },
  "policy/v1beta1": {
    PodDisruptionBudget: { removedIn: "1.25", replacement: "policy/v1" },
    PodSecurityPolicy: PSP_GONE,
  },
  "batch/v1beta1": all(["CronJob"], "1.25", "batch/v1"),
  "batch/v2alpha1": all(["CronJob"], "1.21", "batch/v1"),
  "autoscaling/v2beta1": all(["HorizontalPodAutoscaler"], "1.25", "autoscaling/v2"),
  "autoscaling/v2beta2": all(["HorizontalPodAutoscaler"], "1.26", "autoscaling/v2"),
  "discovery.k8s.io/v1beta1": all(["EndpointSlice"], "1.25", "discovery.k8s.io/v1"),
  "events.k8s.io/v1beta1": all(["Event"], "1.25", "events.k8s.io/v1"),
  "node.k8s.io/v1beta1": all(["RuntimeClass"], "1.25", "node.k8s.io/v1"),
  "flowcontrol.apiserver.k8s.io/v1beta1": all(
    ["FlowSchema", "PriorityLevelConfiguration"],
    "1.26",
    "flowcontrol.apiserver.k8s.io/v1",
  ),
  "flowcontrol.apiserver.k8s.io/v1beta2": all(
    ["FlowSchema", "PriorityLevelConfiguration"],
    "1.29",
    "flowcontrol.apiserver.k8s.io/v1",
  ),
  "flowcontrol.apiserver.k8s.io/v1beta3": all(
    ["FlowSchema", "PriorityLevelConfiguration"],
    "1.32",
    "flowcontrol.apiserver.k8s.io/v1",
  ),
};

/** When `apiVersion`/`kind` was removed, or undefined when it is still served. */
export function removal(apiVersion: string, kind: string): Removal | undefined {
  return Object.hasOwn(REMOVED_APIS, apiVersion) ? REMOVED_APIS[apiVersion]![kind] : undefined;
}
