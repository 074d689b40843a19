import { matchesSelector } from "../../k8s/selector.ts";
import { setField } from "../fix/patch.ts";
import type { Workload } from "../object-index.ts";
import { list, record, text } from "../shape.ts";
import { defineRule } from "../types.ts";
import { describe, maxReplicas } from "./helpers.ts";

/** Whether the pod spec spreads its own pods: an anti-affinity term or a topology spread constraint whose
 * selector matches the pod's own labels (a term selecting other pods spreads nothing). */
function spreadsItself(w: Workload): boolean {
  const spec = record(w.podSpec);
  const terms = antiAffinityTerms(w);
  const selects = (selector: unknown) =>
    selector !== undefined && matchesSelector(record(selector), w.podLabels);
  if (terms.some((t) => text(t.topologyKey) && selects(t.labelSelector))) return true;
  return list(spec.topologySpreadConstraints).some((c) => text(c.topologyKey) && selects(c.labelSelector));
}

function antiAffinityTerms(w: Workload): Record<string, unknown>[] {
  const anti = record(record(record(w.podSpec).affinity).podAntiAffinity);
  return [
    ...list(anti.requiredDuringSchedulingIgnoredDuringExecution),
    ...list(anti.preferredDuringSchedulingIgnoredDuringExecution).map((p) => record(p.podAffinityTerm)),
  ];
}

const PREFERRED = "preferredDuringSchedulingIgnoredDuringExecution";

/** The seed's soft anti-affinity: rather not two of these pods on one node. */
function hostnameTerm(podLabels: Record<string, string>) {
  return {
    weight: 100,
    podAffinityTerm: { labelSelector: { matchLabels: podLabels }, topologyKey: "kubernetes.io/hostname" },
  };
}

export const antiAffinityMissing = defineRule({
  id: "anti-affinity-missing",
  title: "Replicas are spread over nodes (pod anti-affinity or topology spread)",
  severity: "warning",
  category: "availability",
  targets: "workloads",
  explain: `What breaks: several replicas can all be scheduled onto the same node. When that node fails or is
drained, every replica goes at once and the "highly available" service is down.

Why: the seed (避免单点故障): "if replicas > 1 but all replicas are scheduled onto the same node, there is
still a single point of failure". It adds a soft pod anti-affinity on kubernetes.io/hostname for
app=wordpress — soft (preferred) because with fewer nodes than replicas a hard rule would leave pods
Pending; use a hard rule when nodes clearly outnumber replicas. The scheduler's built-in default
spreading is only a weak preference and does not count here.

Fix: add to the pod template
  affinity:
    podAntiAffinity:
      preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 100
        podAffinityTerm:
          topologyKey: kubernetes.io/hostname
          labelSelector: {matchLabels: <the pod's own labels>}
or a topologySpreadConstraints entry (maxSkew: 1, topologyKey: kubernetes.io/hostname,
whenUnsatisfiable: ScheduleAnyway) whose labelSelector matches the pod's own labels.`,
  check(subject, index) {
    const w = index.workloadOf(subject);
    if (!w?.replicated) return [];
    const most = maxReplicas(w) ?? 1;
    if (most <= 1 || spreadsItself(w)) return [];
    const affinity = record(w.podSpec).affinity !== undefined;
    const preferred = [...w.specPath, "affinity", "podAntiAffinity", PREFERRED];
    // A preferred list already there (say, spreading over zones) is the user's: the fix adds none beside it.
    const fixable =
      Object.keys(w.podLabels).length > 0 &&
      record(record(record(w.podSpec).affinity).podAntiAffinity)[PREFERRED] === undefined;
    // Terms that select other pods (a label typo, a selector on labels the template lacks) look like spreading.
    const why =
      antiAffinityTerms(w).length > 0
        ? `, but its podAntiAffinity selects none of its own pods (labels ${JSON.stringify(w.podLabels)}): nothing spreads them over nodes, and`
        : " with nothing spreading them over nodes:";
    return [
      {
        message: `${describe(subject)} runs up to ${most} replicas${why} one node failure can take them all`,
        fix: `Add a preferred podAntiAffinity term (topologyKey: kubernetes.io/hostname) or a topologySpreadConstraint whose labelSelector matches the pod labels ${JSON.stringify(w.podLabels)}.`,
        path: affinity ? [...w.specPath, "affinity"] : w.specPath,
        ...(fixable && {
          autofix: {
            ops: [setField(preferred, [hostnameTerm(w.podLabels)])],
            comment: "replicas prefer different nodes (anti-affinity-missing)",
          },
        }),
      },
    ];
  },
});
