// `shipshape status`: argument parsing and output around the library's namespaceStatus().
import { parseCommandArgs } from "./args.ts";
import { connect, KUBE_HELP, KUBE_OPTIONS } from "./kube-options.ts";

const HELP = `Usage: shipshape status [-n NAMESPACE] [options]

The production facts of a live namespace: workload readiness and how many nodes their pods spread
over, the QoS class the API server gave the pods, PDB allowed disruptions, HPA replicas and metrics
against target, PVC phases, and Service endpoints.

Options:
${KUBE_HELP}
  --json                the status as JSON
  -h, --help            this help

Exit codes: 0 every workload ready, 1 some not ready, 2 bad input or no cluster.

Example:
  shipshape status -n kube-example
`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs("status", {
    args: argv,
    options: { ...KUBE_OPTIONS, json: { type: "boolean" } },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const cluster = await connect(values);
  const { formatStatus, namespaceStatus } = await import("../cluster/status.ts");
  const status = await namespaceStatus(cluster, values.namespace ?? cluster.defaultNamespace).finally(() =>
    cluster.close(),
  );
  process.stdout.write(values.json ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(status));
  return status.workloads.every((w) => w.readiness.state === "ready") ? 0 : 1;
}
