import { defineRule } from "../types.ts";
import { describe, hpaBounds, isDedicatedDatabase, servingReplicas } from "./helpers.ts";

export const replicasSingle = defineRule({
  id: "replicas-single",
  title: "A production workload runs more than one replica",
  severity: "error",
  category: "availability",
  targets: "workloads",
  explain: `What breaks: with one replica, every node failure, node drain, eviction, OOM kill or rollout is
an outage until a new pod is scheduled, pulls its image and passes its readiness probe — easily a minute.

Why: the seed calls it the single point of failure (单点故障): "when replicas=1 there is certainly a single
point of failure". WordPress is stateless, so the tutorial simply runs replicas: 3 and spreads them over
nodes. A bare Pod is worse: nothing recreates it at all when its node goes away.

Fix: set spec.replicas to 3 or more for a stateless tier (or let an HPA with minReplicas >= 2 own the
count), together with anti-affinity or topology spread and a PodDisruptionBudget. A single-instance
database is reported as a warning: one replica is a deliberate choice there (the seed runs one MySQL), and
high availability needs a replicated cluster (an operator or a managed database), not replicas: 2 — the
same holds for Redis-like stores, where two replicas behind one Service are two different stores. So is a
workload no Service sends traffic to (a queue worker, a leader-elected controller, or one whose Services
only expose metrics): it pauses rather than failing requests. An error is kept for what serves traffic.
Replicas are counted per Service: single-replica workloads that share one Service (one StatefulSet per
zone) answer for each other and are not reported.`,
  check(subject, index) {
    const w = index.workloadOf(subject);
    if (!w || w.replicas === undefined || w.replicas === 0) return [];
    const hpa = hpaBounds(w);
    if ((hpa?.min ?? w.replicas) > 1) return [];
    // Members of one Service (a StatefulSet per zone, blue and green) answer for each other.
    if ((servingReplicas(w, index) ?? 1) > 1) return [];
    if (w.kind === "Pod") {
      return [
        {
          message: `${describe(subject)} is a bare Pod: nothing recreates it when its node fails or is drained`,
          fix: "Run it from a Deployment (or StatefulSet) with replicas: 3 so a controller keeps copies alive.",
          severity: "warning",
        },
      ];
    }
    const stateful = isDedicatedDatabase(w) || w.kind === "StatefulSet";
    // Serving traffic makes one replica an outage waiting to happen; a worker, a leader-elected
    // controller or an exporter scraped for metrics merely pauses.
    const serving = w.trafficServices.length > 0;
    const where = hpa
      ? `its HorizontalPodAutoscaler's minReplicas is ${hpa.min}`
      : "it runs a single replica";
    return [
      {
        message: `${describe(subject)}: ${where}; any node failure, drain or rollout ${serving ? `takes ${describe(w.trafficServices[0]!)} down` : "stops it"}`,
        fix: stateful
          ? "For a database, one instance is a deliberate trade-off: for high availability run a replicated cluster (an operator or a managed database); keep its data on a persistent volume either way."
          : hpa
            ? "Set the HorizontalPodAutoscaler's minReplicas to 3 (at least 2)."
            : "Set spec.replicas: 3 (at least 2), spread the pods with anti-affinity and protect them with a PodDisruptionBudget.",
        path: w.declaredReplicas !== undefined ? ["spec", "replicas"] : ["spec"],
        ...(stateful || !serving ? { severity: "warning" as const } : {}),
      },
    ];
  },
});
