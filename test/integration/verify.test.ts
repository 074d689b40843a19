// verify rollout / drain / autoscale against the testbed's real control plane. The load goes to a
// local HTTP server on 127.0.0.1 (KWOK pods run no containers); the rollout, the evictions, the PDB and
// the HPA are the real controllers'. Set RECORD_VERIFY_FIXTURES=1 to rewrite the recorded timelines in
// test/fixtures/verify/ that the verdict's unit tests replay.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, describe, test } from "node:test";
import { HttpMethod } from "@kubernetes/client-node";
import type { Pod } from "kubernetes-types/core/v1.js";
import { Cluster } from "../../src/cluster/client.ts";
import type { KubeObject } from "../../src/k8s/object.ts";
import { auditObjects } from "../../src/verify/audit.ts";
import { noReadyIntervals } from "../../src/verify/correlate.ts";
import { verifyAutoscale } from "../../src/verify/scenarios/autoscale.ts";
import { verifyDrain } from "../../src/verify/scenarios/drain.ts";
import { verifyRollout } from "../../src/verify/scenarios/rollout.ts";
import type { ClusterEvent, Timeline } from "../../src/verify/timeline.ts";
import { verdict } from "../../src/verify/verdict.ts";
import { freshNamespace, kubeConfig, waitFor } from "./support/cluster.ts";

const cluster = new Cluster(kubeConfig());

/** A local target: answers 200, or `failWith` while a failure window is open. */
class Target {
  server: Server;
  url = "";
  failUntil = 0;
  failWith = 502;
  served = 0;
  constructor() {
    this.server = createServer((_req, res) => {
      this.served++;
      res.statusCode = Date.now() < this.failUntil ? this.failWith : 200;
      res.end("ok");
    });
  }
  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }
  failFor(ms: number): void {
    this.failUntil = Date.now() + ms;
  }
}

const target = new Target();
await target.listen();
after(() => new Promise<void>((resolve) => target.server.close(() => resolve())));

function web(
  namespace: string,
  name: string,
  replicas: number,
  pod: Record<string, unknown> = {},
  container: Record<string, unknown> = {},
): KubeObject[] {
  const labels = { app: name };
  return [
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name, namespace, labels },
      spec: {
        replicas,
        selector: { matchLabels: labels },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: "web",
                image: "registry.invalid/web:1",
                ports: [{ containerPort: 8080, name: "http" }],
                resources: {
                  requests: { cpu: "100m", memory: "64Mi" },
                  limits: { cpu: "100m", memory: "64Mi" },
                },
                ...container,
              },
            ],
            ...pod,
          },
        },
      },
    },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name, namespace },
      spec: { selector: labels, ports: [{ port: 80, targetPort: "http" }] },
    },
  ];
}

async function apply(objects: KubeObject[]): Promise<void> {
  for (const object of objects) await cluster.apply(object);
}

async function readyReplicas(namespace: string, name: string, count: number): Promise<void> {
  await waitFor(
    async () => {
      const d = (await cluster.get({
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { namespace, name },
      })) as {
        status?: { readyReplicas?: number; updatedReplicas?: number; replicas?: number };
      };
      return d?.status?.readyReplicas === count && d.status.replicas === count;
    },
    { timeoutMs: 60_000, what: `${count} ready replicas of ${name}` },
  );
}

function record(name: string, timeline: Timeline, note: string): void {
  if (!process.env.RECORD_VERIFY_FIXTURES) return;
  const file = new URL(`../fixtures/verify/${name}.json`, import.meta.url);
  writeFileSync(file, `${JSON.stringify({ ...timeline, note }, null, 1)}\n`);
}

const ofKind = <K extends ClusterEvent["kind"]>(timeline: Timeline, kind: K) =>
  timeline.events.filter((e): e is Extract<ClusterEvent, { kind: K }> => e.kind === kind);

/** KWOK pods serve nothing, so the load goes to the local target, which the reach check rightly cannot
 * trace to the pods: these tests go on regardless (assumeReach), to test the control-plane side. */
const quiet = { warmupMs: 1000, settleMs: 2000, timeoutMs: 90_000, assumeReach: true };
const load = { url: target.url, qps: 50, connections: 2 };

