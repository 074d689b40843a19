// Which Secrets the output needs generated, read back from the objects (what deploy acts on).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { wordpress } from "../../../src/blueprint/blueprints/wordpress.ts";
import { generatedSecrets, generatePassword, generateSecret } from "../../../src/k8s/generated-secrets.ts";
import type { KubeObject } from "../../../src/k8s/object.ts";

describe("generated secrets", () => {
  it("declares the DB Secret and the WordPress salts, every key the workloads reference, for deploy", () => {
    const objects = wordpress({ namespace: "blog" }).objects();
    const salts = ["auth", "secure-auth", "logged-in", "nonce"]
      .flatMap((n) => [`${n}-key`, `${n}-salt`])
      .sort();
    assert.deepEqual(generatedSecrets(objects), [
      {
        namespace: "blog",
        name: "wordpress-mysql",
        keys: ["mysql-password", "mysql-root-password"],
        included: false,
      },
      { namespace: "blog", name: "wordpress-salts", keys: salts, included: false },
    ]);
    const referenced = new Set(
      JSON.stringify(objects)
        .match(/"secretKeyRef":\{"name":"[^"]+","key":"[^"]+"\}/g)
        ?.map((ref) => JSON.parse(`{${ref}}`).secretKeyRef)
        .map(({ name, key }: { name: string; key: string }) => `${name}/${key}`),
    );
    const declared = generatedSecrets(objects).flatMap((need) =>
      need.keys.map((key) => `${need.name}/${key}`),
    );
    assert.deepEqual([...referenced].sort(), declared.sort());
  });

  it("marks the Secrets as included when --with-secrets put them in the output", () => {
    const needs = generatedSecrets(wordpress({ withSecrets: true }).objects());
    assert.deepEqual(
      needs.map((n) => n.included),
      [true, true],
    );
  });

  it("reads the annotation from any object, merging keys per Secret", () => {
    const workload = (annotation: string): KubeObject => ({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: {
        name: "x",
        namespace: "ns",
        annotations: { "shipshape.dev/generated-secrets": annotation },
      },
    });
    assert.deepEqual(generatedSecrets([workload("db: b, a; cache: token"), workload("db: c")]), [
      { namespace: "ns", name: "cache", keys: ["token"], included: false },
      { namespace: "ns", name: "db", keys: ["a", "b", "c"], included: false },
    ]);
  });

  it("generates 192-bit URL-safe passwords that differ every time", () => {
    const passwords = new Set(Array.from({ length: 100 }, generatePassword));
    assert.equal(passwords.size, 100);
    for (const password of passwords) assert.match(password, /^[A-Za-z0-9_-]{32}$/);
    const secret = generateSecret({ namespace: "ns", name: "db", keys: ["a", "b"] });
    assert.equal(secret.metadata?.annotations?.["shipshape.dev/generated-secret"], "true");
    assert.notEqual(secret.stringData?.a, secret.stringData?.b);
  });
});
