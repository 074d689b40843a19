// The inventory: objects that leave the input are pruned on the next deploy — data only when asked.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { interrupted, shipshape, testCluster } from "./deploy-support.ts";
import { freshNamespace } from "./support/cluster.ts";

const cluster = testCluster();
let ns = "";
let storageClass = "";

const configMap = () => `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  WP_DEBUG: "false"
`;
const deployment = () => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27.3
          resources:
            requests: {cpu: 100m, memory: 64Mi}
            limits: {cpu: 100m, memory: 64Mi}
`;
const claim = () => `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: uploads
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: ${storageClass}
  resources:
    requests: {storage: 1Gi}
`;

function manifests(name: string, ...documents: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), `shipshape-prune-${name}-`));
  mkdirSync(dir, { recursive: true });
  documents.forEach((doc, i) => {
    writeFileSync(join(dir, `${i}.yaml`), doc);
  });
  return dir;
}

const get = (kind: string, name: string) =>
  cluster.get({ apiVersion: "v1", kind, metadata: { name, namespace: ns } });

before(async () => {
  ns = await freshNamespace("deploy-prune");
  // A class that binds on first consumer: the claim is settled without a provisioner.
  storageClass = `wffc-${ns}`;
  await cluster.apply(
    {
      apiVersion: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: { name: storageClass },
      provisioner: "shipshape.test/none",
      volumeBindingMode: "WaitForFirstConsumer",
    },
    { force: true },
  );
});

after(() =>
  cluster.delete({ apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: storageClass } }),
);

test("an object removed from the input is pruned; a PVC is kept until --prune-data", async () => {
  const full = manifests("full", configMap(), deployment(), claim());
  const first = await shipshape(["deploy", full, "-n", ns, "--app", "blog", "--timeout", "60s"]);
  assert.equal(first.code, 0, first.stdout + first.stderr);
  assert.ok(await get("ConfigMap", "settings"));

  const slim = manifests("slim", deployment());
  const second = await shipshape(["deploy", slim, "-n", ns, "--app", "blog", "--timeout", "60s"]);
  assert.equal(second.code, 0, second.stdout + second.stderr);
  assert.match(second.stdout, new RegExp(`pruned ConfigMap ${ns}/settings`));
  assert.match(second.stdout, new RegExp(`= keep PersistentVolumeClaim ${ns}/uploads: holds data`));
  assert.equal(await get("ConfigMap", "settings"), undefined);
  const kept = await get("PersistentVolumeClaim", "uploads");
  assert.ok(kept && !kept.metadata.deletionTimestamp, "the PVC survives a prune");

  const withData = await shipshape([
    "deploy",
    slim,
    "-n",
    ns,
    "--app",
    "blog",
    "--prune-data",
    "--timeout",
    "60s",
  ]);
  assert.equal(withData.code, 0, withData.stdout + withData.stderr);
  assert.match(withData.stdout, new RegExp(`pruned PersistentVolumeClaim ${ns}/uploads`));
  const gone = await get("PersistentVolumeClaim", "uploads");
  assert.ok(!gone || gone.metadata.deletionTimestamp, "the PVC is deleted with --prune-data");
  // The inventory now records only what is deployed.
  const inventory = await get("ConfigMap", "shipshape-inventory-blog");
  assert.deepEqual(
    JSON.parse(String((inventory?.data as Record<string, string> | undefined)?.objects)).map(
      (r: { kind: string }) => r.kind,
    ),
    ["Deployment"],
  );
});

test("an unknown custom kind with no CRD is refused before anything is applied, naming the object", async () => {
  const dir = manifests(
    "crd",
    configMap().replace("settings", "never-applied"),
    `apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata:
  name: wordpress
spec:
  routes: []
`,
  );
  const run = await shipshape(["deploy", dir, "-n", ns, "--app", "crd", "--timeout", "10s"]);
  assert.equal(run.code, 2, run.stdout + run.stderr);
  assert.match(
    run.stderr,
    new RegExp(
      `IngressRoute (${ns}/)?wordpress: the cluster serves no kind IngressRoute in traefik.io/v1alpha1`,
    ),
  );
  assert.equal(await get("ConfigMap", "never-applied"), undefined);
});

test("Ctrl-C in the middle of a deploy leaks nothing: the next run prunes what it may have created, and a full run converges", async () => {
  const half = configMap().replace("settings", "half");
  const full = manifests("interrupt", half, deployment().replace(/name: web$/m, "name: half-web"));
  const stopped = await interrupted(
    ["deploy", full, "-n", ns, "--app", "interrupt", "--timeout", "60s"],
    /created ConfigMap/,
  );
  assert.notEqual(stopped.code, 0, stopped.stdout);
  // The interrupted run recorded its intent before applying: a deploy without the Deployment removes it.
  const without = await shipshape([
    "deploy",
    manifests("interrupt-cm", half),
    "-n",
    ns,
    "--app",
    "interrupt",
    "--timeout",
    "60s",
  ]);
  assert.equal(without.code, 0, without.stdout + without.stderr);
  const leaked = await cluster.get({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "half-web", namespace: ns },
  });
  assert.ok(!leaked || leaked.metadata.deletionTimestamp, "no Deployment leaked from the interrupted run");
  const rerun = await shipshape(["deploy", full, "-n", ns, "--app", "interrupt", "--timeout", "60s"]);
  assert.equal(rerun.code, 0, rerun.stdout + rerun.stderr);
  assert.match(rerun.stdout, /all ready/);
});
