import assert from "node:assert/strict";
import { test } from "node:test";
import { imagePinning, isValidImageReference, parseImage } from "../../../src/k8s/image.ts";

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

test("image references the kubelet parses, and the ones it refuses as InvalidImageName", () => {
  const digest = `sha256:${"ab12".repeat(16)}`;
  for (const image of [
    "nginx",
    "nginx:1.27.0",
    "docker.io/library/nginx:1.27.0-alpine",
    "localhost:5000/team/app:v2",
    "registry.k8s.io/ingress-nginx/controller:v1.5.2@" + digest,
    "quay.io/prometheus/node_exporter:v1.8.2",
    "gcr.io/google_samples/gb-redisslave:v1",
    "[::1]:5000/app:1",
    "app@" + digest,
  ])
    assert.ok(isValidImageReference(image), image);
  for (const image of [
    "gcr.io/google-samples/microservices-demo/redis:alpine:v0.3.6",
    "MyImage:1.0",
    "nginx:",
    "nginx:-1",
    "nginx@sha256:abc",
    "{{ .Values.image }}",
    "nginx:1.27 ",
    `nginx:${"x".repeat(129)}`,
  ])
    assert.ok(!isValidImageReference(image), image);
});
