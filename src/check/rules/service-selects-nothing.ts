import { namespaceOf } from "../object-index.ts";
import { record, stringMap } from "../shape.ts";
import { defineRule } from "../types.ts";
import { describe, operatorResourceFor } from "./helpers.ts";

export const serviceSelectsNothing = defineRule({
  id: "service-selects-nothing",
  title: "A Service's selector matches the pods of some workload",
  severity: "warning",
  category: "network",
  targets: { kinds: ["Service"] },
  explain: `What breaks: a Service whose selector matches no pod has no endpoints. Clients resolve its DNS name
and then get connection refused or time out; an Ingress in front of it answers 503. Nothing fails at apply
time, which is why a label typo (tier: fronted) survives until the first request.

Why: the seed splits WordPress and MySQL and connects them only through Services (wordpress-mysql:3306)
whose selectors (app: wordpress, tier: mysql) must equal the pod template labels exactly — every label in
the selector must be on the pod.

Fix: make spec.selector a subset of the target pod template's metadata.labels (not the workload's own
metadata.labels). Reported as info when the input has no workloads in that namespace at all (the pods may
be deployed separately), and when a custom resource beside it (a Prometheus, a PostgresCluster) is named or
labelled as the selector asks: its operator creates the pods, which are simply not in the input.`,
  check(subject, index) {
    if (subject.object.kind !== "Service") return [];
    const spec = record(subject.object.spec);
    const selector = stringMap(spec.selector);
    if (spec.type === "ExternalName" || Object.keys(selector).length === 0) return [];
    if (index.selectedBy(subject).length > 0) return [];
    const namespace = namespaceOf(subject);
    const operator = operatorResourceFor(subject, selector, index);
    if (operator) {
      return [
        {
          message: `${describe(subject)} selects pods that are not in the input: ${describe(operator)} is a custom resource whose operator creates them`,
          fix: `Nothing to change if ${describe(operator)}'s operator labels its pods ${JSON.stringify(selector)}; check on the cluster that the Service has endpoints.`,
          path: ["spec", "selector"],
          severity: "info",
        },
      ];
    }
    const anyHere = index.workloadsIn(namespace).length > 0;
    return [
      {
        message: `${describe(subject)} selects ${JSON.stringify(selector)}, which matches no pod template in the input${anyHere ? "" : ` (no workloads in namespace ${namespace} here)`}: it has no endpoints`,
        fix: "Make spec.selector a subset of the target pod template's labels.",
        path: ["spec", "selector"],
        ...(anyHere ? {} : { severity: "info" as const }),
      },
    ];
  },
});
