// The worked example end to end, as a user runs it: the WordPress blueprint deployed by shipshape,
// then `shipshape verify rollout` and `verify drain` through the CLI against the testbed (load on a
// local 127.0.0.1 server: KWOK pods serve nothing). The blueprint is production-grade, so the
// verdict must be clean: verified, and none of the rules a verdict consults firing on it.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { HttpMethod } from "@kubernetes/client-node";
import { CORDONED_BY_ANNOTATION } from "../../src/k8s/annotations.ts";
import type { Timeline } from "../../src/verify/timeline.ts";
import {
  blueprintArgs,
  blueprintVolumes,
  blueprintWebPods,
  kubeconfigFile,
  shipshape,
  testCluster,
} from "./deploy-support.ts";
import { freshNamespace, waitFor } from "./support/cluster.ts";

const cluster = testCluster();
const server = createServer((_req, res) => res.end("ok"));
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const out = mkdtempSync(join(tmpdir(), "shipshape-verify-wp-"));
let ns = "";
/** The local server is no part of the cluster, so these runs go on by --assume-reach (KWOK pods serve
 * nothing); the first test shows the refusal without it. */
const load = () => [
  "--url",
  url,
  "--assume-reach",
  "--qps",
  "50",
  "-c",
  "2",
  "--warmup",
  "1s",
  "--settle",
  "2s",
];

before(async () => {
  ns = await freshNamespace("verify-wp");
  await blueprintVolumes(ns);
  const deployed = await shipshape([...blueprintArgs("deploy", ns), "--timeout", "120s"]);
  assert.equal(deployed.code, 0, deployed.stdout + deployed.stderr);
});

test("verify refuses a URL it cannot trace to the pods: exit 2 before any load or rollout", async () => {
  const run = await shipshape(["verify", "rollout", "deploy/wordpress", "-n", ns, "--url", url]);
  assert.equal(run.code, 2, run.stdout + run.stderr);
  assert.match(
    run.stderr,
    /--url: not proven to reach Deployment \S+\/wordpress's pods: 127\.0\.0\.1:\d+ is no pod/,
  );
  assert.doesNotMatch(run.stderr, /load started|rollout triggered/);
  const live = await cluster.get({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { namespace: ns, name: "wordpress" },
  });
  const spec = (live?.spec ?? {}) as { template?: { metadata?: { annotations?: Record<string, string> } } };
  const template = spec.template;
  assert.equal(
    template?.metadata?.annotations?.["kubectl.kubernetes.io/restartedAt"],
    undefined,
    "not rolled",
  );
});

test("verify rollout of the blueprint: exit 0, zero downtime, no cause and no risk, JSON and HTML written", async () => {
  const json = join(out, "rollout.json");
  const html = join(out, "rollout.html");
  const run = await shipshape([
    "verify",
    "rollout",
    "deploy/wordpress",
    "-n",
    ns,
    ...load(),
    "--json",
    json,
    "--html",
    html,
  ]);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(
    run.stdout,
    /^verify rollout Deployment verify-wp-\S+\/wordpress: VERIFIED — PROVES NOTHING ABOUT THE WORKLOAD$/m,
  );
  assert.match(run.stdout, /!! the load was NOT proven to reach/);
  assert.match(run.stdout, /zero downtime: yes/);
  assert.doesNotMatch(run.stdout, /Likely cause|still risky/);
  assert.match(run.stderr, /rollout triggered/);
  const written = JSON.parse(readFileSync(json, "utf8"));
  assert.equal(written.verdict.ok, true);
  assert.deepEqual(
    written.verdict.risks,
    [],
    "preStop, readiness, PDB, rolling update, spread: all in place",
  );
  assert.ok(written.timeline.events.some((e: { kind: string }) => e.kind === "replicaset"));
  assert.match(
    readFileSync(html, "utf8"),
    /<span id="status" class="ok">VERIFIED — PROVES NOTHING ABOUT THE WORKLOAD<\/span>/,
  );
  assert.equal(written.verdict.reach.proven, false);
  console.log(`verify rollout of the blueprint took ${run.ms} ms end to end (CLI start included)`);
});

