// `shipshape deploy` says why a workload is not ready, from real failures on real nodes: an
// image that is not there (pull policy Never), a container that keeps crashing (with its log
// tail), and a readiness probe that fails (with the kubelet's own message).
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, test } from "node:test";
import type { V1Container } from "@kubernetes/client-node";
import { stringify } from "yaml";
import { type CliRun, shipshape } from "../integration/deploy-support.ts";
import { freshNamespace, webContainer } from "./support/dataplane.ts";

let ns = "";
const runs: Record<string, CliRun> = {};

function deployment(name: string, container: V1Container): string {
  const labels = { app: name };
  const file = join(mkdtempSync(join(tmpdir(), "shipshape-dp-")), `${name}.yaml`);
  writeFileSync(
    file,
    stringify({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [container] } },
      },
    }),
  );
  return file;
}

before(async () => {
  ns = await freshNamespace("dp-diagnosis");
  const files = {
    absent: deployment("absent", {
      ...(await webContainer()),
      image: "shipshape.test/absent:1",
      imagePullPolicy: "Never",
    }),
    crasher: deployment(
      "crasher",
      // With a readiness probe, as production pods have: without one, the moment the container
      // runs counts as available, and the rollout completes before the first crash.
      await webContainer({
        command: ["sh", "-c", "echo 'crasher: cannot open /etc/crasher.conf' >&2; exit 3"],
        readinessProbe: { httpGet: { path: "/healthz", port: "http" } },
      }),
    ),
    unready: deployment(
      "unready",
      await webContainer({
        readinessProbe: { httpGet: { path: "/missing", port: "http" }, periodSeconds: 2 },
      }),
    ),
  };
  // Side by side: each waits out its own timeout.
  await Promise.all(
    Object.entries(files).map(async ([app, file]) => {
      runs[app] = await shipshape(["deploy", file, "-n", ns, "--app", app, "--timeout", "45s"]);
    }),
  );
});

test("an image the node does not have, with pull policy Never, is reported as ErrImageNeverPull", () => {
  const run = runs.absent;
  assert.notEqual(run?.code, 0);
  assert.match(run?.stdout ?? "", /ErrImageNeverPull/);
  assert.match(run?.stdout ?? "", /shipshape\.test\/absent:1/);
});

test("a crashing container is reported as CrashLoopBackOff with its exit code and the last lines of its log", () => {
  const run = runs.crasher;
  assert.notEqual(run?.code, 0);
  assert.match(run?.stdout ?? "", /CrashLoopBackOff/);
  assert.match(run?.stdout ?? "", /last exit code 3/);
  assert.match(run?.stdout ?? "", /crasher: cannot open \/etc\/crasher\.conf/);
});

test("a failing readiness probe is reported with the kubelet's message", () => {
  const run = runs.unready;
  assert.notEqual(run?.code, 0);
  assert.match(run?.stdout ?? "", /ReadinessProbeFailing|Readiness probe failed/);
  assert.match(run?.stdout ?? "", /statuscode: 404/);
});
