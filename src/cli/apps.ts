// `shipshape apps`: the apps shipshape deployed, with their last release.
import { parseCommandArgs } from "./args.ts";
import {
  ALL_NAMESPACES_HELP,
  ALL_NAMESPACES_OPTION,
  connect,
  KUBE_HELP,
  KUBE_OPTIONS,
  namespaceScope,
} from "./kube-options.ts";

const HELP = `Usage: shipshape apps [-n NAMESPACE | -A] [options]

Lists the apps deployed with shipshape (one inventory each) and the last release of each: its number,
how it ended (deployed, failed, rolled-back) and when.

Options:
${KUBE_HELP}
${ALL_NAMESPACES_HELP}
  --json                the list as JSON
  -h, --help            this help

Exit codes: 0 listed, 2 bad input or no cluster.
`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs("apps", {
    args: argv,
    options: {
      ...KUBE_OPTIONS,
      ...ALL_NAMESPACES_OPTION,
      json: { type: "boolean" },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const cluster = await connect(values);
  const { listApps } = await import("../cluster/apps.ts");
  const namespace = namespaceScope(values, cluster);
  const apps = await listApps(cluster, namespace).finally(() => cluster.close());
  if (values.json) {
    process.stdout.write(`${JSON.stringify(apps, null, 2)}\n`);
    return 0;
  }
  if (!apps.length) {
    process.stdout.write(`no apps in ${namespace ? `namespace ${namespace}` : "any namespace"}\n`);
    return 0;
  }
  const rows = apps.map((a) => [
    a.namespace,
    a.app,
    String(a.objects),
    a.last ? `v${a.last.number}` : "-",
    a.last?.status ?? "-",
    a.last?.time ?? "-",
  ]);
  process.stdout.write(table(["NAMESPACE", "APP", "OBJECTS", "RELEASE", "STATUS", "UPDATED"], rows));
  return 0;
}

/** Columns padded to their widest cell, as kubectl prints them. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    `${cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd()}\n`;
  return [header, ...rows].map(line).join("");
}
