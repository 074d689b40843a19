// `npm run bench:check`: how fast the installed `shipshape check` audits a large repository of manifests,
// against kube-score and kube-linter on the same corpus in the same run (install them with
// bench/install-tools.sh), and what a run of 10 objects costs beyond a bare `node -e 0` and against the
// anchors. Prints objects/s and ratios; the targets are ≥ 3× the faster anchor and ≤ 25 ms over bare node.
//
//   node bench/check.ts [--apps N] [--rounds N] [--keep]
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
import { installedPackage } from "./installed.ts";
import { best, type Timing, type Tool, timedRun } from "./timed-run.ts";

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

interface Checker extends Tool {
  /** Arguments to check a directory of manifests and the files in it. */
  args: (dir: string, files: string[]) => string[];
}
const shipshape = installedPackage(dir);
const tools: Checker[] = [
  {
    name: "shipshape",
    command: process.execPath,
    args: (target) => [shipshape, "check", "--format", "json", target],
    // Node's compile cache (the entry point turns it on) and check's code cache (src/cli/cached-script.ts)
    // in a directory of this run's own, which round 1 fills.
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
const present = tools.filter((tool) => tool.name === "shipshape" || existsSync(tool.command));
for (const missing of tools.filter((tool) => !present.includes(tool))) {
  process.stdout.write(
    `${missing.name}: not installed at ${missing.command} (bench/install-tools.sh); skipped\n`,
  );
}
const bareNode: Checker = {
  name: "node -e 0",
  command: process.execPath,
  args: () => ["-e", "0"],
  okStatus: [0],
};
// check's code cache holds what the run that wrote it compiled, and a 10-object run pays for a cache that
// does not match it (functions it lacks are compiled, functions it holds but never runs deserialized):
// the start-up is measured with the cache the corpus run wrote, with one its own first run wrote, and
// with none (a fresh CI runner).
const shipshapeTool = tools[0]!;
const startUps: (Checker & { cache: string })[] = [
  {
    ...shipshapeTool,
    name: "shipshape, own cache",
    cache: "own cache",
    env: { NODE_COMPILE_CACHE: join(dir, "single-cache") },
  },
  {
    ...shipshapeTool,
    name: "shipshape, no cache",
    cache: "no cache",
    env: { NODE_DISABLE_COMPILE_CACHE: "1" },
  },
];

// The fixed cost of a run (start-up, loading, compiling), measured on a one-application directory.
const single = join(dir, "single");
mkdirSync(single);
writeFileSync(join(single, "app.yaml"), readFileSync(files[0]!, "utf8"));
const targets = {
  corpus: { dir: corpus, files },
  single: { dir: single, files: [join(single, "app.yaml")] },
};
const timings = new Map<string, Timing>();
// A 10-object run takes ~50 ms, within a few ms of a neighbour's noise: each round runs it this often.
const SINGLE_RUNS = 10;
// Interleaved rounds so a busy machine slows every tool alike; each tool's best round counts.
for (let round = 0; round < rounds; round++) {
  for (const [target, { dir: targetDir, files: targetFiles }] of Object.entries(targets)) {
    for (let run = 0; run < (target === "single" ? SINGLE_RUNS : 1); run++) {
      for (const tool of [...present, ...(target === "single" ? [...startUps, bareNode] : [])]) {
        const key = `${tool.name}/${target}`;
        timings.set(key, best(timings.get(key), timedRun(tool, tool.args(targetDir, targetFiles), dir)));
      }
    }
  }
}
const anchors = present.filter((tool) => tool.name !== "shipshape");
const rate = (ms: number) => `${((objects / ms) * 1000).toFixed(0).padStart(7)}/s`;
const col = (text: string, width: number) => text.padStart(width);
const ms = ({ cpu, wall }: Timing) => `${cpu.toFixed(0)} / ${wall.toFixed(0)}`;
process.stdout.write(
  `${"".padEnd(13)}${col("wall ms", 9)} ${col("objects", 9)}  ${col("cpu ms", 8)} ${col("objects", 9)}  ${col("10 objects cpu/wall ms", 23)}\n`,
);
for (const tool of present) {
  const { wall, cpu } = timings.get(`${tool.name}/corpus`)!;
  process.stdout.write(
    `${tool.name.padEnd(13)}${col(wall.toFixed(0), 9)} ${rate(wall)}  ${col(cpu.toFixed(0), 8)} ${rate(cpu)}  ${col(ms(timings.get(`${tool.name}/single`)!), 23)}\n`,
  );
}
const bare = timings.get(`${bareNode.name}/single`)!;
process.stdout.write(`${bareNode.name.padEnd(13)}${col(ms(bare), 61)}\n`);
// Start-up: what a 10-object run costs beyond Node's own start, and against the anchors' whole run.
for (const { name, cache } of [{ name: "shipshape", cache: "the cache the corpus run wrote" }, ...startUps]) {
  const { cpu, wall } = timings.get(`${name}/single`)!;
  const over = cpu - bare.cpu;
  process.stdout.write(
    `start-up, ${cache}: shipshape's 10-object run costs ${over.toFixed(0)} ms cpu, ${(wall - bare.wall).toFixed(0)} ms wall over bare node's start (target ≤ 25 ms cpu: ${over <= 25 ? "met" : "NOT met"}), ${(cpu / bare.cpu).toFixed(2)}× its cpu\n`,
  );
}
const start = timings.get("shipshape/single")!;
for (const anchor of anchors) {
  const theirs = timings.get(`${anchor.name}/single`)!;
  process.stdout.write(
    `start-up: shipshape ${(start.cpu / theirs.cpu).toFixed(2)}× ${anchor.name}'s cpu, ${(start.wall / theirs.wall).toFixed(2)}× its wall on 10 objects\n`,
  );
}
if (anchors.length > 0) {
  const fastest = (key: "wall" | "cpu") =>
    Math.min(...anchors.map((tool) => timings.get(`${tool.name}/corpus`)![key]));
  const mine = timings.get("shipshape/corpus")!;
  const wall = fastest("wall") / mine.wall;
  const cpu = fastest("cpu") / mine.cpu;
  process.stdout.write(
    `shipshape vs the faster anchor on ${objects} objects: ${wall.toFixed(2)}× wall, ${cpu.toFixed(2)}× cpu (target ≥ 3×: ${wall >= 3 ? "met" : "NOT met"})\n`,
  );
  const leanest = Math.min(...anchors.map((tool) => timings.get(`${tool.name}/corpus`)!.rss ?? Number.NaN));
  if (mine.rss !== undefined && Number.isFinite(leanest)) {
    process.stdout.write(
      `shipshape peak RSS ${mine.rss.toFixed(0)} MiB, ${(mine.rss / leanest).toFixed(2)}× the leanest anchor's ${leanest.toFixed(0)} MiB\n`,
    );
  }
}
if (!values.keep) rmSync(dir, { recursive: true, force: true });
