import { allowedDisruptions, type DisruptionBudget } from "../facts/disruptions.ts";
import { removeField, setField } from "../fix/patch.ts";
import { record } from "../shape.ts";
import type { FindingDraft } from "../types.ts";
import { defineRule } from "../types.ts";
import { describe, minReplicas, replicasText } from "./helpers.ts";

export const pdbBlocksDrain = defineRule({
  id: "pdb-blocks-drain",
  title: "A PodDisruptionBudget still allows at least one disruption",
  severity: "error",
  category: "availability",
  targets: { kinds: ["PodDisruptionBudget"] },
  explain: `What breaks: a budget that allows zero disruptions makes every eviction fail with HTTP 429.
\`kubectl drain\` retries forever, the cluster autoscaler cannot remove the node, and managed-cluster
upgrades stall or force-delete the pods after a timeout — the budget that was meant to protect availability
now blocks all maintenance.

Why: the disruption controller computes disruptionsAllowed = healthy pods - desired healthy pods.
minAvailable equal to the replica count (minAvailable: 1 on a single replica, minAvailable: 100%,
maxUnavailable: 0) leaves nothing to evict. Percentages round UP for both minAvailable and maxUnavailable,
so minAvailable: 67% of 3 replicas is 3. The seed uses maxUnavailable: 1 — it allows one eviction at any
replica count, so drains proceed one pod at a time.

Fix: use maxUnavailable: 1, or a minAvailable below the smallest replica count the workload runs (with
an HPA, its minReplicas). Computed here at the workload's replicas, or the HPA minimum when one scales it;
maxUnavailable: 0 (or 0%) and minAvailable: 100% are reported even when the workload is not in the input,
since they allow nothing at any replica count.`,
  check(subject, index) {
    if (subject.object.kind !== "PodDisruptionBudget") return [];
    const spec = record(subject.object.spec) as DisruptionBudget;
    const covered = index.selectedBy(subject).filter((w) => w.replicated);
    if (covered.length === 0) return blocksAtAnyCount(spec) ? [atAnyCount(describe(subject), spec)] : [];
    const replicas = covered.reduce((sum, w) => sum + (minReplicas(w) ?? 1), 0);
    if (replicas === 0) return [];
    const allowed = allowedDisruptions(spec, replicas, subject.object.apiVersion);
    if (allowed !== 0) return [];
    const field = spec.maxUnavailable !== undefined ? "maxUnavailable" : "minAvailable";
    const names = covered.map((w) => describe(w.source)).join(", ");
    const setting =
      spec.maxUnavailable !== undefined || spec.minAvailable !== undefined
        ? `${field}: ${JSON.stringify(spec[field])}`
        : "its defaults";
    return [
      {
        message: `${describe(subject)} allows 0 disruptions at ${replicasText(replicas)} (${names}) with ${setting}: every drain and eviction will be refused`,
        fix: "Use maxUnavailable: 1 (one eviction at a time at any replica count), or set minAvailable below the replica count.",
        path: spec[field] !== undefined ? ["spec", field] : ["spec"],
        autofix: {
          ops: [removeField(["spec", "minAvailable"]), setField(["spec", "maxUnavailable"], 1)],
          comment: "one eviction at a time at any replica count (pdb-blocks-drain)",
        },
      },
    ];
  },
});

/** Settings that allow no disruption whatever the replica count: maxUnavailable 0 or 0%, minAvailable 100%. */
function blocksAtAnyCount(spec: DisruptionBudget): boolean {
  const max = spec.maxUnavailable;
  if (max !== undefined) return max === 0 || max === "0%";
  return spec.minAvailable === "100%";
}

function atAnyCount(name: string, spec: DisruptionBudget): FindingDraft {
  const field = spec.maxUnavailable !== undefined ? "maxUnavailable" : "minAvailable";
  return {
    message: `${name} allows 0 disruptions at any replica count with ${field}: ${JSON.stringify(spec[field])}: every drain and eviction of its pods will be refused`,
    fix: "Use maxUnavailable: 1 (one eviction at a time at any replica count).",
    path: ["spec", field],
  };
}
