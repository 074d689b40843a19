import assert from "node:assert/strict";
import { test } from "node:test";
import type { Event, Pod } from "kubernetes-types/core/v1.js";
import { type StatusListing, statusOf } from "../../../src/cluster/status.ts";
import { formatStatus } from "../../../src/cluster/status-text.ts";
import type { KubeObject } from "../../../src/k8s/object.ts";

// Objects as the API server lists them, trimmed to the fields status reads.
const NOW = Date.parse("2026-05-01T12:00:00Z");

const deployment = (name: string, replicas: number, readyReplicas: number): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name, namespace: "blog", generation: 1 },
  spec: { replicas, selector: { matchLabels: { app: name } } },
  status: {
    observedGeneration: 1,
    replicas,
    updatedReplicas: replicas,
    readyReplicas,
    availableReplicas: readyReplicas,
  },
});

const pod = (name: string, app: string, node?: string, extra: Partial<Pod> = {}): Pod => ({
  metadata: { name, namespace: "blog", labels: { app } },
  spec: {
    containers: [{ name: "web", image: "wordpress:6.8.2-apache" }],
    ...(node ? { nodeName: node } : {}),
  },
  status: { phase: "Running", qosClass: "Guaranteed" },
  ...extra,
});

const pending = (name: string): Pod =>
  pod(name, "shop", undefined, {
    status: {
      phase: "Pending",
      qosClass: "Burstable",
      conditions: [
        {
          type: "PodScheduled",
          status: "False",
          reason: "Unschedulable",
          message: "0/3 nodes are available: 3 Insufficient cpu.",
        },
      ],
    },
  });

const warning = (name: string, reason: string, message: string, at: string, count = 1): Event => ({
  metadata: { name: `${name}.1`, namespace: "blog" },
  involvedObject: { kind: "Pod", name, namespace: "blog" },
  type: "Warning",
  reason,
  message,
  count,
  lastTimestamp: at as unknown as Event["lastTimestamp"],
});

const empty: StatusListing = {
  deployments: [],
  statefulSets: [],
  daemonSets: [],
  pods: [],
  budgets: [],
  autoscalers: [],
  claims: [],
  services: [],
  endpointSlices: [],
  ingresses: [],
  events: [],
};

test("a workload that is not ready says why, in the deploy diagnosis's words, naming its pods", () => {
  const status = statusOf(
    {
      ...empty,
      deployments: [deployment("web", 3, 3), deployment("shop", 2, 0)],
      pods: [
        pod("web-a", "web", "n1"),
        pod("web-b", "web", "n2"),
        pod("web-c", "web", "n3"),
        pending("shop-a"),
        pending("shop-b"),
      ],
    },
    "blog",
  );
  const [web, shop] = status.workloads;
  assert.deepEqual(web?.why, []);
  assert.equal(shop?.readiness.state, "waiting");
  assert.deepEqual(shop?.why, [
    "Unschedulable (Pod shop-a, Pod shop-b): 0/3 nodes are available: 3 Insufficient cpu.",
  ]);
  const text = formatStatus(status, NOW);
  assert.match(
    text,
    /^Why not ready\n {2}Deployment\/shop:\n {4}Unschedulable \(Pod shop-a, Pod shop-b\): 0\/3 nodes/m,
  );
  assert.match(text, /Deployment\/web\s+3\/3\s+ready\s+Guaranteed\s+3 \(n1,n2,n3\)/);
  assert.match(text, /Deployment\/shop\s+0\/2\s+waiting: .*Burstable\s+none \(no pod scheduled\)$/m);
});

