import { qosClass } from "../facts/qos.ts";
import { defineRule } from "../types.ts";
import { containersOf, describe, isLongRunning } from "./helpers.ts";

export const qosBestEffort = defineRule({
  id: "qos-best-effort",
  title: "Pods declare resource requests (not QoS class BestEffort)",
  severity: "warning",
  category: "health",
  targets: "workloads",
  explain: `What breaks: a pod without any cpu or memory requests or limits is QoS class BestEffort. The
scheduler places it as if it needed nothing, so nodes get overcommitted; under memory pressure the kubelet
evicts it first and the kernel's OOM killer picks it first (oom_score_adj 1000). Under load, this is the
first thing to die.

Why: the seed (服务质量 QoS): "when the system runs out of memory, BestEffort pods are killed first". Its
naive WordPress had no resources, "so it is currently a BestEffort pod". After load-testing with Fortio it
sets requests == limits (cpu 200m, memory 100Mi) to make the web tier Guaranteed.

Fix: measure under load, then set resources.requests (and limits) for cpu and memory on every container,
including init and sidecar containers. requests == limits on all of them gives Guaranteed
(oom_score_adj -997). Batch pods (Jobs, CronJobs) are reported as info.`,
  check(subject, index) {
    const w = index.workloadOf(subject);
    if (!w || w.containers.length === 0 || qosClass(w.podSpec) !== "BestEffort") return [];
    const first = containersOf(w)[0]!;
    return [
      {
        message: `${describe(subject)} is QoS class BestEffort (no cpu or memory requests or limits): it is evicted and OOM-killed first (oom_score_adj 1000)`,
        fix: "Set resources.requests and resources.limits for cpu and memory on every container; requests == limits makes it Guaranteed.",
        path: first.path,
        ...(isLongRunning(w) ? {} : { severity: "info" as const }),
      },
    ];
  },
});
