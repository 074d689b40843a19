// The WordPress blueprint on real nodes: `shipshape deploy` with the testbed's images and
// storage classes becomes Ready (MariaDB on a provisioned RWO volume, WordPress on a shared
// RWX one), WordPress answers from every replica with its database reachable, and a post
// written through HTTP survives losing the database pod and restarting every web pod.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { AppsV1Api, type V1Pod } from "@kubernetes/client-node";
import { shipshape } from "../integration/deploy-support.ts";
import {
  core,
  freshNamespace,
  httpGet,
  isReady,
  kubeConfig,
  testbedBlueprintArgs,
  waitFor,
} from "./support/dataplane.ts";
import {
  freshAdmin,
  installWordPress,
  publishPost,
  type Site,
  postTitle as titleAt,
} from "./support/wordpress-site.ts";

const DOMAIN = "blog.example.com";

let ns = "";
let deploy: Awaited<ReturnType<typeof shipshape>>;

before(async () => {
  ns = await freshNamespace("dp-wordpress");
  deploy = await shipshape([
    "deploy",
    "wordpress",
    "--domain",
    DOMAIN,
    // A topology spread (max skew 1), not the default preferred anti-affinity: other files drain
    // nodes of the shared testbed meanwhile, and with nodes cordoned the scheduler may put two
    // preferred pods on one node; a spread waits for the uncordon instead, and still lets the HPA
    // add replicas past the node count.
    ...(await testbedBlueprintArgs(ns, "ingress=none", "antiAffinity=spread")),
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

test("the blueprint deploys Ready on real nodes with provisioned volumes, web pods on 3 different nodes (topology spread)", async () => {
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

async function readyWebIP(): Promise<string> {
  const pods = await waitFor(
    async () => {
      const ready = (await webPods()).filter(isReady);
      return ready.length >= 3 && ready;
    },
    { timeoutMs: 180_000, what: "3 ready WordPress pods" },
  );
  return pods[0]?.status?.podIP ?? "";
}

const site = (host: string): Site => ({ host, port: 80, domain: DOMAIN });

async function postTitle(id: string): Promise<string | undefined> {
  return titleAt(site(await readyWebIP()), id);
}

test("a post written through HTTP survives deleting the MySQL pod and a rollout restart of WordPress", async () => {
  const ip = await readyWebIP();
  const admin = freshAdmin();
  await installWordPress(site(ip), admin);
  const title = `Written at ${new Date().toISOString()}`;
  const id = await publishPost(site(ip), admin, title);
  assert.equal(await postTitle(id), title);

  const mysql = await core.readNamespacedPod({ name: "wordpress-mysql-0", namespace: ns });
  await core.deleteNamespacedPod({ name: "wordpress-mysql-0", namespace: ns });
  await waitFor(
    async () => {
      const pod = await core.readNamespacedPod({ name: "wordpress-mysql-0", namespace: ns });
      return pod.metadata?.uid !== mysql.metadata?.uid && isReady(pod);
    },
    { timeoutMs: 180_000, what: "a new, ready MySQL pod" },
  );
  assert.equal(
    await waitFor(() => postTitle(id), { timeoutMs: 60_000, what: "the post after the DB restart" }),
    title,
  );

  const before = new Set((await webPods()).map((p) => p.metadata?.uid));
  const apps = kubeConfig().makeApiClient(AppsV1Api);
  // As `kubectl rollout restart` does, a patch (a replace of the object read would conflict with the
  // HPA and the controller writing it meanwhile).
  const web = await apps.readNamespacedDeployment({ name: "wordpress", namespace: ns });
  const restartedAt = new Date().toISOString();
  await apps.patchNamespacedDeployment({
    name: "wordpress",
    namespace: ns,
    body: web.spec?.template.metadata?.annotations
      ? [
          {
            op: "add",
            path: "/spec/template/metadata/annotations/kubectl.kubernetes.io~1restartedAt",
            value: restartedAt,
          },
        ]
      : [
          {
            op: "add",
            path: "/spec/template/metadata/annotations",
            value: { "kubectl.kubernetes.io/restartedAt": restartedAt },
          },
        ],
  });
  await waitFor(
    async () => {
      const pods = await webPods();
      // At least 3: the HPA may add one for the CPU the new pods spend starting.
      return pods.length >= 3 && pods.every((p) => !before.has(p.metadata?.uid) && isReady(p));
    },
    { timeoutMs: 240_000, what: "only new, ready WordPress pods after the restart" },
  );
  assert.equal(await postTitle(id), title);
});
