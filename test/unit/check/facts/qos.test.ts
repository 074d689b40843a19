import assert from "node:assert/strict";
import { test } from "node:test";
import type { Container } from "kubernetes-types/core/v1.js";
import { type PodSpecWithResources, type QosClass, qosClass } from "../../../../src/check/facts/qos.ts";

type Resources = { requests?: Record<string, string | number>; limits?: Record<string, string | number> };

function container(name: string, resources?: Resources, extra: Partial<Container> = {}): Container {
  return { name, image: "nginx:1.27", ...(resources ? { resources } : {}), ...extra } as Container;
}

const full = (cpu: string, memory: string): Resources => ({
  requests: { cpu, memory },
  limits: { cpu, memory },
});

const cases: Array<[string, PodSpecWithResources, QosClass]> = [
  ["no resources anywhere", { containers: [container("a"), container("b")] }, "BestEffort"],
  ["empty resources maps", { containers: [container("a", { requests: {}, limits: {} })] }, "BestEffort"],
  [
    "requests == limits in every container",
    { containers: [container("a", full("200m", "100Mi"))] },
    "Guaranteed",
  ],
  [
    "limits only (requests default to limits)",
    {
      containers: [
        container("foo", { limits: { cpu: "10m", memory: "1Gi" } }),
        container("bar", { limits: { cpu: "100m", memory: "100Mi" } }),
      ],
    },
    "Guaranteed",
  ],
  [
    "equal by value, not by spelling: 1 == 1000m, 1Gi == 1073741824, 1.1 == 1100m",
    {
      containers: [
        container("a", {
          requests: { cpu: "1", memory: "1Gi" },
          limits: { cpu: "1000m", memory: 1073741824 },
        }),
        container("b", {
          requests: { cpu: "1.1", memory: "0.5Gi" },
          limits: { cpu: "1100m", memory: "512Mi" },
        }),
      ],
    },
    "Guaranteed",
  ],
  [
    "one container without resources",
    { containers: [container("foo", full("10m", "1Gi")), container("bar")] },
    "Burstable",
  ],
  [
    "memory limit in one container, cpu limit in the other",
    {
      containers: [
        container("foo", { limits: { memory: "1Gi" } }),
        container("bar", { limits: { cpu: "100m" } }),
      ],
    },
    "Burstable",
  ],
  [
    "request below limit",
    {
      containers: [
        container("a", {
          requests: { cpu: "100m", memory: "64Mi" },
          limits: { cpu: "200m", memory: "64Mi" },
        }),
      ],
    },
    "Burstable",
  ],
  [
    "requests only",
    { containers: [container("a", { requests: { cpu: "100m", memory: "64Mi" } })] },
    "Burstable",
  ],
  [
    "a request for one resource, the limit defaulting the other",
    { containers: [container("a", { requests: { cpu: "100m" }, limits: { cpu: "200m", memory: "1Gi" } })] },
    "Burstable",
  ],
  [
    "only non-QoS resources (ephemeral-storage) are ignored",
    {
      containers: [
        container("a", { requests: { "ephemeral-storage": "1Gi" }, limits: { "ephemeral-storage": "1Gi" } }),
      ],
    },
    "BestEffort",
  ],
  [
    "ephemeral-storage beside cpu/memory does not spoil Guaranteed",
    {
      containers: [
        container("a", {
          requests: { cpu: "1", memory: "1Gi" },
          limits: { cpu: "1", memory: "1Gi", "ephemeral-storage": "2Gi" },
        }),
      ],
    },
    "Guaranteed",
  ],
  [
    "zero quantities do not count",
    { containers: [container("a", { requests: { cpu: "0", memory: "0" } })] },
    "BestEffort",
  ],
  [
    "a zero cpu limit breaks Guaranteed",
    { containers: [container("a", { requests: { memory: "1Gi" }, limits: { cpu: "0", memory: "1Gi" } })] },
    "Burstable",
  ],
  [
    "an init container without resources spoils Guaranteed",
    { containers: [container("a", full("1", "1Gi"))], initContainers: [container("init")] },
    "Burstable",
  ],
  [
    "an init container with resources alone makes the pod Burstable",
    { containers: [container("a")], initContainers: [container("init", { requests: { cpu: "100m" } })] },
    "Burstable",
  ],
  [
    "guaranteed app plus guaranteed init container",
    {
      containers: [container("a", full("1", "1Gi"))],
      initContainers: [container("init", full("500m", "128Mi"))],
    },
    "Guaranteed",
  ],
  [
    "a restartable sidecar without limits spoils Guaranteed",
    {
      containers: [container("a", full("1", "1Gi"))],
      initContainers: [
        container("proxy", { requests: { cpu: "50m", memory: "64Mi" } }, { restartPolicy: "Always" }),
      ],
    },
    "Burstable",
  ],
  [
    "pod-level limits decide, whatever the containers say",
    { resources: { limits: { cpu: "1", memory: "1Gi" } }, containers: [container("a"), container("b")] },
    "Guaranteed",
  ],
  [
    "pod-level requests below limits",
    {
      resources: { requests: { cpu: "500m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } },
      containers: [container("a", full("1", "1Gi"))],
    },
    "Burstable",
  ],
  [
    "pod-level memory limit only",
    { resources: { limits: { memory: "1Gi" } }, containers: [container("a", full("1", "1Gi"))] },
    "Burstable",
  ],
  [
    "an empty pod-level resources falls back to the containers",
    { resources: {}, containers: [container("a", full("1", "1Gi"))] },
    "Guaranteed",
  ],
];

for (const [name, spec, expected] of cases) {
  test(`qosClass: ${name} → ${expected}`, () => {
    assert.equal(qosClass(spec), expected);
  });
}
