// `shipshape load --workers N` on real nodes: a Job of shipshape-image pods loads the `web` Service by
// its DNS name from inside the cluster, and the CLI on the host merges what they stream through the
// API server. The total rate holds to 1 % for 2 and 4 workers, the percentiles agree with a local run
// at one worker's rate, a worker killed mid-run is named (not dropped), and the Job and its pods are
// gone after the run and after Ctrl-C. `verify --workers` runs its scenario's load the same way, and
// names a worker killed mid-run too.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { BatchV1Api } from "@kubernetes/client-node";
import { Cluster } from "../../src/cluster/client.ts";
import type { LoadResult, WorkerSummary } from "../../src/load/result.ts";
import {
  core,
  freshNamespace,
  isReady,
  kubeConfig,
  nodePortUrl,
  testbed,
  waitFor,
} from "./support/dataplane.ts";
import { createWebWorkload } from "./support/web-workload.ts";

const CLI = fileURLToPath(new URL("../../bin/shipshape.js", import.meta.url));
const kc = kubeConfig();
const batch = kc.makeApiClient(BatchV1Api);
const out = mkdtempSync(join(tmpdir(), "load-workers-"));
/** What each worker sends, and what the local run sends. */
const PER_WORKER_QPS = 100;
let ns = "";
/** Where the workers' Jobs go: a namespace enforcing Pod Security's restricted profile. */
let jobs = "";
let serviceUrl = "";
const running = new Set<ChildProcess>();
after(() => {
  for (const child of running) child.kill("SIGKILL");
});

before(async () => {
  ns = await freshNamespace("dp-load-workers");
  // The verify test rolls it: with a preStop the old pods serve until their endpoints are gone. Without
  // one, a worker's only connection can hang on a pod whose network went away mid-request, and the
  // seconds after it are never final (seen: 4 of the 7.5 s of load counted).
  await createWebWorkload(ns, {
    replicas: 2,
    container: { lifecycle: { preStop: { sleep: { seconds: 3 } } } },
  });
  await waitFor(
    async () => {
      const { items } = await core.listNamespacedPod({ namespace: ns, labelSelector: "app=web" });
      return items.filter(isReady).length === 2;
    },
    { timeoutMs: 120_000, what: "2 ready web pods" },
  );
  // the workers reach the Service as any pod would: by its name, through CoreDNS and kube-proxy
  serviceUrl = `http://web.${ns}.svc.cluster.local/`;
  jobs = await freshNamespace("dp-load-workers-jobs");
  await new Cluster(kc).request("PATCH", `/api/v1/namespaces/${jobs}`, {
    body: { metadata: { labels: { "pod-security.kubernetes.io/enforce": "restricted" } } },
    contentType: "application/merge-patch+json",
  });
});

interface Run {
  code: number | null;
  stderr: string;
  result: LoadResult;
}

type During = (child: ChildProcess, stderr: () => string) => Promise<void>;

/** Runs the CLI with `--json FILE`; `during` may act on it while it runs (kill a pod, send SIGINT). */
async function cli(
  args: string[],
  during?: During,
): Promise<{ code: number | null; stderr: string; json: unknown }> {
  const json = join(out, `${Date.now()}.json`);
  const child = spawn(process.execPath, [CLI, ...args, "--json", json], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  running.add(child);
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const closed = once(child, "close");
  await during?.(child, () => stderr);
  const [code] = (await closed) as [number | null];
  running.delete(child);
  return { code, stderr, json: JSON.parse(readFileSync(json, "utf8")) };
}

/** `shipshape load ARGS`, as cli() runs it. */
async function shipshape(args: string[], during?: During): Promise<Run> {
  const { code, stderr, json } = await cli(["load", ...args], during);
  return { code, stderr, result: json as LoadResult };
}

/** Deletes the pod of worker 1 in `namespace` at once (no grace); its name. */
async function killWorker(namespace: string): Promise<string> {
  const { items } = await core.listNamespacedPod({
    namespace,
    labelSelector: "batch.kubernetes.io/job-completion-index=1",
  });
  const name = items[0]!.metadata!.name!;
  await core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 0 });
  return name;
}

async function workers(n: number, seconds: number, during?: Parameters<typeof shipshape>[1]): Promise<Run> {
  const { images } = await testbed();
  const qps = n * PER_WORKER_QPS;
  return shipshape(
    [
      serviceUrl,
      "-q",
      String(qps),
      "-c",
      "4",
      "-t",
      `${seconds}s`,
      "--workers",
      String(n),
      "--namespace",
      jobs,
      "--image",
      images.shipshape,
    ],
    during,
  );
}

/** No Job of the run and none of its pods are left. */
async function nothingLeft(namespace = jobs): Promise<void> {
  const left = await batch.listNamespacedJob({ namespace });
  assert.deepEqual(
    left.items.map((j) => j.metadata?.name),
    [],
    "the Job is gone",
  );
  const pods = await core.listNamespacedPod({
    namespace,
    labelSelector: "batch.kubernetes.io/job-name",
  });
  assert.deepEqual(
    pods.items.map((p) => p.metadata?.name),
    [],
    "its pods are gone",
  );
}

