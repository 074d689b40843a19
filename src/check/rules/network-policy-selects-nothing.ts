import { record } from "../shape.ts";
import { defineRule } from "../types.ts";
import { networkPolicyCoverage, selectsNothing } from "./helpers.ts";

export const networkPolicySelectsNothing = defineRule({
  id: "network-policy-selects-nothing",
  title: "A NetworkPolicy selects the pods it is meant to fence",
  severity: "warning",
  category: "network",
  targets: { kinds: ["NetworkPolicy"] },
  explain: `What breaks: a NetworkPolicy whose podSelector matches no pod isolates nothing. Everyone believes
the database only admits the web tier; in fact it still accepts connections from every pod in the
cluster. Nothing warns at apply time.

Why: a policy written against the Deployment's metadata.labels instead of its pod template's labels, or
with a label typo, silently matches no pod. (An empty podSelector, {}, selects every pod in the
namespace and is never reported.)

Fix: make spec.podSelector match the labels of the pod template it should fence. Reported as info when
the input has no workloads in that namespace at all (the pods may be deployed separately).`,
  check(subject, index) {
    const selector = record(record(subject.object.spec).podSelector);
    const empty = Object.keys(selector).every((k) => {
      const v = selector[k];
      return v === null || (typeof v === "object" && Object.keys(v as object).length === 0);
    });
    if (empty || (networkPolicyCoverage(index).selected.get(subject) ?? []).length > 0) return [];
    return [
      selectsNothing(subject, index, {
        consequence: "it fences nothing",
        fix: "Make spec.podSelector match the labels of the pod template it should fence.",
        path: ["spec", "podSelector"],
      }),
    ];
  },
});
