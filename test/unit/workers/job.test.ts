import assert from "node:assert/strict";
import { test } from "node:test";
import { validateObject } from "../../../src/k8s/schema.ts";
import type { WorkerSpec } from "../../../src/load/worker.ts";
import { WORKER_SPEC_ENV, workerJob } from "../../../src/workers/job.ts";

const spec: WorkerSpec = {
  load: { url: "http://web.shop.svc.cluster.local/", qps: 400, connections: 4, durationMs: 10_000 },
  workers: 4,
  startAt: Date.UTC(2026, 0, 1),
};
const job = workerJob({
  name: "shipshape-load-abc123",
  namespace: "shop",
  image: "shipshape:1",
  spec,
  deadlineSeconds: 150,
});
// biome-ignore lint/suspicious/noExplicitAny: reading a manifest's nested fields
const jobSpec = job.spec as any;
const pod = jobSpec.template.spec;

test("the worker Job is valid Kubernetes 1.36 (offline OpenAPI schema)", () => {
  assert.deepEqual(validateObject(job), []);
});

test("one pod per share, none replaced, none stopping the others, and a deadline for a CLI that was killed", () => {
  assert.equal(jobSpec.completionMode, "Indexed");
  assert.equal(jobSpec.completions, 4);
  assert.equal(jobSpec.parallelism, 4);
  assert.equal(jobSpec.backoffLimitPerIndex, 0);
  assert.equal(jobSpec.activeDeadlineSeconds, 150);
  assert.ok(jobSpec.ttlSecondsAfterFinished > 0);
  assert.equal(pod.restartPolicy, "Never");
  const container = pod.containers[0];
  assert.deepEqual(container.args, ["load-worker"]);
  assert.deepEqual(
    JSON.parse(container.env.find((e: { name: string }) => e.name === WORKER_SPEC_ENV).value),
    spec,
  );
});

test("the worker pods meet Pod Security's restricted profile", () => {
  const container = pod.containers[0];
  assert.equal(pod.securityContext.runAsNonRoot, true);
  assert.equal(pod.securityContext.seccompProfile.type, "RuntimeDefault");
  assert.equal(container.securityContext.allowPrivilegeEscalation, false);
  assert.deepEqual(container.securityContext.capabilities.drop, ["ALL"]);
  assert.equal(
    pod.automountServiceAccountToken,
    false,
    "a worker needs no API access: its log is its channel",
  );
});
