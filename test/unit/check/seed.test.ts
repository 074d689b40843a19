// The bar: the seed tutorial's naive first deployment raises the rules the tutorial then fixes.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { checkObjects } from "../../../src/check/engine.ts";
import { allRules } from "../../../src/check/rules/index.ts";
import { FIXTURES, load, runRules } from "./fixtures.ts";

test("the seed's naive deployment raises every concern the tutorial goes on to fix", () => {
  const { findings, objects } = checkObjects(load(join(FIXTURES, "seed/naive.yaml")));
  const raised = new Set(findings.map((f) => f.rule));
  for (const id of [
    "app-db-same-pod",
    "replicas-single",
    "readiness-probe-missing",
    "qos-best-effort",
    "nodeport-exposed",
    "secret-literal-env",
    "db-without-volume",
  ]) {
    assert.ok(raised.has(id), `${id} not raised; got ${[...raised].join(", ")}`);
  }
  // A single replica: replicas-single names the budget in its fix, and pdb-missing stays quiet.
  assert.ok(!raised.has("pdb-missing"), "pdb-missing repeats replicas-single on one replica");
  // The literal passwords are found one by one: WORDPRESS_DB_PASSWORD, MYSQL_ROOT_PASSWORD, MYSQL_PASSWORD.
  assert.equal(findings.filter((f) => f.rule === "secret-literal-env").length, 3);
  assert.equal(objects.find((o) => o.kind === "Deployment")!.qosClass, "BestEffort");
});

test("the seed's finished manifests: the web tier is clean, and what the seed leaves undone is reported", () => {
  const findings = runRules(allRules, join(FIXTURES, "seed/production.yaml"));
  const severityOf = (f: (typeof findings)[number]) =>
    f.severity ?? allRules.find((r) => r.id === f.rule)!.severity;
  const at = (kind: string, name: string) =>
    findings
      .filter((f) => f.subject.object.kind === kind && f.subject.object.metadata.name === name)
      .filter((f) => severityOf(f) !== "info")
      .map((f) => `${severityOf(f)} ${f.rule}`)
      .sort();
  // Every production step applied to WordPress: only the tutorial's own replicas-vs-HPA overlap remains.
  assert.deepEqual(at("Deployment", "wordpress"), ["warning hpa-replicas-conflict"]);
  // MySQL never got resources, a probe or a Secret in the tutorial; its RWO volume meets RollingUpdate.
  assert.deepEqual(at("Deployment", "wordpress-mysql"), [
    "error readiness-probe-missing",
    "warning qos-best-effort",
    "warning replicas-single",
    "warning rwo-volume-shared",
    "warning secret-literal-env",
    "warning secret-literal-env",
  ]);
  assert.deepEqual(at("PodDisruptionBudget", "wordpress-pdb"), ["error api-removed"]);
  assert.deepEqual(at("Service", "wordpress"), ["warning nodeport-exposed"]);
  assert.deepEqual(at("IngressRoute", "wordpress-https"), []);
  assert.deepEqual(at("IngressRoute", "wordpress-http"), []);
  assert.deepEqual(at("StorageClass", "csi-cephfs"), []);
});
