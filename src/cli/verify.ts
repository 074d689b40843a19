// `shipshape verify rollout|drain|autoscale`: argument parsing, progress, Ctrl-C and output around the
// library's scenarios and verdict.
import { writeFile } from "node:fs/promises";
import { InputError } from "../errors.ts";
import { parseDuration } from "../load/options.ts";
import { auditObjects } from "../verify/audit.ts";
import { verifyAutoscale } from "../verify/autoscale.ts";
import { verifyDrain } from "../verify/drain.ts";
import { htmlVerifyReport } from "../verify/report/html.ts";
import { textReport } from "../verify/report/text.ts";
import { verifyRollout } from "../verify/rollout.ts";
import type { SessionOptions } from "../verify/session.ts";
import { parseDeploymentRef } from "../verify/target.ts";
import type { Timeline } from "../verify/timeline.ts";
import { DEFAULT_VERDICT, verdict } from "../verify/verdict.ts";
import { numberOption, oneOf, parseCommandArgs } from "./args.ts";
import { onCtrlC, SIGNAL_EXIT_CODES, type StopSignal, signalName } from "./ctrl-c.ts";
import { connect, KUBE_HELP, KUBE_OPTIONS } from "./kube-options.ts";

const HELP = `Usage: shipshape verify rollout deploy/NAME --url URL [options]
       shipshape verify drain NODE --url URL [options]
       shipshape verify autoscale deploy/NAME --url URL [options]

Proves a claim under load. While HTTP load runs against --url (the service as users reach it), it
  rollout    restarts the Deployment's pods like \`kubectl rollout restart\` and waits until it completes;
  drain      cordons NODE and evicts its pods through the Eviction API, honouring PodDisruptionBudgets
             (a refusal, HTTP 429, is retried with backoff; pods are never deleted directly), then
             uncordons it;
  autoscale  waits until the Deployment's HorizontalPodAutoscaler scales it up, recording replicas
             over time (and, with --wait-scale-down, the scale-down once the load stops).
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
      --warmup D         load before the disruption starts, for a baseline (default 2s)
      --settle D         load after it completes (default 10s; autoscale: 15s)
      --timeout D        give up waiting for the rollout / drain / scale-up after this long (default 10m)
      --window D         how long after a pod leaves the rotation failures are still blamed on it (default 3s)
      --keep-cordoned    (drain) leave the node cordoned at the end
      --force            (drain) also evict pods no controller manages (they are not recreated)
      --wait-scale-down  (autoscale) after scaling up, stop the load and wait for the scale-down
      --json FILE        write {timeline, verdict} as JSON ("-" for stdout)
      --html FILE        write a self-contained HTML report with the timeline charts
      --quiet            no progress lines on stderr
${KUBE_HELP}
  -h, --help             this help

Exit codes: 0 verified, 1 downtime or goal not reached, 2 bad input, no cluster, or a --json/--html
file that cannot be written (refused before anything starts), 130 after Ctrl-C (load stopped, node
uncordoned, the partial verdict printed).

Examples:
  shipshape verify rollout deploy/wordpress -n kube-example --url https://wordpress.example.com --qps 100 -c 8
  shipshape verify drain kwok-node-1 -n kube-example --url http://127.0.0.1:8080/ --html drain.html
  shipshape verify autoscale deploy/wordpress -n kube-example --url http://127.0.0.1:8080/ --qps 500 --wait-scale-down
`;

const SCENARIOS = ["rollout", "drain", "autoscale"] as const;

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
        warmup: { type: "string" },
        settle: { type: "string" },
        timeout: { type: "string" },
        window: { type: "string" },
        "keep-cordoned": { type: "boolean" },
        force: { type: "boolean" },
        "wait-scale-down": { type: "boolean" },
        json: { type: "string" },
        html: { type: "string" },
        quiet: { type: "boolean" },
      },
    },
    { outputs: ["json", "html"] },
  );
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const [given, target, ...extra] = positionals;
  if (!given)
    throw new InputError(`expects a scenario: ${SCENARIOS.join(", ")} (see shipshape verify --help)`);
  const scenario = oneOf("scenario", given, SCENARIOS);
  if (!target)
    throw new InputError(
      scenario === "drain" ? "name the node to drain" : "name the Deployment (deploy/NAME)",
    );
  if (extra.length) throw new InputError(`unexpected argument "${extra[0]}"`);
  if (!values.url)
    throw new InputError("--url is required: where the load goes (the service as users reach it)");
  const name = scenario === "drain" ? target : parseDeploymentRef(target);
  const load = {
    url: values.url,
    qps: values.qps === undefined ? 100 : numberOption("--qps", values.qps),
    connections:
      values.connections === undefined
        ? 8
        : numberOption("--connections", values.connections, { min: 1, integer: true }),
    insecure: values.insecure ?? false,
  };
  const windowMs = duration("window", values.window) ?? DEFAULT_VERDICT.windowMs;
  const waits = {
    warmupMs: duration("warmup", values.warmup),
    settleMs: duration("settle", values.settle),
    timeoutMs: duration("timeout", values.timeout),
  };
  const cluster = await connect(values);
  const namespace = values.namespace ?? cluster.defaultNamespace;
  const controller = new AbortController();
  const session: SessionOptions = {
    cluster,
    load,
    signal: controller.signal,
    log: values.quiet ? undefined : (line) => process.stderr.write(`${line}\n`),
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
  let timeline: Timeline;
  try {
    if (scenario === "rollout") {
      timeline = await verifyRollout({ ...session, ...defined(waits), namespace, deployment: name });
    } else if (scenario === "drain") {
      timeline = await verifyDrain({
        ...session,
        ...defined(waits),
        node: name,
        ...(values.namespace ? { namespace: values.namespace } : {}),
        keepCordoned: values["keep-cordoned"] ?? false,
        force: values.force ?? false,
      });
    } else {
      timeline = await verifyAutoscale({
        ...session,
        ...defined(waits),
        namespace,
        deployment: name,
        waitScaleDown: values["wait-scale-down"] ?? false,
      });
    }
  } finally {
    restore();
  }

  const findings = auditObjects(timeline.objects);
  const result = verdict(timeline, findings, { ...DEFAULT_VERDICT, windowMs });
  const json = `${JSON.stringify({ verdict: result, timeline }, null, 2)}\n`;
  if (values.json === "-") process.stdout.write(json);
  else {
    process.stdout.write(textReport(timeline, result));
    if (values.json !== undefined) await writeFile(values.json, json);
  }
  if (values.html !== undefined) await writeFile(values.html, htmlVerifyReport(timeline, result));
  if (controller.signal.aborted) return SIGNAL_EXIT_CODES[stoppedBy];
  return result.ok ? 0 : 1;
}
