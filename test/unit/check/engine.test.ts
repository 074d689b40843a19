import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { loadCheckConfig, parseCheckConfig } from "../../../src/check/config.ts";
import { checkObjects } from "../../../src/check/engine.ts";
import type { Rule } from "../../../src/check/types.ts";
import { InputError } from "../../../src/errors.ts";
import { parseManifests } from "../../../src/manifest/parse.ts";

// Two tiny rules of the engine's own, so these tests do not move when the real rules change.
const noLabels: Rule = {
  id: "labels-missing",
  title: "Objects carry labels",
  severity: "warning",
  category: "availability",
  targets: "any",
  explain: "Objects without labels cannot be selected.",
  check: (subject) => (subject.object.metadata.labels ? [] : [{ message: "no labels", fix: "add labels" }]),
};
const oneReplica: Rule = {
  id: "one-replica",
  title: "Deployments run more than one replica",
  severity: "error",
  category: "availability",
  targets: "any",
  explain: "One replica is a single point of failure.",
  check: (subject) =>
    subject.object.kind === "Deployment" && (subject.object.spec as { replicas?: number }).replicas === 1
      ? [{ message: "one replica", fix: "set replicas: 3", path: ["spec", "replicas"] }]
      : [],
};
const rules = [noLabels, oneReplica];

const deployment = (annotations = "") => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop${annotations}
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        resources:
          requests: {cpu: 100m, memory: 64Mi}
          limits: {cpu: 100m, memory: 64Mi}
