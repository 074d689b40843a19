// Where one rule speaks at different severities, the choice is the point: pinned here per fixture.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { allRules } from "../../../src/check/rules/index.ts";
import { FIXTURES, runRules } from "./fixtures.ts";

function severities(ruleId: string, fixture: string): string[] {
  const rule = allRules.find((r) => r.id === ruleId)!;
  return runRules([rule], join(FIXTURES, ruleId, fixture)).map(
    (f) => `${f.subject.object.kind}/${f.subject.object.metadata.name}: ${f.severity ?? rule.severity}`,
  );
}

test("replicas-single: an error for what serves traffic, a warning for workers and databases", () => {
  assert.deepEqual(severities("replicas-single", "fail-default-replicas.yaml"), [
    "Deployment/wordpress: error",
  ]);
  // The HPA-scaled API has no Service in that fixture: it only pauses.
  assert.deepEqual(severities("replicas-single", "fail-hpa-min-one.yaml"), ["Deployment/api: warning"]);
  // Its only Service is a metrics scrape target: no user request fails.
  assert.deepEqual(severities("replicas-single", "fail-metrics-only-service.yaml"), [
    "Deployment/kube-state-metrics: warning",
  ]);
  // A Redis master is a store of its own: a second replica would be a second store, not a standby.
  assert.deepEqual(severities("replicas-single", "fail-redis-single-instance.yaml"), [
    "Deployment/redis-master: warning",
  ]);
});

test("service-selects-nothing: pods an operator creates from a custom resource in the input are an info", () => {
  assert.deepEqual(severities("service-selects-nothing", "fail-operator-pods-not-in-input.yaml"), [
    "Service/prometheus-k8s: info",
  ]);
  assert.deepEqual(severities("service-selects-nothing", "fail-pod-name-of-no-replica.yaml"), [
    "Service/kafka-external: warning",
  ]);
});

test("secret-ref-missing: info when the Secret may live in the cluster, error when a present Secret lacks the key", () => {
  assert.deepEqual(severities("secret-ref-missing", "fail-secret-not-in-input.yaml"), [
    "StatefulSet/mysql: info",
    "StatefulSet/mysql: info",
  ]);
  assert.deepEqual(severities("secret-ref-missing", "fail-key-not-in-secret.yaml"), [
    "Deployment/wordpress: error",
  ]);
});

test("rolling-update-unsafe: Recreate on a web tier and all-pods-down are errors, a capacity dip a warning", () => {
  assert.deepEqual(severities("rolling-update-unsafe", "fail-recreate-web-tier.yaml"), [
    "Deployment/wordpress: error",
  ]);
  assert.deepEqual(severities("rolling-update-unsafe", "fail-all-unavailable.yaml"), [
    "Deployment/api: error",
  ]);
  assert.deepEqual(severities("rolling-update-unsafe", "fail-default-drops-capacity.yaml"), [
    "Deployment/api: warning",
  ]);
});

test("ingress-without-tls: no TLS at all and one uncovered host are both warnings (a risk, no outage)", () => {
  assert.deepEqual(severities("ingress-without-tls", "fail-plain-http.yaml"), ["Ingress/wordpress: warning"]);
  assert.deepEqual(severities("ingress-without-tls", "fail-host-not-covered.yaml"), [
    "Ingress/wordpress: warning",
  ]);
});

test("pod-security-baseline and -restricted: errors where the input's Namespace enforces the level", () => {
  assert.deepEqual(severities("pod-security-baseline", "fail-kernel-profiles.yaml"), [
    "Pod/tuner: error",
    "Pod/tuner: error",
    "Pod/tuner: error",
    "Pod/tuner: error",
    "Pod/tuner: error",
    "Pod/tuner: error",
  ]);
  assert.deepEqual(severities("pod-security-baseline", "fail-host-access.yaml"), [
    "DaemonSet/shipper: warning",
    "DaemonSet/shipper: warning",
    "DaemonSet/shipper: warning",
    "DaemonSet/shipper: warning",
    "DaemonSet/shipper: warning",
  ]);
  assert.deepEqual(severities("pod-security-restricted", "fail-enforced.yaml"), [
    "Pod/api: error",
    "Pod/api: error",
  ]);
  assert.deepEqual(severities("pod-security-restricted", "fail-defaults.yaml"), [
    "Deployment/wordpress: info",
    "Deployment/wordpress: info",
  ]);
});

test("network-policy-missing: a warning for an internal service left open, info behind an Ingress", () => {
  assert.deepEqual(severities("network-policy-missing", "fail-db-left-open.yaml"), [
    "StatefulSet/db: warning",
  ]);
  assert.deepEqual(severities("network-policy-missing", "fail-public-web-open.yaml"), [
    "Deployment/web: info",
  ]);
});
