// Rollouts and failed rollouts of the blueprint's web Deployment, deployed by the CLI on the testbed.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import type { Deployment, ReplicaSet } from "kubernetes-types/apps/v1.js";
import { watchObjects } from "../../src/cluster/watch.ts";
import { blueprintArgs, blueprintVolumes, shipshape, testCluster } from "./deploy-support.ts";
import { freshNamespace } from "./support/cluster.ts";

const cluster = testCluster();
let ns = "";
const FIXED = ["autoscale=false", "replicas=3"];
/** More web replicas than nodes (the testbed has 4 KWOK nodes; on 3 nodes this is the 4 replicas). */
let crowded: string[] = [];

async function web(): Promise<Deployment> {
  const live = await cluster.get({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "wordpress", namespace: ns },
  });
  return live as unknown as Deployment;
}

before(async () => {
  ns = await freshNamespace("deploy-roll");
  await blueprintVolumes(ns);
  const nodes = (await cluster.list("v1", "Node")).items.length;
  crowded = [
    "autoscale=false",
    `replicas=${nodes + 1}`,
    "antiAffinity=hard",
    "wordpressImage=wordpress:6.8.2-apache",
  ];
  const first = await shipshape([...blueprintArgs("deploy", ns, ...FIXED), "--timeout", "120s"]);
  assert.equal(first.code, 0, first.stdout + first.stderr);
});

test("changing the image rolls one surge pod at a time, never below 3 available, and deploy returns when complete", async () => {
  // Watch the rollout from the side, as an operator would with `kubectl get -w`.
  const seen: Array<{ replicas: number; available: number }> = [];
  const handle = watchObjects(
    cluster,
    { apiVersion: "apps/v1", kind: "Deployment", namespace: ns, fieldSelector: "metadata.name=wordpress" },
    ([d]) => {
      const s = (d as unknown as Deployment | undefined)?.status;
      if (s) seen.push({ replicas: s.replicas ?? 0, available: s.availableReplicas ?? 0 });
    },
  );
  // maxSurge bounds what the controller asks of the ReplicaSets: the sum of their spec.replicas. The
  // Deployment's status.replicas sums the ReplicaSets' status, which lag their specs, so it may count 5
  // for a moment while the old ReplicaSet's status still shows the pod it is scaling down.
  const surges: number[] = [];
  const replicaSets = watchObjects(
    cluster,
    { apiVersion: "apps/v1", kind: "ReplicaSet", namespace: ns },
    (all) => {
      const web = (all as unknown as ReplicaSet[]).filter((rs) =>
        rs.metadata?.ownerReferences?.some((o) => o.kind === "Deployment" && o.name === "wordpress"),
      );
      surges.push(web.reduce((sum, rs) => sum + (rs.spec?.replicas ?? 0), 0));
    },
  );
  const run = await shipshape([
    ...blueprintArgs("deploy", ns, ...FIXED, "wordpressImage=wordpress:6.8.2-apache"),
    "--timeout",
    "120s",
  ]);
  handle.stop();
  replicaSets.stop();
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /configured Deployment .*\/wordpress/);
  // When deploy returned, the rollout was complete by kubectl's rule.
  const d = await web();
  assert.equal(d.spec?.template.spec?.containers[0]?.image, "wordpress:6.8.2-apache");
  assert.equal(d.status?.observedGeneration, d.metadata?.generation);
  assert.deepEqual([d.status?.replicas, d.status?.updatedReplicas, d.status?.availableReplicas], [3, 3, 3]);
  // maxSurge 1 / maxUnavailable 0: at most 4 pods asked for, never fewer than 3 available.
  assert.ok(seen.length > 1, "the watch saw the rollout");
  assert.equal(Math.max(...surges), 4, JSON.stringify(surges));
  assert.equal(Math.min(...seen.map((s) => s.available)), 3);
});

test("required anti-affinity with more replicas than nodes: deploy --atomic exits 1 with the Unschedulable reason and restores the previous revision", async () => {
  const previous = await web();
  const run = await shipshape([...blueprintArgs("deploy", ns, ...crowded), "--timeout", "20s", "--atomic"]);
  assert.equal(run.code, 1, run.stdout + run.stderr);
  assert.ok(run.ms < 60_000, `took ${run.ms} ms`);
  assert.match(run.stdout, /Unschedulable \(Pod [^)]+\): 0\/\d+ nodes are available: .*anti-affinity/);
  assert.match(run.stdout, /rolled back Deployment .*\/wordpress to the previous release/);
  assert.match(run.stdout, /rollback complete: the previous release is back and ready/);
  const restored = await web();
  assert.equal(restored.spec?.replicas, 3);
  assert.deepEqual(restored.spec?.template.spec?.affinity, previous.spec?.template.spec?.affinity);
  assert.equal(restored.status?.availableReplicas, 3);
  assert.equal(restored.status?.updatedReplicas, 3);
});

test("required anti-affinity with more replicas than nodes, without --atomic: exits 1 within its timeout, names the pod and the scheduler's reason", async () => {
  const run = await shipshape([...blueprintArgs("deploy", ns, ...crowded), "--timeout", "15s"]);
  assert.equal(run.code, 1, run.stdout + run.stderr);
  assert.ok(run.ms < 45_000, `took ${run.ms} ms`);
  assert.match(run.stdout, /not ready: Deployment .*\/wordpress: waiting for/);
  assert.match(run.stdout, /Unschedulable \(Pod wordpress-[^)]+\): 0\/\d+ nodes are available:/);
  assert.match(run.stdout, /deploy not-ready \(release \d+\) after/);
});
