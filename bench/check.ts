// `npm run bench:check`: how fast `shipshape check` audits a large repository of manifests, against
// kube-score and kube-linter on the same corpus in the same run (install them with
// bench/install-tools.sh). Prints objects/s and ratios; the target is ≥ 3× the faster anchor.
//
//   node bench/check.ts [--apps N] [--rounds N] [--keep]
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { stringify } from "yaml";
import { checkObjects } from "../src/check/engine.ts";
import { fixManifests } from "../src/check/fix/fix-manifests.ts";
import { readManifests, readManifestTexts } from "../src/manifest/read.ts";

const { values } = parseArgs({
  options: {
    apps: { type: "string", default: "1000" },
    rounds: { type: "string", default: "3" },
    keep: { type: "boolean" },
  },
});
const apps = Number(values.apps);
const rounds = Number(values.rounds);
const toolDir = process.env.SHIPSHAPE_BENCH_BIN ?? join(homedir(), ".cache", "shipshape-bench", "bin");

/** One application as a team would keep it: a file of 10 objects, some production-grade, some not. */
function application(i: number): object[] {
  const name = `app-${i}`;
  const namespace = `team-${i % 25}`;
  const labels = { app: name, tier: i % 5 === 0 ? "db" : "web" };
  const good = i % 3 !== 0;
  const resources = good
    ? { requests: { cpu: "200m", memory: "256Mi" }, limits: { cpu: "200m", memory: "256Mi" } }
    : { requests: { cpu: "100m" } };
  const container = {
    name: "app",
    image: good ? `registry.example.com/${name}:1.${i % 17}.${i % 7}` : `registry.example.com/${name}:latest`,
    ports: [{ name: "http", containerPort: 8080 }],
    env: [
      { name: "LOG_LEVEL", value: "info" },
      good
        ? { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: `${name}-db`, key: "password" } } }
        : { name: "DB_PASSWORD", value: "hunter2" },
      { name: "CONFIG_HASH", valueFrom: { configMapKeyRef: { name: `${name}-config`, key: "hash" } } },
    ],
    resources,
    ...(good
      ? {
          readinessProbe: { httpGet: { path: "/healthz", port: "http" }, periodSeconds: 5 },
          lifecycle: { preStop: { sleep: { seconds: 10 } } },
        }
      : {}),
  };
  const template = {
    metadata: { labels },
    spec: {
      containers: [container],
      terminationGracePeriodSeconds: 30,
      ...(good
        ? {
            affinity: {
              podAntiAffinity: {
                preferredDuringSchedulingIgnoredDuringExecution: [
                  {
                    weight: 100,
                    podAffinityTerm: {
                      labelSelector: { matchLabels: labels },
                      topologyKey: "kubernetes.io/hostname",
                    },
                  },
                ],
              },
            },
          }
        : {}),
    },
  };
  const meta = (suffix = "") => ({ name: `${name}${suffix}`, namespace, labels });
  return [
    { apiVersion: "v1", kind: "ServiceAccount", metadata: meta() },
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: meta("-config"),
      data: { hash: `h${i}`, "app.properties": "a=1\nb=2\n" },
    },
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: meta("-db"),
      type: "Opaque",
      stringData: { password: `p${i}` },
    },
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: meta(),
      spec: {
        ...(good ? {} : { replicas: 1 }),
        selector: { matchLabels: labels },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        template,
      },
    },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: meta(),
      spec: {
        type: good ? "ClusterIP" : "NodePort",
        selector: labels,
        ports: [{ name: "http", port: 80, targetPort: "http" }],
      },
    },
    {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: meta(),
      spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
    },
    {
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: meta(),
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name },
        minReplicas: 3,
        maxReplicas: 6,
        metrics: [
          {
            type: "Resource",
            resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } },
          },
        ],
      },
    },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: meta(),
      spec: {
        ...(good ? { tls: [{ hosts: [`${name}.example.com`], secretName: `${name}-tls` }] } : {}),
        rules: [
          {
            host: `${name}.example.com`,
            http: {
              paths: [
                { path: "/", pathType: "Prefix", backend: { service: { name, port: { name: "http" } } } },
              ],
            },
          },
        ],
      },
    },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: meta(),
      spec: {
        podSelector: { matchLabels: labels },
        policyTypes: ["Ingress"],
        ingress: [{ ports: [{ port: 8080 }] }],
      },
    },
    {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: meta("-cache"),
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
    },
  ];
}

