import { int, record } from "../shape.ts";
import { defineRule } from "../types.ts";
import { describe } from "./helpers.ts";

export const hpaMinReplicasSingle = defineRule({
  id: "hpa-min-replicas-single",
  title: "A HorizontalPodAutoscaler keeps at least two replicas",
  severity: "warning",
  category: "scaling",
  targets: { kinds: ["HorizontalPodAutoscaler"] },
  explain: `What breaks: an HPA with minReplicas 1 (the default when it is left out) scales the workload down
to a single pod whenever load is low — at night, on weekends — and from then on every node drain, node
failure or rollout is an outage until a new pod is ready.

Why: the seed's HPA runs min 3 max 6: the autoscaler adds capacity for peaks but must never remove the
redundancy that replicas: 3 and the PodDisruptionBudget were there for.

Fix: set spec.minReplicas to 3 (at least 2). Reported here when the HPA's target is not in the input;
when it is, replicas-single judges the workload with the HPA's minimum (and knows a single database
instance is deliberate).`,
  check(subject, index) {
    if (subject.object.kind !== "HorizontalPodAutoscaler" || index.hpaTarget(subject)) return [];
    const spec = record(subject.object.spec);
    const min = int(spec.minReplicas) ?? 1;
    if (min >= 2 || min === 0) return [];
    return [
      {
        message: `${describe(subject)} has minReplicas ${min}${spec.minReplicas === undefined ? " (the default)" : ""}: at low load it scales its target to one pod, and a drain or rollout then takes it down`,
        fix: "Set spec.minReplicas: 3 (at least 2).",
        path: spec.minReplicas !== undefined ? ["spec", "minReplicas"] : ["spec"],
      },
    ];
  },
});