test("verify drain of a node running a web pod: the PDB paces it, the pod moves, the node is uncordoned", async () => {
  const [pod] = await blueprintWebPods(cluster, ns);
  const node = pod?.spec?.nodeName;
  assert.ok(node);
  const json = join(out, "drain.json");
  const run = await shipshape(["verify", "drain", node, "-n", ns, ...load(), "--json", json]);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  // Other test files' pods may share the node: then it is drained of the pods asked for, not wholly.
  assert.match(
    run.stdout,
    /goal met: \d+ pods? evicted; .*(node drained|the pods asked for \(-n\) moved off) at [\d.]+ s.*; uncordoned/,
  );
  const after = await blueprintWebPods(cluster, ns);
  assert.equal(after.length, 3);
  assert.ok(
    after.every((p) => p.spec?.nodeName !== node),
    "no web pod left on the drained node",
  );
  const live = await cluster.get({ apiVersion: "v1", kind: "Node", metadata: { name: node } });
  assert.notEqual((live?.spec as { unschedulable?: boolean } | undefined)?.unschedulable, true);
});

/** A node holding a web pod, once the app is settled enough for a drain to go through: every web pod
 * on a schedulable node and the PDB allowing a disruption (drains before this one end interrupted, and
 * their replacements take a moment). Bounded: a test that cannot start fails, it does not wait 5 min. */
async function nodeToDrain(): Promise<string> {
  const node = await waitFor(
    async () => {
      const pdb = await cluster.get({
        apiVersion: "policy/v1",
        kind: "PodDisruptionBudget",
        metadata: { name: "wordpress-pdb", namespace: ns },
      });
      const allowed = (pdb?.status as { disruptionsAllowed?: number } | undefined)?.disruptionsAllowed ?? 0;
      const nodes = (await cluster.list("v1", "Node")).items;
      const cordoned = new Set(
        nodes
          .filter((n) => (n.spec as { unschedulable?: boolean } | undefined)?.unschedulable)
          .map((n) => n.metadata.name),
      );
      const pods = await blueprintWebPods(cluster, ns);
      const ready = pods.every((p) =>
        p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
      );
      const target = pods.find((p) => p.spec?.nodeName && !cordoned.has(p.spec.nodeName))?.spec?.nodeName;
      return allowed >= 1 && ready && target ? target : undefined;
    },
    { timeoutMs: 60_000, what: "a settled app: every web pod ready and the PDB allowing a disruption" },
  );
  return node;
}

/** `verify drain` of `node` with a short settle, bounded to 90 s. */
const shortDrain = (node: string) =>
  shipshape(["verify", "drain", node, "-n", ns, ...load(), "--settle", "1s", "--timeout", "90s"]);

/** Runs the CLI, handing each stderr line to `onLine`; resolves with the exit code and the output. */
function runCli(
  args: string[],
  onLine: (line: string, interrupt: () => void) => void,
  signal: NodeJS.Signals = "SIGINT",
) {
  const cli = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));
  const child = spawn(process.execPath, [cli, ...args, "--kubeconfig", kubeconfigFile()]);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) if (line) onLine(line, () => child.kill(signal));
    stderr += chunk;
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on("close", (code) => resolve({ code, stdout, stderr })),
  );
}

/** KWOK reports a pod's CPU usage from this annotation: what load would do to real pods. */
async function setWebCpu(usage: string): Promise<void> {
  for (const pod of await blueprintWebPods(cluster, ns)) {
    await cluster.request(HttpMethod.PATCH, `/api/v1/namespaces/${ns}/pods/${pod.metadata?.name}`, {
      body: { metadata: { annotations: { "kwok.x-k8s.io/usage-cpu": usage } } },
      contentType: "application/merge-patch+json",
    });
  }
}

