// One run of a command-line tool with its output discarded: wall time, the CPU time of the tool and its
// threads (steadier than wall time on a shared machine) and its peak resident memory.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface Timing {
  /** Wall-clock ms. */
  wall: number;
  /** User + system CPU ms of the tool and its threads. */
  cpu: number;
  /** Peak resident memory in MiB (from GNU time, when installed). */
  rss?: number;
}

export interface Tool {
  name: string;
  command: string;
  env?: Record<string, string>;
  /** Exit codes of a successful run (findings make linters exit non-zero). */
  okStatus: number[];
}

const GNU_TIME = "/usr/bin/time";

/** Runs `tool` with `args`; `scratch` is a directory for its stderr and the memory figure. */
export function timedRun(tool: Tool, args: string[], scratch: string): Timing {
  const measure = existsSync(GNU_TIME) ? `${GNU_TIME} -f %M -o "$RSS_FILE" ` : "";
  // bash's `times` reports the children's CPU time.
  const script = `${measure}"$@" >/dev/null 2>"$ERR_FILE"; status=$?; times; exit $status`;
  const errFile = join(scratch, "stderr.txt");
  const rssFile = join(scratch, "rss.txt");
  const start = performance.now();
  const run = spawnSync("bash", ["-c", script, "bash", tool.command, ...args], {
    encoding: "utf8",
    env: { ...process.env, ERR_FILE: errFile, RSS_FILE: rssFile, ...tool.env },
  });
  const wall = performance.now() - start;
  if (run.error) throw run.error;
  if (!tool.okStatus.includes(run.status ?? -1)) {
    throw new Error(`${tool.name} exited ${run.status}: ${readFileSync(errFile, "utf8").slice(0, 500)}`);
  }
  // `times` prints the shell's own and then its children's "user system" times, e.g. "0m1.120s 0m0.050s".
  const children = run.stdout.trim().split("\n").at(-1)!;
  const cpu = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce(
    (ms, m) => ms + (Number(m[1]) * 60 + Number(m[2])) * 1000,
    0,
  );
  const kib = measure ? Number(readFileSync(rssFile, "utf8").trim().split("\n").at(-1)) : Number.NaN;
  return { wall, cpu, ...(Number.isFinite(kib) ? { rss: kib / 1024 } : {}) };
}

/** The better of two timings, field by field (a busy machine only ever slows a run down). */
export function best(a: Timing | undefined, b: Timing): Timing {
  if (!a) return b;
  const rss = Math.min(a.rss ?? Number.POSITIVE_INFINITY, b.rss ?? Number.POSITIVE_INFINITY);
  return {
    wall: Math.min(a.wall, b.wall),
    cpu: Math.min(a.cpu, b.cpu),
    ...(Number.isFinite(rss) ? { rss } : {}),
  };
}
