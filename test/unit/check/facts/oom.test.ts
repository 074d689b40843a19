import assert from "node:assert/strict";
import { test } from "node:test";
import type { Container } from "kubernetes-types/core/v1.js";
import { oomScoreAdj } from "../../../../src/check/facts/oom.ts";

const GiB = 1024 ** 3;
const node = 16 * GiB;

function c(name: string, requests?: Record<string, string>, limits?: Record<string, string>): Container {
  return { name, image: "app:1", resources: { requests, limits } };
}

test("Guaranteed pods get -997, BestEffort 1000", () => {
  const limits = { cpu: "1", memory: "1Gi" };
  assert.equal(oomScoreAdj({ containers: [c("a", limits, limits)] }, "a", node), -997);
  assert.equal(oomScoreAdj({ containers: [c("a")] }, "a", node), 1000);
});

test("node-critical pods get -997 whatever their resources", () => {
  assert.equal(
    oomScoreAdj({ priorityClassName: "system-node-critical", containers: [c("a")] }, "a", node),
    -997,
  );
});

test("Burstable: 1000 - 1000*request/capacity, truncated like Go integer division", () => {
  // 10% of the node: 900.
  assert.equal(oomScoreAdj({ containers: [c("a", { memory: `${0.1 * node}` })] }, "a", node), 900);
  // 1Gi of 16Gi: 1000 - 62.5 → 1000 - 62 = 938.
  assert.equal(oomScoreAdj({ containers: [c("a", { memory: "1Gi" })] }, "a", node), 938);
  // A limit without a request counts as the request (the pod is Burstable through the cpu request).
  assert.equal(oomScoreAdj({ containers: [c("a", { cpu: "100m" }, { memory: "1Gi" })] }, "a", node), 938);
});

test("Burstable scores are clamped into [3, 999]", () => {
  // Requests the whole node: 0 → raised to 3 (above Guaranteed's 1000-997).
  assert.equal(oomScoreAdj({ containers: [c("a", { memory: "16Gi" })] }, "a", node), 3);
  // A container without a memory request in a Burstable pod: 1000 → lowered to 999 (below BestEffort).
  const spec = { containers: [c("a", { memory: "1Gi" }), c("b", { cpu: "100m" })] };
  assert.equal(oomScoreAdj(spec, "b", node), 999);
});

test("a sidecar never scores above the regular container with the smallest request", () => {
  const spec = {
    containers: [c("app", { memory: "2Gi" }), c("worker", { memory: "4Gi" })],
    initContainers: [{ ...c("proxy", { memory: "64Mi" }), restartPolicy: "Always" }],
  };
  // On its own the proxy would score 1000 - 3 = 997; the app (2Gi) scores 875, so the proxy gets 875.
  assert.equal(oomScoreAdj(spec, "app", node), 875);
  assert.equal(oomScoreAdj(spec, "proxy", node), 875);
  // A plain init container is not a sidecar and keeps its own score.
  const plain = {
    containers: [c("app", { memory: "2Gi" })],
    initContainers: [c("init", { memory: "64Mi" })],
  };
  assert.equal(oomScoreAdj(plain, "init", node), 997);
});

test("pod-level memory requests not given to containers are shared out equally", () => {
  const spec = {
    resources: { requests: { memory: "4Gi" } },
    containers: [c("a", { memory: "1Gi" }), c("b")],
  };
  // 3Gi unallocated over 2 containers: a counts 1Gi + 1.5Gi = 2.5Gi → 1000 - 156 = 844; b 1.5Gi → 907.
  assert.equal(oomScoreAdj(spec, "a", node), 844);
  assert.equal(oomScoreAdj(spec, "b", node), 907);
});
