// Server-side apply's field ownership: fields another manager owns are reported, taken over only when asked.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, test } from "node:test";
import { HttpMethod } from "@kubernetes/client-node";
import { shipshape, testCluster } from "./deploy-support.ts";
import { freshNamespace } from "./support/cluster.ts";

const cluster = testCluster();
let ns = "";
let file = "";

before(async () => {
  ns = await freshNamespace("deploy-conflict");
  // Another team's tool owns .data.WP_DEBUG (applied with its own field manager).
  await cluster.request(HttpMethod.PATCH, `/api/v1/namespaces/${ns}/configmaps/settings`, {
    query: { fieldManager: "other-team" },
    contentType: "application/apply-patch+yaml",
    body: {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "settings", namespace: ns },
      data: { WP_DEBUG: "true" },
    },
  });
  file = join(mkdtempSync(join(tmpdir(), "shipshape-conflict-")), "settings.yaml");
  writeFileSync(
    file,
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  WP_DEBUG: "false"\n`,
  );
});

const debugValue = async () =>
  (await cluster.get({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings", namespace: ns } }))
    ?.data as Record<string, string> | undefined;

test("a field another manager owns is a conflict: deploy exits 2 before applying anything, names the manager and field", async () => {
  const run = await shipshape(["deploy", file, "-n", ns, "--app", "conflict", "--timeout", "20s"]);
  assert.equal(run.code, 2, run.stdout + run.stderr);
  assert.match(
    run.stdout,
    new RegExp(`apply failed: ConfigMap ${ns}/settings: .*conflict with "other-team".*\\.data\\.WP_DEBUG`),
  );
  assert.match(run.stdout, /--force-conflicts/);
  assert.equal((await debugValue())?.WP_DEBUG, "true");
  const diff = await shipshape(["diff", file, "-n", ns, "--app", "conflict"]);
  assert.match(diff.stdout, /^ {4}conflict: .*other-team.*\(deploy needs --force-conflicts\)$/m);
});

test("--force-conflicts takes the field over", async () => {
  const run = await shipshape([
    "deploy",
    file,
    "-n",
    ns,
    "--app",
    "conflict",
    "--force-conflicts",
    "--timeout",
    "20s",
  ]);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, new RegExp(`configured ConfigMap ${ns}/settings`));
  assert.equal((await debugValue())?.WP_DEBUG, "false");
});