/** Waits until the CLI says the load started (stderr), then `ms` more. */
async function whenLoading(stderr: () => string, ms: number): Promise<void> {
  await waitFor(async () => /load started with/.test(stderr()), {
    timeoutMs: 120_000,
    what: "the load to start",
  });
  await new Promise((resolve) => setTimeout(resolve, ms));
}

let local: LoadResult | undefined;

/** The figures a run's report would lead with, for the test log. */
const measured = (r: LoadResult) =>
  `${r.workers ? `${r.workers.length} workers` : "local"}: ${r.calls} calls, ${r.qps.toFixed(2)} qps of ${r.targetQps}, ` +
  `p50 ${r.latencyMs.p50} ms, p90 ${r.latencyMs.p90} ms, p99 ${r.latencyMs.p99} ms, max ${r.latencyMs.max} ms`;

test("a local run at one worker's rate, for the comparison", async (t) => {
  const url = await nodePortUrl(ns, "web");
  const run = await shipshape([url, "-q", String(PER_WORKER_QPS), "-c", "4", "-t", "10s", "--quiet"]);
  assert.equal(run.code, 0, run.stderr);
  local = run.result;
  assert.equal(local.calls, PER_WORKER_QPS * 10);
  t.diagnostic(measured(local));
});

/**
 * What a run missed of the timing claims: the total rate within 1 %, every second carrying it, and
 * p50/p90 of the order of the local run's. Empty when it met them all.
 */
function timingMisses(r: LoadResult, target: number): string[] {
  const misses: string[] = [];
  if (Math.abs(r.qps - target) / target >= 0.01) misses.push(`qps ${r.qps} vs ${target}`);
  // every second carries the whole rate (the last may be a little short of answers in flight)
  for (const s of r.timeline.slice(1, -1))
    if (Math.abs(s.calls - target) > target * 0.05) misses.push(`second ${s.second}: ${s.calls} calls`);
  // Each worker loads the Service at the local run's rate: its latencies are of the same order.
  // (The path differs — pod → ClusterIP against host → NodePort.)
  const l = local!.latencyMs;
  for (const p of ["p50", "p90"] as const) {
    if (r.latencyMs[p] > Math.max(4 * l[p], l[p] + 10))
      misses.push(`${p} ${r.latencyMs[p]} ms vs local ${l[p]} ms`);
    // the pods' path is the shorter one (measured p50: theirs 0.27–0.47 ms, the host's 0.42–1.7 ms);
    // a round trip under 0.1 ms is not one
    if (r.latencyMs[p] < Math.min(l[p] / 10, 0.1))
      misses.push(`${p} ${r.latencyMs[p]} ms vs local ${l[p]} ms`);
  }
  return misses;
}

/**
 * Timing on 2 shared cores is a measurement, not a fact: the other test files of the suite burn CPU
 * meanwhile (one run saw p99 193 ms). So the timing claims must hold in one of this many runs, each
 * reported; what the split and merge guarantee is asserted of every run.
 */
const TIMING_ATTEMPTS = 3;

for (const n of [2, 4]) {
  test(`${n} workers give the requested total qps within 1 %, percentiles consistent with the local run`, async (t) => {
    // the achieved rate counts the last answers in flight: at 20 s, 1 % leaves them 200 ms
    const seconds = 20;
    const target = n * PER_WORKER_QPS;
    const missed: string[] = [];
    for (let attempt = 1; attempt <= TIMING_ATTEMPTS; attempt++) {
      const run = await workers(n, seconds);
      assert.equal(run.code, 0, run.stderr);
      const r = run.result;
      // in a namespace that enforces the restricted profile: admission let the worker pods in
      assert.match(run.stderr, new RegExp(`workers: Job ${jobs}/shipshape-load-\\w+ created: ${n} pods`));
      assert.deepEqual(
        r.workers?.map((w) => w.state),
        Array(n).fill("ran"),
        JSON.stringify(r.workers),
      );
      // every request of the whole run was sent, once: the split is exact
      assert.equal(r.calls, target * seconds);
      assert.equal(r.codes["200"], target * seconds);
      for (const w of r.workers ?? []) assert.equal(w.calls, PER_WORKER_QPS * seconds, w.name);
      assert.equal(r.connections, 4 * n);
      assert.equal(r.targetQps, target);
      await nothingLeft();
      const misses = timingMisses(r, target);
      t.diagnostic(`run ${attempt}: ${measured(r)}${misses.length ? `; missed: ${misses.join(", ")}` : ""}`);
      if (misses.length === 0) return;
      missed.push(`run ${attempt}: ${misses.join(", ")}`);
    }
    assert.fail(`no run of ${TIMING_ATTEMPTS} met the timing claims: ${missed.join("; ")}`);
  });
}

