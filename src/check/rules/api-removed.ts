import { removal } from "../../k8s/api-removals.ts";
import { defineRule } from "../types.ts";
import { describe } from "./helpers.ts";

export const apiRemoved = defineRule({
  id: "api-removed",
  title: "Objects use API versions the cluster still serves",
  severity: "error",
  category: "api",
  targets: "any",
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
        message: `${describe(subject)} uses ${apiVersion}, removed in Kubernetes ${gone.removedIn}${gone.replacement ? `; use ${gone.replacement}` : `; ${kind} is gone`}`,
        fix: gone.replacement
          ? `Change apiVersion to ${gone.replacement} and adapt the fields that changed.`
          : `Remove the ${kind}; use ${gone.instead} instead.`,
        path: ["apiVersion"],
      },
    ];
  },
});