const probe = { httpGet: { path: "/", port: "http" } };

/** Calls `action` once, as soon as a pod of the namespace goes Terminating or is gone (KWOK deletes
 * within milliseconds, so "gone" is watched for too); returns a stop. */
function onFirstDisruption(namespace: string, action: () => void): () => void {
  let armed = true;
  let first: Set<string> | undefined;
  const timer = setInterval(async () => {
    if (!armed) return;
    const { items } = await cluster.list("v1", "Pod", namespace);
    const names = new Set(items.map((p) => p.metadata.name ?? ""));
    first ??= names;
    if (items.some((p) => p.metadata.deletionTimestamp) || [...first].some((name) => !names.has(name))) {
      armed = false;
      action();
    }
  }, 25);
  return () => clearInterval(timer);
}

/**
 * Replicas that may only run on `node` or on a node carrying a label of the test's own, which a
 * second node gets only when `release()` is called: evicted pods' replacements stay Pending until
 * then. KWOK makes pods ready within milliseconds; this is what lets a test see a PDB refuse an
 * eviction, or a drain leave no pod ready, every time rather than by luck.
 */
function heldOnNode(namespace: string, node: string, spare: string) {
  const key = `shipshape.test/${namespace}`;
  const label = (value: string | null) =>
    cluster.request(HttpMethod.PATCH, `/api/v1/nodes/${spare}`, {
      body: { metadata: { labels: { [key]: value } } },
      contentType: "application/merge-patch+json",
    });
  const terms = [
    { matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: [node] }] },
    { matchExpressions: [{ key, operator: "Exists" }] },
  ];
  return {
    affinity: {
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } },
    },
    release: () => label("yes"),
    cleanup: () => label(null),
  };
}

const rollout = (namespace: string) =>
  verifyRollout({ cluster, namespace, deployment: "web", load, ...quiet });

