import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { Ajv } from "ajv";
import { type CheckResult, checkObjects } from "../../../src/check/engine.ts";
import { liveSource } from "../../../src/check/live.ts";
import { formatJson } from "../../../src/check/report/json.ts";
import { formatJunit } from "../../../src/check/report/junit.ts";
import { formatSarif } from "../../../src/check/report/sarif.ts";
import { formatText } from "../../../src/check/report/text.ts";
import type { Rule } from "../../../src/check/types.ts";
import { liveKey } from "../../../src/k8s/live-facts.ts";
import { parseManifests } from "../../../src/manifest/parse.ts";

const replicasOne: Rule = {
  id: "replicas-one",
  title: "Deployments run more than one replica",
  severity: "error",
  category: "availability",
  targets: "any",
  explain: "What breaks: one replica is a single point of failure.\n\nFix: set replicas: 3.",
  check: (s) =>
    (s.object.spec as { replicas?: number } | undefined)?.replicas === 1
      ? [{ message: 'one replica & a "quote" <tag>', fix: "set replicas: 3", path: ["spec", "replicas"] }]
      : [],
};
const noLabels: Rule = {
  id: "labels-missing",
  title: "Objects carry labels",
  severity: "warning",
  category: "network",
  targets: "any",
  explain: "Unlabelled objects cannot be selected.",
  check: (s) => (s.object.metadata.labels ? [] : [{ message: "no labels", fix: "add labels" }]),
};

const text = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: web
        image: nginx:1.27
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop, labels: {app: web}}
`;

function result(): CheckResult {
  return checkObjects(parseManifests(text, "deploy/web.yaml"), { rules: [replicasOne, noLabels] });
}

/** The SARIF 2.1.0 schema as published (draft-04), read by ajv's draft-07 validator: only the dialect keywords differ. */
function sarifValidator() {
  const schema = JSON.parse(readFileSync("test/fixtures/sarif/sarif-schema-2.1.0.json", "utf8"));
  schema.$schema = "http://json-schema.org/draft-07/schema#";
  schema.$id = schema.id;
  delete schema.id;
  // The schema's "language" pattern is not valid in unicode mode (a stray "]"), as published.
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  ajv.addFormat("uri", (s: string) => URL.canParse(s));
  ajv.addFormat("uri-reference", (s: string) => URL.canParse(s, "file:///"));
  ajv.addFormat("date-time", (s: string) => !Number.isNaN(Date.parse(s)));
  // Not a type guard: the tests go on reading the log they validated.
  return ajv.compile(schema) as ((data: unknown) => boolean) & { errors?: unknown };
}

describe("reports", () => {
  it("JSON follows the contract: findings, objects with qosClass for pod-bearing ones, summary", () => {
    const json = JSON.parse(formatJson(result()));
    assert.deepEqual(Object.keys(json), ["findings", "objects", "summary"]);
    assert.deepEqual(json.findings[1], {
      rule: "replicas-one",
      severity: "error",
      object: { apiVersion: "apps/v1", kind: "Deployment", namespace: "shop", name: "web" },
      file: "deploy/web.yaml",
      line: 5,
      col: 3,
      message: 'one replica & a "quote" <tag>',
      fix: "set replicas: 3",
    });
    assert.equal(json.objects[0].qosClass, "BestEffort");
    assert.equal("qosClass" in json.objects[1], false);
    assert.deepEqual(json.summary, { objects: 2, errors: 1, warnings: 1, infos: 0 });
  });

  it("SARIF is valid against the SARIF 2.1.0 schema, with rule help and physical locations", () => {
    const validate = sarifValidator();
    const sarif = JSON.parse(formatSarif(result(), process.cwd()));
    assert.ok(validate(sarif), JSON.stringify(validate.errors, null, 2));
    const run = sarif.runs[0];
    assert.deepEqual(run.tool.driver.rules[0].fullDescription, {
      text: "What breaks: one replica is a single point of failure.",
    });
    assert.match(run.tool.driver.rules[0].helpUri, /^https:\/\/.+#replicas-one$/);
    assert.deepEqual(run.results[1].locations[0].physicalLocation, {
      artifactLocation: { uri: "deploy/web.yaml" },
      region: { startLine: 5, startColumn: 3 },
    });
    assert.equal(run.results[0].level, "warning");
    // Fingerprints follow the object, not the line: moving the finding keeps its identity.
    const moved = JSON.parse(
      formatSarif(
        checkObjects(parseManifests(`# a comment\n${text}`, "deploy/web.yaml"), {
          rules: [replicasOne, noLabels],
        }),
      ),
    );
    assert.deepEqual(
      moved.runs[0].results.map((r: { partialFingerprints: object }) => r.partialFingerprints),
      run.results.map((r: { partialFingerprints: object }) => r.partialFingerprints),
    );
    assert.notDeepEqual(run.results[0].partialFingerprints, run.results[1].partialFingerprints);
    // A report with no findings is still a valid log.
    assert.ok(validate(JSON.parse(formatSarif(checkObjects([], { rules: [replicasOne] })))));
  });

  it("SARIF catches a broken log (the validator is not a rubber stamp)", () => {
    const validate = sarifValidator();
    const sarif = JSON.parse(formatSarif(result()));
    sarif.runs[0].results[0].level = "fatal";
    assert.equal(validate(sarif), false);
  });

  it("JUnit has a suite per file, a case per object × rule, failures for errors only, escaped text", () => {
    const xml = formatJunit(result());
    assert.match(
      xml,
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="shipshape check" tests="4" failures="1" errors="0">/,
    );
    assert.match(xml, /<testsuite name="deploy\/web.yaml" tests="4" failures="1" errors="0" skipped="0">/);
    assert.match(
      xml,
      /<testcase name="replicas-one" classname="Deployment shop\/web" file="deploy\/web.yaml" line="1">\n {6}<failure type="error" message="one replica &amp; a &quot;quote&quot; &lt;tag&gt;">deploy\/web.yaml:5:3: error:/,
    );
    assert.match(
      xml,
      /<testcase name="labels-missing" classname="Deployment shop\/web" [^>]*>\n {6}<system-out>deploy\/web.yaml:1:1: warning: no labels/,
    );
    assert.match(
      xml,
      /<testcase name="replicas-one" classname="Service shop\/web" file="deploy\/web.yaml" line="12"\/>/,
    );
    // Well-formed: every opened element closes, in order.
    const stack: string[] = [];
    for (const [, close, name, selfClosing] of xml.matchAll(/<(\/?)([a-z-]+)[^>]*?(\/?)>/g)) {
      if (selfClosing) continue;
      if (close) assert.equal(stack.pop(), name);
      else stack.push(name!);
    }
    assert.deepEqual(stack, []);
  });

  it("text is a file:line:col: severity rule: message line per finding, its fix below, after its object's facts", () => {
    const plain = formatText(result());
    assert.equal(
      plain,
      [
        "deploy/web.yaml:1:1: Deployment shop/web  QoS BestEffort · Pod Security baseline · oom_score_adj 1000",
        "deploy/web.yaml:1:1: warning labels-missing: no labels",
        "    fix: add labels",
        `deploy/web.yaml:5:3: error replicas-one: one replica & a "quote" <tag>`,
        "    fix: set replicas: 3",
        "",
        "✖ 2 problems (1 error, 1 warning, 0 infos) in 2 objects in 1 file",
        "",
      ].join("\n"),
    );
    assert.doesNotMatch(plain, /\x1b\[/);
    assert.match(formatText(result(), { color: true }), /\x1b\[31merror/);
  });
});

