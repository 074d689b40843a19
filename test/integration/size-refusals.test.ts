// `shipshape size` refuses what it cannot measure before any load step, with one line, exit 2, and
// leaves the --write file as it was: a workload with no pods, and a URL that fails the warm-up. (A
// cluster with no metrics API was checked by hand: deleting the testbed's APIService would break the
// other tests sharing it; KWOK marks every pod Ready, so "no ready pod" is not shown here.)
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { AppsV1Api } from "@kubernetes/client-node";
import { shipshape } from "./deploy-support.ts";
import { freshNamespace, kubeConfig, waitFor } from "./support/cluster.ts";

const apps = kubeConfig().makeApiClient(AppsV1Api);
let ns = "";
// A target that answers every request with 503, as a URL pointing at the wrong place might.
const failing = createServer((_req, res) => {
  res.statusCode = 503;
  res.end("unavailable");
});
let failingUrl = "";

function deployment(name: string, replicas: number) {
  const labels = { app: name };
  return {
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: "app", image: "registry.invalid/app:1" }] },
      },
    },
  };
}

before(async () => {
  ns = await freshNamespace("size-refusals");
  await new Promise<void>((resolve) => failing.listen(0, "127.0.0.1", resolve));
  failingUrl = `http://127.0.0.1:${(failing.address() as AddressInfo).port}/`;
  await apps.createNamespacedDeployment({ namespace: ns, body: deployment("empty", 0) });
  await apps.createNamespacedDeployment({ namespace: ns, body: deployment("serving", 1) });
  await waitFor(
    async () =>
      (await apps.readNamespacedDeployment({ name: "serving", namespace: ns })).status?.readyReplicas === 1,
    { timeoutMs: 30_000, what: "deploy/serving to have a ready pod" },
  );
});
after(() => failing.close());

/** Runs size against `workload` with a --write file, and returns the run and whether the file changed. */
async function sizeWith(workload: string, url: string) {
  const file = join(mkdtempSync(join(tmpdir(), "size-refusals-")), "manifests.yaml");
  const manifests = `# kept as written\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${workload.split("/")[1]}, namespace: ${ns}}\n`;
  writeFileSync(file, manifests);
  const run = await shipshape([
    "size",
    workload,
    "-n",
    ns,
    "--url",
    url,
    "-q",
    "20",
    "--warmup",
    "1s",
    "-t",
    "5s",
    "--quiet",
    "--write",
    file,
  ]);
  return { run, unchanged: readFileSync(file, "utf8") === manifests };
}

test("a workload with no pods: one line, exit 2, nothing written", async () => {
  const { run, unchanged } = await sizeWith("deploy/empty", failingUrl);
  assert.equal(run.code, 2, run.stdout + run.stderr);
  assert.match(run.stderr, /^shipshape size: Deployment .*\/empty has no pods: nothing to measure\n$/);
  assert.equal(run.stdout, "");
  assert.ok(unchanged);
});

test("a URL that fails the warm-up: one line naming what came back, exit 2, nothing written", async () => {
  const { run, unchanged } = await sizeWith("deploy/serving", failingUrl);
  assert.equal(run.code, 2, run.stdout + run.stderr);
  assert.match(run.stderr, /the warm-up failed: 0 of \d+ requests answered below HTTP 400 \(\d+× HTTP 503\)/);
  assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
  assert.ok(unchanged);
});
