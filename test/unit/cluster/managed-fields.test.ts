import assert from "node:assert/strict";
import { test } from "node:test";
import { appliedFields, comparable } from "../../../src/cluster/managed-fields.ts";
import type { KubeObject } from "../../../src/k8s/object.ts";

// A live Deployment as the API server returns it after `shipshape` applied image and replicas:
// defaults and controller fields are there too, owned by nobody or by other managers.
const live: KubeObject = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: {
    name: "web",
    namespace: "blog",
    uid: "1234",
    resourceVersion: "99",
    generation: 3,
    annotations: { "deployment.kubernetes.io/revision": "3" },
    managedFields: [
      {
        manager: "shipshape",
        operation: "Apply",
        apiVersion: "apps/v1",
        fieldsType: "FieldsV1",
        fieldsV1: {
          "f:spec": {
            "f:replicas": {},
            "f:template": {
              "f:spec": {
                "f:containers": {
                  'k:{"name":"wordpress"}': { ".": {}, "f:image": {}, "f:name": {}, "f:args": {} },
                },
              },
            },
          },
        },
      },
      {
        manager: "kube-controller-manager",
        operation: "Update",
        apiVersion: "apps/v1",
        fieldsV1: { "f:metadata": { "f:annotations": { "f:deployment.kubernetes.io/revision": {} } } },
      },
    ],
  },
  spec: {
    replicas: 3,
    progressDeadlineSeconds: 600,
    template: {
      spec: {
        containers: [
          { name: "wordpress", image: "wordpress:6.4", args: ["a", "b"], imagePullPolicy: "IfNotPresent" },
          { name: "sidecar", image: "injected:1" },
        ],
        dnsPolicy: "ClusterFirst",
      },
    },
  },
  status: { replicas: 3 },
};

test("comparable keeps only what the shipshape manager applied (plus identity), dropping defaults, other managers and status", () => {
  assert.deepEqual(comparable(live, appliedFields(live)), {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "blog" },
    spec: {
      replicas: 3,
      template: { spec: { containers: [{ name: "wordpress", image: "wordpress:6.4", args: ["a", "b"] }] } },
    },
  });
});

test("comparable without a field set drops only status and server bookkeeping", () => {
  const whole = comparable(live);
  assert.equal("status" in whole, false);
  assert.deepEqual(Object.keys(whole.metadata as object).sort(), ["annotations", "name", "namespace"]);
});

test("an object nobody applied yet has no applied fields", () => {
  assert.deepEqual(appliedFields(undefined), {});
});
