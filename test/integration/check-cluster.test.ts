// `shipshape check --cluster` on the testbed (real control plane, KWOK nodes): the live objects of a
// namespace are checked as their authors wrote them (no finding from fields the server or an HPA set),
// every report names them by kind/namespace/name without a file place, and the report carries what only
// the cluster knows: the QoS class the API server gave the pods, what the PDB allows now (the disruption
// controller's count), a pod the scheduler cannot place with its reason, and the namespace's Pod
// Security labels.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import type { ObjectFacts } from "../../src/check/engine.ts";
import type { Finding } from "../../src/check/types.ts";
import { shipshape, testCluster } from "./deploy-support.ts";
import { freshNamespace, kubeConfig, waitFor } from "./support/cluster.ts";

const cluster = testCluster();
let ns = "";

const deployment = (name: string, replicas: number, resources: object) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name, namespace: ns },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name, image: "example/web:1.4.2", resources }] },
    },
  },
});

before(async () => {
  ns = await freshNamespace("check-cluster");
  await cluster.apply({
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name: ns,
      labels: {
        "pod-security.kubernetes.io/enforce": "baseline",
        "pod-security.kubernetes.io/warn": "restricted",
      },
    },
  });
  const guaranteed = { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "100m", memory: "64Mi" } };
  await cluster.apply(deployment("web", 2, guaranteed));
  // No strategy written: the server fills in RollingUpdate with 25% / 25%.
  await cluster.apply(deployment("spread", 4, guaranteed));
  // More CPU than any node has: the scheduler leaves its pod Pending, Unschedulable.
  await cluster.apply(deployment("greedy", 1, { requests: { cpu: "500" } }));
  await cluster.apply({
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: { name: "web", namespace: ns },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
      minReplicas: 2,
      maxReplicas: 4,
      metrics: [
        {
          type: "Resource",
          resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } },
        },
      ],
    },
  });
  await cluster.apply({
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name: "web", namespace: ns },
    spec: { minAvailable: 2, selector: { matchLabels: { app: "web" } } },
  });
  await waitFor(
    async () => {
      const facts = (await checkJson()).objects;
      const web = find(facts, "Deployment", "web")?.live;
      const greedy = find(facts, "Deployment", "greedy")?.live;
      const pdb = find(facts, "PodDisruptionBudget", "web")?.live;
      return (
        web?.qosClasses?.length === 1 &&
        greedy?.stuckPods?.length === 1 &&
        pdb?.disruptionsAllowed === 0 &&
        (await cluster.list("v1", "Pod", ns)).items.filter((p) => p.metadata.labels?.app === "web").length ===
          2
      );
    },
    { timeoutMs: 90_000, what: "the web pods, the stuck greedy pod and the PDB's status" },
  );
});

interface CheckJson {
  findings: Finding[];
  objects: ObjectFacts[];
}

async function checkJson(...args: string[]): Promise<CheckJson> {
  const run = await shipshape(["check", "--cluster", "-n", ns, "--format", "json", ...args]);
  assert.ok(run.code === 0 || run.code === 1, run.stderr);
  return JSON.parse(run.stdout) as CheckJson;
}

function find(objects: ObjectFacts[], kind: string, name: string): ObjectFacts | undefined {
  // A Namespace is named by its name alone.
  return objects.find((o) => o.kind === kind && o.name === name && (o.namespace ?? ns) === ns);
}

test("the text report names each live object by kind/namespace/name, with no file place", async () => {
  const run = await shipshape(["check", "--cluster", "-n", ns]);
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stdout, new RegExp(`^PodDisruptionBudget ${ns}/web  disruptions allowed now 0$`, "m"));
  assert.match(run.stdout, /^ {2}error pdb-blocks-drain: PodDisruptionBudget \S+\/web allows 0 disruptions/m);
  assert.match(run.stdout, /in \d+ objects in the cluster$/m);
  assert.doesNotMatch(run.stdout, /\(cluster\)|:0:0/);
});

