import { qosClass } from "../facts/qos.ts";
import { defineRule } from "../types.ts";
import { containerName, containersOf, describe, isLongRunning } from "./helpers.ts";

export const qosBurstable = defineRule({
  id: "qos-burstable",
  title: "Pods that must not be OOM-killed are Guaranteed (requests == limits)",
  severity: "warning",
  category: "health",
  targets: "workloads",
  explain: `What breaks: a Burstable pod (some requests or limits, but not requests == limits for cpu and
memory on every container) may use more memory than it asked for; when the node runs short, Burstable
pods are killed after BestEffort ones but before Guaranteed ones, with an OOM score that grows as its
request shrinks (1000 - 1000 × request / node memory, kept within 3..999).

Why: the seed (服务质量 QoS): "if resources allow, make the pod Guaranteed: trade compute for stability and
less time spent debugging". Its WordPress tier gets requests == limits after measuring with Fortio; less
important services may stay Burstable — hence a warning, not an error.

Fix: set resources.limits equal to resources.requests for both cpu and memory on every container (init and
sidecar containers included). A limit alone is enough: the request defaults to it. Jobs and CronJobs are
not reported: a batch pod that bursts and finishes is normal.`,
  check(subject, index) {
    const w = index.workloadOf(subject);
    // A batch pod that bursts and finishes is normal; the concern is long-running serving pods.
    if (!w || !isLongRunning(w) || w.containers.length === 0 || qosClass(w.podSpec) !== "Burstable")
      return [];
    // The first container that would not be Guaranteed on its own is the one to fix.
    const culprit =
      containersOf(w).find(({ container }) => qosClass({ containers: [container] }) !== "Guaranteed") ??
      containersOf(w)[0]!;
    return [
      {
        message: `${describe(subject)} is QoS class Burstable (container "${containerName(culprit.container)}" does not set cpu and memory limits equal to its requests): under memory pressure it is OOM-killed before Guaranteed pods`,
        fix: "Set resources.limits equal to resources.requests for cpu and memory on every container to make the pod Guaranteed.",
        path: culprit.path,
      },
    ];
  },
});
