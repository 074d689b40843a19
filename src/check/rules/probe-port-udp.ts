import { int, list, text } from "../shape.ts";
import type { FindingDraft } from "../types.ts";
import { defineRule } from "../types.ts";
import { containerName, containersOf, describe, probePorts } from "./helpers.ts";

const PROTOCOL = { httpGet: "HTTP", tcpSocket: "TCP", grpc: "gRPC" } as const;

export const probePortUdp = defineRule({
  id: "probe-port-udp",
  title: "TCP, HTTP and gRPC probes aim at a port the container serves over TCP",
  severity: "error",
  category: "health",
  targets: "workloads",
  explain: `What breaks: the kubelet's httpGet, tcpSocket and grpc probes always connect over TCP. Aimed at a
port the container declares only as UDP (a DNS server, a syslog or StatsD receiver, a game server), the
probe checks a port nothing listens on with TCP: it can never succeed. A readiness probe keeps the pod
out of its Service forever and the rollout hangs; a liveness probe restarts the container in a loop.

Why: the seed's readiness probe is what keeps traffic away from pods that cannot answer yet; a probe on
the wrong protocol never lets traffic in.

Fix: probe a TCP port the process serves (declare it with protocol: TCP, the default), or use an exec
probe that queries the UDP service itself (e.g. \`dig @127.0.0.1\`).`,
  check(subject, index) {
    const w = index.workloadOf(subject);
    if (!w) return [];
    const findings: FindingDraft[] = [];
    for (const at of containersOf(w)) {
      const ports = list(at.container.ports);
      for (const { probe, handler, port, path } of probePorts(at)) {
        const number =
          int(port) ?? (typeof port === "string" && /^\d+$/.test(port) ? Number(port) : undefined);
        const named = number === undefined ? text(port) : undefined;
        const matching = ports.filter((p) =>
          named !== undefined ? text(p.name) === named : int(p.containerPort) === number,
        );
        if (matching.length === 0 || !matching.every((p) => p.protocol === "UDP")) continue;
        const name = containerName(at.container);
        findings.push({
          message: `${probe} of container "${name}" in ${describe(subject)} checks port ${String(port)} over ${PROTOCOL[handler]}, but the container declares it only as UDP: the probe can never succeed`,
          fix: `Probe a TCP port of "${name}", or use an exec probe that queries the UDP service.`,
          path,
        });
      }
    }
    return findings;
  },
});
