// `shipshape synth`: blueprint settings (flags and/or --config) → production-grade manifests on stdout or -o.
import { writeFileSync } from "node:fs";
import {
  WORDPRESS_DEFAULTS,
  WORDPRESS_PROPS,
  type WordPressProps,
} from "../blueprint/blueprints/wordpress.ts";
import { toJsonList, toYaml } from "../blueprint/render.ts";
import { synthesize } from "../config/synthesize.ts";
import { InputError } from "../errors.ts";
import { GENERATED_SECRET_ANNOTATION } from "../k8s/annotations.ts";
import { oneOf, parseCommandArgs } from "./args.ts";

const BLUEPRINTS = ["wordpress"];
const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const FLAGS = Object.fromEntries(Object.keys(WORDPRESS_PROPS).map((key) => [kebab(key), key]));

function help(): string {
  const defaults = WORDPRESS_DEFAULTS as Record<string, unknown>;
  const settings = Object.entries(WORDPRESS_PROPS).map(([key, spec]) => {
    const short = spec.type === "enum" && spec.values.length <= 3;
    const value =
      spec.type === "boolean"
        ? ""
        : ` ${short ? spec.values.join("|") : spec.type === "enum" ? "VALUE" : spec.type.toUpperCase()}`;
    const choices = spec.type === "enum" && !short ? ` (${spec.values.join(", ")})` : "";
    const fallback = defaults[key] !== undefined && spec.type !== "boolean" ? ` [${defaults[key]}]` : "";
    return `  ${`--${kebab(key)}${value}`.padEnd(44)} ${spec.doc ?? ""}${choices}${fallback}`;
  });
  return `Usage: shipshape synth [wordpress] [settings…] [--format yaml|json] [-o FILE]
       shipshape synth --config shipshape.config.ts|.yaml [settings…] [-o FILE]

Synthesizes production-grade manifests: WordPress + MySQL as the built-in blueprint (replicas spread
over nodes, PDB, HPA, probes, Guaranteed QoS, zero-downtime rollouts, Secret refs, RWX/RWO volumes,
NetworkPolicy, Ingress with TLS). Output is deterministic and in apply order; each production setting
carries a comment naming the concern it serves.

Output:
  --format yaml|json    multi-document YAML with comments [yaml], or a JSON v1 List
  -o, --output FILE     write to FILE instead of stdout
  --config FILE         settings from FILE: YAML/JSON with the keys below (camelCase, e.g. storageClass),
                        or a TS/JS module whose default export is those settings, an App, or a function
                        returning an App or objects built with the constructs (import from "shipshape")

Settings (also config keys; a flag overrides the config file):
${settings.join("\n")}

Secrets: passwords and keys are never fixed and by default never printed. Workloads reference Secret
wordpress-mysql (mysql-root-password, mysql-password) and Secret wordpress-salts (WordPress's auth keys
and salts, shared by every replica) by secretKeyRef; the annotation shipshape.dev/generated-secrets on the
StatefulSet and the Deployment declares them, and \`shipshape deploy\` creates each with CSPRNG values when
it is absent and never overwrites it. --with-secrets prints them instead (annotated
shipshape.dev/generated-secret: "true"), with new values on every run: keep that file out of git.

Replicas: with autoscaling (default) the Deployment carries no spec.replicas, so re-applying never
undoes a scale-up; --replicas is the HPA minimum. --no-autoscale pins spec.replicas instead.

Examples:
  shipshape synth wordpress --namespace kube-example --domain wordpress.example.com > wordpress.yaml
  shipshape synth wordpress --ingress traefik --rook --anti-affinity hard
  shipshape synth wordpress --format json -o wordpress.json
  shipshape synth --config shipshape.config.yaml --replicas 4
`;
}

/** A flag's text → the setting's type (numbers for integer settings); the blueprint checks the rest. */
function settingValue(flag: string, key: string, value: string | boolean): unknown {
  if (WORDPRESS_PROPS[key]?.type !== "integer" || typeof value !== "string") return value;
  if (!/^-?\d+$/.test(value))
    throw new InputError(`must be an integer, got "${value}"`, { field: `--${flag}` });
  return Number(value);
}

export async function run(argv: string[]): Promise<number> {
  const settingOptions = Object.fromEntries(
    Object.entries(FLAGS).map(([flag, key]) => [
      flag,
      { type: WORDPRESS_PROPS[key]!.type === "boolean" ? ("boolean" as const) : ("string" as const) },
    ]),
  );
  const { values, positionals } = parseCommandArgs(
    "synth",
    {
      args: argv,
      allowPositionals: true,
      allowNegative: true,
      options: {
        ...settingOptions,
        config: { type: "string" },
        format: { type: "string", default: "yaml" },
        output: { type: "string", short: "o" },
        help: { type: "boolean", short: "h" },
      },
    },
    { outputs: ["output"] },
  );
  if (values.help) {
    process.stdout.write(help());
    return 0;
  }
  const [blueprint, ...extra] = positionals;
  if (blueprint !== undefined) oneOf("blueprint", blueprint, BLUEPRINTS);
  if (extra.length) throw new InputError(`unexpected argument "${extra[0]}" (one blueprint at a time)`);
  const format = oneOf("format", values.format, ["yaml", "json"], "--format");
  const settings: Record<string, unknown> = {};
  for (const [flag, key] of Object.entries(FLAGS)) {
    const value = (values as Record<string, string | boolean | undefined>)[flag];
    if (value !== undefined) settings[key] = settingValue(flag, key, value);
  }
  const resources = await synthesize({
    config: values.config,
    settings: settings as WordPressProps,
    flagOf: (key) => `--${kebab(key)}`,
  });
  const text = format === "json" ? toJsonList(resources) : toYaml(resources);
  if (
    resources.some(
      (r) => r.object.kind === "Secret" && r.object.metadata.annotations?.[GENERATED_SECRET_ANNOTATION],
    )
  )
    process.stderr.write(
      `shipshape: warning: the output holds live credentials (freshly generated Secrets)${values.output ? ` in ${values.output}` : ""}: keep it out of git and logs\n`,
    );
  if (values.output) {
    try {
      writeFileSync(values.output, text);
    } catch (error) {
      throw new InputError(`cannot write: ${(error as NodeJS.ErrnoException).code ?? error}`, {
        file: values.output,
      });
    }
  } else process.stdout.write(text);
  return 0;
}
