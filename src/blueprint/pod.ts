// Pod settings every construct shares.
import type { PodSecurityContext, ResourceRequirements } from "kubernetes-types/core/v1.js";

/** requests == limits for both CPU and memory: the kubelet's Guaranteed QoS class, OOM score adj -997. */
export function guaranteed(cpu: string, memory: string): ResourceRequirements {
  return { requests: { cpu, memory }, limits: { cpu, memory } };
}

/** What Pod Security "baseline" allows and the official images run with: the runtime's default seccomp
 * filter (restricted would also need non-root users these images do not start as). */
export function podSecurity(): PodSecurityContext {
  return { seccompProfile: { type: "RuntimeDefault" } };
}
