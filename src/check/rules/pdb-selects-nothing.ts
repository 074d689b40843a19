import { defineRule } from "../types.ts";
import { selectsNothing } from "./helpers.ts";

export const pdbSelectsNothing = defineRule({
  id: "pdb-selects-nothing",
  title: "A PodDisruptionBudget selects the pods it is meant to protect",
  severity: "warning",
  category: "availability",
  targets: { kinds: ["PodDisruptionBudget"] },
  explain: `What breaks: a PodDisruptionBudget whose selector matches no pod protects nothing. Everyone believes
the web tier survives node drains one pod at a time; in fact a drain evicts all replicas at once, exactly
the outage the budget was written to prevent. Nothing warns at apply time.

Why: the seed's budget selects app: wordpress, tier: frontend — the labels of the WordPress pod template.
A budget written against the Deployment's own metadata.labels, or with a label typo, silently matches no
pod. (A policy/v1beta1 budget with an empty selector also matched nothing; in policy/v1 it matches every
pod of the namespace.)

Fix: make spec.selector match the target pod template's metadata.labels. Reported as info when the input
has no workloads in that namespace at all (the pods may be deployed separately).`,
  check(subject, index) {
    if (subject.object.kind !== "PodDisruptionBudget" || index.selectedBy(subject).length > 0) return [];
    return [
      selectsNothing(subject, index, {
        consequence: "it protects nothing",
        fix: "Make spec.selector match the labels of the pod template it should protect.",
        path: ["spec", "selector"],
      }),
    ];
  },
});
