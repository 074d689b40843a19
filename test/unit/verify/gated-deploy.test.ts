// deploy --verify's decision on recorded rollouts (test/fixtures/verify: real pods, endpoints and load
// on the testbed): a release is kept only when its rollout completed, the run was not cut short, and
// every SLO threshold held; and which Deployment's rollout the load watches.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { InputError } from "../../../src/errors.ts";
import type { KubeObject } from "../../../src/k8s/object.ts";
import { checkSlo, parseSlo } from "../../../src/load/slo.ts";
import { auditObjects } from "../../../src/verify/audit.ts";
import { DEFAULT_DEPLOY_SLO } from "../../../src/verify/gate-defaults.ts";
import { refusal, servingDeployment } from "../../../src/verify/gated-deploy.ts";
import type { Timeline } from "../../../src/verify/timeline.ts";
import { verdict } from "../../../src/verify/verdict.ts";

function fixture(name: string): Timeline {
  return JSON.parse(readFileSync(new URL(`../../fixtures/verify/${name}.json`, import.meta.url), "utf8"));
}

function decide(timeline: Timeline, slo = DEFAULT_DEPLOY_SLO): string | undefined {
  return refusal(timeline, verdict(timeline, auditObjects(timeline.objects)), checkSlo(slo, timeline.load));
}

test("a rollout that failed no request keeps the release under the default SLO", () => {
  assert.equal(decide(fixture("rollout-zero-downtime")), undefined);
});

test("a rollout that dropped requests is refused under the default SLO, naming the threshold and the measured value", () => {
  // 81 of 375 requests failed while pods without a preStop went Terminating: 78.4 % success.
  assert.equal(decide(fixture("rollout-no-prestop")), "SLO broken: success>=99.9% (measured 78.4%)");
});

test("the SLO decides, not zero downtime: failures within a looser SLO keep the release", () => {
  const timeline = fixture("rollout-no-prestop");
  assert.equal(decide(timeline, parseSlo("success>=75%")), undefined);
  assert.equal(decide(timeline, parseSlo("errors<25%")), undefined);
  assert.equal(decide(timeline, parseSlo("errors<20%")), "SLO broken: errors<20% (measured 21.6%)");
});

test("a threshold the run did not measure refuses the release: nothing shows it held", () => {
  // The recording predates latency summaries: a p99 bound cannot be proved on it.
  assert.equal(
    decide(fixture("rollout-zero-downtime"), parseSlo("success>=99.9%,p99<500ms")),
    "SLO broken: p99<500ms (measured not measured)",
  );
});

test("a run cut short, or a rollout never seen complete, refuses the release whatever the SLO says", () => {
  const good = fixture("rollout-zero-downtime");
  assert.equal(
    decide({ ...good, interrupted: "interrupted by SIGINT" }),
    "the verification was cut short (interrupted by SIGINT)",
  );
  const incomplete = {
    ...good,
    events: good.events.filter((e) => !(e.kind === "phase" && e.phase === "rollout-complete")),
  };
  assert.equal(decide(incomplete), "rollout did not complete");
});

const deployment = (name: string, namespace?: string): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name, ...(namespace ? { namespace } : {}) },
});
const service: KubeObject = { apiVersion: "v1", kind: "Service", metadata: { name: "web" } };
const mysql: KubeObject = { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "mysql" } };

test("the load watches the input's only Deployment, or the one --verify-target names", () => {
  assert.deepEqual(servingDeployment([service, mysql, deployment("wordpress", "blog")], undefined), {
    name: "wordpress",
    namespace: "blog",
  });
  assert.deepEqual(servingDeployment([deployment("api"), deployment("web")], "web"), { name: "web" });
});

test("no Deployment, an ambiguous input or a name not in it is refused before anything runs", () => {
  for (const [objects, named, message] of [
    [[service, mysql], undefined, /the input has none/],
    [
      [deployment("api"), deployment("web")],
      undefined,
      /2 Deployments \(api, web\): name the one .* --verify-target/,
    ],
    [[deployment("api")], "web", /no Deployment "web" to verify/],
  ] as const) {
    assert.throws(
      () => servingDeployment(objects, named),
      (error: unknown) => error instanceof InputError && message.test(error.message),
    );
  }
});