test("the report carries the server's QoS class, the PDB's disruptionsAllowed, the stuck pod and the Pod Security labels", async () => {
  const { objects, findings } = await checkJson();
  const web = find(objects, "Deployment", "web")!;
  const greedy = find(objects, "Deployment", "greedy")!;
  // The API server is the judge: its class for the pods equals the one computed from the spec.
  assert.deepEqual(web.live?.qosClasses, ["Guaranteed"]);
  assert.equal(web.qosClass, "Guaranteed");
  assert.deepEqual(greedy.live?.qosClasses, ["Burstable"]);
  assert.equal(greedy.qosClass, "Burstable");
  assert.equal(find(objects, "PodDisruptionBudget", "web")?.live?.disruptionsAllowed, 0);
  const stuck = greedy.live?.stuckPods?.[0];
  assert.equal(stuck?.reason, "Unschedulable");
  assert.match(stuck?.message ?? "", /Insufficient cpu/);
  assert.deepEqual(find(objects, "Namespace", ns)?.live?.podSecurity, {
    "pod-security.kubernetes.io/enforce": "baseline",
    "pod-security.kubernetes.io/warn": "restricted",
  });
  for (const item of [...objects, ...findings]) {
    assert.equal("file" in item || "line" in item, false, "a live object has no file place");
  }
});

test("fields the server or the HPA set raise no finding", async () => {
  const live = await cluster.get({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: ns },
  });
  assert.equal(
    (live?.spec as { replicas?: number } | undefined)?.replicas,
    2,
    "the live object carries spec.replicas",
  );
  assert.ok(live?.metadata.managedFields?.length, "and managedFields");
  const { findings } = await checkJson();
  const rules = findings.filter((f) => f.object.namespace === ns).map((f) => `${f.rule} ${f.object.name}`);
  assert.ok(!rules.includes("hpa-replicas-conflict web"), rules.join(", "));
  assert.ok(rules.includes("pdb-blocks-drain web"), rules.join(", "));
  assert.ok(!findings.some((f) => f.rule === "schema-invalid"), "no schema finding from server-set fields");
  // Objects a controller made are checked through the object that made them.
  assert.ok(!findings.some((f) => f.object.kind === "Pod" || f.object.kind === "ReplicaSet"));
});

test("a field the server defaulted reads as a default, as in the manifest", async () => {
  const live = await cluster.get({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "spread", namespace: ns },
  });
  const strategy = (live?.spec as { strategy?: { rollingUpdate?: { maxUnavailable?: string } } } | undefined)
    ?.strategy;
  assert.equal(strategy?.rollingUpdate?.maxUnavailable, "25%", "the server wrote the default");
  const { findings } = await checkJson();
  const rollout = findings.find((f) => f.rule === "rolling-update-unsafe" && f.object.name === "spread");
  assert.match(
    rollout?.message ?? "",
    /takes 1 of 4 replicas out of service .*maxUnavailable "25%", the default/,
  );
});

test("SARIF and JUnit name the live object and give no file location", async () => {
  const sarif = await shipshape(["check", "--cluster", "-n", ns, "--format", "sarif"]);
  const results = JSON.parse(sarif.stdout).runs[0].results as Array<{
    ruleId: string;
    locations: Array<{ physicalLocation?: unknown; logicalLocations: Array<{ fullyQualifiedName: string }> }>;
  }>;
  const drain = results.find((r) => r.ruleId === "pdb-blocks-drain");
  assert.equal(drain?.locations[0]?.physicalLocation, undefined);
  assert.equal(drain?.locations[0]?.logicalLocations[0]?.fullyQualifiedName, `PodDisruptionBudget ${ns}/web`);
  const junit = await shipshape(["check", "--cluster", "-n", ns, "--format", "junit"]);
  assert.match(
    junit.stdout,
    new RegExp(`<testcase name="pdb-blocks-drain" classname="PodDisruptionBudget ${ns}/web">`),
  );
  assert.doesNotMatch(junit.stdout, /file="|line="/);
});

test("-A reads every namespace, this one among them; --context picks the kubeconfig's context", async () => {
  const all = await shipshape(["check", "--cluster", "-A", "--format", "json"]);
  const objects = (JSON.parse(all.stdout) as CheckJson).objects;
  assert.ok(find(objects, "PodDisruptionBudget", "web"));
  assert.ok(objects.some((o) => o.kind === "Namespace" && o.name === "kube-system"));
  const context = kubeConfig().getCurrentContext();
  const named = await checkJson("--context", context);
  assert.ok(find(named.objects, "Deployment", "web"));
  const wrong = await shipshape(["check", "--cluster", "-n", ns, "--context", "no-such-context"]);
  assert.equal(wrong.code, 2);
  assert.equal(wrong.stderr.trimEnd().split("\n").length, 1, wrong.stderr);
});
