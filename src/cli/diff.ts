// `shipshape diff`: argument parsing and output around the library's diffObjects().
import { parseCommandArgs } from "./args.ts";
import { connect, INPUT_OPTIONS, KUBE_HELP, KUBE_OPTIONS, loadInput } from "./kube-options.ts";

const HELP = `Usage: shipshape diff <file|dir|->... [options]
       shipshape diff wordpress --domain blog.example.com [--set key=value]... [options]

Shows what \`shipshape deploy\` would change: a server-side dry-run apply against each live object,
both cut down to the fields shipshape manages (no status, defaults or other managers' fields), as a
unified diff. Secret values are shown as ***. Nothing is changed.

Options:
${KUBE_HELP}
  --domain HOST, --set KEY=VALUE   (wordpress) blueprint settings, as for deploy
  --config FILE         diff what a shipshape.config.ts/.yaml synthesizes
  -h, --help            this help

Exit codes (as kubectl diff): 0 no changes, 1 changes, 2 bad input or no cluster.

Examples:
  shipshape diff k8s/ -n kube-example
  shipshape synth wordpress --domain blog.example.com | shipshape diff -
`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs("diff", {
    args: argv,
    allowPositionals: true,
    options: {
      ...KUBE_OPTIONS,
      ...INPUT_OPTIONS,
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  // Reading the input and loading the cluster client overlap.
  const [input, cluster] = await Promise.all([loadInput(positionals, values), connect(values)]);
  const { diffObjects } = await import("../cluster/diff.ts");
  const diffs = await diffObjects(cluster, input.objects, {
    namespace: input.namespace,
  }).finally(() => cluster.close());
  const out = process.stdout;
  let changes = 0;
  for (const d of diffs) {
    if (d.conflict) out.write(`conflict: ${d.name}: ${d.conflict} (deploy needs --force-conflicts)\n`);
    if (d.state === "unchanged") continue;
    changes++;
    if (d.state === "generated") out.write(`generated ${d.name}: created with fresh passwords on deploy\n`);
    else out.write(d.diff);
  }
  if (changes === 0) out.write("no changes\n");
  return changes === 0 ? 0 : 1;
}
