// `shipshape load`: argument parsing, live progress and output files around startLoad().
import { readFile } from "node:fs/promises";
import { InputError } from "../errors.ts";
import type { ResolvedLoadOptions } from "../load/options.ts";
import { parseDuration } from "../load/options.ts";
import { loadHtmlReport } from "../load/report/html.ts";
import { LOAD_JSON_FORMATS, type LoadJsonFormat } from "../load/report/json-formats.ts";
import { progressLine } from "../load/report/progress.ts";
import { loadTextReport } from "../load/report/text.ts";
import type { LoadResult } from "../load/result.ts";
import { type RunningLoad, startLoad } from "../load/run.ts";
import { sloInput } from "../load/slo.ts";
import { headerOptions, numberOption, oneOf, parseCommandArgs } from "./args.ts";
import { onCtrlC, SIGNAL_EXIT_CODES, type StopSignal } from "./ctrl-c.ts";
import { connect } from "./kube-options.ts";
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

const JSON_FORMATS = Object.keys(LOAD_JSON_FORMATS) as LoadJsonFormat[];
const JSON_FORMAT_HELP = Object.entries(LOAD_JSON_FORMATS)
  .map(([name, { summary }]) => `\n                           ${name.padEnd(10)} ${summary}`)
  .join("");

const HELP = `Usage: shipshape load URL [options]

Sends HTTP/1.1 requests over keep-alive connections and reports what came back: calls, achieved
qps, latency percentiles (p50 p75 p90 p99 p99.9 max), status codes, errors by kind (connect,
timeout, reset, other), sockets used and a per-second timeline.

At a fixed rate (--qps N, the open model) each request has an intended send time, and its latency
is measured from that time: when the server stalls, every request that had to wait is charged
for it (coordinated omission corrected, as in wrk2). --qps 0 is the closed model: each connection
sends its next request as soon as the previous answer is in, as fast as the server allows.

A run is always bounded: by --duration, by -n, or by both (whichever comes first). Ctrl-C stops
it early and prints what was measured so far; a second Ctrl-C quits at once.

Options:
  -q, --qps N            target requests per second over all connections; 0 = max speed (default 100)
  -c, --connections N    parallel connections (default 8)
  -t, --duration D       how long: 500ms, 10s, 1m, 1h30m (default 10s when -n is not given)
  -n, --count N          how many requests in all
  -X, --method M         request method (default GET)
  -H, --header "K: V"    request header (repeatable)
  -d, --body TEXT        request body; --body-file FILE reads it from a file
      --timeout D        the longest one request may take, send to last byte; also the connect
                         timeout (default 10s; a timed-out request counts as a timeout error)
  -k, --insecure         accept any TLS certificate (self-signed test clusters)
${REACH_HELP}
      --pipelining N     requests in flight per connection (default 1: no pipelining)
${SLO_HELP}
      --json FILE        write the full result as JSON ("-" for stdout; latencies in ms)
      --format F         the shape --json writes (default shipshape):${JSON_FORMAT_HELP}
      --html FILE        write a self-contained HTML report with charts (opens offline)
      --quiet            no live progress
  -h, --help             this help

On the cluster (one machine caps the load it can offer, and its network path is not the users'):
${WORKERS_HELP}
      --namespace NS     where the Job goes (default: the context's; -n is --count here)
      --kubeconfig FILE  kubeconfig to use (default: $KUBECONFIG, then ~/.kube/config)
      --context NAME     kubeconfig context (default: its current-context)

Exit code: 0 when the run completed and at least one response came back, 1 when nothing
answered (every request failed to connect, timed out or was reset), an --slo threshold broke or a
worker died or never started,
2 for bad options or a --json/--html file that cannot be written (both refused before the first
request), 130 after Ctrl-C (the partial result is still printed and written).

Examples:
  shipshape load http://127.0.0.1:8080/ --qps 1000 --connections 8 --duration 60s
  shipshape load http://127.0.0.1:8080/ --qps 0 -c 64 -n 100000            # max throughput
  shipshape load https://blog.example.test/ -k -q 50 -t 2m --json out.json --html report.html
  shipshape load http://127.0.0.1:8080/ -q 1000 -t 60s --json run.json --format fortio  # for Fortio's UI
  shipshape load http://127.0.0.1:8080/api -X POST -H "content-type: application/json" -d '{"a":1}' -n 500
  shipshape load https://blog.example.test:8443/ --resolve blog.example.test:8443:127.0.0.1 \\
    --cacert acme-root.pem -q 20 -t 30s                # an ingress relayed to loopback, its real certificate
  shipshape load http://web.shop.svc.cluster.local:8080/ -q 4000 -t 60s --workers 4 \
    --namespace loadtest --image registry.example.com/shipshape:0.1.0   # 4 pods of 1000 qps each
`;

