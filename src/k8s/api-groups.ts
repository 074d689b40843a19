// API groups outside Kubernetes itself that synth emits and check recognises.

/** Traefik ≥ 2.10 CRDs (the seed's traefik.containo.us was removed in Traefik 3): what synth emits. */
export const TRAEFIK_API = "traefik.io/v1alpha1";
/** Every group a Traefik IngressRoute may come in, old and new: what check accepts. */
export const TRAEFIK_GROUPS = ["traefik.containo.us", "traefik.io"] as const;

/** The group of an apiVersion: "traefik.io/v1alpha1" → "traefik.io", "v1" → "" (the core group). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
}

// The groups Kubernetes itself serves without a CRD: the legacy names and everything under k8s.io.
const LEGACY_GROUPS = new Set(["", "apps", "batch", "policy", "autoscaling", "extensions"]);

/** Whether a group belongs to Kubernetes itself (not a CRD an operator installs). */
export function isBuiltinGroup(group: string): boolean {
  return LEGACY_GROUPS.has(group) || group === "k8s.io" || group.endsWith(".k8s.io");
}