describe("reports of live objects (check --cluster)", () => {
  const objects = parseManifests(text, "deploy/web.yaml").map((source) => liveSource(source.object));
  const stuckPods = [{ name: "web-1", reason: "CrashLoopBackOff", message: 'container "web": last exit 3' }];
  const live = new Map([
    [
      liveKey({ kind: "Deployment", namespace: "shop", name: "web" }),
      { qosClasses: ["BestEffort"], stuckPods },
    ],
  ]);
  const result = checkObjects(objects, { rules: [replicasOne, noLabels], live });

  it("text names each object, its findings and stuck pods below it, and no file place", () => {
    const plain = formatText(result);
    assert.match(
      plain,
      /^Deployment shop\/web {2}QoS BestEffort · .*oom_score_adj 1000 · server QoS BestEffort$/m,
    );
    assert.match(plain, /^ {2}stuck pod web-1: CrashLoopBackOff — container "web": last exit 3$/m);
    assert.match(plain, /^ {2}error replicas-one: /m);
    assert.match(plain, /in 2 objects in the cluster$/m);
    assert.doesNotMatch(plain, /\(cluster\)|:0:0/);
  });

  it("JSON gives findings and objects no file, line or col, and carries the live facts", () => {
    const json = JSON.parse(formatJson(result));
    for (const item of [...json.findings, ...json.objects]) {
      assert.deepEqual(
        ["file", "line", "col"].filter((key) => key in item),
        [],
      );
    }
    assert.deepEqual(json.objects[0].live.stuckPods, stuckPods);
  });

  it("SARIF locates each finding by its object alone, and stays valid", () => {
    const log = JSON.parse(formatSarif(result));
    const validate = sarifValidator();
    assert.ok(validate(log), JSON.stringify(validate.errors));
    const location = log.runs[0].results[0].locations[0];
    assert.equal(location.physicalLocation, undefined);
    assert.equal(location.logicalLocations[0].fullyQualifiedName, "Deployment shop/web");
  });

  it("JUnit names the object as the case's class, with no file or line", () => {
    const xml = formatJunit(result);
    assert.match(xml, /<testcase name="replicas-one" classname="Deployment shop\/web">/);
    assert.doesNotMatch(xml, /file="|line="|:0:0/);
  });
});