describe("verify rollout", () => {
  test("a URL at a local server not behind the Deployment is refused before any load or rollout", async () => {
    const namespace = await freshNamespace("verify-reach");
    await apply(web(namespace, "web", 2));
    await readyReplicas(namespace, "web", 2);
    const served = target.served;
    const { assumeReach: _, ...unassumed } = quiet;
    await assert.rejects(
      verifyRollout({ cluster, namespace, deployment: "web", load, ...unassumed }),
      (error: Error) => {
        assert.equal(error.name, "InputError");
        assert.match(
          error.message,
          new RegExp(
            `not proven to reach Deployment ${namespace}/web's pods: 127\\.0\\.0\\.1:\\d+ is no pod, Service, node port or published ingress address of the cluster`,
          ),
        );
        assert.match(error.message, /--assume-reach/);
        return true;
      },
    );
    assert.equal(target.served, served, "no request was sent");
    const live = await cluster.get({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { namespace, name: "web" },
    });
    assert.equal(live?.metadata.generation, 1, "the Deployment was not rolled");
    // Told to go on, it does, and the timeline carries what the check found.
    const timeline = await rollout(namespace);
    assert.equal(timeline.reach?.proven, false);
    assert.equal(timeline.reach?.assumed, true);
    assert.ok(target.served > served);
  });

  test("records the ReplicaSet hand-over, pods and endpoints, and verifies zero downtime", async () => {
    const namespace = await freshNamespace("verify-rollout");
    await apply(web(namespace, "web", 3, {}, { readinessProbe: probe }));
    await readyReplicas(namespace, "web", 3);
    const started = Date.now();
    const timeline = await rollout(namespace);
    const took = Date.now() - started;
    const phases = ofKind(timeline, "phase").map((e) => e.phase);
    assert.deepEqual(
      phases.filter((p) => p !== "load-stopped"),
      ["load-started", "warmed-up", "rollout-triggered", "rollout-complete", "settled"],
    );
    // Two ReplicaSets: the old one drains to 0, the new one fills to 3.
    const sets = new Map<string, number[]>();
    for (const e of ofKind(timeline, "replicaset"))
      sets.set(e.name, [...(sets.get(e.name) ?? []), e.replicas]);
    assert.equal(sets.size, 2, `replica sets: ${[...sets.keys()].join(", ")}`);
    const [oldSet, newSet] = [...sets.values()];
    assert.equal(oldSet?.[0], 3);
    assert.equal(oldSet?.at(-1), 0);
    assert.equal(newSet?.at(-1), 3);
    const pods = ofKind(timeline, "pod");
    const during = (change: string) =>
      pods.filter((e) => e.change === change && e.t > timeline.startedAt).length;
    assert.equal(during("created"), 3, "three new pods");
    assert.equal(during("terminating"), 3, "three old pods terminated");
    const endpoints = ofKind(timeline, "endpoint");
    assert.ok(endpoints.filter((e) => e.change === "added-ready" || e.change === "ready").length >= 6);
    assert.ok(endpoints.some((e) => e.change === "removed" || e.change === "terminating"));
    // Events are in time order, and the load ran throughout.
    assert.deepEqual(
      timeline.events.map((e) => e.t),
      [...timeline.events.map((e) => e.t)].sort((a, b) => a - b),
    );
    assert.ok(timeline.load.calls > 0 && timeline.load.failed === 0);
    const result = verdict(timeline, auditObjects(timeline.objects));
    assert.equal(result.ok, true, JSON.stringify(result.goal));
    assert.equal(result.zeroDowntime, true);
    console.log(`rollout of 3 KWOK pods verified in ${took} ms (${timeline.load.calls} requests)`);
    record(
      "rollout-zero-downtime",
      timeline,
      "testbed rollout of 3 KWOK pods with a readiness probe; local target answered 200 throughout",
    );
  });

  test("blames failures after SIGTERM on the missing preStop hook", async () => {
    const namespace = await freshNamespace("verify-rollout-prestop");
    await apply(web(namespace, "web", 3));
    await readyReplicas(namespace, "web", 3);
    // The target fails for 1.5 s after the first pod goes Terminating: what a pod without preStop
    // does to a load balancer that has not caught up yet.
    const stopWatching = onFirstDisruption(namespace, () => target.failFor(1500));
    try {
      const timeline = await rollout(namespace);
      const result = verdict(timeline, auditObjects(timeline.objects));
      assert.equal(result.zeroDowntime, false);
      assert.equal(result.ok, false);
      assert.equal(result.causes[0]?.kind, "after-sigterm");
      assert.ok(result.causes[0]?.findings.some((f) => f.rule === "prestop-missing"));
      record(
        "rollout-no-prestop",
        timeline,
        "testbed rollout of 3 KWOK pods without preStop; the local target was made to answer 502 for 1.5 s from the first pod's Terminating (as a lagging load balancer would)",
      );
    } finally {
      stopWatching();
    }
  });
  test("a rollout that cannot progress times out, and says why in the cluster's words", async () => {
    const namespace = await freshNamespace("verify-rollout-stuck");
    // One replica pinned to one node with a host port: the surge pod cannot fit beside it.
    await apply(
      web(
        namespace,
        "web",
        1,
        { nodeSelector: { "kubernetes.io/hostname": "testbed-node-2" } },
        { ports: [{ containerPort: 8080, hostPort: 18081, name: "http" }] },
      ),
    );
    await readyReplicas(namespace, "web", 1);
    const timeline = await verifyRollout({
      cluster,
      namespace,
      deployment: "web",
      load,
      ...quiet,
      timeoutMs: 8000,
    });
    const result = verdict(timeline, auditObjects(timeline.objects));
    assert.equal(result.ok, false);
    assert.equal(result.goal.met, false);
    assert.match(
      result.goal.summary,
      /^rollout did not complete before the timeout \(.*Unschedulable.*free ports/,
    );
    assert.equal(result.zeroDowntime, true, "the old pod kept serving");
  });
});

describe("verify drain", () => {
  test("evicts through the PDB (429 retried), moves the pods, and uncordons the node", async (t) => {
    const namespace = await freshNamespace("verify-drain");
    const node = "testbed-node-1";
    // All three replicas start on node 1; each replacement waits (Pending) until node 4 is released
    // 1.5 s after the first eviction, so the PDB must refuse the others meanwhile.
    const held = heldOnNode(namespace, node, "testbed-node-4");
    t.after(held.cleanup);
    await apply([
      ...web(namespace, "web", 3, { affinity: held.affinity }, { readinessProbe: probe }),
      {
        apiVersion: "policy/v1",
        kind: "PodDisruptionBudget",
        metadata: { name: "web", namespace },
        spec: { maxUnavailable: 1, selector: { matchLabels: { app: "web" } } },
      },
    ]);
    await readyReplicas(namespace, "web", 3);
    const onNode = await cluster.list("v1", "Pod", namespace, { fieldSelector: `spec.nodeName=${node}` });
    assert.equal(onNode.items.length, 3, "all three pods start on the node to drain");
    await waitFor(
      async () => {
        const pdb = await cluster.get({
          apiVersion: "policy/v1",
          kind: "PodDisruptionBudget",
          metadata: { namespace, name: "web" },
        });
        return (pdb?.status as { disruptionsAllowed?: number } | undefined)?.disruptionsAllowed === 1;
      },
      { timeoutMs: 30_000, what: "the PDB to allow one disruption" },
    );

    const started = Date.now();
    const stopWatching = onFirstDisruption(namespace, () => setTimeout(held.release, 1500));
    const timeline = await verifyDrain({
      cluster,
      node,
      namespace,
      load,
      backoffMs: 250,
      maxBackoffMs: 1000,
      ...quiet,
    }).finally(stopWatching);
    const took = Date.now() - started;
    const evictions = ofKind(timeline, "eviction");
    assert.ok(
      evictions.some((e) => e.outcome === "refused"),
      "the PDB refused at least one eviction (429)",
    );
    assert.equal(new Set(evictions.filter((e) => e.outcome === "evicted").map((e) => e.pod)).size, 3);
    assert.ok(!evictions.some((e) => e.outcome === "failed"));
    const phases = ofKind(timeline, "phase").map((e) => e.phase);
    assert.ok(phases.indexOf("cordoned") < phases.indexOf("drained"));
    assert.ok(phases.indexOf("drained") < phases.indexOf("uncordoned"));
    // The replacements landed on the released node.
    const moved = ofKind(timeline, "pod").filter((e) => e.change === "scheduled" && e.t > timeline.startedAt);
    assert.deepEqual(
      moved.map((e) => e.node),
      ["testbed-node-4", "testbed-node-4", "testbed-node-4"],
    );
    const live = await cluster.get({ apiVersion: "v1", kind: "Node", metadata: { name: node } });
    assert.notEqual(
      (live?.spec as { unschedulable?: boolean } | undefined)?.unschedulable,
      true,
      "uncordoned at the end",
    );
    const result = verdict(timeline, auditObjects(timeline.objects));
    assert.equal(result.ok, true, JSON.stringify(result.goal));
    console.log(`drain of 3 pods behind a PDB verified in ${took} ms; ${evictions.length} eviction calls`);
    record(
      "drain-pdb",
      timeline,
      "testbed drain of a node holding 3 KWOK pods behind a PDB maxUnavailable 1, replacements held Pending for 1.5 s after the first eviction; local target answered 200 throughout",
    );
  });
  test("a drain without a PDB takes every endpoint away at once: no-ready-endpoints, confirmed by pdb-missing", async (t) => {
    const namespace = await freshNamespace("verify-drain-nopdb");
    const node = "testbed-node-3";
    const held = heldOnNode(namespace, node, "testbed-node-2");
    t.after(held.cleanup);
    await apply(web(namespace, "web", 3, { affinity: held.affinity }, { readinessProbe: probe }));
    await readyReplicas(namespace, "web", 3);
    // From the first eviction the target fails for 1.5 s (what users see while no pod serves), and
    // the replacements may start 1 s later.
    const stopWatching = onFirstDisruption(namespace, () => {
      target.failFor(1500);
      setTimeout(held.release, 1000);
    });
    try {
      const timeline = await verifyDrain({ cluster, node, namespace, load, ...quiet });
      const noneReady = noReadyIntervals(timeline.events, timeline.endedAt);
      assert.ok(noneReady.length > 0, "every endpoint was out of the rotation at some point");
      const result = verdict(timeline, auditObjects(timeline.objects));
      assert.equal(result.zeroDowntime, false);
      const cause = result.causes.find((c) => c.kind === "no-ready-endpoints");
      assert.ok(cause, JSON.stringify(result.causes.map((c) => [c.kind, c.failures])));
      assert.ok(cause.findings.some((f) => f.rule === "pdb-missing"));
      record(
        "drain-no-pdb",
        timeline,
        "testbed drain of a node holding all 3 KWOK pods, no PDB, replacements held Pending for 1 s; the local target was made to answer 502 for 1.5 s from the first eviction (as users would while no pod serves)",
      );
    } finally {
      stopWatching();
    }
  });
});

describe("verify autoscale", () => {
  test("records replicas rising when the pods report high CPU, and the scale-down after", async () => {
    const namespace = await freshNamespace("verify-autoscale");
    await apply([
      ...web(namespace, "web", 2),
      {
        apiVersion: "autoscaling/v2",
        kind: "HorizontalPodAutoscaler",
        metadata: { name: "web", namespace },
        spec: {
          scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
          minReplicas: 2,
          maxReplicas: 4,
          metrics: [
            {
              type: "Resource",
              resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 50 } },
            },
          ],
        },
      },
    ]);
    await readyReplicas(namespace, "web", 2);
    // KWOK reports what the annotation says: 200m of a 100m request is 200 % — the load stands in for it.
    const setUsage = async (cpu: string | null) => {
      const { items } = await cluster.list("v1", "Pod", namespace);
      for (const pod of items as Pod[]) {
        await cluster.request(
          HttpMethod.PATCH,
          `/api/v1/namespaces/${namespace}/pods/${pod.metadata!.name}`,
          {
            body: { metadata: { annotations: { "kwok.x-k8s.io/usage-cpu": cpu } } },
            contentType: "application/merge-patch+json",
          },
        );
      }
    };
    const started = Date.now();
    const run = verifyAutoscale({
      cluster,
      namespace,
      deployment: "web",
      load,
      settleMs: 5000,
      timeoutMs: 120_000,
      waitScaleDown: true,
      assumeReach: true,
    });
    await setUsage("200m");
    // Once scaled up, the "load" goes away: new pods report nothing, old ones drop to 10m.
    const stopUsage = setInterval(() => {
      void cluster
        .get({ apiVersion: "apps/v1", kind: "Deployment", metadata: { namespace, name: "web" } })
        .then((d) => {
          if (((d?.spec as { replicas?: number } | undefined)?.replicas ?? 0) > 2) {
            clearInterval(stopUsage);
            return setUsage("10m");
          }
        })
        .catch(() => {});
    }, 1000);
    let timeline: Timeline;
    try {
      timeline = await run;
    } finally {
      clearInterval(stopUsage);
    }
    const took = Date.now() - started;
    const replicas = ofKind(timeline, "replicas");
    const desired = replicas.map((e) => e.desired);
    assert.equal(desired[0], 2);
    assert.ok(Math.max(...desired) > 2, `desired over time: ${desired.join(" ")}`);
    const phases = ofKind(timeline, "phase");
    const up = phases.find((e) => e.phase === "scaled-up");
    const down = phases.find((e) => e.phase === "scaled-down");
    assert.ok(up && down && up.t < down.t, JSON.stringify(phases));
    assert.ok(
      replicas.some((e) => e.cpuPercent !== undefined && e.cpuPercent > 50),
      "the HPA's CPU reading is recorded",
    );
    const result = verdict(timeline, auditObjects(timeline.objects));
    assert.equal(result.ok, true, JSON.stringify(result.goal));
    console.log(
      `autoscale verified in ${took} ms: scaled up ${((up.t - timeline.startedAt) / 1000).toFixed(1)} s after the start, down ${((down.t - up.t) / 1000).toFixed(1)} s after that; desired ${desired.join(" → ")}`,
    );
    record(
      "autoscale-up-down",
      timeline,
      "testbed HPA (min 2, max 4, 50 % CPU) on KWOK pods whose CPU usage annotation went to 200m, then 10m after the scale-up",
    );
  });
});
