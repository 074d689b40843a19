import assert from "node:assert/strict";
import { test } from "node:test";
import { imagePinning, parseImage } from "../../../src/k8s/image.ts";

test("parseImage splits registry ports, tags and digests apart", () => {
  assert.deepEqual(parseImage("registry.local:5000/org/mysql:8.4.6@sha256:abc"), {
    repository: "registry.local:5000/org/mysql",
    name: "mysql",
    tag: "8.4.6",
    digest: "sha256:abc",
  });
  assert.deepEqual(parseImage("registry.local:5000/mysql"), {
    repository: "registry.local:5000/mysql",
    name: "mysql",
  });
});

test("an image is pinned by a digest or a version tag, never by no tag or a channel tag", () => {
  assert.deepEqual(imagePinning("wordpress:6.8.3-apache"), { pinned: true });
  assert.deepEqual(imagePinning(`wordpress@sha256:${"a".repeat(64)}`), { pinned: true });
  assert.deepEqual(imagePinning("wordpress:stable@sha256:abc"), { pinned: true });
  assert.deepEqual(imagePinning("wordpress"), { pinned: false });
  assert.deepEqual(imagePinning("wordpress:latest"), { pinned: false, tag: "latest" });
  assert.deepEqual(imagePinning("wordpress:Stable"), { pinned: false, tag: "Stable" });
});
