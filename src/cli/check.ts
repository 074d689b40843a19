// `shipshape check`: argument parsing and output around the library's reader, engine and reports.
import { closeSync, openSync, writeSync } from "node:fs";
import { loadCheckConfig } from "../check/config.ts";
import { hasErrors, runCheck } from "../check/engine.ts";
import { CHECK_FORMATS, type CheckFormat } from "../check/report/index.ts";
import { allRules } from "../check/rules/index.ts";
import type { Rule, Severity } from "../check/types.ts";
import { InputError } from "../errors.ts";
import { readManifests } from "../manifest/read.ts";
import { nearMatches } from "../text/suggest.ts";
import { oneOf, parseCommandArgs } from "./args.ts";

const FORMATS = Object.keys(CHECK_FORMATS) as CheckFormat[];

const HELP = `shipshape check — audit Kubernetes manifests for production readiness

Usage: shipshape check [options] PATH...      (PATH: file, directory, glob, or - for stdin)

Reads YAML (multi-document), JSON and List objects; directories recursively (.yaml, .yml, .json).
Every finding says what breaks in production, why, and the fix.

Options:
  -f, --format FORMAT   ${FORMATS.join(", ")} (default: text)
  -o, --output FILE     write the report to FILE instead of stdout
  -s, --severity LEVEL  report only findings at or above LEVEL: info (default), warning, error
  -c, --config FILE     rule settings (default: the nearest .shipshape.yaml above the working directory)
      --explain RULE    what the rule guards against, why, and the fix
      --list-rules      every rule with its id, severity and category
  -h, --help            this help

Config file (.shipshape.yaml):
  rules:
    hpa-missing: off          # switch a rule off
    qos-burstable: error      # change its severity
Per object: metadata.annotations."shipshape.dev/ignore": "rule-a,rule-b" (or "all").

Exit codes: 0 no error-level finding, 1 error-level findings, 2 bad input or usage.
Colour: on a terminal unless NO_COLOR is set; FORCE_COLOR=1 forces it.

Examples:
  shipshape check deploy/
  helm template wp bitnami/wordpress | shipshape check -
  shipshape check 'k8s/**/*.yaml' --format sarif -o shipshape.sarif
  shipshape check --explain prestop-missing
`;

const SEVERITIES: Severity[] = ["info", "warning", "error"];

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    "check",
    {
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: "string", short: "f", default: "text" },
        output: { type: "string", short: "o" },
        severity: { type: "string", short: "s", default: "info" },
        config: { type: "string", short: "c" },
        explain: { type: "string" },
        "list-rules": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    },
    { outputs: ["output"] },
  );
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (values["list-rules"]) {
    process.stdout.write(listRules(allRules));
    return 0;
  }
  if (values.explain !== undefined) {
    process.stdout.write(explain(values.explain, allRules));
    return 0;
  }
  const format = oneOf("format", values.format, FORMATS, "--format");
  const minSeverity = oneOf("severity", values.severity, SEVERITIES, "--severity");
  if (positionals.length === 0) {
    throw new InputError(
      "no manifests given: name files, directories, globs, or - for stdin; see shipshape check --help",
    );
  }
  const config = loadCheckConfig(allRules, values.config);
  const sources = await readManifests(positionals);
  if (sources.length === 0) {
    // An empty stream usually means the command producing it failed (`helm template … |`): never a pass.
    throw new InputError("no Kubernetes objects in the input", { file: positionals.join(" ") });
  }
  const run = runCheck(sources, { config, minSeverity });

  const toFile = values.output !== undefined;
  const color =
    !toFile &&
    format === "text" &&
    (process.env.FORCE_COLOR ? process.env.FORCE_COLOR !== "0" : isColorTerminal());
  writeReport(CHECK_FORMATS[format](run, { color }), values.output);
  return hasErrors(run) ? 1 : 0;
}

/** Writes the report as the check produces it, in batches of about 64 KiB, to FILE or stdout. */
function writeReport(chunks: Iterable<string>, file: string | undefined): void {
  const cannot = (error: unknown) =>
    new InputError(`cannot write the report (${(error as NodeJS.ErrnoException).code})`, { file });
  let fd: number | undefined;
  try {
    if (file !== undefined) fd = openSync(file, "w");
  } catch (error) {
    throw cannot(error);
  }
  const flush = (text: string) => {
    if (fd === undefined) process.stdout.write(text);
    else {
      try {
        writeSync(fd, text);
      } catch (error) {
        throw cannot(error);
      }
    }
  };
  let pending = "";
  try {
    for (const chunk of chunks) {
      pending += chunk;
      if (pending.length >= 1 << 16) {
        flush(pending);
        pending = "";
      }
    }
    flush(pending);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function isColorTerminal(): boolean {
  return Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
}

export function listRules(rules: readonly Rule[]): string {
  const idWidth = Math.max(...rules.map((r) => r.id.length));
  const lines = rules.map(
    (r) => `${r.id.padEnd(idWidth)}  ${r.severity.padEnd(7)}  ${r.category.padEnd(12)}  ${r.title}`,
  );
  return `${"RULE".padEnd(idWidth)}  SEVERITY  CATEGORY      TITLE\n${lines.join("\n")}\n`;
}

export function explain(id: string, rules: readonly Rule[]): string {
  const rule = rules.find((r) => r.id === id);
  if (!rule) {
    const near = nearMatches(
      id,
      rules.map((r) => r.id),
    );
    throw new InputError(`unknown rule "${id}"${near || " (shipshape check --list-rules lists them all)"}`, {
      field: "--explain",
    });
  }
  return `${rule.id} — ${rule.title}\nseverity: ${rule.severity} · category: ${rule.category}\n\n${rule.explain.trim()}\n`;
}
