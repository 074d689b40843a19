// `shipshape check --cluster` on real nodes: the pods that cannot run are reported beside their
// workload with the kubelet's own reason — a container that keeps crashing (CrashLoopBackOff, with
// its exit code), an image the node does not have (ErrImageNeverPull) — and a healthy workload's
// pods carry no such line.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import type { V1Container } from "@kubernetes/client-node";
import type { ObjectFacts } from "../../src/check/engine.ts";
import { shipshape, testCluster } from "../integration/deploy-support.ts";
import { freshNamespace, waitFor, webContainer } from "./support/dataplane.ts";

const cluster = testCluster();
let ns = "";

async function deploy(name: string, container: V1Container): Promise<void> {
  const labels = { app: name };
  await cluster.apply({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: ns },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ ...container, name }] } },
    },
  });
}

async function liveFacts(): Promise<ObjectFacts[]> {
  const run = await shipshape(["check", "--cluster", "-n", ns, "--format", "json"]);
  assert.ok(run.code === 0 || run.code === 1, run.stderr);
  return (JSON.parse(run.stdout) as { objects: ObjectFacts[] }).objects;
}

const factsOf = (objects: ObjectFacts[], name: string) =>
  objects.find((o) => o.kind === "Deployment" && o.name === name)?.live;

before(async () => {
  ns = await freshNamespace("dp-check-cluster");
  await deploy("crasher", await webContainer({ command: ["sh", "-c", "echo cannot start >&2; exit 3"] }));
  await deploy("absent", {
    ...(await webContainer()),
    image: "shipshape.test/absent:1",
    imagePullPolicy: "Never",
  });
  await deploy("healthy", await webContainer());
  await waitFor(
    async () => {
      const objects = await liveFacts();
      const seen = { crasher: factsOf(objects, "crasher"), absent: factsOf(objects, "absent") };
      // between restarts the kubelet reports the crash loop; while it restarts, the last exit
      if (
        !["CrashLoopBackOff", "Error"].includes(seen.crasher?.stuckPods?.[0]?.reason ?? "") ||
        seen.absent?.stuckPods?.[0]?.reason !== "ErrImageNeverPull"
      )
        throw new Error(`not yet: ${JSON.stringify(seen)}`);
      return true;
    },
    {
      timeoutMs: 180_000,
      intervalMs: 5_000,
      what: "the kubelets to report the crash loop and the missing image",
    },
  );
  await waitFor(
    async () =>
      (await cluster.list("v1", "Pod", ns, { labelSelector: "app=healthy" })).items.some(
        (pod) => (pod.status as { phase?: string } | undefined)?.phase === "Running",
      ),
    { timeoutMs: 90_000, what: "the healthy pod to run" },
  );
});

test("a crashing container's pod is stuck in CrashLoopBackOff (or just failed, between restarts), with its exit code", async () => {
  const stuck = factsOf(await liveFacts(), "crasher")?.stuckPods?.[0];
  if (stuck?.reason === "CrashLoopBackOff")
    assert.match(stuck.message ?? "", /container "crasher": last exit 3 \(Error\), \d+ restarts/);
  else {
    assert.equal(stuck?.reason, "Error");
    assert.match(stuck?.message ?? "", /container "crasher": exit 3, \d+ restarts/);
  }
});

test("an image the node does not have is reported with the kubelet's reason and no crash", async () => {
  const stuck = factsOf(await liveFacts(), "absent")?.stuckPods;
  assert.equal(stuck?.length, 1);
  assert.equal(stuck?.[0]?.reason, "ErrImageNeverPull");
});

test("a running workload has no stuck pod, and the text report shows the stuck ones under their workload", async () => {
  assert.equal(factsOf(await liveFacts(), "healthy")?.stuckPods, undefined);
  const run = await shipshape(["check", "--cluster", "-n", ns]);
  assert.match(
    run.stdout,
    new RegExp(`^Deployment ${ns}/crasher .*\\n {2}stuck pod crasher-\\S+: (CrashLoopBackOff|Error)`, "m"),
  );
});
