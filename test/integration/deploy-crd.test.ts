// Custom resources: the CRD is applied first and waited for (Established) before the objects of its kind.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { shipshape, testCluster } from "./deploy-support.ts";
import { freshNamespace } from "./support/cluster.ts";

const cluster = testCluster();
let ns = "";
// Cluster-scoped and so shared by every test run on this testbed: a name of its own per run.
const group = `t${Date.now().toString(36)}.shipshape.test`;

before(async () => {
  ns = await freshNamespace("deploy-crd");
});

after(() =>
  cluster.delete({
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `widgets.${group}` },
  }),
);

test("a custom object and its CRD in one input: the CRD goes first and is Established before the object is applied", async () => {
  const dir = mkdtempSync(join(tmpdir(), "shipshape-crd-"));
  // Written object first, CRD second: the order comes from the kinds, not the file.
  writeFileSync(
    join(dir, "all.yaml"),
    `apiVersion: ${group}/v1
kind: Widget
metadata:
  name: blue
spec:
  size: 3
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.${group}
spec:
  group: ${group}
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          x-kubernetes-preserve-unknown-fields: true
`,
  );
  const run = await shipshape(["deploy", dir, "-n", ns, "--app", "widgets", "--timeout", "60s"]);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  const lines = run.stdout.split("\n");
  const crdAt = lines.findIndex((l) => l.startsWith(`created CustomResourceDefinition widgets.${group}`));
  const widgetAt = lines.findIndex((l) => l.startsWith(`created Widget ${ns}/blue`));
  assert.ok(crdAt >= 0 && widgetAt > crdAt, run.stdout);
  const widget = await cluster.get({
    apiVersion: `${group}/v1`,
    kind: "Widget",
    metadata: { name: "blue", namespace: ns },
  });
  assert.deepEqual(widget?.spec, { size: 3 });
});
