// check --fix through the shapes manifests come in: comments and blank lines, flow style, JSON,
// multi-document streams, Lists, other indentation habits; and what it refuses to touch (anchors,
// aliases, merge keys). Untouched lines stay byte for byte.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse, parseAllDocuments } from "yaml";
import { fixManifests } from "../../../../src/check/fix/fix-manifests.ts";

const fix = (text: string, file = "app.yaml") => fixManifests([{ file, text }]);
const fixedText = (text: string, file?: string) => fix(text, file).texts[0]!.text;

/** Lines of `before` kept in `after`, in order: every one must be there unchanged. */
function assertKeptLines(before: string, after: string, except: RegExp) {
  const lines = after.split("\n");
  let at = 0;
  for (const line of before.split("\n")) {
    if (except.test(line)) continue;
    const found = lines.indexOf(line, at);
    assert.ok(found >= 0, `line lost or changed: ${JSON.stringify(line)}`);
    at = found + 1;
  }
}

const SERVICE = `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
`;

/** A Deployment behind SERVICE with a Recreate strategy; `strategy` is the YAML of spec.strategy. */
const deployment = (strategy: string, extra = "") => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 3
  strategy: ${strategy}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:${extra}
      containers:
      - name: web
        image: example/web:1.4.2
        ports: [{containerPort: 8080}]
`;

describe("check --fix keeps the file as it was written", () => {
  it("keeps comments, blank lines and quoting, and comments what it changed", () => {
    const before = `# shop front end
${SERVICE}---
# the web tier
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web       # the name the Service selects
  namespace: "shop"

spec:
  replicas: 3   # enough for one node down
  strategy:
    type: 'Recreate'   # TODO: was fine in dev
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: example/web:1.4.2
        ports: [{containerPort: 8080}]
