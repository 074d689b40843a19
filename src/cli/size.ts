// `shipshape size`: argument parsing, progress, Ctrl-C and output around the library's runSize(),
// and the write-back of its recommendation into the user's files.
import { readFile, writeFile } from "node:fs/promises";
import { InputError } from "../errors.ts";
import { parseDuration } from "../load/options.ts";
import { sizeHtmlReport } from "../size/report/html.ts";
import { sizeTextReport } from "../size/report/text.ts";
import { runSize } from "../size/run.ts";
import { DEFAULT_SLO_TEXT, sizeSlo } from "../size/slo.ts";
import { parseWorkloadRef } from "../size/workload.ts";
import { checkWriteTarget, type WriteTarget, writeRecommendation } from "../size/write-back.ts";
import { headerOptions, numberOption, parseCommandArgs } from "./args.ts";
import { onCtrlC, SIGNAL_EXIT_CODES, type StopSignal } from "./ctrl-c.ts";
import { connect, KUBE_HELP, KUBE_OPTIONS } from "./kube-options.ts";
import { writeReports } from "./report-output.ts";
import { SLO_SYNTAX } from "./slo-option.ts";

const HELP = `Usage: shipshape size WORKLOAD --url URL [options]

Chooses CPU and memory from a measured load, as the seed does by hand with \`kubectl top\`, and
checks the size it runs with now. WORKLOAD is deploy/NAME or sts/NAME. For each --qps step the
load (an open model at that rate) runs for --duration, while every container of every pod of the
workload is read from the kubelets' summary (through the API server's node proxy; metrics.k8s.io
when that is refused) and from cAdvisor's CFS counters (throttling); the pods' statuses say which
containers were OOMKilled. Each step is judged against the SLO.

The recommendation is requests == limits (Guaranteed QoS) per container: CPU at the p95 of the
highest step that met the SLO plus --cpu-margin, and at least what a queue at that limit needs
to keep the SLO's percentile within half its bound; memory at the peak of any step plus
--memory-margin (a throttled or OOMKilled step raises it and says why); the replicas the --peak-qps
load needs at that size, and the HPA CPU target at which each pod ran at that step, so the HPA adds
pods before the load grows past what the SLO held at. The kubelets read cgroups every ~10-15 s: a
step shorter than ~45 s has few readings.

Options:
      --url URL          where to send the load: the service as users reach it (required)
  -q, --qps LIST         target qps of each step, comma-separated (default 100,200,400)
  -c, --connections N    parallel connections (default 8)
  -t, --duration D       each step's length (default 60s)
      --warmup D         a first short load at the lowest step: a URL that fails it is refused
                         before anything is measured (default 5s)
      --slo LIST         what a step must meet (default '${DEFAULT_SLO_TEXT}'); a
                         threshold given replaces the default of its kind (latency, failures, rate),
                         the first percentile bound is the latency the CPU recommendation keeps;
                         comma-separated:
${SLO_SYNTAX}
      --cpu-margin P     headroom over the CPU p95 (default 25%)
      --memory-margin P  headroom over the memory peak (default 25%)
      --peak-qps N       the load to count replicas for (default: the highest step)
      --interval D       how often usage is read (default 2s)
  -H, --header "K: V"    request header (repeatable), e.g. the Host an ingress routes by
  -k, --insecure         accept any TLS certificate
      --write FILE       write the recommendation into these manifests in place (comments kept):
                         the workload's resources, and its HPA's CPU target or spec.replicas
      --config FILE      write it into a blueprint config instead (cpu, memory, cpuUtilization)
      --json FILE        write the full result as JSON ("-" for stdout)
      --html FILE        write a self-contained HTML report (CPU and memory per pod over time,
                         latency per step)
      --quiet            no progress lines on stderr
${KUBE_HELP}
  -h, --help             this help

Exit codes: 0 sized (and the current size, if one is set, holds the load), 1 the current size
did not hold (a step broke the SLO or a container was OOMKilled), 2 bad input: no
metrics API, a workload with no ready pods, a URL that fails the warm-up, a --write/--config
file that does not name the workload (all refused before any load, nothing written), 130 after
Ctrl-C (the steps done are reported, nothing written).

Examples:
  shipshape size deploy/wordpress -n blog --url https://blog.example.com/ -q 100,200,400 -c 8 -t 60s
  shipshape size deploy/wordpress -n blog --url http://10.0.0.11:30080/ -H "host: blog.example.com" \\
      --slo "p99<=800ms,errors<=0.5%" --json size.json --html size.html
  shipshape size deploy/web -n shop --url http://10.0.0.11:30081/ --write web.yaml   # then again: it holds
`;

