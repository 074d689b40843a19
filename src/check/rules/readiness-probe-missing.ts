import { list, record } from "../shape.ts";
import { defineRule } from "../types.ts";
import { containerName, describe, isLongRunning, servingContainers } from "./helpers.ts";

export const readinessProbeMissing = defineRule({
  id: "readiness-probe-missing",
  title: "Containers that serve traffic have a readiness probe",
  severity: "error",
  category: "health",
  targets: "workloads",
  explain: `What breaks: without a readiness probe a container counts as ready the moment its process starts.
The Service sends it requests while the application is still booting (WordPress connecting to MySQL,
caches warming), and a rollout replaces old pods with new ones that cannot answer yet — users get
connection refused and 502s. A container that hangs later keeps receiving traffic.

Why: the seed (健康检查): "only when the readinessProbe succeeds is the pod ready to receive traffic; only
then is the Service's Endpoints object updated". It adds a readiness probe every 5s and says it must always
be there (preferably an HTTP check). It deliberately omits the liveness probe: restarting automatically can
hide a failure forever, so it keeps the failing pod for diagnosis and relies on monitoring. shipshape
follows it: readiness required, liveness optional.

Fix: add to each serving container
  readinessProbe:
    httpGet: {path: /healthz, port: http}   # or tcpSocket for non-HTTP
    periodSeconds: 5
It is an error for containers behind a Service, a warning for other long-running containers with ports
(and for those behind a Service that only exposes metrics). A container without ports beside a probed one
needs none: the pod is ready only when every container is.`,
  check(subject, index) {
    const w = index.workloadOf(subject);
    if (!w || !isLongRunning(w)) return [];
    const behindService = w.trafficServices.length > 0;
    // A pod is ready only when all its containers are: a probed sibling already gates its traffic, so a
    // sidecar without ports (a log shipper, a proxy's config reloader) needs none of its own.
    const gated = w.containers.some((c) => record(c).readinessProbe !== undefined);
    return servingContainers(w)
      .filter(({ container }) => record(container).readinessProbe === undefined)
      .filter(({ container }) => !gated || list(container.ports).length > 0)
      .filter(({ container }) => behindService || list(container.ports).length > 0)
      .map(({ container, path }) => ({
        message: behindService
          ? `container "${containerName(container)}" of ${describe(subject)} has no readinessProbe: ${describe(w.trafficServices[0]!)} will send it traffic before it can answer`
          : `container "${containerName(container)}" of ${describe(subject)} declares ports but has no readinessProbe: it counts as ready as soon as it starts`,
        fix: `Add a readinessProbe to "${containerName(container)}" (httpGet on a health path, or tcpSocket, periodSeconds: 5).`,
        path,
        ...(behindService ? {} : { severity: "warning" as const }),
      }));
  },
});