test("cells say what they count: healthy pods against the PDB's need, a claim naming no class, endpoints", () => {
  const status = statusOf(
    {
      ...empty,
      budgets: [
        {
          metadata: { name: "web", namespace: "blog" },
          status: { disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3 },
        },
      ],
      claims: [
        {
          metadata: { name: "data", namespace: "blog" },
          spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
          status: { phase: "Pending" },
        },
      ],
      services: [{ metadata: { name: "web", namespace: "blog" }, spec: { type: "ClusterIP" } }],
      endpointSlices: [
        {
          addressType: "IPv4",
          metadata: { name: "web-x", namespace: "blog", labels: { "kubernetes.io/service-name": "web" } },
          endpoints: [
            { addresses: ["10.0.0.1"], conditions: { ready: true } },
            { addresses: ["10.0.0.2"], conditions: { ready: false } },
          ],
        },
      ],
    },
    "blog",
  );
  assert.equal(status.claims[0]?.storageClass, undefined);
  const text = formatStatus(status, NOW);
  assert.match(text, /HEALTHY PODS/);
  assert.match(text, /^ {2}web\s+1\s+3 \(needs 2\)\s+3$/m);
  assert.match(text, /^ {2}data\s+Pending\s+none named\s+ReadWriteOnce\s+1Gi$/m);
  assert.match(text, /^ {2}web\s+ClusterIP\s+1 ready, 1 not ready$/m);
  assert.doesNotMatch(text, /\(default\)|0 \(\)/);
});

test("an Ingress shows its hosts, which of them TLS covers and with which Secret, and its backends", () => {
  const status = statusOf(
    {
      ...empty,
      ingresses: [
        {
          metadata: { name: "wordpress", namespace: "blog" },
          spec: {
            ingressClassName: "traefik",
            tls: [{ hosts: ["blog.example.com"], secretName: "wordpress-tls" }],
            rules: [
              {
                host: "blog.example.com",
                http: {
                  paths: [
                    {
                      path: "/",
                      pathType: "Prefix",
                      backend: { service: { name: "wordpress", port: { number: 80 } } },
                    },
                  ],
                },
              },
            ],
          },
          status: { loadBalancer: { ingress: [{ ip: "10.1.0.9" }] } },
        },
      ],
    },
    "blog",
  );
  assert.deepEqual(status.ingresses[0], {
    namespace: "blog",
    name: "wordpress",
    className: "traefik",
    hosts: ["blog.example.com"],
    tls: [{ hosts: ["blog.example.com"], secretName: "wordpress-tls" }],
    backends: ["blog.example.com/ → wordpress:80"],
    addresses: ["10.1.0.9"],
  });
  assert.match(
    formatStatus(status, NOW),
    /wordpress\s+traefik\s+blog\.example\.com\s+blog\.example\.com \(secret wordpress-tls\)\s+blog\.example\.com\/ → wordpress:80\s+10\.1\.0\.9/,
  );
});

test("recent Warning events come latest first, Normal ones left out, repeats counted", () => {
  const status = statusOf(
    {
      ...empty,
      events: [
        warning("web-a", "BackOff", "Back-off restarting failed container", "2026-05-01T11:50:00Z", 7),
        { ...warning("web-b", "Pulled", "pulled", "2026-05-01T11:59:00Z"), type: "Normal" },
        warning("web-c", "FailedMount", "MountVolume.SetUp failed", "2026-05-01T11:59:30Z"),
      ],
    },
    "blog",
  );
  assert.deepEqual(
    status.warnings.map((w) => w.object),
    ["Pod web-c", "Pod web-a"],
  );
  const text = formatStatus(status, NOW);
  assert.match(
    text,
    /^Recent warnings\n {2}LAST SEEN\s+OBJECT\s+REASON\s+MESSAGE\n {2}30s ago\s+Pod web-c\s+FailedMount/m,
  );
  assert.match(text, /10m ago\s+Pod web-a\s+BackOff \(x7\)\s+Back-off restarting failed container/);
});

test("across all namespaces (-A) every row names its namespace, and pods are matched only in their own", () => {
  const other = { ...deployment("web", 1, 1), metadata: { name: "web", namespace: "shop", generation: 1 } };
  const status = statusOf(
    { ...empty, deployments: [deployment("web", 1, 1), other], pods: [pod("web-a", "web", "n1")] },
    undefined,
  );
  assert.equal(status.namespace, undefined);
  assert.deepEqual(
    status.workloads.map((w) => [w.namespace, w.pods]),
    [
      ["blog", 1],
      ["shop", 0],
    ],
  );
  const text = formatStatus(status, NOW);
  assert.match(text, /^ {2}NAMESPACE\s+NAME\s+READY/m);
  assert.match(text, /^ {2}shop\s+Deployment\/web\s+1\/1/m);
  assert.equal(formatStatus(statusOf(empty, undefined), NOW), "any namespace: nothing to show\n");
});
