import { int, list } from "../shape.ts";
import { defineRule } from "../types.ts";
import { containersOf, describe, isLongRunning, networkPolicyCoverage } from "./helpers.ts";

export const networkPolicyMissing = defineRule({
  id: "network-policy-missing",
  title: "Pods that serve traffic are selected by an ingress NetworkPolicy where the namespace uses them",
  severity: "warning",
  category: "network",
  targets: "workloads",
  explain: `What breaks: a pod that no NetworkPolicy selects for ingress accepts connections from every pod in
the cluster. In a namespace whose other pods are fenced in, the one left out is the door: a compromised
pod anywhere can reach it (a database reachable from every namespace, an admin port open to all).

Why: the seed's app reaches MySQL through a Service DNS name from the WordPress tier only; a policy that
admits just that tier makes the intent enforceable. Only judged where the input has NetworkPolicies in
the workload's namespace: with none at all, policies are likely kept elsewhere (a platform repository)
or not enforced by the cluster's network plugin, and reporting every pod would be noise.

Fix: add the pod's labels to a policy's podSelector, or add a NetworkPolicy with policyTypes: [Ingress]
whose podSelector matches the pod template's labels and whose ingress rules admit only its clients.
Reported for workloads that serve traffic: a Service selects them, or their containers declare ports
(a pod IP is reachable without a Service); as info when an Ingress routes to that Service, since the
workload is public anyway and the policy only narrows access from inside the cluster.`,
  check(subject, index) {
    const w = index.workloadOf(subject);
    if (!w || !isLongRunning(w)) return [];
    const ports = containersOf(w, { init: false }).flatMap(({ container }) =>
      list(container.ports).flatMap((p) => int(p.containerPort) ?? []),
    );
    if (w.services.length === 0 && ports.length === 0) return [];
    const policies = networkPolicyCoverage(index);
    if (!policies.namespaces.has(w.namespace) || policies.ingressPolicies.has(w)) return [];
    const serves =
      w.services.length > 0
        ? w.services.map((s) => describe(s)).join(", ")
        : `listens on port ${ports.join(", ")}`;
    const routed = w.services.some((s) => index.routedBy(s).length > 0);
    return [
      {
        message: `${describe(subject)} serves traffic (${serves}) but no NetworkPolicy in namespace ${w.namespace} selects its pods for ingress: any pod in the cluster can connect to it`,
        fix: `Select its pod labels ${JSON.stringify(w.podLabels)} in a NetworkPolicy with policyTypes: [Ingress] that admits only its clients.`,
        path: [...w.templatePath, "metadata"],
        ...(routed ? { severity: "info" as const } : {}),
      },
    ];
  },
});
