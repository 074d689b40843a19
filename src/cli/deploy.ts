// `shipshape deploy`: argument parsing and output around the library's deploy().

import type { Cluster } from "../cluster/client.ts";
import type { DeployOptions, DeployResult } from "../cluster/deploy.ts";
import { liveView, type ProgressView, plainView } from "../cluster/progress.ts";
import { InputError } from "../errors.ts";
import type { KubeObject } from "../k8s/object.ts";
import { parseDuration } from "../load/options.ts";
import { DEFAULT_DEPLOY_SLO_TEXT } from "../verify/gate-defaults.ts";
import { parseCommandArgs } from "./args.ts";
import { confirmed } from "./confirm.ts";
import { onCtrlC, SIGNAL_EXIT_CODES, type StopSignal, signalName } from "./ctrl-c.ts";
import {
  printJudgement,
  VERIFY_HELP,
  VERIFY_OPTIONS,
  type VerifyRequest,
  verifyRequest,
} from "./deploy-verify.ts";
import { connect, INPUT_OPTIONS, KUBE_HELP, KUBE_OPTIONS, loadInput } from "./kube-options.ts";

const HELP = `Usage: shipshape deploy <file|dir|->... [--app NAME] [options]
       shipshape deploy wordpress --domain blog.example.com [--set key=value]... [options]
       shipshape deploy <file|dir|->... --verify URL [--slo LIST] [-q N] [-c N] [options]

Plans, then server-side applies the objects (field manager "shipshape") in dependency order, waits
until each is really ready (Deployments as \`kubectl rollout status\`), says why when something is not,
and records the release (\`shipshape history\`, \`shipshape rollback\`).

With --verify URL the change is applied while HTTP load runs against URL, as \`verify rollout\` does:
a URL that fails every request of the warm-up is refused before anything is applied; once the
release is ready the load goes on for --settle; then the SLO (default '${DEFAULT_DEPLOY_SLO_TEXT}') is judged.
Held: the release is kept (pruned, recorded) and the measured SLO line printed, exit 0. Broken, or the
rollout not ready in --timeout: the app is rolled back to the release running before (as --atomic),
and verify's verdict is printed (which threshold broke, the failed requests on a timeline with the pod
events around them, the likely cause), exit 1.

The app: every deploy belongs to one, named by --app or declared by the objects' label
shipshape.dev/app (synth sets it); input that does neither is refused, and so is empty input.
Every applied object is labelled with the app.

Pruning: objects of the app's last release that left the input are deleted — after the new release is
ready, and only those whose live object proves it is the app's (labelled with it, applied by shipshape,
in a namespace this input deploys to). Data is never pruned without --prune-data: PVCs, Namespaces,
every Secret and CRDs. Deleting more than 3 objects, or more than half of the app, asks first on a
terminal and needs --yes elsewhere. Generated Secrets are created when absent and never overwritten.

Options:
${KUBE_HELP}
  --app NAME            the app (default: the one the objects' shipshape.dev/app label declares)
  --dry-run             print the plan (create / change / prune) and stop; exit 0 no changes, 1 changes
  --timeout DURATION    give up waiting after this long (default 5m)
  --atomic              on failure or Ctrl-C, put every object of the app back to the previous release
                        and remove what this one created (data kept)
  --force-conflicts     take over fields another field manager owns (default: report the conflict)
  --prune-data          also prune PVCs, Namespaces, Secrets and CRDs that left the input
  --no-prune            delete nothing, whatever left the input
  -y, --yes             delete without asking, however many objects the plan prunes
  --domain HOST         (a blueprint) the public host name
  --set KEY=VALUE       (a blueprint) any of its settings, typed as synth types them (shipshape synth --help),
                        e.g. --set replicas=4 --set antiAffinity=hard
  --config FILE         deploy what a shipshape.config.ts/.yaml synthesizes (as \`shipshape synth --config\`)
  -h, --help            this help

${VERIFY_HELP}

Ctrl-C or SIGTERM while applying or waiting stops; with --atomic it rolls back first (a second one
quits at once).

Exit codes: 0 ready (with --verify: and the SLO held), 1 not ready, rolled back (with --verify: the
SLO broke) or declined, 2 bad input, refused objects, no cluster, or (--verify) a Deployment not yet
running or a URL that fails the warm-up, 130 interrupted (143 SIGTERM, 129 SIGHUP).

Examples:
  shipshape deploy k8s/ --app blog --context prod -n kube-example --timeout 5m --atomic
  shipshape synth wordpress --domain blog.example.com | shipshape deploy -
  shipshape deploy k8s/ --app blog --dry-run
  shipshape deploy k8s/ --app blog --verify https://blog.example.com/ --slo 'success>=99.9%,p99<500ms' -q 50
`;