`;

describe("checkObjects", () => {
  it("places each finding at its field's line:col and counts them by severity", () => {
    const result = checkObjects(parseManifests(deployment(), "d.yaml"), { rules });
    assert.deepEqual(
      result.findings.map((f) => [f.rule, f.severity, `${f.file}:${f.line}:${f.col}`, f.object]),
      [
        [
          "labels-missing",
          "warning",
          "d.yaml:1:1",
          { apiVersion: "apps/v1", kind: "Deployment", namespace: "shop", name: "web" },
        ],
        [
          "one-replica",
          "error",
          "d.yaml:7:3",
          { apiVersion: "apps/v1", kind: "Deployment", namespace: "shop", name: "web" },
        ],
      ],
    );
    assert.deepEqual(result.summary, { objects: 1, errors: 1, warnings: 1, infos: 0 });
  });

  it(`honours the ${"shipshape.dev/ignore"} annotation per rule and for "all"`, () => {
    const one = checkObjects(
      parseManifests(deployment('\n  annotations:\n    shipshape.dev/ignore: "one-replica"'), "d.yaml"),
      { rules },
    );
    assert.deepEqual(
      one.findings.map((f) => f.rule),
      ["labels-missing"],
    );
    const all = checkObjects(
      parseManifests(deployment("\n  annotations:\n    shipshape.dev/ignore: all"), "d.yaml"),
      { rules },
    );
    assert.deepEqual(all.findings, []);
  });

  it("refuses an unknown rule id in the ignore annotation, at the annotation, suggesting the near one", () => {
    const sources = parseManifests(
      deployment('\n  annotations:\n    shipshape.dev/ignore: "one-replika"'),
      "d.yaml",
    );
    assert.throws(
      () => checkObjects(sources, { rules }),
      (error: unknown) =>
        error instanceof InputError &&
        error.oneLine() ===
          'd.yaml:7:5: unknown rule "one-replika" in shipshape.dev/ignore (did you mean "one-replica"?)',
    );
  });

  it("with optOuts off, reports what the ignore annotation names and takes any id there", () => {
    const sources = parseManifests(
      deployment('\n  annotations:\n    shipshape.dev/ignore: "one-replica,not-a-rule"'),
      "d.yaml",
    );
    const result = checkObjects(sources, { rules, optOuts: false });
    assert.deepEqual(
      result.findings.map((f) => f.rule),
      ["labels-missing", "one-replica"],
    );
  });

  it("reads a config saved with a byte-order mark as any other", () => {
    const config = parseCheckConfig("\ufeffrules:\n  labels-missing: off\n", ".shipshape.yaml", rules);
    const result = checkObjects(parseManifests(deployment(), "d.yaml"), { rules, config });
    assert.ok(!result.findings.some((f) => f.rule === "labels-missing"));
  });

  it("applies a config: rules switched off, severities changed", () => {
    const config = parseCheckConfig(
      "rules:\n  labels-missing: off\n  one-replica: warning\n",
      ".shipshape.yaml",
      rules,
    );
    const result = checkObjects(parseManifests(deployment(), "d.yaml"), { rules, config });
    assert.deepEqual(
      result.findings.map((f) => [f.rule, f.severity]),
      [["one-replica", "warning"]],
    );
    assert.deepEqual(
      result.rules.map((r) => r.id),
      ["one-replica"],
    );
  });

  it("reports only findings at or above the severity threshold", () => {
    const result = checkObjects(parseManifests(deployment(), "d.yaml"), { rules, minSeverity: "error" });
    assert.deepEqual(
      result.findings.map((f) => f.rule),
      ["one-replica"],
    );
    assert.equal(result.summary.warnings, 0);
  });

  it("reports QoS class, OOM score adjustment and allowed disruptions for pod-bearing objects only", () => {
    const pdb =
      "---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web, namespace: shop}\nspec:\n  maxUnavailable: 1\n  selector: {matchLabels: {app: web}}\n";
    const text = deployment().replace("replicas: 1", "replicas: 3") + pdb;
    const result = checkObjects(parseManifests(text, "d.yaml"), { rules });
    const [web, budget] = result.objects;
    assert.equal(web!.qosClass, "Guaranteed");
    assert.equal(web!.oomScoreAdj, -997);
    assert.equal(web!.allowedDisruptions, 1);
    assert.equal(budget!.qosClass, undefined);
  });

  it("names the rule and object when a rule crashes, rather than hiding it", () => {
    const broken: Rule = {
      ...noLabels,
      id: "broken",
      check: () => {
        throw new TypeError("boom");
      },
    };
    assert.throws(
      () => checkObjects(parseManifests(deployment(), "d.yaml"), { rules: [broken] }),
      /rule broken failed on Deployment shop\/web \(d\.yaml\): boom/,
    );
  });
});

describe("loadCheckConfig", () => {
  it("finds .shipshape.yaml in the working directory or above it, and none when there is none", () => {
    const root = mkdtempSync(join(tmpdir(), "shipshape-config-"));
    const deep = join(root, "apps", "web");
    mkdirSync(deep, { recursive: true });
    assert.equal(loadCheckConfig(rules, undefined, deep)?.file, undefined);
    writeFileSync(join(root, ".shipshape.yaml"), "rules:\n  labels-missing: off\n");
    const found = loadCheckConfig(rules, undefined, deep);
    assert.equal(found?.file, join(root, ".shipshape.yaml"));
    assert.deepEqual([...found!.disabled], ["labels-missing"]);
  });
});

describe("parseCheckConfig refuses", () => {
  const refusal = (text: string) => {
    try {
      parseCheckConfig(text, ".shipshape.yaml", rules);
    } catch (error) {
      assert.ok(error instanceof InputError);
      return error.oneLine();
    }
    assert.fail("accepted");
  };
  it("unknown rule ids, with the place and a suggestion", () => {
    assert.equal(
      refusal("rules:\n  lables-missing: off\n"),
      '.shipshape.yaml:2:3: unknown rule "lables-missing" (did you mean "labels-missing"?)',
    );
  });
  it("unknown settings and values", () => {
    assert.equal(
      refusal("rulez: {}\n"),
      '.shipshape.yaml:1:1: unknown setting "rulez" (the config has: rules)',
    );
    assert.equal(
      refusal("rules:\n  one-replica: fatal\n"),
      '.shipshape.yaml:2:3: "one-replica" must be one of off, error, warning, info',
    );
  });
});
