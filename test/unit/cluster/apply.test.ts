import assert from "node:assert/strict";
import { test } from "node:test";
import { previousConfiguration } from "../../../src/cluster/apply.ts";
import type { KubeObject } from "../../../src/k8s/object.ts";

test("the rollback target is what shipshape had applied before, without controller annotations or defaults", () => {
  const before: KubeObject = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name: "wordpress",
      namespace: "blog",
      resourceVersion: "41",
      annotations: { "deployment.kubernetes.io/revision": "2" },
      managedFields: [
        {
          manager: "shipshape",
          operation: "Apply",
          fieldsV1: {
            "f:spec": {
              "f:replicas": {},
              "f:template": {
                "f:spec": { "f:containers": { 'k:{"name":"wordpress"}': { "f:image": {}, "f:name": {} } } },
              },
            },
          },
        },
      ],
    },
    spec: {
      replicas: 3,
      revisionHistoryLimit: 10,
      template: {
        spec: {
          containers: [
            { name: "wordpress", image: "wordpress:6.8.3-apache", imagePullPolicy: "IfNotPresent" },
          ],
        },
      },
    },
    status: { replicas: 3 },
  };
  assert.deepEqual(previousConfiguration(before), {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "wordpress", namespace: "blog" },
    spec: {
      replicas: 3,
      template: { spec: { containers: [{ name: "wordpress", image: "wordpress:6.8.3-apache" }] } },
    },
  });
});

test("an object shipshape never applied is restored from its whole previous spec", () => {
  const before: KubeObject = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name: "web",
      namespace: "blog",
      uid: "u",
      annotations: { "deployment.kubernetes.io/revision": "5", team: "blog" },
    },
    spec: { replicas: 2 },
    status: { replicas: 2 },
  };
  assert.deepEqual(previousConfiguration(before), {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "blog", annotations: { team: "blog" } },
    spec: { replicas: 2 },
  });
});
