// The seed's CephFS storage (`synth wordpress --rook`: a Rook CephFilesystem and the CephFS
// StorageClass) against Rook's own CRDs, which the testbed installs from Rook's module download
// (testbed/rook.sh; the operator is not run, there are no disks): `deploy --dry-run` plans every
// object with a strict server-side dry-run, so the apiserver judges them by Rook's schema, and the
// same dry-run refuses a field Rook does not define instead of dropping it.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { parseAllDocuments } from "yaml";
import { shipshape, testCluster } from "./deploy-support.ts";
import { freshNamespace } from "./support/cluster.ts";
import { testbedPublished } from "./support/published.ts";

const cluster = testCluster();
let ns = "";
let rookNamespace = "";

before(async () => {
  const published = await testbedPublished();
  assert.equal(published["rook.crds"], "true", "the testbed publishes rook.crds: is testbed/rook.sh run?");
  rookNamespace = published["rook.namespace"] ?? "";
  ns = await freshNamespace("rook-crds");
});

async function synthRook(): Promise<string> {
  const synth = await shipshape(["synth", "wordpress", "--rook", "--namespace", ns]);
  assert.equal(synth.code, 0, synth.stderr);
  return synth.stdout;
}

/** `deploy - --dry-run` of `yaml`: the plan, nothing applied. */
const dryRun = (yaml: string) => shipshape(["deploy", "-", "--app", "wordpress", "--dry-run"], yaml);

test("synth --rook output passes a strict server-side dry-run against Rook's CRDs, and nothing is created", async () => {
  const yaml = await synthRook();
  const run = await dryRun(yaml);
  // 1: the plan has changes (everything is new); 2 would be an object the apiserver refused.
  assert.equal(run.code, 1, run.stdout + run.stderr);
  assert.match(run.stdout, new RegExp(`\\+ create CephFilesystem ${rookNamespace}/myfs\\b`), run.stdout);
  assert.match(run.stdout, /\+ create StorageClass csi-cephfs\b/, run.stdout);
  const fs = await cluster.get({
    apiVersion: "ceph.rook.io/v1",
    kind: "CephFilesystem",
    metadata: { namespace: rookNamespace, name: "myfs" },
  });
  assert.equal(fs, undefined, "a dry-run creates nothing");
});

test("the same dry-run refuses a CephFilesystem field Rook's schema does not define, naming it", async () => {
  const docs = parseAllDocuments(await synthRook());
  const cephfs = docs.find((d) => d.get("kind") === "CephFilesystem");
  assert.ok(cephfs, "synth --rook emits a CephFilesystem");
  // A typo of activeCount: a schema that let it through would leave the filesystem its default.
  cephfs.setIn(["spec", "metadataServer", "activeCont"], 1);
  const run = await dryRun(docs.map((d) => d.toString()).join(""));
  assert.equal(run.code, 2, run.stdout + run.stderr);
  assert.match(run.stderr, /CephFilesystem .*myfs.*activeCont/, run.stderr);
});
