// `shipshape check`: argument parsing and output around the library's reader, engine and reports.
import { closeSync, openSync, writeSync } from "node:fs";
import { loadCheckConfig } from "../check/config.ts";
import { type CheckRun, hasErrors, rerun, runCheck } from "../check/engine.ts";
import { CHECK_FORMATS, type CheckFormat } from "../check/report/index.ts";
import { allRules } from "../check/rules/index.ts";
import type { Rule, Severity } from "../check/types.ts";
import { InputError } from "../errors.ts";
import { readManifests } from "../manifest/read.ts";
import { nearMatches } from "../text/suggest.ts";
import { oneOf, parseCommandArgs } from "./args.ts";
import { readClusterInput } from "./check-cluster.ts";
import { ALL_NAMESPACES_HELP, ALL_NAMESPACES_OPTION, KUBE_OPTIONS } from "./kube-options.ts";
import { stdoutIsTerminal, writeOut } from "./write-out.ts";

const FORMATS = Object.keys(CHECK_FORMATS) as CheckFormat[];

const HELP = `shipshape check — audit Kubernetes manifests for production readiness

Usage: shipshape check [options] PATH...      (PATH: file, directory, glob, or - for stdin)
       shipshape check --cluster [-n NS | -A]   (the live objects)

Reads YAML (multi-document), JSON and List objects; directories recursively (.yaml, .yml, .json).
Every finding says what breaks in production, why, and the fix.

Options:
  -f, --format FORMAT   ${FORMATS.join(", ")} (default: text)
  -o, --output FILE     write the report to FILE instead of stdout
  -s, --severity LEVEL  report only findings at or above LEVEL: info (default), warning, error
  -c, --config FILE     rule settings (default: the nearest .shipshape.yaml above the working directory)
      --explain RULE    what the rule guards against, why, and the fix
      --list-rules      every rule with its id, severity and category
      --fix             apply the fixes findings carry (those a machine can make safely), rewriting
                        the files in place: comments, order, anchors and untouched lines are kept;
                        with - the fixed YAML goes to stdout and the report to stderr; the report
                        and exit code are those of the fixed text
      --dry-run         with --fix: print the unified diff instead of writing anything
  -h, --help            this help

Live objects:
      --cluster         check the live objects instead of files
  -n, --namespace NS    the namespace to read (default: the context's)
${ALL_NAMESPACES_HELP}
      --kubeconfig FILE kubeconfig to use (default: $KUBECONFIG, then ~/.kube/config)
      --context NAME    kubeconfig context (default: its current-context)
Findings name kind/namespace/name. Fields the server set (status, managedFields, its defaults,
spec.replicas an HPA owns) are left out; the report adds the QoS class the server gave the pods, what
each PDB allows now, pods that cannot run (CrashLoopBackOff, Unschedulable…) and why, and the
namespace's Pod Security labels.

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
  shipshape check k8s/ --fix --dry-run
  helm template wp bitnami/wordpress | shipshape check - --fix > fixed.yaml
  shipshape check --cluster -n kube-example --format json
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
        fix: { type: "boolean" },
        "dry-run": { type: "boolean" },
        cluster: { type: "boolean" },
        ...KUBE_OPTIONS,
        ...ALL_NAMESPACES_OPTION,
        help: { type: "boolean", short: "h" },
      },
    },
    { outputs: ["output"] },
  );
  if (values.help) {
    writeOut(HELP);
    return 0;
  }
  if (values["list-rules"]) {
    writeOut(listRules(allRules));
    return 0;
  }
  if (values.explain !== undefined) {
    writeOut(explain(values.explain, allRules));
    return 0;
  }
  const format = oneOf("format", values.format, FORMATS, "--format");
  const minSeverity = oneOf("severity", values.severity, SEVERITIES, "--severity");
  checkInputOptions(values, positionals);
  const config = loadCheckConfig(allRules, values.config);
  const write = (run: CheckRun, toStderr = false) => writeReport(run, format, values.output, toStderr);
  if (values.fix) {
    // --fix needs the `yaml` package's editor: loaded only when asked for.
    const { runFix } = await import("./check-fix.ts");
    const fixed = await runFix(
      positionals,
      { config, minSeverity },
      { dryRun: !!values["dry-run"], report: (result, toStderr) => write(rerun(result), toStderr) },
    );
    return hasErrors(fixed.after) ? 1 : 0;
  }
  let run: CheckRun;
  if (values.cluster) {
    const { sources, live } = await readClusterInput(values);
    run = runCheck(sources, { config, minSeverity, live });
  } else {
    const sources = await readManifests(positionals);
    if (sources.length === 0) {
      // An empty stream usually means the command producing it failed (`helm template … |`): never a pass.
      throw new InputError("no Kubernetes objects in the input", { file: positionals.join(" ") });
    }
    run = runCheck(sources, { config, minSeverity });
  }
  write(run);
  return hasErrors(run) ? 1 : 0;
}

/** Which input the flags ask for, refusing combinations that mean nothing. */
function checkInputOptions(
  values: {
    cluster?: boolean;
    fix?: boolean;
    "dry-run"?: boolean;
    "all-namespaces"?: boolean;
    namespace?: string;
    context?: string;
    kubeconfig?: string;
  },
  positionals: string[],
): void {
  if (values["dry-run"] && !values.fix) throw new InputError("--dry-run goes with --fix");
  if (values.cluster) {
    if (positionals.length > 0)
      throw new InputError("--cluster reads the live objects: give no paths with it");
    if (values.fix)
      throw new InputError("--fix rewrites files: fix the manifests the live objects came from");
    if (values.namespace !== undefined && values["all-namespaces"])
      throw new InputError("-n and -A exclude each other");
    return;
  }
  const kube = (["namespace", "context", "kubeconfig"] as const).find((name) => values[name] !== undefined);
  if (kube || values["all-namespaces"])
    throw new InputError(`--${kube ?? "all-namespaces"} goes with --cluster`);
  if (positionals.length === 0) {
    throw new InputError(
      "no manifests given: name files, directories, globs, or - for stdin (or --cluster); see shipshape check --help",
    );
  }
}

/** The report to -o FILE, else stdout (stderr when stdout carries fixed YAML or a diff), written as the
 * check produces it, in batches of about 64 KiB. */
function writeReport(run: CheckRun, format: CheckFormat, output: string | undefined, toStderr: boolean) {
  const color =
    output === undefined &&
    format === "text" &&
    (process.env.FORCE_COLOR ? process.env.FORCE_COLOR !== "0" : isColorTerminal(toStderr));
  const cannot = (error: unknown) =>
    new InputError(`cannot write the report (${(error as NodeJS.ErrnoException).code})`, { file: output });
  let fd: number | undefined;
  try {
    if (output !== undefined) fd = openSync(output, "w");
  } catch (error) {
    throw cannot(error);
  }
  const flush = (text: string) => {
    if (fd === undefined) {
      if (toStderr) process.stderr.write(text);
      else writeOut(text);
    } else {
      try {
        writeSync(fd, text);
      } catch (error) {
        throw cannot(error);
      }
    }
  };
  let pending = "";
  try {
    for (const chunk of CHECK_FORMATS[format](run, { color })) {
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

function isColorTerminal(toStderr: boolean): boolean {
  return (toStderr ? Boolean(process.stderr.isTTY) : stdoutIsTerminal()) && !process.env.NO_COLOR;
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
