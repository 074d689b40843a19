// --atomic is atomic (every object back, a failed first install removed with its data kept, Ctrl-C and
// SIGTERM roll back too), and the Helm-like lifecycle: apps, history, rollback, delete.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { blueprintArgs, blueprintVolumes, interrupted, shipshape, testCluster } from "./deploy-support.ts";
import { freshNamespace } from "./support/cluster.ts";

const cluster = testCluster();
/** A release that can never become ready: web pods asking more CPU than any node has (and the HPA's
 * minimum raised). Not required anti-affinity: its symmetry would also keep the previous release's pods
 * off every node the failed ones hold, so no rollback could become ready while the HPA keeps 5. */
const crowded = ["replicas=5", "cpu=64", "wordpressImage=wordpress:6.8.2-apache"];

const hpaMin = async (ns: string) =>
  (
    (
      await cluster.get({
        apiVersion: "autoscaling/v2",
        kind: "HorizontalPodAutoscaler",
        metadata: { name: "wordpress", namespace: ns },
      })
    )?.spec as { minReplicas?: number } | undefined
  )?.minReplicas;

test("--atomic puts the HPA back too, not only the Deployment", async () => {
  const ns = await freshNamespace("atomic-hpa");
  await blueprintVolumes(ns);
  const first = await shipshape([...blueprintArgs("deploy", ns), "--timeout", "120s"]);
  assert.equal(first.code, 0, first.stdout + first.stderr);
  assert.equal(await hpaMin(ns), 3);
  const failed = await shipshape([
    ...blueprintArgs("deploy", ns, ...crowded),
    "--timeout",
    "20s",
    "--atomic",
  ]);
  assert.equal(failed.code, 1, failed.stdout + failed.stderr);
  assert.match(
    failed.stdout,
    new RegExp(`rolled back HorizontalPodAutoscaler ${ns}/wordpress to the previous release`),
  );
  assert.match(failed.stdout, /rollback complete: the previous release is back and ready/);
  assert.equal(await hpaMin(ns), 3);
  const history = await shipshape(["history", "--app", "wordpress", "-n", ns]);
  assert.equal(history.code, 0, history.stderr);
  assert.match(history.stdout, /^v1\s+deployed\s/m);
  assert.match(history.stdout, /^v2\s+rolled-back\s/m);
});

test("a failed first install with --atomic removes the app and keeps its data (PVCs, generated Secrets)", async () => {
  const ns = await freshNamespace("atomic-first");
  await blueprintVolumes(ns);
  const run = await shipshape([...blueprintArgs("deploy", ns, ...crowded), "--timeout", "15s", "--atomic"]);
  assert.equal(run.code, 1, run.stdout + run.stderr);
  assert.match(
    run.stdout,
    new RegExp(`removed Deployment ${ns}/wordpress \\(created by the failed release\\)`),
  );
  assert.match(run.stdout, new RegExp(`kept Secret ${ns}/wordpress-mysql \\(holds data\\)`));
  assert.doesNotMatch(run.stdout, /rollback complete: nothing had been changed/);
  const gone = await cluster.get({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "wordpress", namespace: ns },
  });
  assert.ok(!gone || gone.metadata.deletionTimestamp, "the Deployment is removed");
  const secret = await cluster.get({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "wordpress-mysql", namespace: ns },
  });
  assert.ok(secret && !secret.metadata.deletionTimestamp, "the generated DB Secret is kept");
  const claims = await cluster.list("v1", "PersistentVolumeClaim", ns);
  assert.ok(
    claims.items.length >= 2 && claims.items.every((c) => !c.metadata.deletionTimestamp),
    "PVCs are kept",
  );
});

for (const [signal, exit] of [
  ["SIGINT", 130],
  ["SIGTERM", 143],
] as const) {
  test(`${signal} while waiting rolls an --atomic deploy back, exit ${exit}`, async () => {
    const ns = await freshNamespace(`atomic-${signal.toLowerCase()}`);
    await blueprintVolumes(ns);
    const first = await shipshape([...blueprintArgs("deploy", ns), "--timeout", "120s"]);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    const stopped = await interrupted(
      [...blueprintArgs("deploy", ns, ...crowded), "--timeout", "120s", "--atomic"],
      /configured Deployment/,
      signal,
    );
    assert.equal(stopped.code, exit, stopped.stdout);
    assert.match(
      stopped.stdout,
      new RegExp(`rolled back Deployment ${ns}/wordpress to the previous release`),
    );
    assert.match(stopped.stdout, /rollback complete: the previous release is back and ready/);
    assert.equal(await hpaMin(ns), 3);
  });
}

