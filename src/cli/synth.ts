// `shipshape synth`: blueprint settings (flags and/or --config) → production-grade manifests on stdout or -o.
import { writeFileSync } from "node:fs";
import type { Blueprint } from "../blueprint/blueprint.ts";
import { BLUEPRINTS } from "../blueprint/registry.ts";
import { toJsonList, toYaml } from "../blueprint/render.ts";
import { parseSetArgument } from "../blueprint/settings.ts";
import { InputError } from "../errors.ts";
import { GENERATED_SECRET_ANNOTATION } from "../k8s/annotations.ts";
import { synthesize } from "../synth/synthesize.ts";
import { oneOf, parseCommandArgs } from "./args.ts";

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
/** --flag → setting, over every blueprint's settings (the chosen blueprint's spec judges them). */
const FLAGS: Record<string, string> = Object.fromEntries(
  BLUEPRINTS.flatMap((b) => Object.keys(b.spec)).map((key) => [kebab(key), key]),
);
const FLAG_TYPES = Object.fromEntries(
  BLUEPRINTS.flatMap((b) => Object.entries(b.spec)).map(([key, spec]) => [kebab(key), spec.type]),
);

function settingsHelp(blueprint: Blueprint): string {
  const settings = Object.entries(blueprint.spec).map(([key, spec]) => {
    const short = spec.type === "enum" && spec.values.length <= 3;
    const value =
      spec.type === "boolean"
        ? ""
        : ` ${short ? spec.values.join("|") : spec.type === "enum" ? "VALUE" : spec.type.toUpperCase()}`;
    const choices = spec.type === "enum" && !short ? ` (${spec.values.join(", ")})` : "";
    const fallback =
      blueprint.defaults[key] !== undefined && spec.type !== "boolean" ? ` [${blueprint.defaults[key]}]` : "";
    return `  ${`--${kebab(key)}${value}`.padEnd(44)} ${spec.doc ?? ""}${choices}${fallback}`;
  });
  const notes = blueprint.notes ? `\n\n${blueprint.notes}` : "";
  return `Settings of ${blueprint.name} (${blueprint.summary}; also config keys and --set keys):
${settings.join("\n")}${notes}`;
}

function help(): string {
  return `Usage: shipshape synth [${BLUEPRINTS.map((b) => b.name).join("|")}] [settings…] [--set KEY=VALUE…] [--format yaml|json] [-o FILE]
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
  --set KEY=VALUE       a setting by its config key (--set replicas=4), as deploy takes it; the value is
                        typed by the setting, so --set clusterIssuer=true is the issuer "true"

A flag overrides --set, and both override the config file.

${BLUEPRINTS.map(settingsHelp).join("\n\n")}

Examples:
  shipshape synth wordpress --namespace kube-example --domain wordpress.example.com > wordpress.yaml
  shipshape synth wordpress --ingress traefik --rook --anti-affinity hard
  shipshape synth wordpress --set replicas=4 --set antiAffinity=spread
  shipshape synth wordpress --format json -o wordpress.json
  shipshape synth --config shipshape.config.yaml --replicas 4
`;
}

export async function run(argv: string[]): Promise<number> {
  const settingOptions = Object.fromEntries(
    Object.keys(FLAGS).map((flag) => [
      flag,
      { type: FLAG_TYPES[flag] === "boolean" ? ("boolean" as const) : ("string" as const) },
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
        set: { type: "string", multiple: true },
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
  if (blueprint !== undefined)
    oneOf(
      "blueprint",
      blueprint,
      BLUEPRINTS.map((b) => b.name),
    );
  if (extra.length) throw new InputError(`unexpected argument "${extra[0]}" (one blueprint at a time)`);
  const format = oneOf("format", values.format, ["yaml", "json"], "--format");
  const fromSet = Object.fromEntries((values.set ?? []).map(parseSetArgument));
  const settings: Record<string, unknown> = { ...fromSet };
  for (const [flag, key] of Object.entries(FLAGS)) {
    const value = (values as Record<string, unknown>)[flag] as string | boolean | undefined;
    if (value !== undefined) settings[key] = value;
  }
  const resources = await synthesize({
    blueprint,
    config: values.config,
    settings,
    flagOf: (key) =>
      key in fromSet && (values as Record<string, unknown>)[kebab(key)] === undefined
        ? `--set ${key}`
        : `--${kebab(key)}`,
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
