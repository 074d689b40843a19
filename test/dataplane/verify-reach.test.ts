// verify must not be fooled, on real nodes: the load's URL is traced to the target's pods before
// anything is disrupted — through a NodePort on a node's address and through Traefik's NodePort by
// the host of a standard Ingress it is accepted, to another Deployment's Service it is refused
// (exit 2, nothing rolled) — and `verify drain` names the pods it leaves on the node and why: a
// DaemonSet's pod by design, a bare pod because no controller would recreate it (so the node is
// not called drained).
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, test } from "node:test";
import type { KubeObject } from "../../src/k8s/object.ts";
import type { Timeline } from "../../src/verify/timeline.ts";
import type { Verdict } from "../../src/verify/verdict.ts";
import { shipshape, testCluster } from "../integration/deploy-support.ts";
import { core, freshNamespace, isReady, waitFor, webContainer } from "./support/dataplane.ts";
import { ingress } from "./support/ingress.ts";
import { webWorkload } from "./support/web-workload.ts";

const cluster = testCluster();
/** Traefik's web entry point as the testbed publishes it on every node (testbed/ingress.sh). */
const TRAEFIK_HTTP_NODEPORT = 30080;
const out = mkdtempSync(join(tmpdir(), "shipshape-verify-reach-"));
let ns = "";
let site = "";
let nodeAddress = "";

/** A web app `name` as the blueprint rolls it: readiness, a 3 s preStop, RollingUpdate 1/0. */
async function app(name: string, replicas: number): Promise<KubeObject[]> {
  const objects: object[] = await webWorkload({
    name,
    namespace: ns,
    replicas,
    rolling: true,
    pod: { terminationGracePeriodSeconds: 10 },
    container: { lifecycle: { preStop: { sleep: { seconds: 3 } } } },
  });
  return objects as KubeObject[];
}

async function nodePortOf(service: string): Promise<number> {
  const svc = await core.readNamespacedService({ name: service, namespace: ns });
  return svc.spec!.ports![0]!.nodePort!;
}

async function readyPods(label: string, count: number) {
  return waitFor(
    async () => {
      const { items } = await core.listNamespacedPod({ namespace: ns, labelSelector: label });
      const ready = items.filter((p) => isReady(p) && !p.metadata?.deletionTimestamp);
      return ready.length === count && ready;
    },
    { timeoutMs: 120_000, what: `${count} ready pods with ${label}` },
  );
}

before(async () => {
  ns = await freshNamespace("dp-reach");
  site = `${ns}.${(await ingress()).domain}`;
  const objects = [
    ...(await app("web", 2)),
    ...(await app("other", 1)),
    {
      // The portable route: a standard Ingress, which Traefik serves on its web entry point.
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: { name: "web", namespace: ns },
      spec: {
        rules: [
          {
            host: site,
            http: {
              paths: [
                {
                  path: "/",
                  pathType: "Prefix",
                  backend: { service: { name: "web", port: { number: 80 } } },
                },
              ],
            },
          },
        ],
      },
    },
  ];
  for (const object of objects) await cluster.apply(object);
  await readyPods("app=web", 2);
  await readyPods("app=other", 1);
  const { items } = await core.listNode();
  nodeAddress = items[0]!.status!.addresses!.find((a) => a.type === "InternalIP")!.address;
});

/** `verify rollout deploy/web` at `url` (with extra args), the verdict from its JSON when it ran. */
async function rollout(name: string, url: string, ...extra: string[]) {
  const json = join(out, `${name}.json`);
  const run = await shipshape([
    "verify",
    "rollout",
    "deploy/web",
    "-n",
    ns,
    "--url",
    url,
    ...extra,
    "--qps",
    "40",
    "-c",
    "4",
    "--settle",
    "3s",
    "--json",
    json,
  ]);
  const written =
    run.code === 2
      ? undefined
      : (JSON.parse(readFileSync(json, "utf8")) as { verdict: Verdict; timeline: Timeline });
  return { ...run, written };
}

const generation = async (name: string) =>
  (await cluster.get({ apiVersion: "apps/v1", kind: "Deployment", metadata: { namespace: ns, name } }))
    ?.metadata.generation;

test("a URL at the target's NodePort on a node's address is traced to its pods and verified", async () => {
  const run = await rollout("nodeport", `http://${nodeAddress}:${await nodePortOf("web")}/`);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  const reach = run.written?.verdict.reach;
  assert.equal(reach?.proven, true);
  assert.match(
    reach?.how ?? "",
    new RegExp(`^Service ${ns}/web \\(nodePort \\d+ on node \\S+\\), which selects`),
  );
  assert.match(run.stdout, /the load reached the workload: Service/);
  assert.equal(run.written?.verdict.failed, 0, run.stdout);
});

