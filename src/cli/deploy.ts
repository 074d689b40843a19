// `shipshape deploy`: argument parsing and output around the library's deploy().
import type { DeployResult } from "../cluster/deploy.ts";
import { describeRef } from "../cluster/inventory.ts";
import { liveView, type ProgressView, plainView } from "../cluster/progress.ts";
import { parseDuration } from "../load/options.ts";
import { parseCommandArgs } from "./args.ts";
import { connect, INPUT_OPTIONS, KUBE_HELP, KUBE_OPTIONS, loadInput } from "./kube-options.ts";

const HELP = `Usage: shipshape deploy <file|dir|->... [options]
       shipshape deploy wordpress --domain blog.example.com [--set key=value]... [options]

Server-side applies the objects (field manager "shipshape") in dependency order, waits until each is
really ready (Deployments as \`kubectl rollout status\`), and says why when something is not.
A generated DB Secret is created when absent and never overwritten. Objects that left the input since
the last deploy are pruned — never PVCs, Namespaces or generated Secrets unless --prune-data.

Options:
${KUBE_HELP}
  --timeout DURATION    give up waiting after this long (default 5m)
  --atomic              on failure, roll changed workloads back to their previous configuration
  --force-conflicts     take over fields another field manager owns (default: report the conflict)
  --prune-data          also prune PVCs, Namespaces and generated Secrets that left the input
  --app NAME            inventory name (default: the blueprint's or the first path's name)
  --domain HOST         (wordpress) the public host name
  --set KEY=VALUE       (wordpress) any blueprint setting, e.g. --set replicas=4 --set antiAffinity=hard
  --config FILE         deploy what a shipshape.config.ts/.yaml synthesizes (as \`shipshape synth --config\`)
  -h, --help            this help

Exit codes: 0 ready, 1 not ready (or rolled back), 2 bad input or no cluster.

Examples:
  shipshape deploy k8s/ --context prod -n kube-example --timeout 5m --atomic
  shipshape synth wordpress --domain blog.example.com | shipshape deploy -
  shipshape deploy wordpress --domain blog.example.com --set storageClass=csi-cephfs
`;

function printResult(result: DeployResult, unchanged: boolean, out: NodeJS.WritableStream): void {
  const line = (text: string) => out.write(`${text}\n`);
  if (result.error) line(`apply failed: ${result.error}`);
  for (const kept of result.keptData)
    line(`kept ${describeRef(kept)}: holds data, left the input (prune with --prune-data)`);
  for (const stuck of result.notReady) {
    line(`not ready: ${stuck.name}: ${stuck.detail}`);
    for (const why of stuck.why) line(`  ${why}`);
  }
  if (result.rollback) {
    for (const name of result.rollback.restored) line(`rolled back ${name} to its previous configuration`);
    for (const name of result.rollback.notRestorable) line(`not rolled back: ${name}`);
    line(
      result.rollback.wait.ready ? "rollback complete: previous configuration ready" : "rollback NOT ready",
    );
  }
  const seconds = (result.elapsedMs / 1000).toFixed(1);
  if (result.outcome === "ready")
    line(unchanged ? `no changes; all ready (${seconds}s)` : `deployed; all ready (${seconds}s)`);
  else line(`deploy ${result.outcome} after ${seconds}s`);
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs("deploy", {
    args: argv,
    allowPositionals: true,
    options: {
      ...KUBE_OPTIONS,
      timeout: { type: "string", default: "5m" },
      atomic: { type: "boolean" },
      "force-conflicts": { type: "boolean" },
      "prune-data": { type: "boolean" },
      app: { type: "string" },
      ...INPUT_OPTIONS,
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const timeoutMs = parseDuration(values.timeout, "--timeout");
  // Reading the input and loading the cluster client overlap.
  const [input, cluster] = await Promise.all([loadInput(positionals, values), connect(values)]);
  const { deploy, noChanges } = await import("../cluster/deploy.ts");
  const out = process.stdout;
  let view: ProgressView | undefined;
  const newView = () => (out.isTTY ? liveView(out) : plainView(out));
  try {
    const result = await deploy(cluster, input.objects, {
      app: input.app,
      namespace: input.namespace,
      timeoutMs,
      atomic: values.atomic,
      forceConflicts: values["force-conflicts"],
      pruneData: values["prune-data"],
      onChange: (change) => {
        if (change.action !== "unchanged") out.write(`${change.action} ${change.name}\n`);
      },
      onProgress: (objects) => {
        view ??= newView();
        view.update(objects);
      },
      onRollback: (name) => {
        view?.close();
        view = undefined;
        out.write(`rolling back ${name}\n`);
      },
    });
    view?.close();
    printResult(result, noChanges(result), out);
    return result.outcome === "ready" ? 0 : 1;
  } finally {
    view?.close();
    await cluster.close();
  }
}
