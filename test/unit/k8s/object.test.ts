import assert from "node:assert/strict";
import { test } from "node:test";
import { describeObject } from "../../../src/k8s/object.ts";

test("an object is named kind namespace/name, and unnamed when it has no name", () => {
  assert.equal(
    describeObject({ kind: "Deployment", metadata: { namespace: "blog", name: "web" } }),
    "Deployment blog/web",
  );
  assert.equal(describeObject({ kind: "Service", metadata: {} }), "Service (unnamed)");
});

test("a mapping where the name belongs is named by its JSON, not a crash (it has no usable toString)", () => {
  const name = { toString: false } as unknown as string;
  assert.equal(describeObject({ kind: "Deployment", metadata: { name } }), 'Deployment {"toString":false}');
});
