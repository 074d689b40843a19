import assert from "node:assert/strict";
import { test } from "node:test";
import { managedViews } from "../../../src/cluster/managed-fields.ts";
import { redactSecretValues } from "../../../src/cluster/secret-values.ts";
import type { KubeObject } from "../../../src/k8s/object.ts";

const secret = (fields: Record<string, unknown>): KubeObject => ({
  apiVersion: "v1",
  kind: "Secret",
  metadata: { name: "api", namespace: "team-a" },
  ...fields,
});

test("API error text never carries a Secret's values, as written or base64-encoded", () => {
  const s = secret({
    stringData: { token: "987654321012" },
    data: { key: Buffer.from("hunter2-long").toString("base64") },
  });
  const message = `Secret "api" is invalid: [stringData[token]: Invalid value: {Value:987654321012}, data[key]: ${Buffer.from("987654321012").toString("base64")} and hunter2-long]`;
  const redacted = redactSecretValues(message, s);
  assert.doesNotMatch(redacted, /987654321012|hunter2-long/);
  assert.doesNotMatch(redacted, new RegExp(Buffer.from("987654321012").toString("base64")));
  assert.match(redacted, /stringData\[token\]: Invalid value: \{Value:\*\*\*\}/);
  assert.equal(
    redactSecretValues(message, { ...s, kind: "ConfigMap" }),
    message,
    "other kinds are left alone",
  );
});

const managed = (fields: Record<string, unknown>) => [
  { manager: "shipshape", operation: "Apply", fieldsV1: fields },
];

test("a changed Secret value is a change, shown only as masked before/after", () => {
  const fields = {
    "f:metadata": { "f:annotations": { "f:note": {} } },
    "f:stringData": { "f:password": {} },
  };
  const live = secret({ data: { password: Buffer.from("old-password").toString("base64") } });
  live.metadata = { ...live.metadata, annotations: { note: "old-password" }, managedFields: managed(fields) };
  const planned = secret({ data: { password: Buffer.from("new-password").toString("base64") } });
  planned.metadata = {
    ...planned.metadata,
    annotations: { note: "old-password" },
    managedFields: managed(fields),
  };
  const { before, after } = managedViews(live, planned);
  assert.deepEqual(before.data, { password: "*** (before)" });
  assert.deepEqual(after.data, { password: "*** (after)" });
  assert.deepEqual((after.metadata as { annotations: unknown }).annotations, { note: "***" });
  assert.doesNotMatch(JSON.stringify([before, after]), /password"?:"[^*]|old-password|new-password/);
});

test("a field shipshape stopped setting shows as removed", () => {
  const withSelector = { "f:spec": { "f:template": { "f:spec": { "f:nodeSelector": {} } } } };
  const live: KubeObject = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", managedFields: managed(withSelector) },
    spec: { template: { spec: { nodeSelector: { disk: "ssd" } } } },
  };
  const planned: KubeObject = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", managedFields: managed({ "f:spec": { "f:template": {} } }) },
    spec: { template: { spec: {} } },
  };
  const { before, after } = managedViews(live, planned);
  assert.deepEqual((before.spec as { template: unknown }).template, {
    spec: { nodeSelector: { disk: "ssd" } },
  });
  assert.notDeepEqual(before, after);
});
