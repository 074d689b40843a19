// `load --workers` against the real control plane: the Job the CLI creates, the Job controller's
// pods, the garbage collector's foreground deletion. KWOK runs no containers (it completes a Job's
// pods at once, and they print nothing), so every worker is one that never said it was ready: each must be
// named in the result and the exit code, and the Job and its pods gone afterwards — the bookkeeping
// a real run (test/dataplane/load-workers.test.ts) relies on when a pod runs the wrong image.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { BatchV1Api, CoreV1Api } from "@kubernetes/client-node";
import type { LoadResult } from "../../src/load/result.ts";
import { freshNamespace, kubeConfig } from "./support/cluster.ts";

const CLI = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));
const kc = kubeConfig();

test("workers that never say they are ready are each named never-started, exit 1, and their Job is deleted", async () => {
  const ns = await freshNamespace("load-workers");
  const json = join(mkdtempSync(join(tmpdir(), "load-workers-")), "run.json");
  const args = ["load", "http://web.test/", "-q", "20", "-t", "2s", "--workers", "3", "--namespace", ns];
  const run = await new Promise<{ code: number; stderr: string }>((resolve) =>
    execFile(
      process.execPath,
      [CLI, ...args, "--image", "shipshape.test/not-a-worker:1", "--start-within", "2s", "--json", json],
      (error, _stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stderr }),
    ),
  );
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, new RegExp(`workers: Job ${ns}/shipshape-load-\\w+ created: 3 pods`));
  const result = JSON.parse(readFileSync(json, "utf8")) as LoadResult;
  assert.deepEqual(
    result.workers?.map((w) => [w.index, w.state]),
    [
      [0, "never-started"],
      [1, "never-started"],
      [2, "never-started"],
    ],
  );
  for (const w of result.workers ?? []) {
    assert.match(w.detail ?? "", /never said it was ready/, w.name);
    assert.match(run.stderr, new RegExp(`worker ${w.name} never-started`));
  }
  assert.equal(result.calls, 0);
  const jobs = await kc.makeApiClient(BatchV1Api).listNamespacedJob({ namespace: ns });
  assert.deepEqual(
    jobs.items.map((j) => j.metadata?.name),
    [],
  );
  const pods = await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: ns });
  assert.deepEqual(
    pods.items.map((p) => p.metadata?.name),
    [],
  );
});
