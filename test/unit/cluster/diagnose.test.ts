import assert from "node:assert/strict";
import { test } from "node:test";
import type { Event, PersistentVolumeClaim, Pod } from "kubernetes-types/core/v1.js";
import { explain, formatExplanations } from "../../../src/cluster/diagnose.ts";

// Pod and event objects as the API server returns them (trimmed to the fields that matter).
const unschedulable = (name: string): Pod => ({
  metadata: { name, namespace: "blog" },
  status: {
    phase: "Pending",
    conditions: [
      {
        type: "PodScheduled",
        status: "False",
        reason: "Unschedulable",
        message:
          "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.",
      },
    ],
  },
});

test("unschedulable pods are explained once with the scheduler's message, naming every pod", () => {
  const [explanation, ...rest] = explain({
    pods: [unschedulable("web-1"), unschedulable("web-2")],
    events: [],
  });
  assert.equal(rest.length, 0);
  assert.equal(explanation?.reason, "Unschedulable");
  assert.match(explanation?.message ?? "", /didn't match pod anti-affinity rules/);
  assert.deepEqual(explanation?.subjects, ["Pod web-1", "Pod web-2"]);
});

test("an image that cannot be pulled is reported with the image name and the kubelet's message", () => {
  const pod: Pod = {
    metadata: { name: "web-1" },
    status: {
      phase: "Pending",
      conditions: [{ type: "PodScheduled", status: "True" }],
      containerStatuses: [
        {
          name: "wordpress",
          image: "wordpress:no-such-tag",
          imageID: "",
          ready: false,
          restartCount: 0,
          state: {
            waiting: {
              reason: "ImagePullBackOff",
              message: 'Back-off pulling image "wordpress:no-such-tag"',
            },
          },
        },
      ],
    },
  };
  const [explanation] = explain({ pods: [pod], events: [] });
  assert.equal(explanation?.reason, "ImagePullBackOff");
  assert.equal(
    explanation?.message,
    'container wordpress cannot pull image wordpress:no-such-tag: Back-off pulling image "wordpress:no-such-tag"',
  );
});

test("a crash-looping container is reported with its exit code and the last log lines of the previous run", () => {
  const pod: Pod = {
    metadata: { name: "web-1" },
    status: {
      conditions: [{ type: "PodScheduled", status: "True" }],
      containerStatuses: [
        {
          name: "wordpress",
          image: "wordpress:6",
          imageID: "",
          ready: false,
          restartCount: 4,
          state: {
            waiting: { reason: "CrashLoopBackOff", message: "back-off 1m20s restarting failed container" },
          },
          lastState: { terminated: { exitCode: 1, reason: "Error" } },
        },
      ],
    },
  };
  const lines = formatExplanations(
    explain({
      pods: [pod],
      events: [],
      logs: { "web-1/wordpress": "MySQL Connection Error: (2002) Connection refused\n" },
    }),
  );
  assert.deepEqual(lines, [
    "CrashLoopBackOff (Pod web-1): container wordpress keeps crashing: restarted 4 times, last exit code 1 (Error)",
    "    last log lines:",
    "      MySQL Connection Error: (2002) Connection refused",
  ]);
});

test("a container caught between two back-offs (terminated, restarted before) is a crash loop too", () => {
  const pod: Pod = {
    metadata: { name: "web-1" },
    status: {
      conditions: [{ type: "PodScheduled", status: "True" }],
      containerStatuses: [
        {
          name: "wordpress",
          image: "wordpress:6",
          imageID: "",
          ready: false,
          restartCount: 3,
          state: { terminated: { exitCode: 3, reason: "Error" } },
          lastState: { terminated: { exitCode: 3, reason: "Error" } },
        },
      ],
    },
  };
  const lines = formatExplanations(
    explain({ pods: [pod], events: [], logs: { "web-1/wordpress": "cannot open /etc/app.conf\n" } }),
  );
  assert.deepEqual(lines, [
    "CrashLoopBackOff (Pod web-1): container wordpress keeps crashing: restarted 3 times, last exit code 3 (Error)",
    "    last log lines:",
    "      cannot open /etc/app.conf",
  ]);
});

test("a running pod that is not Ready is explained by its latest Unhealthy event", () => {
  const pod: Pod = {
    metadata: { name: "web-1" },
    status: {
      conditions: [
        { type: "PodScheduled", status: "True" },
        { type: "Ready", status: "False", reason: "ContainersNotReady" },
      ],
      containerStatuses: [
        {
          name: "wordpress",
          image: "wordpress:6",
          imageID: "",
          ready: false,
          restartCount: 0,
          state: { running: {} },
        },
      ],
    },
  };
  const events: Event[] = [
    {
      metadata: { name: "e1" },
      involvedObject: { kind: "Pod", name: "web-1" },
      reason: "Unhealthy",
      type: "Warning",
      message: "Readiness probe failed: HTTP probe failed with statuscode: 500",
      lastTimestamp: "2026-01-01T00:00:10Z" as never,
    },
  ];
  const [explanation] = explain({ pods: [pod], events });
  assert.equal(explanation?.reason, "ReadinessProbeFailing");
  assert.equal(explanation?.message, "Readiness probe failed: HTTP probe failed with statuscode: 500");
});

test("a Pending PVC is explained by the provisioner's latest event (the seed's CephFS story)", () => {
  const pvc: PersistentVolumeClaim = {
    metadata: { name: "wordpress-pvc" },
    spec: { accessModes: ["ReadWriteMany"], storageClassName: "csi-cephfs" },
    status: { phase: "Pending" },
  };
  const event = (message: string, at: string): Event => ({
    metadata: { name: at },
    involvedObject: { kind: "PersistentVolumeClaim", name: "wordpress-pvc" },
    reason: "ProvisioningFailed",
    type: "Warning",
    message,
    lastTimestamp: at as never,
  });
  const events = [
    event("failed to provision volume: rpc error: code = DeadlineExceeded", "2026-01-01T00:00:01Z"),
    event('storageclass.storage.k8s.io "csi-cephfs" not found', "2026-01-01T00:00:09Z"),
  ];
  const [explanation] = explain({ pods: [], events, pvcs: [pvc] });
  assert.equal(explanation?.reason, "PVCPending");
  assert.equal(explanation?.message, 'storageclass.storage.k8s.io "csi-cephfs" not found');
  assert.equal(explanation?.details[0], "storageClass csi-cephfs, accessModes ReadWriteMany");
});

test("healthy pods on their way up (ContainerCreating) and bound claims explain nothing", () => {
  const pod: Pod = {
    metadata: { name: "web-1" },
    status: {
      conditions: [{ type: "PodScheduled", status: "True" }],
      containerStatuses: [
        {
          name: "w",
          image: "w",
          imageID: "",
          ready: false,
          restartCount: 0,
          state: { waiting: { reason: "ContainerCreating" } },
        },
      ],
    },
  };
  assert.deepEqual(explain({ pods: [pod], events: [], pvcs: [{ status: { phase: "Bound" } }] }), []);
});

test("a ReplicaSet that cannot create pods (quota) is explained by its Warning event", () => {
  const events: Event[] = [
    {
      metadata: { name: "e" },
      involvedObject: { kind: "ReplicaSet", name: "web-6f7" },
      type: "Warning",
      reason: "FailedCreate",
      message: 'pods "web-6f7-x" is forbidden: exceeded quota: compute',
    },
  ];
  assert.deepEqual(formatExplanations(explain({ pods: [], events })), [
    'FailedCreate (ReplicaSet web-6f7): pods "web-6f7-x" is forbidden: exceeded quota: compute',
  ]);
});
