import { setField } from "../fix/patch.ts";
import { record } from "../shape.ts";
import { defineRule } from "../types.ts";
import { describe } from "./helpers.ts";

export const pdbPolicyMissing = defineRule({
  id: "pdb-policy-missing",
  title: "A PodDisruptionBudget sets minAvailable or maxUnavailable",
  severity: "warning",
  category: "availability",
  targets: { kinds: ["PodDisruptionBudget"] },
  explain: `What breaks: a policy/v1 PodDisruptionBudget with a selector but neither minAvailable nor
maxUnavailable asks for no healthy pods at all: the disruption controller counts zero desired pods, so
every pod it selects may be evicted at once. A drain takes the whole tier down while the budget looks like
protection. The apiserver accepts it; only policy/v1beta1 defaulted minAvailable to 1.

Why: the seed's budget says maxUnavailable: 1, so a drain evicts one WordPress pod at a time and waits for
its replacement to be ready before the next.

Fix: set spec.maxUnavailable: 1 (one eviction at a time at any replica count), or a minAvailable below the
replica count.`,
  check(subject) {
    const spec = record(subject.object.spec);
    // policy/v1beta1 defaulted minAvailable to 1 (and api-removed reports that version).
    if (subject.object.apiVersion !== "policy/v1") return [];
    if (spec.minAvailable !== undefined || spec.maxUnavailable !== undefined) return [];
    return [
      {
        message: `${describe(subject)} sets neither minAvailable nor maxUnavailable: it requires no healthy pod, so a drain may evict every pod it selects at once`,
        fix: "Set spec.maxUnavailable: 1.",
        path: ["spec"],
        autofix: {
          ops: [setField(["spec", "maxUnavailable"], 1)],
          comment: "one eviction at a time at any replica count (pdb-policy-missing)",
        },
      },
    ];
  },
});
