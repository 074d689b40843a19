// Options and input shared by deploy, diff and status: kubectl's habits (--kubeconfig, --context, -n)
// and "what to deploy" — manifest files, a directory, stdin, or the built-in blueprint by name.
//
// The cluster library (and the parts of @kubernetes/client-node under it: ~300 modules with undici) is
// imported only when a command runs; bin/shipshape.js turns on Node's compile cache, which roughly
// halves that load.
import type { Cluster } from "../cluster/client.ts";
import { InputError } from "../errors.ts";
import { checkAppName, resolveApp } from "../k8s/app-identity.ts";
import type { KubeObject } from "../k8s/object.ts";

export const KUBE_OPTIONS = {
  kubeconfig: { type: "string" },
  context: { type: "string" },
  namespace: { type: "string", short: "n" },
  help: { type: "boolean", short: "h" },
} as const;

/** -A for the commands that read every namespace at once (apps, status). */
export const ALL_NAMESPACES_OPTION = { "all-namespaces": { type: "boolean", short: "A" } } as const;
export const ALL_NAMESPACES_HELP = "  -A, --all-namespaces  every namespace";

/** The namespace to read: undefined for every namespace (-A), else -n, else the context's. */
export function namespaceScope(
  values: { "all-namespaces"?: boolean; namespace?: string },
  cluster: Cluster,
): string | undefined {
  return values["all-namespaces"] ? undefined : (values.namespace ?? cluster.defaultNamespace);
}

/** What deploy and diff read besides files: the app's name, the blueprint's settings, or a config file. */
export const INPUT_OPTIONS = {
  app: { type: "string" },
  domain: { type: "string" },
  set: { type: "string", multiple: true },
  config: { type: "string" },
} as const;

export const KUBE_HELP = `  --kubeconfig FILE     kubeconfig to use (default: $KUBECONFIG, then ~/.kube/config)
  --context NAME        kubeconfig context (default: its current-context)
  -n, --namespace NS    namespace for objects that name none (default: the context's)`;

/** The app a lifecycle command (history, rollback, delete) acts on: --app, required and checked. */
export function requiredApp(app: string | undefined): string {
  if (!app) throw new InputError("name the app with --app NAME (`shipshape apps` lists them)");
  return checkAppName(app);
}

export async function connect(values: { kubeconfig?: string; context?: string }): Promise<Cluster> {
  const { Cluster } = await import("../cluster/client.ts");
  const cluster = Cluster.connect({ kubeconfig: values.kubeconfig, context: values.context });
  if (cluster.insecure)
    process.stderr.write(
      `shipshape: warning: TLS verification is off for ${cluster.server} (the kubeconfig's insecure-skip-tls-verify)\n`,
    );
  return cluster;
}

export interface DeployInput {
  objects: KubeObject[];
  /** The app they are deployed as: --app, else the one their labels declare (never a file's name). */
  app: string;
  /** For objects that name none: -n for files; none for the blueprint (-n is its setting, already applied). */
  namespace?: string;
}

/** Objects from a blueprint (by its name, or a --config file), or from files, directories and stdin. */
export async function loadInput(
  paths: string[],
  values: { app?: string; domain?: string; set?: string[]; namespace?: string; config?: string },
): Promise<DeployInput> {
  const { BLUEPRINTS, findBlueprint } = await import("../blueprint/registry.ts");
  const names = BLUEPRINTS.map((b) => b.name).join(", ");
  if (paths.length === 0 && !values.config)
    throw new InputError(
      `nothing to deploy: give files, a directory, - for stdin, a blueprint (${names}), or --config`,
    );
  const blueprint = paths[0] === undefined ? undefined : findBlueprint(paths[0])?.name;
  if (blueprint || (values.config && paths.length === 0)) {
    if (paths.length > 1) throw new InputError(`the ${blueprint} blueprint takes no other inputs`);
    const { parseSetArgument } = await import("../blueprint/settings.ts");
    const settings: Record<string, unknown> = Object.fromEntries((values.set ?? []).map(parseSetArgument));
    if (values.domain) settings.domain = values.domain;
    if (values.namespace) settings.namespace = values.namespace;
    // The synth job's own library call: same checks and error places as `shipshape synth`.
    const { synthesize } = await import("../synth/synthesize.ts");
    const resources = await synthesize({
      blueprint,
      config: values.config,
      settings,
      flagOf: (key) => (key === "domain" || key === "namespace" ? `--${key}` : `--set ${key}`),
    });
    return withApp(
      resources.map((r) => r.object),
      values.app,
    );
  }
  if (values.config) throw new InputError("--config builds the input itself: give no files with it");
  if (values.domain || values.set?.length)
    throw new InputError(`--domain and --set apply to a blueprint (${names}) only`);
  const { readManifests } = await import("../manifest/read.ts");
  const sources = await readManifests(paths);
  if (sources.length === 0) {
    const where = paths.includes("-") ? " (stdin was empty: did the command before the pipe fail?)" : "";
    throw new InputError(`the input holds no objects${where}: nothing applied, nothing pruned`);
  }
  return {
    ...withApp(
      sources.map((s) => s.object),
      values.app,
    ),
    namespace: values.namespace,
  };
}

function withApp(objects: KubeObject[], given: string | undefined) {
  return { objects, app: resolveApp(objects, given) };
}
