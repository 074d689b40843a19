// `shipshape history --app NAME`: the app's numbered releases.

import { InputError } from "../errors.ts";
import { table } from "./apps.ts";
import { parseCommandArgs } from "./args.ts";
import { connect, KUBE_HELP, KUBE_OPTIONS, requiredApp } from "./kube-options.ts";

const HELP = `Usage: shipshape history --app NAME [-n NAMESPACE] [options]

The app's releases, oldest first: number, how each ended (deployed, failed, rolled-back), when, and
what made it (deploy, rollback to vN). The last 10 are kept.

Options:
${KUBE_HELP}
  --app NAME            the app (required)
  --json                the releases as JSON
  -h, --help            this help

Exit codes: 0 listed, 2 bad input, no such app or no cluster.
`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs("history", {
    args: argv,
    options: { ...KUBE_OPTIONS, app: { type: "string" }, json: { type: "boolean" } },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const app = requiredApp(values.app);
  const cluster = await connect(values);
  const { listReleases } = await import("../cluster/releases.ts");
  const namespace = values.namespace ?? cluster.defaultNamespace;
  const releases = await listReleases(cluster, namespace, app).finally(() => cluster.close());
  if (!releases.length) throw new InputError(`no releases of app "${app}" in namespace ${namespace}`);
  if (values.json) {
    const plain = releases.map(({ objects: _objects, ...rest }) => rest);
    process.stdout.write(`${JSON.stringify(plain, null, 2)}\n`);
    return 0;
  }
  const rows = releases.map((r) => [`v${r.number}`, r.status, r.time, r.description]);
  process.stdout.write(table(["RELEASE", "STATUS", "TIME", "DESCRIPTION"], rows));
  return 0;
}