function printResult(result: DeployResult, unchanged: boolean, out: NodeJS.WritableStream): void {
  const line = (text: string) => out.write(`${text}\n`);
  if (result.error) line(`apply failed: ${result.error}`);
  if (result.refused) line(`refused: ${result.refused}`);
  for (const stuck of result.notReady) {
    line(`not ready: ${stuck.name}: ${stuck.detail}`);
    for (const why of stuck.why) line(`  ${why}`);
  }
  const seconds = (result.elapsedMs / 1000).toFixed(1);
  if (result.outcome !== "ready" && result.plan.prune.length)
    line(`not pruned (the release is not ready): ${result.plan.prune.length} object(s) left in place`);
  const rollback = result.rollback;
  if (rollback) {
    for (const name of rollback.restored) line(`rolled back ${name} to the previous release`);
    for (const name of rollback.removed) line(`removed ${name} (created by the failed release)`);
    for (const name of rollback.kept) line(`kept ${name} (holds data)`);
    for (const failure of rollback.failed) line(`NOT rolled back: ${failure}`);
    const nothing = !rollback.restored.length && !rollback.removed.length;
    if (rollback.failed.length) line("rollback INCOMPLETE: see the lines above");
    else if (!rollback.wait.ready) line("rollback applied, but the previous release is NOT ready");
    else if (nothing) line("rollback complete: nothing had been changed");
    else line("rollback complete: the previous release is back and ready");
  }
  const release = result.release ? ` (release ${result.release})` : "";
  if (result.outcome === "ready")
    line(
      unchanged
        ? `no changes; all ready${release} (${seconds}s)`
        : `deployed; all ready${release} (${seconds}s)`,
    );
  else if (result.outcome === "interrupted") line(`deploy interrupted after ${seconds}s${release}`);
  else line(`deploy ${result.outcome}${release} after ${seconds}s`);
}

/** The options deploy and rollback share. */
export const DEPLOY_OPTIONS = {
  timeout: { type: "string", default: "5m" },
  atomic: { type: "boolean" },
  "dry-run": { type: "boolean" },
  "force-conflicts": { type: "boolean" },
  "prune-data": { type: "boolean" },
  "no-prune": { type: "boolean" },
  yes: { type: "boolean", short: "y" },
} as const;

interface DeployFlags {
  timeout: string;
  atomic?: boolean;
  "dry-run"?: boolean;
  "force-conflicts"?: boolean;
  "prune-data"?: boolean;
  "no-prune"?: boolean;
  yes?: boolean;
}

/** Runs a deploy of `objects` as `app` with the plan, progress and result printed (under load and judged
 * when `verify` is given); answers the exit code. */
