// `shipshape status`: argument parsing and output around the library's namespaceStatus().
import { parseCommandArgs } from "./args.ts";
import {
  ALL_NAMESPACES_HELP,
  ALL_NAMESPACES_OPTION,
  connect,
  KUBE_HELP,
  KUBE_OPTIONS,
  namespaceScope,
} from "./kube-options.ts";

const HELP = `Usage: shipshape status [-n NAMESPACE | -A] [options]

The production facts of a live namespace: workload readiness, how many nodes their pods spread over
and, for a workload that is not ready, why (the scheduler's, kubelet's and controllers' own words),
the QoS class the API server gave the pods, PDB allowed disruptions, HPA replicas and metrics
against target, PVC phases, Service endpoints, Ingresses (hosts, TLS, backends) and the most recent
Warning events.

Options:
${KUBE_HELP}
${ALL_NAMESPACES_HELP}
  --json                the status as JSON
  -h, --help            this help

Exit codes: 0 every workload ready, 1 some not ready, 2 bad input or no cluster.

Example:
  shipshape status -n kube-example
  shipshape status -A --json
`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs("status", {
    args: argv,
    options: { ...KUBE_OPTIONS, ...ALL_NAMESPACES_OPTION, json: { type: "boolean" } },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const cluster = await connect(values);
  const { namespaceStatus } = await import("../cluster/status.ts");
  const { formatStatus } = await import("../cluster/status-text.ts");
  const namespace = namespaceScope(values, cluster);
  const status = await namespaceStatus(cluster, namespace).finally(() => cluster.close());
  process.stdout.write(values.json ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(status));
  return status.workloads.every((w) => w.readiness.state === "ready") ? 0 : 1;
}
