// `shipshape verify rollout|drain|autoscale|delete`: argument parsing, progress, Ctrl-C and output around the
// library's scenarios and verdict.
import { InputError } from "../errors.ts";
import { parseDuration } from "../load/options.ts";
import { auditObjects } from "../verify/audit.ts";
import { verifyHtmlReport } from "../verify/report/html.ts";
import { verifyTextReport } from "../verify/report/text.ts";
import type { VerifyScenario } from "../verify/scenario.ts";
import { SCENARIOS } from "../verify/scenarios/index.ts";
import type { SessionOptions } from "../verify/session.ts";
import { DEFAULT_VERDICT, verdict } from "../verify/verdict.ts";
import { numberOption, oneOf, parseCommandArgs } from "./args.ts";
import { onCtrlC, SIGNAL_EXIT_CODES, type StopSignal, signalName } from "./ctrl-c.ts";
import { connect, KUBE_HELP, KUBE_OPTIONS } from "./kube-options.ts";
import { REACH_HELP, REACH_OPTIONS, reachOptions } from "./reach-options.ts";
import { writeReports } from "./report-output.ts";
import { reportSlo, SLO_HELP, SLO_OPTION, sloOption } from "./slo-option.ts";
import {
  reportLostWorkers,
  startOnWorkers,
  WORKERS_HELP,
  WORKERS_OPTIONS,
  workersOption,
} from "./workers-option.ts";

const indent = (text: string, by: string) => text.split("\n").join(`\n${by}`);
const seconds = (ms: number) => `${ms >= 60_000 && ms % 60_000 === 0 ? `${ms / 60_000}m` : `${ms / 1000}s`}`;

/** "default 10s; autoscale: 15s": the most common default, then the scenarios that differ. */
function defaultOf(key: "warmupMs" | "settleMs" | "timeoutMs"): string {
  const counts = new Map<number, number>();
  for (const s of SCENARIOS) counts.set(s.defaults[key], (counts.get(s.defaults[key]) ?? 0) + 1);
  const usual = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
  const others = SCENARIOS.filter((s) => s.defaults[key] !== usual).map(
    (s) => `${s.name}: ${seconds(s.defaults[key])}`,
  );
  return [`default ${seconds(usual)}`, ...others].join("; ");
}

/** Every scenario's own options, for parseArgs. */
const SCENARIO_OPTIONS = Object.fromEntries(
  SCENARIOS.flatMap((s: VerifyScenario) => Object.entries(s.options)).map(([flag, option]) => [
    flag,
    { type: option.type },
  ]),
);

function help(): string {
  const usage = SCENARIOS.map(
    (s, i) =>
      `${i === 0 ? "Usage: " : "       "}shipshape verify ${s.name} ${s.target.usage} --url URL [options]`,
  );
  const width = Math.max(...SCENARIOS.map((s) => s.name.length)) + 1;
  // One sentence listing every scenario: "…, it\n  rollout …;\n  drain …;\n  autoscale ….".
  const scenarios = SCENARIOS.map(
    (s, i) =>
      `  ${s.name.padEnd(width)} ${indent(s.summary, `  ${" ".repeat(width)} `)}${i < SCENARIOS.length - 1 ? ";" : "."}`,
  );
  const own = SCENARIOS.flatMap((s: VerifyScenario) =>
    Object.entries(s.options).map(([flag, o]) => `      ${`--${flag}`.padEnd(18)} (${s.name}) ${o.help}`),
  );
  return `${usage.join("\n")}

Proves a claim under load. While HTTP load runs against --url (the service as users reach it), it
${scenarios.join("\n")}
Before any load, the URL is traced through the live objects to the target's pods: the address its
sockets open (--resolve's, else DNS's) must be one of their pod IPs, a frontend of a Service that
selects them (ClusterIP, external or load-balancer IP, a node's address with the nodePort), or an
ingress (its Service's frontend or published address) whose Ingress or IngressRoute sends the URL's
host and path to such a Service. A local server, a port-forward or relay the cluster does not know,
another workload's Service or a route that only redirects is refused (exit 2) unless --assume-reach.
Pods, EndpointSlices, ReplicaSets and replica counts are watched and every change is timestamped on
the same timeline as each failed request. The verdict: zero downtime yes/no, whether the scenario
reached its goal, every failure burst with the pod events around it, and on failure the likely cause
(e.g. "endpoints removed after SIGTERM: add a preStop sleep"), confirmed by the check rules run over
the live objects.

Options:
      --url URL          where to send the load (required)
  -q, --qps N            target requests per second (default 100; 0 = max speed)
  -c, --connections N    parallel connections (default 8)
  -k, --insecure         accept any TLS certificate
${REACH_HELP}
      --assume-reach     go on when the URL cannot be traced to the target's pods; every report then
                         says the verdict proves nothing about the workload
${WORKERS_HELP.replace("(--namespace)", "(-n)")}
      --warmup D         load before the disruption starts, for a baseline (${defaultOf("warmupMs")})
      --settle D         load after it completes (${defaultOf("settleMs")})
      --timeout D        give up waiting for the disruption to complete after this long (${defaultOf("timeoutMs")})
      --window D         how long after a pod leaves the rotation failures are still blamed on it (default 3s)
${own.join("\n")}
${SLO_HELP}
      --json FILE        write {timeline, verdict} as JSON ("-" for stdout)
      --html FILE        write a self-contained HTML report with the timeline charts
      --quiet            no progress lines on stderr
${KUBE_HELP}
  -h, --help             this help

Exit codes: 0 verified, 1 downtime, bad baseline, goal not reached or an --slo threshold broken,
2 bad input, no cluster, a URL not proven to reach the target, or a --json/--html file that cannot
be written (refused before anything starts), 130 after Ctrl-C (load stopped, node uncordoned, the
partial verdict printed).

Examples:
  shipshape verify rollout deploy/wordpress -n kube-example --url https://wordpress.example.com --qps 100 -c 8
  shipshape verify drain node-1 -n kube-example --url http://10.0.0.11:30080/ --html drain.html
  shipshape verify autoscale deploy/wordpress -n kube-example --url https://wordpress.example.com --qps 500 --wait-scale-down
  shipshape verify delete pod/wordpress-mysql-0 -n kube-example --url https://wordpress.example.com/ --qps 20
`;
}

