// `shipshape delete --app NAME`: removes an app — what is provably its own, data kept unless asked.

import { describeRef } from "../cluster/inventory.ts";
import { InputError } from "../errors.ts";
import { parseCommandArgs } from "./args.ts";
import { confirmed } from "./confirm.ts";
import { connect, KUBE_HELP, KUBE_OPTIONS, requiredApp } from "./kube-options.ts";

const HELP = `Usage: shipshape delete --app NAME [-n NAMESPACE] [options]

Deletes the app's objects and its release history. Only objects whose live state proves they are the
app's (labelled shipshape.dev/app=NAME, applied by shipshape — or, a Secret deploy generated, created
by it — where its last release put objects) are deleted; anything else its inventory lists is left
alone and said. Data — PVCs, Namespaces, Secrets
(generated passwords included) and CRDs — is kept unless --prune-data; the inventory then keeps
listing it, so a later \`delete --prune-data\` still finds it. Asks first on a terminal; elsewhere
needs --yes.

Options:
${KUBE_HELP}
  --app NAME            the app (required)
  --prune-data          delete its data too
  --dry-run             print what would be deleted and kept, and stop
  -y, --yes             do not ask
  -h, --help            this help

Exit codes: 0 deleted (or nothing to do), 1 declined, 2 bad input, no such app or no cluster.
`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs("delete", {
    args: argv,
    options: {
      ...KUBE_OPTIONS,
      app: { type: "string" },
      "prune-data": { type: "boolean" },
      "dry-run": { type: "boolean" },
      yes: { type: "boolean", short: "y" },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const app = requiredApp(values.app);
  const cluster = await connect(values);
  const out = process.stdout;
  try {
    const { deleteApp, planDelete } = await import("../cluster/apps.ts");
    const namespace = values.namespace ?? cluster.defaultNamespace;
    const p = await planDelete(cluster, app, namespace, { pruneData: values["prune-data"] });
    out.write(`delete app ${app} in ${namespace}: ${p.remove.length} to delete, ${p.keep.length} kept\n`);
    for (const ref of p.remove) out.write(`  - delete ${describeRef(ref)}\n`);
    for (const ref of p.keep)
      out.write(`  = keep ${describeRef(ref)}: holds data (delete with --prune-data)\n`);
    for (const { ref, why } of p.ignored) out.write(`  ! leave ${describeRef(ref)}: ${why}\n`);
    if (values["dry-run"]) return 0;
    const answer = await confirmed(
      `shipshape: delete ${p.remove.length} object(s) of app ${app}?`,
      values.yes,
    );
    if (answer === "needs --yes")
      throw new InputError("nothing deleted: re-run with --yes to delete the app");
    if (answer === "no") {
      out.write("nothing deleted\n");
      return 1;
    }
    await deleteApp(cluster, p, (name) => out.write(`deleted ${name}\n`));
    out.write(
      p.keep.length
        ? `app ${app} deleted; its data is kept (${p.keep.length} object(s))\n`
        : `app ${app} deleted\n`,
    );
    return 0;
  } finally {
    await cluster.close();
  }
}
