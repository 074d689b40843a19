import assert from "node:assert/strict";
import { test } from "node:test";
import { wordpress } from "../../../src/blueprint/blueprints/wordpress.ts";
import { InputError } from "../../../src/errors.ts";
import { APP_LABEL, labelled, resolveApp } from "../../../src/k8s/app-identity.ts";
import type { KubeObject } from "../../../src/k8s/object.ts";

const object = (name: string, app?: string): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, ...(app ? { labels: { [APP_LABEL]: app } } : {}) },
});

test("an app is named by --app or declared by the objects' label, never guessed", () => {
  assert.equal(resolveApp([object("a")], "blog"), "blog");
  assert.equal(resolveApp([object("a", "blog"), object("b")], undefined), "blog");
  assert.throws(() => resolveApp([object("a")], undefined), /name the app with --app NAME/);
  assert.throws(() => resolveApp([], undefined), InputError);
});

test("objects declaring another app than --app, or two apps, are refused", () => {
  assert.throws(
    () => resolveApp([object("a", "shop")], "blog"),
    (error: InputError) =>
      error.oneLine() === 'ConfigMap a: labelled shipshape.dev/app=shop, but --app is "blog"',
  );
  assert.throws(
    () => resolveApp([object("a", "shop"), object("b", "blog")], undefined),
    /several apps \(shop, blog\)/,
  );
});

test("an app name must be usable as a label value and inside object names", () => {
  for (const bad of ["Blog", "-blog", "blog_1", "a".repeat(41), ""])
    assert.throws(() => resolveApp([object("a")], bad), /app name/, bad);
  assert.equal(resolveApp([object("a")], "blog-2"), "blog-2");
});

test("labelled adds the app label to top-level metadata only, keeping the object's own labels", () => {
  const deployment: KubeObject = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", labels: { tier: "frontend" } },
    spec: { selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } } } },
  };
  const out = labelled(deployment, "blog");
  assert.deepEqual(out.metadata.labels, { tier: "frontend", [APP_LABEL]: "blog" });
  assert.deepEqual(out.spec, deployment.spec);
  assert.deepEqual(deployment.metadata.labels, { tier: "frontend" }, "the input is not changed");
});

test("the WordPress blueprint labels everything it emits as app wordpress", () => {
  const objects = wordpress().objects();
  assert.ok(objects.length > 5);
  for (const o of objects)
    assert.equal(o.metadata.labels?.[APP_LABEL], "wordpress", `${o.kind} ${o.metadata.name}`);
  assert.equal(resolveApp(objects, undefined), "wordpress");
});