function duration(name: string, text: string | undefined): number | undefined {
  return text === undefined ? undefined : parseDuration(text, `--${name}`);
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    "verify",
    {
      args: argv,
      allowPositionals: true,
      options: {
        ...KUBE_OPTIONS,
        url: { type: "string" },
        qps: { type: "string", short: "q" },
        connections: { type: "string", short: "c" },
        insecure: { type: "boolean", short: "k" },
        ...REACH_OPTIONS,
        "assume-reach": { type: "boolean" },
        warmup: { type: "string" },
        settle: { type: "string" },
        timeout: { type: "string" },
        window: { type: "string" },
        ...SCENARIO_OPTIONS,
        ...WORKERS_OPTIONS,
        ...SLO_OPTION,
        json: { type: "string" },
        html: { type: "string" },
        quiet: { type: "boolean" },
      },
    },
    { outputs: ["json", "html"] },
  );
  if (values.help) {
    process.stdout.write(help());
    return 0;
  }
  const [given, target, ...extra] = positionals;
  const names = SCENARIOS.map((s) => s.name);
  if (!given) throw new InputError(`expects a scenario: ${names.join(", ")} (see shipshape verify --help)`);
  const scenario: VerifyScenario = SCENARIOS[names.indexOf(oneOf("scenario", given, names))]!;
  if (!target) throw new InputError(scenario.target.missing);
  if (extra.length) throw new InputError(`unexpected argument "${extra[0]}"`);
  if (!values.url)
    throw new InputError("--url is required: where the load goes (the service as users reach it)");
  const name = scenario.target.parse(target);
  const load = {
    url: values.url,
    qps: values.qps === undefined ? 100 : numberOption("--qps", values.qps),
    connections:
      values.connections === undefined
        ? 8
        : numberOption("--connections", values.connections, { min: 1, integer: true }),
    insecure: values.insecure ?? false,
    ...(await reachOptions(values)),
  };
  const slo = sloOption(values.slo, load.qps);
  const workers = workersOption(values);
  const windowMs = duration("window", values.window) ?? DEFAULT_VERDICT.windowMs;
  const waits = {
    warmupMs: duration("warmup", values.warmup),
    settleMs: duration("settle", values.settle),
    timeoutMs: duration("timeout", values.timeout),
  };
  const cluster = await connect(values);
  const namespace = values.namespace ?? cluster.defaultNamespace;
  const controller = new AbortController();
  const log = values.quiet ? undefined : (line: string) => process.stderr.write(`${line}\n`);
  const session: SessionOptions = {
    cluster,
    load,
    signal: controller.signal,
    log,
    assumeReach: values["assume-reach"] ?? false,
    // the workers' Job goes in the app's namespace; the scenario starts once their load is under way
    ...(workers && {
      startLoad: async (input) => {
        const run = await startOnWorkers(input, workers, cluster, namespace, log);
        await run.started;
        return run;
      },
    }),
  };
  const defined = <T extends object>(o: T) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

  // Ctrl-C aborts the signal: the scenario winds down, cleans up and the partial verdict is printed.
  // The abort's reason names the signal, so the partial verdict says what stopped it.
  let stoppedBy: StopSignal = "SIGINT";
  const restore = onCtrlC((signal) => {
    stoppedBy = signal;
    controller.abort(signalName(signal));
  }, "stopping — load off, node uncordoned");
  const options = Object.fromEntries(
    Object.keys(scenario.options).map((flag) => [flag, (values as Record<string, unknown>)[flag] as boolean]),
  );
  const timeline = await scenario
    .run({
      session,
      waits: defined(waits),
      namespace: { ...(values.namespace ? { given: values.namespace } : {}), effective: namespace },
      target: name,
      options,
    })
    .finally(restore);

  const findings = auditObjects(timeline.objects);
  const result = verdict(timeline, findings, { ...DEFAULT_VERDICT, windowMs });
  await writeReports(values, {
    json: { verdict: result, timeline },
    text: () => verifyTextReport(timeline, result),
    html: () => verifyHtmlReport(timeline, result),
  });
  if (controller.signal.aborted) return SIGNAL_EXIT_CODES[stoppedBy];
  const held = reportSlo("verify", slo, timeline.load, values.json === "-");
  // a worker that died took its share of the load with it: the verdict is about less load than asked
  const lost = reportLostWorkers("verify", timeline.load.workers);
  return result.ok && held && !lost ? 0 : 1;
}