function percentOption(option: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const match = /^(\d+(?:\.\d+)?)%?$/.exec(text.trim());
  if (!match) throw new InputError(`expects a percentage like 25%, got "${text}"`, { field: option });
  return Number(match[1]) / 100;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    "size",
    {
      args: argv,
      allowPositionals: true,
      options: {
        ...KUBE_OPTIONS,
        url: { type: "string" },
        qps: { type: "string", short: "q" },
        connections: { type: "string", short: "c" },
        duration: { type: "string", short: "t" },
        warmup: { type: "string" },
        slo: { type: "string" },
        "cpu-margin": { type: "string" },
        "memory-margin": { type: "string" },
        "peak-qps": { type: "string" },
        interval: { type: "string" },
        header: { type: "string", short: "H", multiple: true },
        insecure: { type: "boolean", short: "k" },
        write: { type: "string" },
        config: { type: "string" },
        json: { type: "string" },
        html: { type: "string" },
        quiet: { type: "boolean" },
      },
    },
    { outputs: ["json", "html", "write", "config"] },
  );
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (positionals.length !== 1)
    throw new InputError(
      `expects one workload, e.g. deploy/web (got ${positionals.length}); see shipshape size --help`,
    );
  if (!values.url) throw new InputError("--url is required: where to send the load");
  if (values.write !== undefined && values.config !== undefined)
    throw new InputError("give --write or --config, not both", { field: "--config" });
  const qps = (values.qps ?? "100,200,400")
    .split(",")
    .map((q) => numberOption("--qps", q, { min: 0.1 }))
    .sort((a, b) => a - b);
  // Every option is read before the cluster is: a usage error never waits on a connection.
  parseWorkloadRef(positionals[0], values.namespace ?? "default");
  const options = {
    url: values.url,
    qps,
    connections:
      values.connections === undefined
        ? 8
        : numberOption("--connections", values.connections, { min: 1, integer: true }),
    stepMs: parseDuration(values.duration ?? "60s", "--duration"),
    warmupMs: parseDuration(values.warmup ?? "5s", "--warmup"),
    slo: sizeSlo(values.slo),
    margins: {
      cpu: percentOption("--cpu-margin", values["cpu-margin"], 0.25),
      memory: percentOption("--memory-margin", values["memory-margin"], 0.25),
    },
    ...(values["peak-qps"] === undefined
      ? {}
      : { peakQps: numberOption("--peak-qps", values["peak-qps"], { min: 0.1 }) }),
    intervalMs: parseDuration(values.interval ?? "2s", "--interval"),
    insecure: values.insecure,
    headers: headerOptions(values.header),
  };
  const cluster = await connect(values);
  const ref = parseWorkloadRef(positionals[0], values.namespace ?? cluster.defaultNamespace);
  const target: WriteTarget | undefined =
    values.write !== undefined
      ? { to: "manifests", file: values.write }
      : values.config !== undefined
        ? { to: "config", file: values.config }
        : undefined;
  const readTarget = async (t: WriteTarget) =>
    readFile(t.file, "utf8").catch((error: NodeJS.ErrnoException) => {
      throw new InputError(`cannot read: ${error.code ?? error.message}`, { file: t.file });
    });
  // Refused before any load: a file that cannot take the recommendation.
  if (target) checkWriteTarget(await readTarget(target), target, ref);

  let interrupted: StopSignal | undefined;
  let current: { stop(): void } | undefined;
  const restore = onCtrlC((signal) => {
    interrupted = signal;
    current?.stop();
  });
  const say = (line: string) => {
    if (!values.quiet) process.stderr.write(`${line}\n`);
  };
  let result: Awaited<ReturnType<typeof runSize>>;
  try {
    result = await runSize(
      cluster,
      { ...options, workload: ref },
      {
        onStepStart: (q, loadRun) => {
          current = loadRun;
          say(`size: step ${q} qps for ${values.duration ?? "60s"}`);
        },
        onStepEnd: (step) =>
          say(
            `size: ${step.targetQps} qps: reached ${step.achievedQps.toFixed(1)}, p99 ${step.latencyMs.p99.toFixed(1)} ms, SLO ${step.slo.met ? "met" : `broken (${step.slo.broken.join("; ")})`}`,
          ),
        stopped: () => interrupted !== undefined,
      },
    );
  } finally {
    restore();
    await cluster.close();
  }

  await writeReports(values, {
    json: result,
    text: () => sizeTextReport(result),
    html: () => sizeHtmlReport(result),
  });
  if (interrupted) return SIGNAL_EXIT_CODES[interrupted];
  if (target) {
    await writeFile(
      target.file,
      writeRecommendation(await readTarget(target), target, ref, result.recommendation),
    );
    say(`size: wrote the recommendation into ${target.file}`);
  }
  return result.verdict.unsized || result.verdict.holds ? 0 : 1;
}