test("verify autoscale of the blueprint: the seed's HPA (3..6 at 20 % CPU) scales up under load", async () => {
  // Not --wait-scale-down: the blueprint stabilises scale-down over 300 s, as production should.
  const json = join(out, "autoscale.json");
  const started = Date.now();
  const args = ["verify", "autoscale", "deploy/wordpress", "-n", ns, ...load(), "--settle", "3s"];
  const run = await runCli([...args, "--timeout", "120s", "--json", json], (line) => {
    if (line.startsWith("load started")) void setWebCpu("1");
  });
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /goal met: scaled 3 → [4-6] replicas in [\d.]+ s; scale-up seen at [\d.]+ s$/m);
  const { timeline } = JSON.parse(readFileSync(json, "utf8")) as { timeline: Timeline };
  const desired = timeline.events.flatMap((e) => (e.kind === "replicas" ? [e.desired] : []));
  assert.equal(desired[0], 3);
  assert.ok(Math.max(...desired) > 3);
  console.log(
    `verify autoscale of the blueprint: ${Date.now() - started} ms; desired ${desired.join(" → ")}`,
  );
});

for (const [signal, name, exit] of [
  ["SIGINT", "Ctrl-C", 130],
  ["SIGTERM", "SIGTERM", 143],
  ["SIGHUP", "SIGHUP", 129],
] as const) {
  test(`${name} during a drain stops the load, uncordons the node and prints the partial verdict (exit ${exit})`, async () => {
    const node = await nodeToDrain();
    let sent = false;
    const args = ["verify", "drain", node, "-n", ns, ...load(), "--settle", "60s", "--timeout", "90s"];
    const { code, stdout, stderr } = await runCli(
      args,
      (line, interrupt) => {
        // Interrupt once (a second signal quits at once) when the node is drained and the long settle began.
        if (!sent && /drained( of the pods asked for \(.*\))?; settling/.test(line)) {
          sent = true;
          interrupt();
        }
      },
      signal,
    );
    assert.equal(code, exit, stdout + stderr);
    assert.match(stdout, /: PARTIAL — PROVES NOTHING ABOUT THE WORKLOAD$/m);
    assert.match(stdout, new RegExp(`partial: interrupted by ${name}`));
    assert.match(stderr, /uncordoned/);
    const live = await cluster.get({ apiVersion: "v1", kind: "Node", metadata: { name: node } });
    assert.notEqual(
      (live?.spec as { unschedulable?: boolean } | undefined)?.unschedulable,
      true,
      "uncordoned",
    );
    assert.equal(live?.metadata.annotations?.[CORDONED_BY_ANNOTATION], undefined, "the mark is gone");
  });
}

test("a cordon a killed run left (marked by shipshape) is lifted by the next run; an operator's is kept", async () => {
  const node = await nodeToDrain();
  const path = `/api/v1/nodes/${node}`;
  const patch = (body: unknown) =>
    cluster.request(HttpMethod.PATCH, path, { body, contentType: "application/merge-patch+json" });
  // What a SIGKILLed drain leaves: cordoned, with shipshape's mark.
  await patch({
    metadata: { annotations: { [CORDONED_BY_ANNOTATION]: "verify-drain" } },
    spec: { unschedulable: true },
  });
  const run = await shortDrain(node);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stderr, new RegExp(`lifted the cordon an earlier run left on ${node}`));
  const live = await cluster.get({ apiVersion: "v1", kind: "Node", metadata: { name: node } });
  assert.notEqual((live?.spec as { unschedulable?: boolean } | undefined)?.unschedulable, true);
  // An operator's cordon (no mark) stays after the drain.
  const held = await nodeToDrain();
  await cluster.request(HttpMethod.PATCH, `/api/v1/nodes/${held}`, {
    body: { spec: { unschedulable: true } },
    contentType: "application/merge-patch+json",
  });
  try {
    const kept = await shortDrain(held);
    assert.equal(kept.code, 0, kept.stdout + kept.stderr);
    const after = await cluster.get({ apiVersion: "v1", kind: "Node", metadata: { name: held } });
    assert.equal((after?.spec as { unschedulable?: boolean } | undefined)?.unschedulable, true);
  } finally {
    await cluster.request(HttpMethod.PATCH, `/api/v1/nodes/${held}`, {
      body: { spec: { unschedulable: false } },
      contentType: "application/merge-patch+json",
    });
  }
});