test("a URL through the ingress (Traefik's NodePort, the Ingress's host) is traced to the target and verified", async () => {
  const url = `http://${site}:${TRAEFIK_HTTP_NODEPORT}/`;
  const run = await rollout("ingress", url, "--resolve", `${site}:${TRAEFIK_HTTP_NODEPORT}:${nodeAddress}`);
  // This test is about the trace. Whether the rollout lost requests through Traefik is verify's
  // verdict to give (exit 1 with its causes), and the story's test holds it to zero; a rare 502
  // here (2 of 240 once, inside the preStop) must not read as a broken trace.
  assert.ok(run.code === 0 || run.code === 1, run.stdout + run.stderr);
  assert.equal(run.written?.verdict.reach?.proven, true, run.stdout);
  assert.equal(
    run.written?.verdict.reach?.how,
    `Service traefik/traefik (nodePort ${TRAEFIK_HTTP_NODEPORT} on node ${
      (await core.listNode()).items.find((n) => n.status?.addresses?.some((a) => a.address === nodeAddress))
        ?.metadata?.name
    }) → Ingress ${ns}/web (host ${site}) → Service ${ns}/web → the target's pods`,
  );
  // the load went through that path: nearly all of it answered
  const { calls = 0, failed = 0 } = run.written?.verdict ?? {};
  assert.ok(calls > 0 && failed / calls < 0.05, `${failed} of ${calls} failed\n${run.stdout}`);
});

test("a URL at another Deployment's Service is refused before any load, and nothing is rolled", async () => {
  const before = await generation("web");
  const run = await rollout("other", `http://${nodeAddress}:${await nodePortOf("other")}/`);
  assert.equal(run.code, 2, run.stdout + run.stderr);
  assert.match(
    run.stderr,
    new RegExp(
      `not proven to reach Deployment ${ns}/web's pods: Service ${ns}/other \\(nodePort \\d+ on node \\S+\\) does not select the target's pods`,
    ),
  );
  assert.doesNotMatch(run.stderr, /load started|rollout triggered/);
  assert.equal(await generation("web"), before, "the Deployment was not rolled");
});

test("verify drain names the DaemonSet pod and the bare pod it leaves, and does not call the node drained", async () => {
  const [webPod] = await readyPods("app=web", 2);
  const node = webPod!.spec!.nodeName!;
  await cluster.apply({
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: "agent", namespace: ns },
    spec: {
      selector: { matchLabels: { app: "agent" } },
      template: { metadata: { labels: { app: "agent" } }, spec: { containers: [await webContainer()] } },
    },
  });
  await cluster.apply({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "debug", namespace: ns, labels: { app: "debug" } },
    spec: { nodeName: node, containers: [await webContainer()] },
  });
  const onNode = async (label: string) =>
    (await core.listNamespacedPod({ namespace: ns, labelSelector: label })).items.filter(
      (p) => p.spec?.nodeName === node && isReady(p),
    );
  await waitFor(
    async () => (await onNode("app=agent")).length === 1 && (await onNode("app=debug")).length === 1,
    {
      timeoutMs: 120_000,
      what: `the DaemonSet's and the bare pod running on ${node}`,
    },
  );
  const [agent] = await onNode("app=agent");

  const json = join(out, "drain.json");
  const run = await shipshape([
    "verify",
    "drain",
    node,
    "-n",
    ns,
    "--url",
    `http://${nodeAddress}:${await nodePortOf("web")}/`,
    "--qps",
    "40",
    "-c",
    "4",
    "--settle",
    "2s",
    "--timeout",
    "120s",
    "--json",
    json,
  ]);
  // The goal is missed: a pod a drain must move (the bare one) is still there.
  assert.equal(run.code, 1, run.stdout + run.stderr);
  const { verdict, timeline } = JSON.parse(readFileSync(json, "utf8")) as {
    verdict: Verdict;
    timeline: Timeline;
  };
  assert.equal(verdict.goal.met, false);
  assert.doesNotMatch(verdict.goal.summary, /node drained/);
  assert.match(
    verdict.goal.summary,
    new RegExp(`node NOT drained: left ${ns}/debug \\(no controller; --force evicts it\\)`),
  );
  assert.match(
    verdict.goal.summary,
    new RegExp(`left by design: ${ns}/${agent!.metadata!.name} \\(DaemonSet\\)`),
  );
  const left = timeline.events.flatMap((e) => (e.kind === "left" ? [`${e.pod} ${e.reason}`] : []));
  assert.ok(left.includes(`${ns}/debug no-controller`), left.join(", "));
  assert.ok(left.includes(`${ns}/${agent!.metadata!.name} daemonset`), left.join(", "));
  assert.match(run.stderr, new RegExp(`left on the node: ${ns}/debug — no controller would recreate it`));
  // What it said is what the node holds: the web pod moved, the DaemonSet's and the bare pod stayed.
  assert.equal((await onNode("app=web")).length, 0, "the web pod moved off");
  assert.equal((await onNode("app=debug")).length, 1, "the bare pod was left alone");
  assert.equal((await onNode("app=agent")).length, 1);
  const live = await core.readNode({ name: node });
  assert.notEqual(live.spec?.unschedulable, true, "uncordoned");
});
