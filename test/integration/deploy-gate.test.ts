// deploy()'s gate (what deploy --verify answers with its SLO): asked once the release is ready and
// before anything is pruned; a reason refuses the release, which an atomic deploy then rolls back
// like one that never became ready; no reason keeps it.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { deploy } from "../../src/cluster/deploy.ts";
import { listReleases } from "../../src/cluster/releases.ts";
import type { KubeObject } from "../../src/k8s/object.ts";
import { testCluster } from "./deploy-support.ts";
import { freshNamespace } from "./support/cluster.ts";

const cluster = testCluster();
let ns = "";

const configMap = (name: string, value: string): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace: ns },
  data: { value },
});
const deployment = (revision: string): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: ns },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: "web" } },
    template: {
      metadata: { labels: { app: "web" } },
      spec: { containers: [{ name: "web", image: "web", env: [{ name: "REVISION", value: revision }] }] },
    },
  },
});

const live = (name: string) =>
  cluster.get({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: ns } });
const dataValue = async (name: string) => ((await live(name))?.data as { value?: string } | undefined)?.value;
const liveRevision = async () => {
  const d = await cluster.get({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: ns },
  });
  const spec = d?.spec as { template: { spec: { containers: Array<{ env: Array<{ value: string }> }> } } };
  return spec.template.spec.containers[0]!.env[0]!.value;
};
const options = { app: "gated", timeoutMs: 60_000, atomic: true };

before(async () => {
  ns = await freshNamespace("deploy-gate");
  const first = await deploy(
    cluster,
    [deployment("1"), configMap("settings", "1"), configMap("old", "1")],
    options,
  );
  assert.equal(first.outcome, "ready");
});

test("a gate that refuses the ready release rolls it back: changes restored, creations removed, nothing pruned", async () => {
  const asked: string[] = [];
  const result = await deploy(
    cluster,
    [deployment("2"), configMap("settings", "2"), configMap("extra", "1")],
    {
      ...options,
      gate: async () => {
        // Ready and applied, not yet pruned: the gate judges the release as it runs.
        asked.push(`${await liveRevision()} ${await dataValue("settings")} old:${!!(await live("old"))}`);
        return "SLO broken: success>=99.9% (measured 61.2%)";
      },
    },
  );
  assert.deepEqual(asked, ["2 2 old:true"]);
  assert.equal(result.outcome, "rolled-back");
  assert.equal(result.refused, "SLO broken: success>=99.9% (measured 61.2%)");
  assert.deepEqual(result.pruned, []);
  assert.equal(await liveRevision(), "1");
  assert.equal(await dataValue("settings"), "1");
  assert.equal(await live("extra"), undefined);
  assert.ok(await live("old"), "what left the input of a refused release is not pruned");
  const releases = await listReleases(cluster, ns, "gated");
  assert.deepEqual(
    releases.map((r) => r.status),
    ["deployed", "rolled-back"],
  );
});

test("a gate that has no reason keeps the release: pruned and recorded as deployed", async () => {
  const result = await deploy(cluster, [deployment("3"), configMap("settings", "3")], {
    ...options,
    gate: async () => undefined,
  });
  assert.equal(result.outcome, "ready");
  assert.equal(await liveRevision(), "3");
  assert.equal(await live("old"), undefined, "pruned once the gate kept the release");
  assert.equal((await listReleases(cluster, ns, "gated")).at(-1)?.status, "deployed");
});
