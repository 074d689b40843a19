// Pod settings every construct shares.
import type { PodSpec, ResourceRequirements } from "kubernetes-types/core/v1.js";

/** requests == limits for both CPU and memory: the kubelet's Guaranteed QoS class, OOM score adj -997. */
export function guaranteed(cpu: string, memory: string): ResourceRequirements {
  return { requests: { cpu, memory }, limits: { cpu, memory } };
}

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
