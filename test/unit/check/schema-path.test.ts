import assert from "node:assert/strict";
import { test } from "node:test";
import { parseFieldPath } from "../../../src/check/rules/schema-invalid.ts";

test("schema violation paths become field paths for line:col", () => {
  assert.deepEqual(parseFieldPath("spec.template.spec.containers[0].ports[1].containerPort"), [
    "spec",
    "template",
    "spec",
    "containers",
    0,
    "ports",
    1,
    "containerPort",
  ]);
  assert.deepEqual(parseFieldPath('metadata.annotations["cert-manager.io/cluster-issuer"]'), [
    "metadata",
    "annotations",
    "cert-manager.io/cluster-issuer",
  ]);
  assert.deepEqual(parseFieldPath("(root)"), []);
  assert.deepEqual(parseFieldPath("spec"), ["spec"]);
});
