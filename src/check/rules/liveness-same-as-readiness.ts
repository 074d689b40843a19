import { isDeepStrictEqual } from "node:util";
import type { Container } from "kubernetes-types/core/v1.js";
import { int, list, record } from "../shape.ts";
import { defineRule } from "../types.ts";
import { containerName, containersOf, describe } from "./helpers.ts";

const HANDLERS = ["httpGet", "tcpSocket", "grpc", "exec"] as const;

/** The check a probe performs (its handler) without its timing, a named port resolved to its number. */
function handlerOf(probe: unknown, container: Container): Record<string, unknown> | undefined {
  const p = record(probe);
  const name = HANDLERS.find((h) => p[h] !== undefined);
  if (!name) return undefined;
  const handler = record(p[name]);
  const port = list(container.ports).find(
    (cp) => typeof handler.port === "string" && cp.name === handler.port,
  );
  return { [name]: port ? { ...handler, port: port.containerPort } : p[name] };
}

/** How long a probe tolerates failure before acting: failureThreshold × periodSeconds (defaults 3 × 10 s). */
function patienceSeconds(probe: unknown): number {
  const p = record(probe);
  return (int(p.failureThreshold) ?? 3) * (int(p.periodSeconds) ?? 10);
}

export const livenessSameAsReadiness = defineRule({
  id: "liveness-same-as-readiness",
  title: "A liveness probe does not repeat the readiness check with no more patience",
  severity: "warning",
  category: "health",
  targets: "workloads",
  explain: `What breaks: readiness answers "should this pod get traffic now?", liveness answers "is this
process beyond repair?". When both run the same check and liveness gives up as fast as readiness,
anything that makes the pods briefly unready — the database restarting, a slow dependency, a load peak —
also makes the kubelet kill and restart them, all replicas at once: a short blip becomes a restart storm,
caches and connections are lost, and the evidence of what went wrong is restarted away.

Why: the seed (健康检查) adds only a readiness probe and explains why it leaves liveness out: restarting
automatically can hide a failure forever, so it keeps the failing pod for diagnosis and relies on
monitoring and alerts. A liveness probe is worth having only when it checks something narrower than
readiness (the process itself, not its dependencies) and with more patience.

Fix: drop the liveness probe (as the seed does), or point it at a cheap endpoint that tests the process
only (e.g. /livez that does not touch the database), or at least give it a failureThreshold × periodSeconds
well above the readiness probe's, so readiness handles blips and liveness only stuck processes. Reported
when liveness repeats the readiness check and is no more patient (defaults: 3 × 10 s).`,
  check(subject, index) {
    const w = index.workloadOf(subject);
    if (!w) return [];
    return containersOf(w, { init: false }).flatMap(({ container, path }) => {
      const liveness = handlerOf(record(container).livenessProbe, container);
      const readiness = handlerOf(record(container).readinessProbe, container);
      if (!liveness || !readiness || !isDeepStrictEqual(liveness, readiness)) return [];
      const live = patienceSeconds(record(container).livenessProbe);
      const ready = patienceSeconds(record(container).readinessProbe);
      if (live > ready) return [];
      return [
        {
          message: `container "${containerName(container)}" of ${describe(subject)} uses the same check for liveness and readiness, and liveness gives up as fast (${live} s vs ${ready} s): whatever makes it unready also gets it restarted`,
          fix: `Remove the livenessProbe of "${containerName(container)}", or make it check the process alone, or give it a far longer failureThreshold × periodSeconds than readiness (${ready} s).`,
          path: [...path, "livenessProbe"],
        },
      ];
    });
  },
});
