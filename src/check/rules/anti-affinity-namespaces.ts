import type { LabelSelector } from "kubernetes-types/meta/v1.js";
import { isEmptySelector, matchesSelector } from "../../k8s/selector.ts";
import type { Path } from "../object-index.ts";
import { type Json, list, record, stringMap } from "../shape.ts";
import type { FindingDraft } from "../types.ts";
import { defineRule } from "../types.ts";
import { describe } from "./helpers.ts";

/** The label every Namespace carries with its own name (set by the apiserver). */
const NAME_LABEL = "kubernetes.io/metadata.name";

/** Each anti-affinity term with its path, required and preferred alike. */
function termsOf(anti: Json, path: Path): Array<{ term: Json; path: Path }> {
  const required = "requiredDuringSchedulingIgnoredDuringExecution";
  const preferred = "preferredDuringSchedulingIgnoredDuringExecution";
  return [
    ...list(anti[required]).map((term, i) => ({ term, path: [...path, required, i] })),
    ...list(anti[preferred]).map((weighted, i) => ({
      term: record(weighted.podAffinityTerm),
      path: [...path, preferred, i, "podAffinityTerm"],
    })),
  ];
}

export const antiAffinityNamespaces = defineRule({
  id: "anti-affinity-namespaces",
  title: "Pod anti-affinity that spreads a workload looks in the workload's own namespace",
  severity: "warning",
  category: "availability",
  targets: "workloads",
  explain: `What breaks: a pod anti-affinity term matches pods only in the namespaces it names: its
\`namespaces\` list plus those its \`namespaceSelector\` selects (neither set: the pod's own namespace; an
empty selector {}: all). A term meant to keep a workload's replicas apart — its labelSelector matches the
workload's own pods — that names only other namespaces never sees those replicas: the scheduler may put
all of them on one node, and that node's failure or drain takes every replica at once.

Why: the seed spreads its three WordPress replicas with anti-affinity on kubernetes.io/hostname; the
spread only exists if the term can see the replicas.

Fix: drop \`namespaces\` and \`namespaceSelector\` (the term then looks in the pod's own namespace), or add
the workload's namespace to the list. A namespaceSelector is judged through the Namespace's labels when
the input has it, else only when it selects by kubernetes.io/metadata.name.`,
  check(subject, index) {
    const w = index.workloadOf(subject);
    if (!w) return [];
    const anti = record(record(w.podSpec.affinity).podAntiAffinity);
    const namespace = index.get("Namespace", "", w.namespace);
    const labels = { ...stringMap(record(namespace?.object.metadata).labels), [NAME_LABEL]: w.namespace };
    const findings: FindingDraft[] = [];
    for (const { term, path } of termsOf(anti, [...w.specPath, "affinity", "podAntiAffinity"])) {
      if (!matchesSelector(record(term.labelSelector) as LabelSelector, w.podLabels)) continue;
      const names = Array.isArray(term.namespaces) ? term.namespaces.map(String) : [];
      const hasSelector = term.namespaceSelector !== undefined && term.namespaceSelector !== null;
      const selector = record(term.namespaceSelector) as LabelSelector;
      if (names.length === 0 && !hasSelector) continue;
      if (names.includes(w.namespace)) continue;
      if (hasSelector && (isEmptySelector(selector) || matchesSelector(selector, labels))) continue;
      if (hasSelector && !namespace && !selectsByNameOnly(selector)) continue;
      const where = [
        ...(names.length > 0 ? [`namespaces ${names.join(", ")}`] : []),
        ...(hasSelector ? ["the namespaces its namespaceSelector selects"] : []),
      ].join(" and ");
      findings.push({
        message: `a podAntiAffinity term of ${describe(subject)} looks for its pods in ${where}, not in ${w.namespace} where they run: it spreads nothing`,
        fix: `Remove namespaces/namespaceSelector from the term (it then looks in the pod's own namespace), or add ${w.namespace}.`,
        path: [...path, names.length > 0 ? "namespaces" : "namespaceSelector"],
      });
    }
    return findings;
  },
});

/** Whether every requirement of the selector is on the Namespace's name label, so it can be judged
 * without the Namespace's other labels. */
function selectsByNameOnly(selector: LabelSelector): boolean {
  const keys = [
    ...Object.keys(record(selector.matchLabels)),
    ...list(selector.matchExpressions).map((e) => String(e.key)),
  ];
  return keys.length > 0 && keys.every((k) => k === NAME_LABEL);
}