function writeCorpus(dir: string): number {
  let objects = 0;
  for (let i = 0; i < apps; i++) {
    const docs = application(i);
    objects += docs.length;
    // Both sequence styles people write: kubectl's (not indented) and helm's (indented).
    const text = docs
      .map((doc) => stringify(doc, { indentSeq: i % 2 === 0, aliasDuplicateObjects: false }))
      .join("---\n");
    writeFileSync(join(dir, `app-${String(i).padStart(5, "0")}.yaml`), text);
  }
  return objects;
}

interface Timing {
  /** Wall-clock ms. */
  wall: number;
  /** User + system CPU ms of the tool and its threads: steadier than wall time on a shared machine. */
  cpu: number;
  /** Peak resident memory in MiB (from GNU time, when installed). */
  rss?: number;
}

const GNU_TIME = "/usr/bin/time";

/** Runs a tool with its output discarded; bash's `times` reports the child's CPU time. */
function time(tool: Tool, args: string[]): Timing {
  const measure = existsSync(GNU_TIME) ? `${GNU_TIME} -f %M -o "$RSS_FILE" ` : "";
  const script = `${measure}"$@" >/dev/null 2>"$ERR_FILE"; status=$?; times; exit $status`;
  const errFile = join(dir, "stderr.txt");
  const rssFile = join(dir, "rss.txt");
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

const dir = mkdtempSync(join(tmpdir(), "shipshape-bench-check-"));
const corpus = join(dir, "corpus");
mkdirSync(corpus);
const objects = writeCorpus(corpus);
const files = readdirSync(corpus).map((f) => join(corpus, f));
process.stdout.write(`corpus: ${objects} objects in ${files.length} files (${dir})\n`);

// Where shipshape's own time goes, in this process (no startup).
{
  const t0 = performance.now();
  const sources = await readManifests([corpus]);
  const t1 = performance.now();
  const result = checkObjects(sources);
  const t2 = performance.now();
  process.stdout.write(
    `in-process: read ${(t1 - t0).toFixed(0)} ms, check ${(t2 - t1).toFixed(0)} ms; ` +
      `${result.summary.errors} errors, ${result.summary.warnings} warnings, ${result.summary.infos} infos\n`,
  );
  // --fix checks, edits and checks again: its cost against the read + check it contains.
  const texts = await readManifestTexts([corpus]);
  const t3 = performance.now();
  const fixed = fixManifests(texts);
  const t4 = performance.now();
  process.stdout.write(
    `in-process --fix: ${(t4 - t3).toFixed(0)} ms for ${fixed.fixed.length} fixes in ${fixed.changed.length} files, ` +
      `${((t4 - t3) / (t2 - t0)).toFixed(2)}× read + check\n`,
  );
}

interface Tool {
  name: string;
  command: string;
  /** Arguments to check a directory of manifests and the files in it. */
  args: (dir: string, files: string[]) => string[];
  env?: Record<string, string>;
  /** Exit codes of a successful run (findings make linters exit non-zero). */
  okStatus: number[];
}
const cli = (target: string) => ["bin/shipshape.js", "check", "--format", "json", target];
const tools: Tool[] = [
  { name: "shipshape", command: process.execPath, args: cli, okStatus: [0, 1] },
  // What the entry point gets with V8's compile cache (module.enableCompileCache()); the first round warms it.
  {
    name: "shipshape+cc",
    command: process.execPath,
    args: cli,
    env: { NODE_COMPILE_CACHE: join(dir, "compile-cache") },
    okStatus: [0, 1],
  },
  {
    name: "kube-score",
    command: join(toolDir, "kube-score"),
    args: (_, paths) => ["score", "--output-format", "ci", ...paths],
    okStatus: [0, 1],
  },
  {
    name: "kube-linter",
    command: join(toolDir, "kube-linter"),
    args: (target) => ["lint", target],
    okStatus: [0, 1],
  },
];
const present = tools.filter((tool) => tool.name.startsWith("shipshape") || existsSync(tool.command));
for (const missing of tools.filter((tool) => !present.includes(tool))) {
  process.stdout.write(
    `${missing.name}: not installed at ${missing.command} (bench/install-tools.sh); skipped\n`,
  );
}

// The fixed cost of a run (start-up, loading, compiling), measured on a one-application directory.
const single = join(dir, "single");
mkdirSync(single);
writeFileSync(join(single, "app.yaml"), readFileSync(files[0]!, "utf8"));
const targets = {
  corpus: { dir: corpus, files },
  single: { dir: single, files: [join(single, "app.yaml")] },
};
const best = new Map<string, Timing>();
// Interleaved rounds so a busy machine slows every tool alike; each tool's best round counts.
for (let round = 0; round < rounds; round++) {
  for (const [target, { dir: targetDir, files: targetFiles }] of Object.entries(targets)) {
    for (const tool of present) {
      const t = time(tool, tool.args(targetDir, targetFiles));
      const key = `${tool.name}/${target}`;
      const previous = best.get(key) ?? t;
      const rss = Math.min(previous.rss ?? Number.POSITIVE_INFINITY, t.rss ?? Number.POSITIVE_INFINITY);
      best.set(key, {
        wall: Math.min(previous.wall, t.wall),
        cpu: Math.min(previous.cpu, t.cpu),
        ...(Number.isFinite(rss) ? { rss } : {}),
      });
    }
  }
}
// Node's own start, the floor under shipshape's fixed cost: what a 10-object run costs beyond it is ours.
let bare: Timing | undefined;
for (let round = 0; round < rounds; round++) {
  const t = time({ name: "node", command: process.execPath, args: () => [], okStatus: [0] }, ["-e", "0"]);
  bare = bare ? { wall: Math.min(bare.wall, t.wall), cpu: Math.min(bare.cpu, t.cpu) } : t;
}
const ours = present.filter((tool) => tool.name.startsWith("shipshape"));
const anchors = present.filter((tool) => !ours.includes(tool));
const rate = (ms: number) => `${((objects / ms) * 1000).toFixed(0).padStart(7)}/s`;
const col = (text: string, width: number) => text.padStart(width);
process.stdout.write(
  `${"".padEnd(13)}${col("wall ms", 9)} ${col("objects", 9)}  ${col("cpu ms", 8)} ${col("objects", 9)}  ${col("start-up wall/cpu ms", 21)}\n`,
);
for (const tool of present) {
  const { wall, cpu } = best.get(`${tool.name}/corpus`)!;
  const start = best.get(`${tool.name}/single`)!;
  process.stdout.write(
    `${tool.name.padEnd(13)}${col(wall.toFixed(0), 9)} ${rate(wall)}  ${col(cpu.toFixed(0), 8)} ${rate(cpu)}  ${col(`${start.wall.toFixed(0)} / ${start.cpu.toFixed(0)}`, 21)}\n`,
  );
}
process.stdout.write(
  `node -e 0 (bare start)${col(`${bare!.wall.toFixed(0)} / ${bare!.cpu.toFixed(0)}`, 58)}\n`,
);
for (const tool of ours) {
  const start = best.get(`${tool.name}/single`)!;
  process.stdout.write(
    `${tool.name} fixed cost over bare node: ${(start.wall - bare!.wall).toFixed(0)} ms wall, ${(start.cpu - bare!.cpu).toFixed(0)} ms cpu (target ≤ 25 ms); ${(start.wall / bare!.wall).toFixed(2)}× bare node's start\n`,
  );
}
if (anchors.length > 0) {
  const fastest = (key: "wall" | "cpu") =>
    Math.min(...anchors.map((tool) => best.get(`${tool.name}/corpus`)![key]));
  for (const tool of ours) {
    const mine = best.get(`${tool.name}/corpus`)!;
    const wall = fastest("wall") / mine.wall;
    const cpu = fastest("cpu") / mine.cpu;
    process.stdout.write(
      `${tool.name} vs the faster anchor: ${wall.toFixed(2)}× wall, ${cpu.toFixed(2)}× cpu (target ≥ 3×: ${wall >= 3 ? "met" : "NOT met"})\n`,
    );
    const leanest = Math.min(...anchors.map((tool) => best.get(`${tool.name}/corpus`)!.rss ?? Number.NaN));
    if (mine.rss !== undefined && Number.isFinite(leanest)) {
      process.stdout.write(
        `${tool.name} peak RSS ${mine.rss.toFixed(0)} MiB, ${(mine.rss / leanest).toFixed(2)}× the leanest anchor's ${leanest.toFixed(0)} MiB\n`,
      );
    }
  }
}
if (!values.keep) rmSync(dir, { recursive: true, force: true });