/** A count option (connections, requests, pipelining): a whole number ≥ 1, or unset. */
function whole(option: string, text: string | undefined): number | undefined {
  return text === undefined ? undefined : numberOption(option, text, { min: 1, integer: true });
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    "load",
    {
      args: argv,
      allowPositionals: true,
      options: {
        qps: { type: "string", short: "q" },
        connections: { type: "string", short: "c" },
        duration: { type: "string", short: "t" },
        count: { type: "string", short: "n" },
        method: { type: "string", short: "X" },
        header: { type: "string", short: "H", multiple: true },
        body: { type: "string", short: "d" },
        "body-file": { type: "string" },
        timeout: { type: "string" },
        insecure: { type: "boolean", short: "k" },
        ...REACH_OPTIONS,
        pipelining: { type: "string" },
        ...SLO_OPTION,
        json: { type: "string" },
        format: { type: "string" },
        html: { type: "string" },
        quiet: { type: "boolean" },
        help: { type: "boolean", short: "h" },
        ...WORKERS_OPTIONS,
        namespace: { type: "string" },
        kubeconfig: { type: "string" },
        context: { type: "string" },
      },
    },
    { outputs: ["json", "html"] },
  );
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new InputError(`expects exactly one URL (got ${positionals.length}); see shipshape load --help`);
  }
  if (values.body !== undefined && values["body-file"] !== undefined) {
    throw new InputError("give --body or --body-file, not both", { field: "--body-file" });
  }
  if (values.format !== undefined && values.json === undefined) {
    throw new InputError("--format says the shape --json writes; give --json FILE too", {
      field: "--format",
    });
  }
  const jsonFormat = oneOf("format", values.format ?? "shipshape", JSON_FORMATS, "--format");
  const bodyFile = values["body-file"];
  const body =
    bodyFile === undefined
      ? values.body
      : await readFile(bodyFile).catch((error: NodeJS.ErrnoException) => {
          throw new InputError(`cannot read: ${error.code ?? error.message}`, { file: bodyFile });
        });
  const reach = await reachOptions(values);
  const qps = values.qps === undefined ? 100 : numberOption("--qps", values.qps);
  const slo = sloOption(values.slo, qps);
  const workers = workersOption(values);
  if (!workers)
    for (const flag of ["namespace", "kubeconfig", "context"] as const)
      if (values[flag] !== undefined)
        throw new InputError(`--${flag} goes with --workers N`, { field: `--${flag}` });
  const input = {
    url: positionals[0]!,
    qps,
    connections: whole("--connections", values.connections),
    durationMs: values.duration === undefined ? undefined : parseDuration(values.duration, "--duration"),
    count: whole("--count", values.count),
    method: values.method,
    headers: headerOptions(values.header),
    body,
    timeoutMs: values.timeout === undefined ? undefined : parseDuration(values.timeout, "--timeout"),
    insecure: values.insecure,
    ...reach,
    pipelining: whole("--pipelining", values.pipelining),
  };
  let loadRun: RunningLoad & { options: ResolvedLoadOptions };
  if (workers) {
    const cluster = await connect(values);
    const log = values.quiet ? undefined : (line: string) => process.stderr.write(`${line}\n`);
    loadRun = await startOnWorkers(
      input,
      workers,
      cluster,
      values.namespace ?? cluster.defaultNamespace,
      log,
    );
  } else loadRun = startLoad(input);

  const stopProgress = values.quiet ? () => {} : showProgress(loadRun);
  let interrupted: StopSignal | undefined;
  const restoreSigint = onCtrlC((signal) => {
    interrupted = signal;
    loadRun.stop();
  });
  let result: LoadResult;
  try {
    result = await loadRun.result();
  } finally {
    stopProgress();
    restoreSigint();
  }

  const shaped = LOAD_JSON_FORMATS[jsonFormat].shape(result, loadRun.options);
  await writeReports(values, {
    json: shaped,
    text: () => loadTextReport(result),
    html: () => loadHtmlReport(result),
  });
  if (interrupted) return SIGNAL_EXIT_CODES[interrupted];
  if (result.clientError) throw new InputError(result.clientError);
  const held = reportSlo("load", slo, sloInput(result), values.json === "-");
  const lost = reportLostWorkers("load", result.workers);
  return Object.keys(result.codes).length === 0 || !held || lost ? 1 : 0;
}

/** Live progress on stderr: one rewritten line on a terminal, a plain line every 5 s otherwise. */
function showProgress(loadRun: Pick<RunningLoad, "progress"> & { options: ResolvedLoadOptions }): () => void {
  const { durationMs, count } = loadRun.options;
  const tty = process.stderr.isTTY;
  const timer = setInterval(
    () => {
      const progress = loadRun.progress();
      // workers wait for their common start: their own progress lines say why
      if (progress.elapsedMs < 0) return;
      const line = progressLine(progress, durationMs, count);
      process.stderr.write(tty ? `\r\x1b[K${line}` : `${line}\n`);
    },
    tty ? 250 : 5000,
  );
  timer.unref();
  return () => {
    clearInterval(timer);
    if (tty) process.stderr.write("\r\x1b[K");
  };
}
