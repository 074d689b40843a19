// `npm run bench:check-memory`: the peak memory of the installed `shipshape check` on a large rendered
// stream — 100,000 objects with 500,000 findings by default — in each streamed report format, against
// kube-score in the same run (bench/install-tools.sh installs it). kube-score checks the first 10,000 of
// those objects (--anchor-apps): on all 100,000 it ran past 5 CPU minutes here without finishing, at over
// 1.4 GB. The target is a peak RSS under 500 MiB.
//
//   node bench/check-memory.ts [--apps N] [--anchor-apps N] [--rounds N] [--keep]
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { installedPackage } from "./installed.ts";
import { best, type Timing, type Tool, timedRun } from "./timed-run.ts";

const { values } = parseArgs({
  options: {
    apps: { type: "string", default: "50000" },
    "anchor-apps": { type: "string", default: "5000" },
    rounds: { type: "string", default: "1" },
    keep: { type: "boolean" },
  },
});
const apps = Number(values.apps);
const anchorApps = Math.min(apps, Number(values["anchor-apps"]));
const rounds = Number(values.rounds);
const toolDir = process.env.SHIPSHAPE_BENCH_BIN ?? join(homedir(), ".cache", "shipshape-bench", "bin");
const TARGET_MIB = 500;

/** One application as a quick first draft: a single-replica Deployment, unprobed, with a mutable tag
 * and a password in its env, behind a NodePort Service — ten findings over its two objects. */
function application(i: number): string {
  const name = `app-${i}`;
  const namespace = `team-${i % 25}`;
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: app
        image: registry.example.com/${name}:latest
        env:
        - name: DB_PASSWORD
          value: hunter2
        resources:
          requests:
            cpu: 100m
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  type: NodePort
  selector:
    app: ${name}
  ports:
  - name: http
    port: 80
    targetPort: 8080
`;
}

const dir = mkdtempSync(join(tmpdir(), "shipshape-bench-check-memory-"));
const stream = join(dir, "rendered.yaml");
const anchorStream = join(dir, "anchor.yaml");
const texts = Array.from({ length: apps }, (_, i) => application(i));
writeFileSync(stream, texts.join("---\n"));
writeFileSync(anchorStream, texts.slice(0, anchorApps).join("---\n"));
const shipshape = installedPackage(dir);

interface Run extends Tool {
  args: string[];
  objects: number;
}
const FORMATS = ["json", "sarif", "text"] as const;
const runs: Run[] = [
  ...FORMATS.map((format) => ({
    name: `shipshape ${format}`,
    command: process.execPath,
    args: [shipshape, "check", "--format", format, stream],
    env: { NODE_COMPILE_CACHE: join(dir, "compile-cache") },
    okStatus: [1],
    objects: 2 * apps,
  })),
  {
    name: "kube-score",
    command: join(toolDir, "kube-score"),
    args: ["score", "--output-format", "ci", anchorStream],
    okStatus: [0, 1],
    objects: 2 * anchorApps,
  },
];
const present = runs.filter((run) => run.name !== "kube-score" || existsSync(run.command));
if (present.length < runs.length) {
  process.stdout.write(`kube-score: not installed in ${toolDir} (bench/install-tools.sh); skipped\n`);
}
process.stdout.write(`corpus: ${2 * apps} objects, ${10 * apps} findings, in one stream (${dir})\n`);
const timings = new Map<string, Timing>();
for (let round = 0; round < rounds; round++) {
  for (const run of present) {
    const timing = best(timings.get(run.name), timedRun(run, run.args, dir));
    timings.set(run.name, timing);
    const { rss, cpu, wall } = timing;
    if (rss === undefined) throw new Error("peak RSS needs GNU time at /usr/bin/time");
    const target = run.name.startsWith("shipshape")
      ? ` (target < ${TARGET_MIB} MiB: ${rss < TARGET_MIB ? "met" : "NOT met"})`
      : "";
    process.stdout.write(
      `${run.name.padEnd(16)} ${String(run.objects).padStart(6)} objects: peak RSS ${rss.toFixed(0).padStart(5)} MiB${target}; ${cpu.toFixed(0)} ms cpu, ${wall.toFixed(0)} ms wall\n`,
    );
  }
}
const anchor = timings.get("kube-score");
if (anchor?.rss !== undefined) {
  for (const format of FORMATS) {
    const mine = timings.get(`shipshape ${format}`)!;
    process.stdout.write(
      `shipshape ${format} on ${2 * apps} objects: ${(mine.rss! / anchor.rss).toFixed(2)}× the peak RSS of kube-score on ${2 * anchorApps}\n`,
    );
  }
}
if (!values.keep) rmSync(dir, { recursive: true, force: true });
