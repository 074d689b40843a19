// Load-generator benchmark: shipshape against autocannon (npm) and Fortio (Go) in the same run,
// against the same local keep-alive server (its own process), with the same connections.
//   1. max throughput (closed model): req/s of each; targets ≥ 1.5× autocannon, ≥ 0.8× Fortio
//   2. at fixed rates (1000 qps; --rates 200,1000,5000 for more): the p50 each reports, target
//      shipshape ≤ Fortio + 0.2 ms; and the CPU each spends per request, target shipshape ≤ Fortio
// Fair and less noisy on a small shared machine:
// - the server is pinned to one core and the tool under test to another (taskset), the same for
//   every tool, so no client gets cycles the server needed or the other way round;
// - rounds interleave the tools (a b c a b c …) so a disturbance hits all of them alike; each
//   figure is the median over the rounds, with its spread (min–max), and each ratio is the median
//   of the per-round ratios (a tool against the anchor measured right beside it);
// - CPU time per request (user + system from /usr/bin/time, minus the tool's start-up and exit
//   measured on a run of a few requests) is printed beside req/s: it is what a client controls;
//   req/s is bounded by the server's core as soon as the client is cheap enough. Beside it, the
//   steady CPU per request: from /proc, one second after the start to one second before the end,
//   so neither the start-up (subtracted above as the least of three runs, which favours no one
//   exactly) nor the first second's compiling nor the result decides it.
// Fortio comes from bench/install-tools.sh; the server is Fortio's (Go) when it is installed,
// else bench/load-server.ts (Node).
// Beside them runs "floor" (bench/load-floor.ts): a Node client doing only the sockets and the schedule,
// so the figures say how much of shipshape's cost is Node's own and how much its code adds.
// A change to shipshape is measured against the code before it in the same run with --baseline DIR
// (another checkout, its dependencies installed): it runs as one more tool, right after shipshape.
import { type ChildProcess, execFile, execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const USAGE = `npm run bench:load [-- OPTIONS]
  --connections N   connections of every tool (16)
  --seconds S       length of each run (5)
  --rounds R        interleaved rounds of every tool, each figure their median (5)
  --server KIND     fortio (its Go server, the default when installed) or node (bench/load-server.ts)
  --rates Q,Q       fixed rates measured after max throughput, each in turn (1000)
  --fixed-only      the fixed rates only, no max throughput
  --baseline DIR    also runs shipshape from the checkout DIR (e.g. the code before a change) as
                    "baseline", right after shipshape in every round, and prints shipshape / baseline
  --baseline-flags=F  Node flags for the baseline's runs, space-separated (--baseline .
                    --baseline-flags=--max-opt=2 measures a V8 flag against the same code)`;

const { values } = parseArgs({
  options: {
    help: { type: "boolean", short: "h", default: false },
    baseline: { type: "string" },
    "baseline-flags": { type: "string", default: "" },
    connections: { type: "string", default: "16" },
    seconds: { type: "string", default: "5" },
    rounds: { type: "string", default: "5" },
    server: { type: "string" },
    rates: { type: "string", default: "1000" },
    "fixed-only": { type: "boolean", default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const connections = Number(values.connections);
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const rates = values.rates.split(",").map(Number);
const root = join(import.meta.dirname, "..");
const node = process.execPath;
const fortio = join(
  process.env.SHIPSHAPE_BENCH_BIN ?? join(homedir(), ".cache/shipshape-bench/bin"),
  "fortio",
);
const autocannon = join(root, "node_modules/autocannon/autocannon.js");
const floor = join(root, "bench/load-floor.ts");

/** `taskset -c N` prefixes for the server and the client, or none (with the reason) when unavailable. */
function pinning(): { server: string[]; client: string[]; note: string } {
  const none = (why: string) => ({ server: [], client: [], note: `not pinned (${why})` });
  if (availableParallelism() < 2) return none("fewer than 2 cores");
  try {
    execFileSync("taskset", ["-c", "1", "true"], { stdio: "ignore" });
  } catch {
    return none("taskset from util-linux not found or not allowed");
  }
  return {
    server: ["taskset", "-c", "0"],
    client: ["taskset", "-c", "1"],
    note: "server on core 0, client on core 1",
  };
}
const pin = pinning();

const TIME = "/usr/bin/time";
const timesFile = join(tmpdir(), `shipshape-bench-load-${process.pid}.time`);

/** What a run of a tool gave: its stdout, and the CPU seconds it used in all and in its steady part. */
interface Ran {
  stdout: string;
  /** User + system over the whole process (NaN without /usr/bin/time). */
  cpuSeconds: number;
  /** CPU and wall seconds from one second after the start to one second before the end (runs of ≥ 4 s). */
  steady?: { cpuSeconds: number; wallSeconds: number };
}

/** The process that runs the tool: /usr/bin/time's child (taskset execs into the tool), or `pid` itself. */
function toolPid(pid: number, timed: boolean): number | undefined {
  if (!timed) return pid;
  try {
    return (
      Number(readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(" ")[0]) || undefined
    );
  } catch {
    return undefined;
  }
}

/** Runs a tool on the client core for `runSeconds` (0: bounded by count), timing its steady part. */
function run(command: string, args: string[], runSeconds = 0): Promise<Ran> {
  const timed = existsSync(TIME);
  const pinned = [...pin.client, command, ...args];
  const argv = timed ? ["-f", "%U %S", "-o", timesFile, ...pinned] : pinned.slice(1);
  const file = timed ? TIME : pinned[0]!;
  return new Promise((resolve, reject) => {
    // the first and last second hold start-up, compiling and the result: the steady part leaves them out
    const marks: { cpu: number; at: number }[] = [];
    const mark = () => {
      const pid = child.pid === undefined ? undefined : toolPid(child.pid, timed);
      marks.push({ cpu: cpuSecondsOf(pid), at: performance.now() });
    };
    const timers = runSeconds >= 4 ? [setTimeout(mark, 1000), setTimeout(mark, (runSeconds - 1) * 1000)] : [];
    const child = execFile(file, argv, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      for (const t of timers) clearTimeout(t);
      if (error) return reject(new Error(`${command} ${args.join(" ")}: ${error.message}\n${stderr}`));
      const cpuSeconds = timed
        ? readFileSync(timesFile, "utf8")
            .trim()
            .split(/\s+/)
            .reduce((a, b) => a + Number(b), 0)
        : Number.NaN;
      const [from, to] = marks;
      const steady =
        from && to ? { cpuSeconds: to.cpu - from.cpu, wallSeconds: (to.at - from.at) / 1000 } : undefined;
      resolve({ stdout, cpuSeconds, ...(steady && { steady }) });
    });
  });
}

async function startServer(): Promise<{ url: string; child: ChildProcess }> {
  const [prefix, ...prefixArgs] = pin.server;
  const spawnPinned = (file: string, args: string[], stdio: "ignore" | "pipe") =>
    spawn(prefix ?? file, prefix ? [...prefixArgs, file, ...args] : args, {
      stdio: ["ignore", stdio, stdio === "ignore" ? "ignore" : "inherit"],
    });
  if ((values.server ?? (existsSync(fortio) ? "fortio" : "node")) === "fortio") {
    const port = 20_000 + (process.pid % 20_000);
    const child = spawnPinned(
      fortio,
      ["server", "-http-port", `127.0.0.1:${port}`, "-grpc-port", "disabled", "-redirect-port", "disabled"],
      "ignore",
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    return { url: `http://127.0.0.1:${port}/echo`, child };
  }
  const child = spawnPinned(node, [join(root, "bench/load-server.ts")], "pipe");
  const port = await new Promise<string>((resolve) =>
    child.stdout!.once("data", (d) => resolve(String(d).trim())),
  );
  return { url: `http://127.0.0.1:${port}/`, child };
}

interface Measured {
  /** Requests answered. */
  calls: number;
  qps: number;
  p50Ms: number;
  /** CPU µs the tool spent per request, its start-up and exit taken out (NaN without /usr/bin/time). */
  cpuUs: number;
  /**
   * CPU µs per request in the run's steady part (its first and last second left out, at the run's
   * rate): what a long run costs per request, without the start-up, compiling and result of either end.
   */
  steadyUs: number;
  /** The server's CPU seconds over the run / the run's seconds: near 1, its one core set the rate. */
  serverBusy: number;
  /** CPU cores other processes (the shared machine's other work) used during the run, on average. */
  others: number;
}

/** One run of a tool: `qps` 0 is as fast as it goes, `count` > 0 bounds it by requests instead of time. */
type Tool = (url: string, qps: number, count: number) => Promise<Ran>;
type Parse = (stdout: string) => Omit<Measured, "cpuUs" | "steadyUs" | "serverBusy" | "others">;

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" })) || 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds all cores have been busy so far (everything but idle and iowait), from /proc/stat. */
function machineBusySeconds(): number {
  try {
    const [, ...ticks] = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).map(Number);
    const busy = ticks.slice(0, 8).reduce((a, b) => a + b, 0) - ticks[3]! - ticks[4]!; // less idle, iowait
    return busy / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds (user + system) process `pid` has used so far, from /proc (NaN where there is none). */
function cpuSecondsOf(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // fields from the 3rd on
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // utime, stime
  } catch {
    return Number.NaN;
  }
}

/** How long a run lasts: --seconds, or 0 when a count bounds it (then it has no steady part). */
const runFor = (count: number) => (count > 0 ? 0 : seconds);

/** shipshape as the checkout at `checkout` has it. */
function shipshapeOf(checkout: string, nodeFlags: string[] = []): { run: Tool; parse: Parse } {
  const main = join(checkout, "src/cli/main.ts");
  if (!existsSync(main)) throw new Error(`${main} not found: --baseline takes a shipshape checkout`);
  return {
    run: (url, qps, count) =>
      run(
        node,
        [
          ...nodeFlags,
          main,
          "load",
          url,
          "--qps",
          String(qps),
          "-c",
          String(connections),
          ...(count > 0 ? ["-n", String(count)] : ["-t", `${seconds}s`]),
          "--quiet",
          "--json",
          "-",
        ],
        runFor(count),
      ),
    parse(stdout) {
      const r = JSON.parse(stdout);
      return { calls: r.calls, qps: r.qps, p50Ms: r.latencyMs.p50 };
    },
  };
}

const tools: Record<string, { run: Tool; parse: Parse }> = {
  shipshape: shipshapeOf(root),
  ...(values.baseline
    ? { baseline: shipshapeOf(values.baseline, values["baseline-flags"].split(" ").filter(Boolean)) }
    : {}),
  // Node's own cost at the same schedule: the least any Node client pays (bench/load-floor.ts)
  floor: {
    run: (url, qps, count) =>
      run(
        node,
        [floor, url, String(qps), String(connections), String(seconds), String(count)],
        runFor(count),
      ),
    parse(stdout) {
      const r = JSON.parse(stdout);
      return { calls: r.calls, qps: r.qps, p50Ms: Number.NaN };
    },
  },
  autocannon: {
    run: (url, qps, count) =>
      run(
        node,
        [
          autocannon,
          "-c",
          String(connections),
          ...(count > 0 ? ["-a", String(count)] : ["-d", String(seconds)]),
          "-j",
          ...(qps > 0 ? ["--overallRate", String(qps)] : []),
          url,
        ],
        runFor(count),
      ),
    parse(stdout) {
      const r = JSON.parse(stdout);
      return {
        calls: r.requests.total,
        qps: r.requests.total / (r.duration || seconds),
        p50Ms: r.latency.p50,
      };
    },
  },
  fortio: {
    run: (url, qps, count) =>
      run(
        fortio,
        [
          "load",
          "-qps",
          String(qps),
          "-c",
          String(connections),
          ...(count > 0 ? ["-n", String(count)] : ["-t", `${seconds}s`]),
          "-p",
          "50,99",
          "-json",
          "-",
          "-loglevel",
          "error",
          url,
        ],
        runFor(count),
      ),
    parse(stdout) {
      const r = JSON.parse(stdout);
      const p50 = r.DurationHistogram.Percentiles.find((p: { Percentile: number }) => p.Percentile === 50);
      return { calls: r.DurationHistogram.Count, qps: r.ActualQPS, p50Ms: p50.Value * 1000 };
    },
  },
};

/** CPU seconds a tool spends starting and exiting: the least of 3 runs of one request per connection. */
async function startupCpu(name: string, url: string): Promise<number> {
  let least = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++)
    least = Math.min(least, (await tools[name]!.run(url, 0, connections)).cpuSeconds);
  return least;
}

/** Runs every tool `rounds` times, interleaved (round 1: a, b, c; round 2: a, b, c …). */
async function measureRounds(
  names: string[],
  server: ChildProcess,
  url: string,
  qps: number,
  startup: Record<string, number>,
): Promise<Record<string, Measured>[]> {
  const all: Record<string, Measured>[] = [];
  for (let round = 0; round < rounds; round++) {
    const one: Record<string, Measured> = {};
    for (const name of names) {
      const serverBefore = cpuSecondsOf(server.pid);
      const machineBefore = machineBusySeconds();
      const t0 = performance.now();
      const { stdout, cpuSeconds, steady } = await tools[name]!.run(url, qps, 0);
      const wallSeconds = (performance.now() - t0) / 1000;
      const serverSeconds = cpuSecondsOf(server.pid) - serverBefore;
      const others = (machineBusySeconds() - machineBefore - serverSeconds - cpuSeconds) / wallSeconds;
      const m = tools[name]!.parse(stdout);
      const cpuUs = ((cpuSeconds - startup[name]!) * 1e6) / m.calls;
      const steadyUs = steady ? (steady.cpuSeconds * 1e6) / (m.qps * steady.wallSeconds) : Number.NaN;
      one[name] = { ...m, cpuUs, steadyUs, serverBusy: serverSeconds / seconds, others: Math.max(0, others) };
    }
    all.push(one);
  }
  return all;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** "median (min–max)" of one figure over the rounds. */
function spread(xs: number[], digits: number): string {
  const f = (x: number) => x.toFixed(digits);
  return `${f(median(xs))} (${f(Math.min(...xs))}–${f(Math.max(...xs))})`;
}

/** How much other work ran during a round: the most any of its runs saw, in cores. */
function disturbance(round: Record<string, Measured>): number {
  return Math.max(...Object.values(round).map((m) => m.others));
}

/** One tool's figure over the rounds, "median (min–max)". */
function figure(all: Record<string, Measured>[], name: string, of: (m: Measured) => number, digits: number) {
  return spread(
    all.map((r) => of(r[name]!)),
    digits,
  );
}

async function main(): Promise<void> {
  const names = [
    "shipshape",
    ...(values.baseline ? ["baseline"] : []),
    "floor",
    "autocannon",
    ...(existsSync(fortio) ? ["fortio"] : []),
  ];
  // what Node alone costs against Fortio, and what shipshape adds to it, in the same rounds
  const againstFloor = (all: Record<string, Measured>[]) => {
    const ratio = (a: string, b: string, key: "cpuUs" | "steadyUs") =>
      spread(
        all.map((r) => r[a]![key] / r[b]![key]),
        2,
      );
    const both = (a: string, b: string) => `${ratio(a, b, "cpuUs")}×, steady ${ratio(a, b, "steadyUs")}×`;
    console.log(
      `  shipshape / floor CPU per request: ${both("shipshape", "floor")} (what shipshape adds to Node's own)`,
    );
    if (!names.includes("fortio")) return;
    console.log(
      `  floor / fortio CPU per request: ${both("floor", "fortio")} (Node's own cost against Go's)`,
    );
  };
  const againstBaseline = (all: Record<string, Measured>[]) => {
    if (!values.baseline) return;
    const cpu = all.map((r) => r.shipshape!.cpuUs / r.baseline!.cpuUs);
    console.log(`  shipshape / baseline CPU per request: ${spread(cpu, 2)}× (${values.baseline})`);
  };
  if (!names.includes("fortio")) console.log(`fortio not found at ${fortio}: run bench/install-tools.sh`);
  const server = await startServer();
  try {
    await tools.autocannon!.run(server.url, 0, 0); // warm the server up
    const kind = server.url.endsWith("/echo") ? "fortio server" : "bench/load-server.ts";
    console.log(`server: ${server.url} (${kind}); ${pin.note}`);
    const startup: Record<string, number> = {};
    for (const name of names) startup[name] = await startupCpu(name, server.url);
    const startups = names.map((n) => `${n} ${(startup[n]! * 1000).toFixed(0)} ms`).join(", ");
    console.log(`start-up + exit CPU (taken out of CPU per request): ${startups}`);
    const header = `${connections} connections, ${seconds} s, ${rounds} interleaved rounds, median (min–max)`;

    if (!values["fixed-only"]) {
      console.log(`max throughput, ${header}:`);
      const max = await measureRounds(names, server.child, server.url, 0, startup);
      for (const name of names) {
        console.log(`  ${name}`);
        console.log(`    req/s                 ${figure(max, name, (m) => m.qps, 0)}`);
        console.log(`    client CPU µs/request ${figure(max, name, (m) => m.cpuUs, 2)}`);
        console.log(`    steady CPU µs/request ${figure(max, name, (m) => m.steadyUs, 2)}`);
        console.log(`    server core busy %    ${figure(max, name, (m) => m.serverBusy * 100, 0)}`);
        console.log(`    other work, cores     ${figure(max, name, (m) => m.others, 2)}`);
      }
      const ratio = (anchor: string, target: number) => {
        if (!names.includes(anchor)) return;
        const rps = max.map((r) => r.shipshape!.qps / r[anchor]!.qps);
        const cpu = max.map((r) => r[anchor]!.cpuUs / r.shipshape!.cpuUs);
        const steady = max.map((r) => r[anchor]!.steadyUs / r.shipshape!.steadyUs);
        const ok = median(rps) >= target ? "ok" : "MISSED";
        console.log(
          `  shipshape / ${anchor}: ${spread(rps, 2)}× req/s (target ≥ ${target}×) ${ok};` +
            ` ${spread(cpu, 2)}× less CPU per request, ${spread(steady, 2)}× less steady`,
        );
      };
      ratio("autocannon", 1.5);
      ratio("fortio", 0.8);
      againstFloor(max);
      againstBaseline(max);
      // the round the rest of the machine disturbed least, each tool beside the others in it
      const quiet = max.reduce((a, b) => (disturbance(b) < disturbance(a) ? b : a));
      console.log(`  quietest round (other work ≤ ${disturbance(quiet).toFixed(2)} cores):`);
      for (const name of names) {
        const m = quiet[name]!;
        const ours = quiet.shipshape!;
        const vs =
          name === "shipshape"
            ? ""
            : `; shipshape ${(ours.qps / m.qps).toFixed(2)}× its req/s, ${(m.cpuUs / ours.cpuUs).toFixed(2)}× less CPU`;
        const line = `${m.qps.toFixed(0).padStart(6)} req/s, ${m.cpuUs.toFixed(2)} µs CPU per request${vs}`;
        console.log(`    ${name.padEnd(10)} ${line}`);
      }
    }

    for (const qps of rates) {
      console.log(`p50 at ${qps} qps, ${header}:`);
      const fixed = await measureRounds(names, server.child, server.url, qps, startup);
      for (const name of names) {
        const p50 = name === "floor" ? "(not measured)" : `${figure(fixed, name, (m) => m.p50Ms, 3)} ms`;
        const cpu = figure(fixed, name, (m) => m.cpuUs, 1);
        const steady = figure(fixed, name, (m) => m.steadyUs, 1);
        console.log(`  ${name.padEnd(10)} p50 ${p50}   client CPU µs/request ${cpu}, steady ${steady}`);
      }
      if (names.includes("fortio")) {
        const added = fixed.map((r) => r.shipshape!.p50Ms - r.fortio!.p50Ms);
        const ok = median(added) <= 0.2 ? "ok" : "MISSED";
        console.log(`  shipshape − fortio: ${spread(added, 3)} ms (target ≤ 0.2 ms) ${ok}`);
        const cpu = fixed.map((r) => r.shipshape!.cpuUs / r.fortio!.cpuUs);
        const cheap = median(cpu) <= 1 ? "ok" : "MISSED";
        console.log(`  shipshape / fortio CPU per request: ${spread(cpu, 2)}× (target ≤ 1×) ${cheap}`);
        const steady = fixed.map((r) => r.shipshape!.steadyUs / r.fortio!.steadyUs);
        const steadyOk = median(steady) <= 1 ? "ok" : "MISSED";
        console.log(
          `  shipshape / fortio steady CPU per request: ${spread(steady, 2)}× (target ≤ 1×) ${steadyOk}`,
        );
      }
      againstFloor(fixed);
      againstBaseline(fixed);
    }
  } finally {
    server.child.kill();
    rmSync(timesFile, { force: true });
  }
}

await main();
