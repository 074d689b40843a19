import type { Container } from "kubernetes-types/core/v1.js";
import { setField } from "../fix/patch.ts";
import { int, record } from "../shape.ts";
import { defineRule } from "../types.ts";
import { containerName, containersOf, describe } from "./helpers.ts";

const DEFAULT_GRACE_SECONDS = 30;

/** How long a preStop hook sleeps: the built-in sleep action, or a `sleep N` in its exec command. */
export function preStopSleepSeconds(container: Container): number | undefined {
  const preStop = record(record(container.lifecycle).preStop);
  const builtIn = int(record(preStop.sleep).seconds);
  if (builtIn !== undefined) return builtIn;
  const raw = record(preStop.exec).command;
  const command = (Array.isArray(raw) ? raw : []).map(String).join(" ");
  const match = /(?:^|[\s;&|/])sleep\s+(\d+(?:\.\d+)?)([smh]?)(?=$|[\s;&|])/.exec(command);
  if (!match) return undefined;
  const unit = { "": 1, s: 1, m: 60, h: 3600 }[match[2] as "" | "s" | "m" | "h"];
  return Number(match[1]) * unit;
}

export const gracePeriodTooShort = defineRule({
  id: "grace-period-too-short",
  title: "terminationGracePeriodSeconds outlasts the preStop sleep",
  severity: "warning",
  category: "rollout",
  targets: "workloads",
  explain: `What breaks: terminationGracePeriodSeconds (default 30) is one budget for the preStop hook AND the
application's shutdown after SIGTERM. If the preStop sleep uses it all, SIGTERM only arrives when the grace
period has run out, and the kubelet grants a single 2-second extension before SIGKILL: in-flight requests
are cut, and the zero-downtime preStop becomes the cause of errors.

Why: the seed's zero-downtime recipe (零宕机) is a preStop sleep 20 — it works because 20s is well inside the
default 30s grace period, leaving time for a graceful shutdown on SIGTERM. Lengthening the sleep or
shortening the grace period quietly breaks it.

Fix: make terminationGracePeriodSeconds longer than the preStop sleep plus the app's own shutdown time,
e.g. sleep 10 with terminationGracePeriodSeconds: 30, or sleep 20 with 45.`,
  check(subject, index) {
    const w = index.workloadOf(subject);
    if (!w) return [];
    const declared = int(record(w.podSpec).terminationGracePeriodSeconds);
    const grace = declared ?? DEFAULT_GRACE_SECONDS;
    const containers = containersOf(w, { init: false });
    // One grace period serves every container: the fix covers the longest sleep among them.
    const longest = Math.max(0, ...containers.map(({ container }) => preStopSleepSeconds(container) ?? 0));
    const autofix = {
      ops: [setField([...w.specPath, "terminationGracePeriodSeconds"], longest + 15)],
      comment: "the preStop sleep plus 15 s to shut down (grace-period-too-short)",
    };
    return containers.flatMap(({ container, path }) => {
      const sleep = preStopSleepSeconds(container);
      if (sleep === undefined || sleep < grace) return [];
      return [
        {
          message: `container "${containerName(container)}" of ${describe(subject)} sleeps ${sleep}s in preStop but the pod's grace period is ${grace}s${declared === undefined ? " (the default)" : ""}: SIGTERM comes with only 2 seconds left before SIGKILL`,
          fix: `Set terminationGracePeriodSeconds to at least ${sleep + 15} (the sleep plus shutdown time), or shorten the preStop sleep.`,
          path:
            declared !== undefined
              ? [...w.specPath, "terminationGracePeriodSeconds"]
              : [...path, "lifecycle", "preStop"],
          autofix,
        },
      ];
    });
  },
});