`;
    const after = fixedText(before);
    assertKeptLines(before, after, /type: 'Recreate'/);
    assert.match(after, /^ {4}type: 'RollingUpdate' {3}# TODO: was fine in dev$/m);
    assert.match(after, /^ {4}rollingUpdate:\n {6}maxSurge: 1\n {6}maxUnavailable: 0$/m);
    assert.match(after, /^ {8}# endpoints are removed before SIGTERM/m);
    const deploymentDoc = parseAllDocuments(after)[1]!.toJS();
    assert.equal(deploymentDoc.spec.strategy.type, "RollingUpdate");
    assert.equal(deploymentDoc.spec.template.spec.containers[0].lifecycle.preStop.sleep.seconds, 10);
  });

  it("writes into flow mappings in flow style", () => {
    const before = `${SERVICE}---\n${deployment("{type: Recreate}")}`;
    const after = fixedText(before);
    assert.match(
      after,
      /^ {2}strategy: \{type: RollingUpdate, rollingUpdate: \{maxSurge: 1, maxUnavailable: 0\}\}$/m,
    );
    assertKeptLines(before, after, /strategy:/);
  });

  it("removes a field from a flow mapping", () => {
    const before = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec: {replicas: 3, selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: "example/web:1.4.2"}]}}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, minReplicas: 3, maxReplicas: 6}
`;
    const result = fix(before);
    assert.ok(result.fixed.some((f) => f.rule === "hpa-replicas-conflict"));
    const spec = parseAllDocuments(result.texts[0]!.text)[0]!.toJS().spec;
    assert.equal(spec.replicas, undefined);
    assert.match(result.texts[0]!.text, /^spec: \{selector: /m);
  });

  it("writes JSON as JSON (kubectl get -o json), multi-line and all", () => {
    const object = parse(deployment("{type: Recreate}"));
    const before = JSON.stringify(
      { apiVersion: "v1", kind: "List", items: [parse(SERVICE), object] },
      null,
      4,
    );
    const after = fixedText(before, "app.json");
    const fixed = JSON.parse(after).items[1];
    assert.deepEqual(fixed.spec.strategy, {
      type: "RollingUpdate",
      rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
    });
    assert.equal(fixed.spec.template.spec.containers[0].lifecycle.preStop.sleep.seconds, 10);
    assert.deepEqual(fix(after, "app.json").changed, [], "a second --fix changes nothing");
  });

  it("fixes the right document of a stream and leaves the others byte for byte", () => {
    const docs = [SERVICE, deployment("{type: Recreate}"), SERVICE.replaceAll("web", "api")];
    const before = `---\n${docs.join("---\n")}...\n`;
    const after = fixedText(before);
    const [first, second, third] = after.split(/^---\n/m).filter(Boolean);
    assert.equal(first, SERVICE);
    assert.notEqual(second, docs[1]);
    assert.equal(third, `${docs[2]}...\n`);
  });

  it("fixes an item of a List in place", () => {
    const indent = (text: string) => text.trimEnd().replace(/^/gm, "    ").replace(/^ {4}/, "  - ");
    const before = `apiVersion: v1
kind: List
items:
${indent(SERVICE)}
${indent(deployment("{type: Recreate}"))}
`;
    const result = fix(before);
    assert.ok(result.fixed.length >= 2);
    const items = parse(result.texts[0]!.text).items;
    assert.equal(items[1].spec.strategy.type, "RollingUpdate");
    assert.deepEqual(items[0], parse(SERVICE));
    assert.deepEqual(result.after.fixable, []);
  });

  it("keeps CRLF line ends on the lines it adds", () => {
    const before = `${SERVICE}---\n${deployment("\n    type: Recreate")}`.replaceAll("\n", "\r\n");
    const after = fixedText(before);
    assert.notEqual(after, before);
    assert.doesNotMatch(after, /(?<!\r)\n/);
    assert.deepEqual(fix(after).changed, []);
  });

  it("follows the file's indentation and sequence habits", () => {
    const before = `${SERVICE}---\n${deployment("Recreate_")
      .replace("strategy: Recreate_\n", "strategy:\n    type: Recreate\n")
      .replace(/^( +)/gm, (spaces) => " ".repeat(spaces.length * 2))
      .replace("      - name: web", "        - name: web")}`;
    // 4-space mappings, sequences indented below their key
    const after = fixedText(before);
    assert.match(after, /^ {8}rollingUpdate:\n {12}maxSurge: 1$/m);
    assert.match(after, /^( +)preferredDuringSchedulingIgnoredDuringExecution:\n\1 {4}- weight: 100$/m);
    // and sequences level with their key, where the file writes them so
    const level = fixedText(`${SERVICE}---\n${deployment("{type: RollingUpdate}")}`);
    assert.match(level, /^( +)preferredDuringSchedulingIgnoredDuringExecution:\n\1- weight: 100$/m);
  });
});

describe("check --fix leaves alone what it cannot change safely", () => {
  /** A Deployment whose only fixable finding is its strategy, written as `strategy` (YAML lines). */
  const onlyStrategy = (strategy: string) => `${SERVICE}---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 3
  strategy:${strategy}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "example/web:1.4.2", ports: [{containerPort: 8080}], lifecycle: {preStop: {sleep: {seconds: 10}}}}]
      affinity: {podAntiAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 100, podAffinityTerm: {topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app: web}}}}]}}
`;

  it("refuses a field reached through an alias or carrying an anchor, and says why", () => {
    const result = fix(onlyStrategy(" &shared {type: Recreate}"));
    assert.deepEqual(result.changed, []);
    assert.equal(result.refused.length, 1);
    assert.equal(result.refused[0]!.finding.rule, "rolling-update-unsafe");
    assert.match(result.refused[0]!.reason, /anchor/);
    assert.ok(result.after.findings.some((f) => f.rule === "rolling-update-unsafe"));
  });

  it("refuses a mapping that takes fields from a merge key", () => {
    const result = fix(onlyStrategy("\n    <<: {type: Recreate}"));
    assert.deepEqual(result.changed, []);
    assert.match(result.refused[0]?.reason ?? "", /merge key/);
  });

  it("invents nothing: a mutable image tag or missing resources stay findings without a fix", () => {
    const result = fix(
      `${SERVICE}---\n${deployment("{type: RollingUpdate}").replace("web:1.4.2", "web:latest")}`,
    );
    const left = new Set(result.after.findings.map((f) => f.rule));
    assert.ok(left.has("image-tag-mutable"));
    assert.ok(left.has("qos-best-effort"));
    assert.equal(result.after.fixable.length, 0);
  });
});