function manifest(...docs: string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), "shipshape-life-")), "app.yaml");
  writeFileSync(file, docs.join("---\n"));
  return file;
}
const configMap = (name: string, value: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  value: "${value}"\n`;
const secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: key\nstringData:\n  key: do-not-lose-this\n";

test("apps, history, rollback --to and delete: what a release recorded comes back, data survives a delete", async () => {
  const ns = await freshNamespace("lifecycle");
  const get = (kind: string, name: string) =>
    cluster.get({ apiVersion: "v1", kind, metadata: { name, namespace: ns } });
  assert.equal(
    (await shipshape(["deploy", manifest(configMap("settings", "1"), secret), "-n", ns, "--app", "shop"]))
      .code,
    0,
  );
  const v2 = await shipshape([
    "deploy",
    manifest(configMap("settings", "2"), configMap("extra", "x"), secret),
    "-n",
    ns,
    "--app",
    "shop",
  ]);
  assert.equal(v2.code, 0, v2.stdout + v2.stderr);

  const apps = await shipshape(["apps", "-n", ns]);
  assert.equal(apps.code, 0, apps.stderr);
  assert.match(apps.stdout, new RegExp(`^${ns}\\s+shop\\s+3\\s+v2\\s+deployed\\s`, "m"));

  const back = await shipshape(["rollback", "--app", "shop", "-n", ns, "--to", "1"]);
  assert.equal(back.code, 0, back.stdout + back.stderr);
  assert.match(back.stdout, new RegExp(`pruned ConfigMap ${ns}/extra`));
  assert.equal(
    ((await get("ConfigMap", "settings"))?.data as Record<string, string> | undefined)?.value,
    "1",
  );
  const history = await shipshape(["history", "--app", "shop", "-n", ns]);
  assert.match(history.stdout, /^v3\s+deployed\s+\S+\s+rollback to v1$/m);

  const missing = await shipshape(["rollback", "--app", "shop", "-n", ns, "--to", "9"]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /has no release v9 \(have: v1 deployed, v2 deployed, v3 deployed\)/);

  const refused = await shipshape(["delete", "--app", "shop", "-n", ns]);
  assert.equal(refused.code, 2, "no terminal: delete needs --yes");
  assert.ok(await get("ConfigMap", "settings"));
  const deleted = await shipshape(["delete", "--app", "shop", "-n", ns, "--yes"]);
  assert.equal(deleted.code, 0, deleted.stdout + deleted.stderr);
  assert.match(deleted.stdout, new RegExp(`= keep Secret ${ns}/key: holds data`));
  assert.equal(await get("ConfigMap", "settings"), undefined);
  assert.ok(await get("Secret", "key"), "the user's Secret is kept");
  const all = await shipshape(["delete", "--app", "shop", "-n", ns, "--prune-data", "--yes"]);
  assert.equal(all.code, 0, all.stdout + all.stderr);
  assert.equal(await get("Secret", "key"), undefined);
  assert.equal(await get("ConfigMap", "shipshape-inventory-shop"), undefined);
  assert.equal((await shipshape(["apps", "-n", ns])).stdout, `no apps in namespace ${ns}\n`);
});

test("delete keeps the Secrets deploy generated as the app's data and --prune-data deletes them; a look-alike Secret another tool made is left", async () => {
  const ns = await freshNamespace("delete-generated");
  await blueprintVolumes(ns);
  const secret = (name: string) =>
    cluster.get({ apiVersion: "v1", kind: "Secret", metadata: { name, namespace: ns } });
  // The user made the salts themselves, labelled and marked as `synth --with-secrets` prints them,
  // with kubectl: deploy keeps it (it never overwrites a Secret), and it is not shipshape's to delete.
  await cluster.request("POST", `/api/v1/namespaces/${ns}/secrets`, {
    body: {
      apiVersion: "v1",
      kind: "Secret",
      metadata: {
        name: "wordpress-salts",
        labels: { "shipshape.dev/app": "wordpress" },
        annotations: { "shipshape.dev/generated-secret": "true" },
      },
      stringData: { AUTH_KEY: "the user's own" },
    },
    query: { fieldManager: "kubectl-create" },
  });
  const deployed = await shipshape([...blueprintArgs("deploy", ns), "--timeout", "120s"]);
  assert.equal(deployed.code, 0, deployed.stdout + deployed.stderr);
  assert.match(deployed.stdout, new RegExp(`generated Secret ${ns}/wordpress-mysql`), deployed.stdout);
  const generated = await secret("wordpress-mysql");
  assert.ok(generated);

  const plan = await shipshape(["delete", "--app", "wordpress", "-n", ns, "--dry-run"]);
  assert.equal(plan.code, 0, plan.stdout + plan.stderr);
  assert.match(
    plan.stdout,
    new RegExp(`^ {2}= keep Secret ${ns}/wordpress-mysql: holds data \\(delete with --prune-data\\)$`, "m"),
  );
  assert.match(
    plan.stdout,
    new RegExp(`^ {2}! leave Secret ${ns}/wordpress-salts: not applied by shipshape$`, "m"),
  );

  const kept = await shipshape(["delete", "--app", "wordpress", "-n", ns, "--yes"]);
  assert.equal(kept.code, 0, kept.stdout + kept.stderr);
  assert.match(kept.stdout, /^app wordpress deleted; its data is kept \(\d+ object\(s\)\)$/m);
  assert.equal(
    (await secret("wordpress-mysql"))?.metadata.uid,
    generated.metadata.uid,
    "the same Secret, kept",
  );

  const pruned = await shipshape(["delete", "--app", "wordpress", "-n", ns, "--prune-data", "--yes"]);
  assert.equal(pruned.code, 0, pruned.stdout + pruned.stderr);
  assert.match(pruned.stdout, new RegExp(`^deleted Secret ${ns}/wordpress-mysql$`, "m"));
  assert.equal(await secret("wordpress-mysql"), undefined);
  assert.equal(
    ((await secret("wordpress-salts"))?.data as Record<string, string> | undefined)?.AUTH_KEY,
    Buffer.from("the user's own").toString("base64"),
    "the user's Secret is left as it was",
  );
  assert.equal(
    await cluster.get({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "shipshape-inventory-wordpress", namespace: ns },
    }),
    undefined,
  );
});
