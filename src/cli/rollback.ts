// `shipshape rollback --app NAME [--to N]`: deploys a recorded release again, as a new release.

import { InputError } from "../errors.ts";
import { parseCommandArgs } from "./args.ts";
import { DEPLOY_OPTIONS, deployAndReport } from "./deploy.ts";
import { connect, KUBE_HELP, KUBE_OPTIONS, requiredApp } from "./kube-options.ts";

const HELP = `Usage: shipshape rollback --app NAME [--to N] [-n NAMESPACE] [options]

Deploys the objects of an earlier release of the app again (a new release, "rollback to vN"), with
deploy's plan, wait, pruning rules and output: what the later release added is pruned (never data
unless --prune-data), what it changed goes back. Without --to: the release deployed before the
current one. \`shipshape history --app NAME\` lists the releases.

Options:
${KUBE_HELP}
  --app NAME            the app (required)
  --to N                the release to go back to (vN or N)
  --timeout DURATION    give up waiting after this long (default 5m)
  --atomic, --dry-run, --force-conflicts, --prune-data, --no-prune, -y/--yes   as for deploy
  -h, --help            this help

Exit codes: 0 ready, 1 not ready (or rolled back, or declined), 2 bad input, no such release or no
cluster, 130 interrupted.
`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs("rollback", {
    args: argv,
    options: { ...KUBE_OPTIONS, ...DEPLOY_OPTIONS, app: { type: "string" }, to: { type: "string" } },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const app = requiredApp(values.app);
  const wanted = values.to === undefined ? undefined : Number(values.to.replace(/^v/, ""));
  if (wanted !== undefined && !(Number.isInteger(wanted) && wanted > 0))
    throw new InputError(`--to wants a release number such as 3 or v3, got "${values.to}"`);
  const cluster = await connect(values);
  try {
    const { listReleases } = await import("../cluster/releases.ts");
    const namespace = values.namespace ?? cluster.defaultNamespace;
    const releases = await listReleases(cluster, namespace, app);
    if (!releases.length) throw new InputError(`no releases of app "${app}" in namespace ${namespace}`);
    const deployed = releases.filter((r) => r.status === "deployed");
    const target = wanted === undefined ? deployed.at(-2) : releases.find((r) => r.number === wanted);
    if (!target) {
      const have = releases.map((r) => `v${r.number} ${r.status}`).join(", ");
      throw new InputError(
        wanted === undefined
          ? `no earlier deployed release of "${app}" to go back to (have: ${have})`
          : `app "${app}" has no release v${wanted} (have: ${have})`,
      );
    }
    return await deployAndReport(
      cluster,
      target.objects(),
      { app, description: `rollback to v${target.number}` },
      values,
    );
  } finally {
    await cluster.close();
  }
}
