// The pieces of NetworkPolicy both tiers use: a policy that owns both directions, so what it does not admit
// is denied, and the DNS egress every pod that resolves a Service name needs.
import type { NetworkPolicy, NetworkPolicySpec } from "kubernetes-types/networking/v1.js";
import type { Selectable } from "./app.ts";

/** Port 53 to any address, UDP and TCP: the cluster DNS may be CoreDNS pods in kube-system, a node-local
 * cache on a link-local address, or a resolver outside the cluster; their labels and addresses vary. */
export const DNS_EGRESS: NonNullable<NetworkPolicySpec["egress"]>[number] = {
  ports: [
    { protocol: "UDP", port: 53 },
    { protocol: "TCP", port: 53 },
  ],
};

/** The policy selecting `owner`'s pods with these rules; both directions are listed, so an empty list
 * denies that direction outright (an empty rule, by contrast, would admit everything). */
export function podPolicy(
  owner: Selectable,
  labels: Record<string, string>,
  rules: Pick<NetworkPolicySpec, "ingress" | "egress">,
): NetworkPolicy {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: owner.name, namespace: owner.namespace, labels },
    spec: {
      podSelector: { matchLabels: owner.selectorLabels },
      policyTypes: ["Ingress", "Egress"],
      ingress: rules.ingress ?? [],
      egress: rules.egress ?? [],
    },
  };
}
