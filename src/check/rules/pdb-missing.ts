import { defineRule } from "../types.ts";
import { describe, minReplicas, servingReplicas } from "./helpers.ts";

export const pdbMissing = defineRule({
  id: "pdb-missing",
  title: "A PodDisruptionBudget limits how many replicas a drain may take at once",
  severity: "warning",
  category: "availability",
  targets: "workloads",
  explain: `What breaks: node maintenance (kernel upgrades, autoscaler scale-down, cluster upgrades) drains
nodes, and a drain deletes pods first and recreates them elsewhere afterwards — it is not a rolling update.
Without a budget, draining the nodes that hold your replicas evicts all of them at the same time.

Why: the seed (使用 PDB): "if these nodes are all drained at once, all instances of the service are deleted
at once and the service is unavailable". Its answer is a PodDisruptionBudget with maxUnavailable: 1 for
app=wordpress,tier=frontend, which turns a drain into one-at-a-time evictions.

Fix: add a policy/v1 PodDisruptionBudget whose selector matches the pod labels, with maxUnavailable: 1
(it keeps allowing drains at any replica count; see pdb-blocks-drain). A single-replica workload is not
reported here: replicas-single already is, and a budget cannot keep one pod available through a drain.`,
  check(subject, index) {
    const w = index.workloadOf(subject);
    if (!w?.replicated || w.pdbs.length > 0 || w.replicas === 0) return [];
    // A single replica is replicas-single's finding: a budget cannot keep one pod up through a drain.
    if ((servingReplicas(w, index) ?? 1) <= 1) return [];
    const replicas = minReplicas(w) ?? 1;
    return [
      {
        message: `${describe(subject)} has no PodDisruptionBudget: a drain of several nodes may evict all ${replicas === 1 ? "the replicas behind its Service" : `${replicas} replicas`} at once`,
        fix: `Add a policy/v1 PodDisruptionBudget with maxUnavailable: 1 and selector.matchLabels ${JSON.stringify(w.podLabels)}.`,
        path: ["metadata", "name"],
      },
    ];
  },
});
