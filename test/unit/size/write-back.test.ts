// --write and --config: the recommendation lands in the user's own YAML, in place, with every
// comment and unrelated value kept; a file that cannot take it is refused before any load.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { parseAllDocuments } from "yaml";
import { InputError } from "../../../src/errors.ts";
import type { Recommendation } from "../../../src/size/result.ts";
import { parseWorkloadRef } from "../../../src/size/workload.ts";
import { checkWriteTarget, writeRecommendation } from "../../../src/size/write-back.ts";

const manifests = readFileSync(new URL("../../fixtures/size/web-with-hpa.yaml", import.meta.url), "utf8");
const ref = parseWorkloadRef("deploy/web", "shop");
const size = (container: string, cpu: number, memoryMi: number) => ({
  container,
  cpu,
  memory: memoryMi * 2 ** 20,
  current: { requests: {}, limits: {} },
  reasons: [],
});
const rec: Recommendation = {
  basisQps: 200,
  containers: [size("web", 0.25, 96)],
  replicas: 5,
  hpaCpuUtilization: 62,
  peakQps: 400,
  margins: { cpu: 0.25, memory: 0.25 },
  reasons: [],
};

/** The written documents, by the keys these tests read. */
type Container = { name: string; resources?: unknown };
interface Written {
  spec: {
    replicas?: number;
    minReplicas?: number;
    maxReplicas?: number;
    template: { spec: { containers: Container[] } };
    metrics: { resource: { target: { averageUtilization: number } } }[];
  };
}

const values = (text: string) =>
  parseAllDocuments(text).map((d) => (d as { toJS(): unknown }).toJS()) as Written[];

test("--write sets requests == limits on the measured containers, the HPA target and a maxReplicas that reaches the replicas", () => {
  const out = writeRecommendation(manifests, { to: "manifests", file: "web.yaml" }, ref, rec);
  const [deployment, hpa] = values(out) as [Written, Written];
  const [web, sidecar] = deployment.spec.template.spec.containers as [Container, Container];
  assert.deepEqual(web.resources, {
    requests: { cpu: "250m", memory: "96Mi" },
    limits: { cpu: "250m", memory: "96Mi" },
  });
  assert.equal(sidecar.resources, undefined, "a container the run did not size is left alone");
  assert.equal(hpa.spec.metrics[0]?.resource.target.averageUtilization, 62);
  assert.equal(hpa.spec.maxReplicas, 5);
  assert.equal(hpa.spec.minReplicas, 2);
  assert.equal(deployment.spec.replicas, undefined, "with an HPA, spec.replicas stays the HPA's");
  for (const comment of [
    "# The shop's web tier.",
    "# the storefront",
    "# Scales on CPU.",
    "cpu: 250m # a guess",
  ])
    assert.ok(out.includes(comment), `${comment} kept:\n${out}`);
  assert.equal(out.match(/^---$/gm)?.length, 1);
});

test("--write without an HPA in the file pins spec.replicas", () => {
  const alone = manifests.slice(0, manifests.indexOf("---"));
  const [deployment] = values(writeRecommendation(alone, { to: "manifests", file: "web.yaml" }, ref, rec));
  assert.equal(deployment?.spec.replicas, 5);
});

test("--config sets the blueprint's cpu, memory and cpuUtilization, keeping comments; replicas when autoscale is off", () => {
  const config = "# my blog\nnamespace: blog\ncpu: 200m # seed's guess\nmaxReplicas: 4\n";
  const out = writeRecommendation(config, { to: "config", file: "blog.yaml" }, ref, rec);
  assert.equal(
    out,
    "# my blog\nnamespace: blog\ncpu: 250m # seed's guess\nmaxReplicas: 5\nmemory: 96Mi\ncpuUtilization: 62\n",
  );
  const fixed = writeRecommendation("autoscale: false\n", { to: "config", file: "blog.yaml" }, ref, rec);
  assert.deepEqual(values(fixed)[0], { autoscale: false, cpu: "250m", memory: "96Mi", replicas: 5 });
});

test("a file without the workload, a config that is no mapping, or hostile YAML is refused with its place", () => {
  const refused = (fn: () => unknown, message: RegExp) =>
    assert.throws(fn, (e: unknown) => e instanceof InputError && message.test(e.oneLine()));
  refused(
    () =>
      checkWriteTarget(
        manifests,
        { to: "manifests", file: "web.yaml" },
        parseWorkloadRef("deploy/api", "shop"),
      ),
    /^web\.yaml: holds no Deployment shop\/api to resize$/,
  );
  refused(
    () =>
      checkWriteTarget(manifests, { to: "manifests", file: "web.yaml" }, parseWorkloadRef("sts/web", "shop")),
    /holds no StatefulSet shop\/web/,
  );
  refused(
    () => checkWriteTarget("- a\n", { to: "config", file: "c.yaml" }, ref),
    /^c\.yaml: a config file is one YAML mapping/,
  );
  const bomb = `a: &a [x,x,x,x,x,x,x,x,x,x]\n${Array.from({ length: 6 }, (_, i) => `b${i}: &b${i} [${`*${i ? `b${i - 1}` : "a"},`.repeat(10)}]`).join("\n")}\n`;
  assert.throws(() => checkWriteTarget(bomb, { to: "config", file: "c.yaml" }, ref), InputError);
  const two = { ...rec, containers: [size("web", 0.25, 96), size("sidecar", 0.05, 32)] };
  refused(
    () => writeRecommendation("cpu: 1\n", { to: "config", file: "c.yaml" }, ref, two),
    /sizes one web container; this workload has 2/,
  );
});

test("workload references take kubectl's spellings and refuse other kinds", () => {
  assert.deepEqual(parseWorkloadRef("statefulset.apps/db", "x"), {
    kind: "StatefulSet",
    plural: "statefulsets",
    namespace: "x",
    name: "db",
  });
  assert.equal(parseWorkloadRef("web", "x").kind, "Deployment");
  assert.throws(() => parseWorkloadRef("ds/agent", "x"), /size measures a Deployment or a StatefulSet/);
  assert.throws(() => parseWorkloadRef("deploy/Bad_Name", "x"), /not a valid object name/);
  assert.throws(() => parseWorkloadRef("__proto__/x", "x"), /size measures a Deployment or a StatefulSet/);
});
