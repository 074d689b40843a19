// Pod settings every construct shares.
import type { PodSpec, ResourceRequirements } from "kubernetes-types/core/v1.js";

/** requests == limits for CPU and memory: the kubelet's Guaranteed QoS class, OOM score adj -997; and
 * ephemeral storage (logs, emptyDirs) requested and limited alike, so the scheduler places the pod where
 * the node's disk has room and the kubelet evicts a pod that outgrows it instead of filling the disk. */
export function guaranteed(cpu: string, memory: string, ephemeralStorage: string): ResourceRequirements {
  const all = { cpu, memory, "ephemeral-storage": ephemeralStorage };
  return { requests: all, limits: { ...all } };
}

/** The note for what `guaranteed` sets. */
export const GUARANTEED_NOTE =
  "QoS Guaranteed: requests == limits; ephemeral storage (logs, emptyDirs) bounded too";

/** Pod-level hardening both tiers share: the runtime's default seccomp filter (what Pod Security "baseline"
 * allows and the official images run with; "restricted" would also need non-root users these images do not
 * start as), and no service account token, since neither WordPress nor MySQL calls the Kubernetes API. */
export function hardenedPod(): Pick<PodSpec, "automountServiceAccountToken" | "securityContext"> {
  return {
    automountServiceAccountToken: false,
    securityContext: { seccompProfile: { type: "RuntimeDefault" } },
  };
}

/** The note for the fields `hardenedPod` sets, at the pod spec `pod`. */
export function hardenedPodNote(pod: string): Record<string, string> {
  return {
    [`${pod}.automountServiceAccountToken`]: "security: no API token in a pod that never calls the API",
  };
}
