import { int, list, text } from "../shape.ts";
import type { FindingDraft } from "../types.ts";
import { defineRule } from "../types.ts";
import { containerName, containersOf, describe, probePorts } from "./helpers.ts";

export const probePortUnknown = defineRule({
  id: "probe-port-unknown",
  title: "Probes target a port the container declares",
  severity: "error",
  category: "health",
  targets: "workloads",
  explain: `What breaks: a probe on a named port the container does not declare can never succeed — the kubelet
cannot resolve the name, so a readiness probe keeps the pod out of its Service forever (the rollout hangs)
and a liveness probe restarts the container in a loop. A numeric port that is not declared works if the
process listens there — declared ports are informational, and many servers answer health checks on a port
of their own (ingress-nginx on 10254) — and fails if it is a typo (8008 for 8080): the input cannot tell.

Why: the seed's readiness probe is what keeps traffic away from pods that cannot answer yet; a probe that
checks the wrong port either never lets traffic in or checks nothing at all.

Fix: point httpGet/tcpSocket/grpc .port at a declared containerPort — by the same name (e.g. port: http
with ports: [{name: http, containerPort: 80}]) or the same number. A named port that does not exist is an
error; an undeclared number is info.`,
  check(subject, index) {
    const w = index.workloadOf(subject);
    if (!w) return [];
    const findings: FindingDraft[] = [];
    for (const at of containersOf(w)) {
      const { container } = at;
      const ports = list(container.ports);
      const names = ports.map((p) => text(p.name)).filter(Boolean);
      const numbers = ports.map((p) => int(p.containerPort)).filter((n) => n !== undefined);
      for (const { probe, port, path: portPath } of probePorts(at)) {
        if (typeof port === "string" && !/^\d+$/.test(port) && !names.includes(port)) {
          findings.push({
            message: `${probe} of container "${containerName(container)}" in ${describe(subject)} uses port "${port}", which the container does not declare${names.length ? ` (it declares ${names.join(", ")})` : ""}: the probe can never succeed`,
            fix: `Declare a containerPort named "${port}" on "${containerName(container)}", or point the probe at one it declares.`,
            path: portPath,
          });
        } else if (typeof port === "number" && numbers.length > 0 && !numbers.includes(port)) {
          findings.push({
            message: `${probe} of container "${containerName(container)}" in ${describe(subject)} checks port ${port}, but the container declares ${numbers.join(", ")}: fine if the process listens on ${port}, a probe that never succeeds if it is a typo`,
            fix: `Probe a declared port (${numbers.join(", ")}) or declare ${port} in the container's ports.`,
            path: portPath,
            severity: "info",
          });
        }
      }
    }
    return findings;
  },
});
