import { scaledValue } from "../facts/disruptions.ts";
import { setField } from "../fix/patch.ts";
import { record, text } from "../shape.ts";
import { defineRule } from "../types.ts";
import { describe, isDatabase, minReplicas, mountsExclusiveClaim, replicasText } from "./helpers.ts";

const ROLLING = ["spec", "strategy", "rollingUpdate"];
const FIX_COMMENT = "a new pod is ready before an old one stops (rolling-update-unsafe)";

export const rollingUpdateUnsafe = defineRule({
  id: "rolling-update-unsafe",
  title: "Rollouts keep full serving capacity (maxUnavailable 0, maxSurge 1)",
  severity: "warning",
  category: "rollout",
  targets: "workloads",
  explain: `What breaks: strategy Recreate stops every old pod before starting new ones — each rollout is an
outage. A RollingUpdate with maxUnavailable > 0 takes that many pods out of service before their
replacements are ready, so capacity drops exactly while the new version warms up; the default (25%, rounded
down) already removes one pod at 4 replicas. maxUnavailable equal to the replica count can stop them all.

Why: the seed (滚动更新): with 3 replicas it sets
  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
so a new pod must be ready before an old one is killed, and measures the rollout with Fortio. Recreate is
right only where two versions must never run at once — a database, or any pod on a ReadWriteOnce volume
(see rwo-volume-shared); it is not reported there.

Fix: set strategy.type RollingUpdate with rollingUpdate.maxSurge: 1 and maxUnavailable: 0 (and a readiness
probe, so "ready" means something).`,
  check(subject, index) {
    const w = index.workloadOf(subject);
    if (w?.kind !== "Deployment") return [];
    const strategy = record(record(subject.object.spec).strategy);
    const type = text(strategy.type) ?? "RollingUpdate";
    const replicas = minReplicas(w) ?? 1;
    if (type === "Recreate") {
      if (isDatabase(w) || w.trafficServices.length === 0 || mountsExclusiveClaim(w, index)) return [];
      return [
        {
          message: `${describe(subject)} uses strategy Recreate while ${describe(w.trafficServices[0]!)} sends it traffic: every rollout stops all pods before new ones are ready`,
          fix: "Use strategy.type RollingUpdate with rollingUpdate: {maxSurge: 1, maxUnavailable: 0}.",
          path: ["spec", "strategy", "type"],
          severity: "error",
          autofix: {
            ops: [
              setField(["spec", "strategy", "type"], "RollingUpdate"),
              setField([...ROLLING, "maxSurge"], 1),
              setField([...ROLLING, "maxUnavailable"], 0),
            ],
            comment: FIX_COMMENT,
          },
        },
      ];
    }
    if (type !== "RollingUpdate" || replicas === 0) return [];
    const rolling = record(strategy.rollingUpdate);
    const raw = (rolling.maxUnavailable ?? "25%") as number | string;
    // The Deployment controller rounds maxUnavailable down and maxSurge up.
    const unavailable = scaledValue(raw, replicas, false);
    const surge = scaledValue((rolling.maxSurge ?? "25%") as number | string, replicas, true);
    if (unavailable === undefined || surge === undefined) return [];
    const path =
      rolling.maxUnavailable !== undefined
        ? ["spec", "strategy", "rollingUpdate", "maxUnavailable"]
        : ["spec"];
    if (unavailable === 0 && surge === 0) {
      return [
        {
          message: `${describe(subject)} sets maxSurge and maxUnavailable both to 0: the rollout can never make progress`,
          fix: "Set rollingUpdate.maxSurge: 1 and maxUnavailable: 0.",
          path,
          severity: "error",
          autofix: { ops: [setField([...ROLLING, "maxSurge"], 1)], comment: FIX_COMMENT },
        },
      ];
    }
    if (unavailable === 0) return [];
    const all = unavailable >= replicas;
    return [
      {
        message: all
          ? `${describe(subject)} allows ${unavailable} unavailable pods during a rollout at ${replicasText(replicas)}: every pod may be down at once`
          : `${describe(subject)} takes ${unavailable} of ${replicasText(replicas)} out of service during each rollout (maxUnavailable ${JSON.stringify(raw)}${rolling.maxUnavailable === undefined ? ", the default" : ""})`,
        fix: "Set strategy.rollingUpdate.maxUnavailable: 0 and maxSurge: 1, so a new pod is ready before an old one stops.",
        path,
        ...(all ? { severity: "error" as const } : {}),
        autofix: {
          // A surge the user chose stays; only one that rounds to 0 would stall the rollout.
          ops: [
            setField([...ROLLING, "maxUnavailable"], 0),
            ...(surge === 0 ? [setField([...ROLLING, "maxSurge"], 1)] : []),
          ],
          comment: FIX_COMMENT,
        },
      },
    ];
  },
});
