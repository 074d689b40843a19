// `shipshape status` on the testbed (real control plane, KWOK nodes): a workload the scheduler cannot
// place is shown not ready with the scheduler's own reason, its Ingress and the namespace's warnings;
// -A finds the same namespace among the others.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { namespaceStatus } from "../../src/cluster/status.ts";
import { shipshape, testCluster } from "./deploy-support.ts";
import { freshNamespace, waitFor } from "./support/cluster.ts";

const cluster = testCluster();
let ns = "";

before(async () => {
  ns = await freshNamespace("status");
  const labels = { app: "greedy" };
  await cluster.apply({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "greedy", namespace: ns },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            { name: "web", image: "nginx:1.27.3", resources: { requests: { cpu: "500", memory: "1Gi" } } },
          ],
        },
      },
    },
  });
  await cluster.apply({
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: { name: "greedy", namespace: ns },
    spec: {
      tls: [{ hosts: ["greedy.example.com"], secretName: "greedy-tls" }],
      rules: [
        {
          host: "greedy.example.com",
          http: {
            paths: [
              {
                path: "/",
                pathType: "Prefix",
                backend: { service: { name: "greedy", port: { number: 80 } } },
              },
            ],
          },
        },
      ],
    },
  });
  await waitFor(
    async () =>
      (await namespaceStatus(cluster, ns)).workloads[0]?.why.some((l) => l.includes("Insufficient cpu")),
    { timeoutMs: 60_000, what: "the scheduler to refuse the greedy pods" },
  );
});

test("a workload that cannot be scheduled is not ready, and status says why with the scheduler's message", async () => {
  const run = await shipshape(["status", "-n", ns]);
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stdout, /Deployment\/greedy\s+0\/2\s+waiting: .*none \(no pod scheduled\)/);
  assert.match(
    run.stdout,
    /^Why not ready\n {2}Deployment\/greedy:\n {4}Unschedulable \(Pod greedy-.*Insufficient cpu/m,
  );
  assert.match(
    run.stdout,
    /greedy\s+-\s+greedy\.example\.com\s+greedy\.example\.com \(secret greedy-tls\)\s+greedy\.example\.com\/ → greedy:80/,
  );
  assert.match(run.stdout, /^Recent warnings\n/m);
  assert.match(run.stdout, /Pod greedy-\S+\s+FailedScheduling/);
});

test("-A shows every namespace, this one among them, each row naming its namespace", async () => {
  const run = await shipshape(["status", "-A", "--json"]);
  assert.equal(run.code, 1, run.stderr);
  const status = JSON.parse(run.stdout) as Awaited<ReturnType<typeof namespaceStatus>>;
  assert.equal(status.namespace, undefined);
  const greedy = status.workloads.find((w) => w.namespace === ns && w.name === "greedy");
  assert.equal(greedy?.readiness.state, "waiting");
  assert.ok(status.ingresses.some((i) => i.namespace === ns && i.name === "greedy"));
});
