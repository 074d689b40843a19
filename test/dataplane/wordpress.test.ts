// The WordPress blueprint on real nodes: `shipshape deploy` with the testbed's images and
// storage classes becomes Ready (MariaDB on a provisioned RWO volume, WordPress on a shared
// RWX one), and WordPress answers from every replica with its database reachable.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import type { V1Pod } from "@kubernetes/client-node";
import { shipshape } from "../integration/deploy-support.ts";
import { core, freshNamespace, httpGet, isReady, testbed } from "./support/dataplane.ts";

let ns = "";
let deploy: Awaited<ReturnType<typeof shipshape>>;

before(async () => {
  ns = await freshNamespace("dp-wordpress");
  const { images, storage } = await testbed();
  const sets = [
    `namespace=${ns}`,
    `wordpressImage=${images.wordpress}`,
    `mysqlImage=${images.mysql}`,
    `storageClass=${storage.rwx}`,
    `dbStorageClass=${storage.rwo}`,
    // Short drains keep the test fast; the seed's 20 s are for production.
    "preStopSeconds=2",
    "terminationGracePeriodSeconds=10",
  ];
  deploy = await shipshape([
    "deploy",
    "wordpress",
    "--domain",
    "blog.example.com",
    "--set",
    "ingress=none",
    ...sets.flatMap((s) => ["--set", s]),
    "--timeout",
    "300s",
  ]);
});

async function webPods(): Promise<V1Pod[]> {
  const { items } = await core.listNamespacedPod({
    namespace: ns,
    labelSelector: "app=wordpress,tier=frontend",
  });
  return items.filter((p) => !p.metadata?.deletionTimestamp);
}

test("the blueprint deploys Ready on real nodes with provisioned volumes, web pods on 3 different nodes", async () => {
  assert.equal(deploy.code, 0, deploy.stdout + deploy.stderr);
  assert.match(deploy.stdout, /deployed; all ready/);
  const pods = await webPods();
  assert.equal(pods.length, 3);
  assert.ok(pods.every(isReady));
  assert.equal(new Set(pods.map((p) => p.spec?.nodeName)).size, 3);
  const { items: claims } = await core.listNamespacedPersistentVolumeClaim({ namespace: ns });
  assert.deepEqual(claims.map((c) => [c.spec?.accessModes?.[0], c.status?.phase]).sort(), [
    ["ReadWriteMany", "Bound"],
    ["ReadWriteOnce", "Bound"],
  ]);
});

test("every WordPress replica serves the installer from the shared volume, connected to MariaDB", async () => {
  for (const pod of await webPods()) {
    const { status, body } = await httpGet(`http://${pod.status?.podIP}/wp-admin/install.php`);
    assert.equal(status, 200, body.slice(0, 500));
    assert.doesNotMatch(body, /Error establishing a database connection/);
    assert.match(body, /WordPress/);
  }
});
