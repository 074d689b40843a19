// What check says on real manifests nobody here wrote (test/fixtures/corpus/): every finding judged
// right, so a rule that starts crying wolf on them — a new finding, or a severity going up — fails here.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { checkObjects } from "../../../src/check/engine.ts";
import { readManifests } from "../../../src/manifest/read.ts";

const CORPUS = join(import.meta.dirname, "../../fixtures/corpus");

test("the corpus of real applications raises only findings judged right, at the policy's severity", async () => {
  const { findings } = checkObjects(await readManifests([CORPUS]));
  assert.deepEqual(findings.map((f) => `${f.severity} ${f.rule} ${f.object.kind}/${f.object.name}`).sort(), [
    // The operator creates Alertmanager's pods from the custom resource: not in the input.
    "info pdb-selects-nothing PodDisruptionBudget/alertmanager-main",
    // Hardening advice: no seccomp profile, runAsNonRoot or dropped capabilities; a writable root.
    "info pod-security-restricted Deployment/kube-state-metrics",
    "info root-filesystem-writable Deployment/kube-state-metrics",
    "info service-selects-nothing Service/alertmanager-main",
    // No requests at all; one replica behind a Service that only serves metrics pauses the metrics.
    "warning qos-best-effort Deployment/kube-state-metrics",
    "warning replicas-single Deployment/kube-state-metrics",
  ]);
});