test("a worker killed mid-run is reported by name, its streamed seconds counted, the exit code 1", async (t) => {
  let killed = "";
  const run = await workers(2, 20, async (_child, stderr) => {
    await whenLoading(stderr, 5000);
    killed = await killWorker(jobs);
  });
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, new RegExp(`worker ${killed} died`));
  t.diagnostic(`${measured(run.result)}; killed ${killed}: ${JSON.stringify(run.result.workers)}`);
  const dead = run.result.workers?.find((w) => w.name === killed);
  assert.equal(dead?.state, "died", JSON.stringify(run.result.workers));
  // it ran ~5 s of its 20 s share before it was killed: those seconds count, the rest is missing
  assert.ok(dead!.calls >= PER_WORKER_QPS * 3 && dead!.calls < PER_WORKER_QPS * 15, `${dead!.calls} calls`);
  const alive = run.result.workers?.find((w) => w.index === 0);
  assert.deepEqual([alive?.state, alive?.calls], ["ran", PER_WORKER_QPS * 20]);
  assert.equal(run.result.calls, alive!.calls + dead!.calls);
  await nothingLeft();
});

test("Ctrl-C stops the workers, prints what they measured, and leaves no Job or pod behind", async (t) => {
  const run = await workers(2, 120, async (child, stderr) => {
    await whenLoading(stderr, 4000);
    child.kill("SIGINT");
  });
  assert.equal(run.code, 130, run.stderr);
  const r = run.result;
  t.diagnostic(measured(r));
  assert.equal(r.stopped, true);
  assert.deepEqual(
    r.workers?.map((w) => w.state),
    ["stopped", "stopped"],
    JSON.stringify(r.workers),
  );
  // ~4 s of 200 qps were measured before the stop
  assert.ok(r.calls >= 2 * PER_WORKER_QPS * 2 && r.calls < 2 * PER_WORKER_QPS * 30, `${r.calls} calls`);
  await nothingLeft();
});

interface VerifyRun {
  code: number | null;
  stderr: string;
  load: { calls: number; seconds: unknown[]; workers?: WorkerSummary[] };
}

/** `verify rollout deploy/web` at 100 qps from 2 worker pods; `during` may act on it while it runs. */
async function verifyOnWorkers(during?: During): Promise<VerifyRun> {
  const { images } = await testbed();
  // by ClusterIP: verify traces the URL to web's pods first, resolving names here, where the
  // cluster's DNS names do not resolve
  const service = await core.readNamespacedService({ name: "web", namespace: ns });
  const url = `http://${service.spec?.clusterIP}/`;
  const args = ["verify", "rollout", "deploy/web", "-n", ns, "--url", url, "-q", "100", "-c", "2"];
  const flags = ["--workers", "2", "--image", images.shipshape, "--warmup", "3s", "--settle", "3s"];
  const { code, stderr, json } = await cli([...args, ...flags], during);
  return { code, stderr, load: (json as { timeline: { load: VerifyRun["load"] } }).timeline.load };
}

test("verify --workers runs the scenario's load from worker pods in the app's namespace, and deletes their Job", async () => {
  const { code, stderr, load } = await verifyOnWorkers();
  // the verdict is about web's rollout (on 2 shared cores it may still see a failure): here, the load
  assert.ok(code === 0 || code === 1, stderr);
  assert.match(stderr, new RegExp(`workers: Job ${ns}/shipshape-load-\\w+ created: 2 pods`));
  // 100 qps from the pods over the warm-up, the rollout and the settle: seconds of it, every one counted
  assert.ok(load.calls >= 100 * 6, `${load.calls} calls`);
  assert.ok(load.seconds.length >= 6);
  // what became of each worker is in the verdict's JSON, as in load's: the scenario stops the load
  assert.deepEqual(
    load.workers?.map((w) => w.state),
    ["stopped", "stopped"],
    JSON.stringify(load.workers),
  );
  assert.equal(
    load.workers!.reduce((n, w) => n + w.calls, 0),
    load.calls,
  );
  assert.doesNotMatch(stderr, /worker \S+ (died|never-started)/);
  await nothingLeft(ns);
});

test("verify --workers names a worker killed mid-run and exits 1: its share of the load was not sent", async (t) => {
  let killed = "";
  const { code, stderr, load } = await verifyOnWorkers(async (_child, stderr) => {
    await whenLoading(stderr, 2000);
    killed = await killWorker(ns);
  });
  t.diagnostic(`killed ${killed}: ${JSON.stringify(load.workers)}`);
  assert.equal(code, 1, stderr);
  assert.match(stderr, new RegExp(`shipshape verify: worker ${killed} died`));
  const dead = load.workers?.find((w) => w.name === killed);
  assert.equal(dead?.state, "died", JSON.stringify(load.workers));
  // the other ran until the scenario stopped the load
  assert.equal(load.workers?.find((w) => w.index === 0)?.state, "stopped", JSON.stringify(load.workers));
  await nothingLeft(ns);
});
