// What the kubelet does to containers, observed on real ones: a readiness probe gates the
// Service's endpoints, a preStop hook delays SIGTERM by its length (timed from the web
// server's own log), the grace period cuts an overlong preStop short, and a container over its
// memory limit is OOMKilled.
import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { before, test } from "node:test";
import { DiscoveryV1Api, Log, type V1Pod } from "@kubernetes/client-node";
import {
  core,
  freshNamespace,
  hasFinished,
  isReady,
  kubeConfig,
  podWhen,
  waitFor,
  webContainer,
} from "./support/dataplane.ts";

const discovery = kubeConfig().makeApiClient(DiscoveryV1Api);
let ns = "";

before(async () => {
  ns = await freshNamespace("dp-lifecycle");
});

async function createPod(
  name: string,
  spec: V1Pod["spec"],
  labels: Record<string, string> = {},
): Promise<void> {
  await core.createNamespacedPod({ namespace: ns, body: { metadata: { name, labels }, spec } });
}

/** Each endpoint's pod name and readiness, in the Service's EndpointSlices. */
async function endpoints(service: string): Promise<Map<string, boolean>> {
  const { items } = await discovery.listNamespacedEndpointSlice({
    namespace: ns,
    labelSelector: `kubernetes.io/service-name=${service}`,
  });
  const result = new Map<string, boolean>();
  for (const slice of items) {
    for (const e of slice.endpoints ?? []) result.set(e.targetRef?.name ?? "", e.conditions?.ready === true);
  }
  return result;
}

test("a readiness probe gates the endpoints: a running pod stays out until its probe passes, a failing one stays out", async () => {
  const labels = { app: "gated" };
  // The probe passes once the file exists, 8 s after start; the server answers from the start.
  const gated = await webContainer({
    command: ["sh", "-c", "(sleep 8; touch /tmp/ready) & exec /usr/local/bin/web"],
    readinessProbe: { exec: { command: ["test", "-f", "/tmp/ready"] }, periodSeconds: 1 },
  });
  const never = await webContainer({
    readinessProbe: { exec: { command: ["test", "-f", "/tmp/never"] }, periodSeconds: 1 },
  });
  await core.createNamespacedService({
    namespace: ns,
    body: {
      metadata: { name: "gated" },
      spec: { selector: labels, ports: [{ port: 80, targetPort: "http" }] },
    },
  });
  await createPod("gated", { containers: [gated] }, labels);
  await createPod("never", { containers: [never] }, labels);

  const running = await podWhen(
    ns,
    "gated",
    (p) => p.status?.containerStatuses?.[0]?.state?.running !== undefined,
    "running",
  );
  const started = Date.parse(String(running.status?.containerStatuses?.[0]?.state?.running?.startedAt));
  const early = await waitFor(
    async () => {
      const e = await endpoints("gated");
      return e.size === 2 && e;
    },
    { timeoutMs: 30_000, what: "both pods listed in the EndpointSlice" },
  );
  if (Date.now() - started < 6_000)
    assert.equal(early.get("gated"), false, "ready before its probe could pass");
  await podWhen(ns, "gated", isReady, "Ready");
  const readyAt = Date.now();
  const after = await waitFor(
    async () => {
      const e = await endpoints("gated");
      return e.get("gated") === true && e;
    },
    { timeoutMs: 10_000, what: "the gated pod's endpoint ready" },
  );
  assert.ok(readyAt - started >= 7_000, `ready ${readyAt - started} ms after start, before the file existed`);
  assert.equal(after.get("never"), false);
  const neverPod = await core.readNamespacedPod({ name: "never", namespace: ns });
  assert.equal(isReady(neverPod), false);
  assert.equal(neverPod.status?.phase, "Running");
});

/** Follows a container's log (apiserver → kubelet → containerd) until the pod is gone,
 * noting when each line arrived. */
function followLog(name: string): { lines: string[]; done: Promise<void> } {
  const lines: string[] = [];
  const stream = new PassThrough();
  let buffer = "";
  stream.on("data", (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split("\n");
    buffer = parts.pop() ?? "";
    lines.push(...parts);
  });
  const done = new Promise<void>((resolve) => {
    stream.on("end", resolve);
    stream.on("close", resolve);
    new Log(kubeConfig()).log(ns, name, "web", stream, { follow: true }).catch(() => resolve());
  });
  return { lines, done };
}

/** Deletes a running web pod and returns the seconds from the delete to the SIGTERM its server logged. */
async function secondsToSigterm(name: string, spec: V1Pod["spec"]): Promise<number> {
  await createPod(name, spec);
  await podWhen(ns, name, isReady, "Ready");
  const log = followLog(name);
  await waitFor(() => log.lines.some((l) => l.startsWith("web listening")), {
    timeoutMs: 10_000,
    what: `${name}'s log followed`,
  });
  const deleted = Date.now();
  await core.deleteNamespacedPod({ name, namespace: ns });
  const line = await waitFor(() => log.lines.find((l) => l.startsWith("SIGTERM received at ")), {
    timeoutMs: 60_000,
    what: `${name} to log its SIGTERM`,
  });
  return (Date.parse(line.slice("SIGTERM received at ".length)) - deleted) / 1000;
}

test("a preStop sleep delays SIGTERM by its length", async () => {
  const seconds = await secondsToSigterm("prestop", {
    terminationGracePeriodSeconds: 30,
    containers: [await webContainer({ lifecycle: { preStop: { sleep: { seconds: 6 } } } })],
  });
  assert.ok(seconds >= 5.9 && seconds < 9, `SIGTERM ${seconds} s after the delete, expected ~6 s`);
});

test("the grace period cuts a preStop longer than itself short: SIGTERM comes at its end", async () => {
  const seconds = await secondsToSigterm("overrun", {
    terminationGracePeriodSeconds: 4,
    // An exec hook: the API refuses a sleep hook as long as the grace period.
    containers: [await webContainer({ lifecycle: { preStop: { exec: { command: ["sleep", "30"] } } } })],
  });
  assert.ok(seconds >= 3.9 && seconds < 8, `SIGTERM ${seconds} s after the delete, expected ~4 s`);
});

test("a container that allocates past its memory limit is OOMKilled (exit 137)", async () => {
  await createPod("oom", {
    restartPolicy: "Never",
    containers: [
      await webContainer({
        // tail keeps the whole last "line" in memory, and /dev/zero has no newline.
        command: ["sh", "-c", "head -c 256m /dev/zero | tail"],
        resources: { limits: { memory: "64Mi" }, requests: { memory: "64Mi" } },
      }),
    ],
  });
  const pod = await podWhen(ns, "oom", hasFinished, "finished");
  const terminated = pod.status?.containerStatuses?.[0]?.state?.terminated;
  assert.equal(pod.status?.phase, "Failed");
  assert.equal(terminated?.reason, "OOMKilled");
  assert.equal(terminated?.exitCode, 137);
});