export async function deployAndReport(
  cluster: Cluster,
  objects: KubeObject[],
  target: { app: string; namespace?: string; description?: string },
  values: DeployFlags,
  verify?: VerifyRequest,
): Promise<number> {
  if (values["no-prune"] && values["prune-data"])
    throw new InputError("--no-prune and --prune-data contradict");
  const timeoutMs = parseDuration(values.timeout, "--timeout");
  // verify's session, load engine and check rules are loaded only for --verify.
  const [{ deploy, noChanges }, plan, gated] = await Promise.all([
    import("../cluster/deploy.ts"),
    import("../cluster/plan.ts"),
    verify ? import("../verify/gated-deploy.ts") : undefined,
  ]);
  const out = process.stdout;
  let view: ProgressView | undefined;
  const closeView = () => {
    view?.close();
    view = undefined;
  };
  const newView = () => (out.isTTY ? liveView(out) : plainView(out));
  const stop = new AbortController();
  let stoppedBy: StopSignal = "SIGINT";
  const restoreSignals = onCtrlC(
    (signal) => {
      stoppedBy = signal;
      stop.abort(signalName(signal));
    },
    values.atomic || verify ? "stopping, then rolling back" : "stopping (applied changes stay)",
  );
  /** A line between progress redraws: the live view starts afresh under it. */
  const say = (text: string) => {
    closeView();
    out.write(`${text}\n`);
  };
  let needsYes: string | undefined;
  try {
    const options: DeployOptions = {
      ...target,
      timeoutMs,
      atomic: values.atomic,
      dryRun: values["dry-run"],
      forceConflicts: values["force-conflicts"],
      pruneData: values["prune-data"],
      prune: !values["no-prune"],
      signal: stop.signal,
      onPlan: (p) => out.write(`${plan.planSummary(p).join("\n")}\n`),
      confirm: async (p) => {
        const why = plan.pruneNeedsConfirmation(p);
        if (!why) return true;
        const answer = await confirmed(`shipshape: the plan deletes objects: ${why}. Go ahead?`, values.yes);
        if (answer === "needs --yes") needsYes = why;
        return answer === "yes";
      },
      onChange: (change) => {
        if (change.action !== "unchanged") out.write(`${change.action} ${change.name}\n`);
      },
      onProgress: (progress) => {
        view ??= newView();
        view.update(progress);
      },
      onRollback: say,
    };
    let result: DeployResult;
    if (verify && gated) {
      const run = await gated.gatedDeploy(cluster, objects, options, {
        session: {
          cluster,
          load: verify.load,
          assumeReach: verify.assumeReach,
          signal: stop.signal,
          log: (text) => say(`verify: ${text}`),
        },
        slo: verify.slo,
        waits: verify.waits,
        ...(verify.deployment ? { deployment: verify.deployment } : {}),
        onVerdict: (judged) => {
          closeView();
          printJudgement(judged, out);
        },
      });
      if (!run.deploy) {
        out.write("interrupted in the warm-up: nothing applied\n");
        return SIGNAL_EXIT_CODES[stoppedBy];
      }
      result = run.deploy;
    } else result = await deploy(cluster, objects, options);
    closeView();
    if (needsYes) throw new InputError(`nothing done: ${needsYes}; re-run with --yes to delete them`);
    if (result.outcome === "planned") return plan.planIsEmpty(result.plan) ? 0 : 1;
    if (result.outcome === "cancelled") {
      out.write("nothing done\n");
      return 1;
    }
    printResult(result, noChanges(result), out);
    if (result.refused) process.stderr.write(`shipshape deploy: release refused: ${result.refused}\n`);
    if (result.outcome === "interrupted") return SIGNAL_EXIT_CODES[stoppedBy];
    if (result.inputError) return 2;
    return result.outcome === "ready" ? 0 : 1;
  } finally {
    restoreSignals();
    closeView();
  }
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs("deploy", {
    args: argv,
    allowPositionals: true,
    options: { ...KUBE_OPTIONS, ...DEPLOY_OPTIONS, ...INPUT_OPTIONS, ...VERIFY_OPTIONS },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  parseDuration(values.timeout, "--timeout");
  const verify = await verifyRequest(values);
  // Reading the input and loading the cluster client overlap.
  const [input, cluster] = await Promise.all([loadInput(positionals, values), connect(values)]);
  try {
    return await deployAndReport(
      cluster,
      input.objects,
      { app: input.app, namespace: input.namespace },
      values,
      verify,
    );
  } finally {
    await cluster.close();
  }
}
