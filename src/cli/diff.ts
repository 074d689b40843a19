// `shipshape diff`: argument parsing and output around the library's plan() — the same plan deploy acts on.
import { parseCommandArgs } from "./args.ts";
import { connect, INPUT_OPTIONS, KUBE_HELP, KUBE_OPTIONS, loadInput } from "./kube-options.ts";

const HELP = `Usage: shipshape diff <file|dir|->... [--app NAME] [options]
       shipshape diff wordpress --domain blog.example.com [--set key=value]... [options]

Shows what \`shipshape deploy\` would do: the plan (what it creates, changes and prunes, and what it keeps
or leaves alone), then per object a server-side dry-run apply against the live object, both cut down to
the fields shipshape manages (no status, defaults or other managers' fields), as a unified diff. A
removed field shows as removed. Secret values and annotations are shown as ***. Nothing is changed.

Options:
${KUBE_HELP}
  --app NAME            the app (default: the one the objects' shipshape.dev/app label declares)
  --prune-data          plan as deploy --prune-data would (PVCs, Namespaces, Secrets, CRDs pruned too)
  --domain HOST, --set KEY=VALUE   (a blueprint) its settings, as for deploy
  --config FILE         diff what a shipshape.config.ts/.yaml synthesizes
  -h, --help            this help

Exit codes (as kubectl diff): 0 no changes, 1 changes (prunes included), 2 bad input or no cluster.

Examples:
  shipshape diff k8s/ --app blog -n kube-example
  shipshape synth wordpress --domain blog.example.com | shipshape diff -
`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs("diff", {
    args: argv,
    allowPositionals: true,
    options: {
      ...KUBE_OPTIONS,
      ...INPUT_OPTIONS,
      "prune-data": { type: "boolean" },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  // Reading the input and loading the cluster client overlap.
  const [input, cluster] = await Promise.all([loadInput(positionals, values), connect(values)]);
  const { plan, planIsEmpty, planSummary } = await import("../cluster/plan.ts");
  const p = await plan(cluster, input.objects, {
    app: input.app,
    namespace: input.namespace,
    pruneData: values["prune-data"],
  }).finally(() => cluster.close());
  const out = process.stdout;
  out.write(`${planSummary(p).join("\n")}\n`);
  for (const step of p.steps) out.write(step.diff);
  const empty = planIsEmpty(p);
  if (empty) out.write("no changes\n");
  return empty ? 0 : 1;
}
