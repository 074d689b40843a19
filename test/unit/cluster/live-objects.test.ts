// What `check --cluster` makes of recorded live objects: server-set fields gone, spec.replicas gone
// where an HPA scales, Secret values never held, controller-made objects left to their makers, the
// cluster-scoped objects the namespace uses, and the live facts with the reasons the cluster gives.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Pod } from "kubernetes-types/core/v1.js";
import { checkObjects } from "../../../src/check/engine.ts";
import { liveSource } from "../../../src/check/live.ts";
import { rollingUpdateUnsafe } from "../../../src/check/rules/rolling-update-unsafe.ts";
import { liveCheckInput, stuckReason } from "../../../src/cluster/live-objects.ts";
import { stripServerFields } from "../../../src/cluster/live-strip.ts";
import { liveKey } from "../../../src/k8s/live-facts.ts";
import type { KubeObject } from "../../../src/k8s/object.ts";

const meta = (name: string, extra: object = {}) => ({
  name,
  namespace: "shop",
  uid: `uid-${name}`,
  resourceVersion: "42",
  generation: 3,
  creationTimestamp: "2026-01-01T00:00:00Z",
  managedFields: [{ manager: "kubectl", operation: "Apply" }],
  ...extra,
});

const web: KubeObject = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: meta("web", {
    annotations: { "deployment.kubernetes.io/revision": "2", team: "shop" },
  }),
  spec: {
    replicas: 5,
    selector: { matchLabels: { app: "web" } },
    template: { metadata: { labels: { app: "web" } } },
  },
  status: { replicas: 5, readyReplicas: 4 },
};
const hpa: KubeObject = {
  apiVersion: "autoscaling/v2",
  kind: "HorizontalPodAutoscaler",
  metadata: meta("web"),
  spec: {
    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
    minReplicas: 3,
    maxReplicas: 6,
  },
};
const crashing: KubeObject = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: meta("web-7d9-abcde", {
    labels: { app: "web" },
    ownerReferences: [
      { apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-7d9", uid: "rs", controller: true },
    ],
  }),
  status: {
    phase: "Running",
    qosClass: "Burstable",
    containerStatuses: [
      {
        name: "web",
        ready: false,
        restartCount: 4,
        image: "example/web:1.4.2",
        imageID: "",
        state: {
          waiting: { reason: "CrashLoopBackOff", message: "back-off 1m20s restarting failed container" },
        },
        lastState: { terminated: { exitCode: 1, reason: "Error" } },
      },
    ],
  },
};
const secret: KubeObject = {
  apiVersion: "v1",
  kind: "Secret",
  metadata: meta("db"),
  data: { password: "czNjcjN0" },
};
const pdb: KubeObject = {
  apiVersion: "policy/v1",
  kind: "PodDisruptionBudget",
  metadata: meta("web"),
  spec: { maxUnavailable: 1, selector: { matchLabels: { app: "web" } } },
  status: { disruptionsAllowed: 1, currentHealthy: 4, desiredHealthy: 3, expectedPods: 5 },
};
const claim: KubeObject = {
  apiVersion: "v1",
  kind: "PersistentVolumeClaim",
  metadata: meta("data"),
  spec: { storageClassName: "fast", volumeName: "pv-1" },
};
const clusterScoped = (kind: string, name: string, extra: object = {}): KubeObject => ({
  apiVersion: kind === "StorageClass" ? "storage.k8s.io/v1" : "v1",
  kind,
  metadata: { name, ...extra },
});
const listed = [
  web,
  hpa,
  crashing,
  secret,
  pdb,
  claim,
  clusterScoped("StorageClass", "fast"),
  clusterScoped("StorageClass", "slow"),
  clusterScoped("PersistentVolume", "pv-1"),
  clusterScoped("PersistentVolume", "pv-2"),
  clusterScoped("Namespace", "shop", {
    labels: { "pod-security.kubernetes.io/enforce": "restricted", team: "x" },
  }),
  clusterScoped("Namespace", "other"),
];

describe("liveCheckInput", () => {
  const { objects, facts } = liveCheckInput(listed, "shop");
  const named = (kind: string, name: string) =>
    objects.find((o) => o.kind === kind && o.metadata.name === name);

  it("strips what the server set and keeps what the author wrote", () => {
    const deployment = named("Deployment", "web")!;
    assert.deepEqual(deployment.metadata, { name: "web", namespace: "shop", annotations: { team: "shop" } });
    assert.equal(deployment.status, undefined);
    assert.deepEqual(deployment.spec, {
      selector: { matchLabels: { app: "web" } },
      template: { metadata: { labels: { app: "web" } } },
    });
    assert.equal((named("PodDisruptionBudget", "web")!.spec as { maxUnavailable: number }).maxUnavailable, 1);
  });

  it("keeps spec.replicas where no HPA scales the workload", () => {
    const alone = liveCheckInput([web], "shop").objects[0]!;
    assert.equal((alone.spec as { replicas: number }).replicas, 5);
  });

  it("holds a Secret's keys, never its values", () => {
    assert.deepEqual(named("Secret", "db")!.data, { password: "" });
  });

  it("leaves controller-made objects to their makers, and takes only the cluster-scoped ones the namespace uses", () => {
    assert.equal(named("Pod", "web-7d9-abcde"), undefined);
    assert.deepEqual(
      objects.filter((o) => !o.metadata.namespace).map((o) => `${o.kind}/${o.metadata.name}`),
      ["StorageClass/fast", "PersistentVolume/pv-1", "Namespace/shop"],
    );
    assert.equal(liveCheckInput(listed, undefined).objects.filter((o) => !o.metadata.namespace).length, 6);
  });

  it("gives each object what the cluster says about it", () => {
    assert.deepEqual(facts.get(liveKey({ kind: "Deployment", namespace: "shop", name: "web" })), {
      qosClasses: ["Burstable"],
      stuckPods: [
        {
          name: "web-7d9-abcde",
          reason: "CrashLoopBackOff",
          message:
            'container "web": last exit 1 (Error), 4 restarts: back-off 1m20s restarting failed container',
        },
      ],
    });
    assert.deepEqual(facts.get(liveKey({ kind: "PodDisruptionBudget", namespace: "shop", name: "web" })), {
      disruptionsAllowed: 1,
    });
    assert.deepEqual(facts.get(liveKey({ kind: "Namespace", name: "shop" })), {
      podSecurity: { "pod-security.kubernetes.io/enforce": "restricted" },
    });
  });
});

describe("stuckReason", () => {
  const pod = (status: Pod["status"]): Pod => ({ metadata: { name: "p" }, status });

  it("names an unschedulable pod with the scheduler's message", () => {
    const stuck = stuckReason(
      pod({
        phase: "Pending",
        conditions: [
          {
            type: "PodScheduled",
            status: "False",
            reason: "Unschedulable",
            message: "0/4 nodes: Insufficient cpu",
          },
        ],
      }),
    );
    assert.deepEqual(stuck, { name: "p", reason: "Unschedulable", message: "0/4 nodes: Insufficient cpu" });
  });

  it("does not call a starting or running pod stuck", () => {
    const creating = pod({
      phase: "Pending",
      conditions: [{ type: "PodScheduled", status: "True" }],
      containerStatuses: [
        {
          name: "web",
          ready: false,
          restartCount: 0,
          image: "",
          imageID: "",
          state: { waiting: { reason: "ContainerCreating" } },
        },
      ],
    });
    assert.equal(stuckReason(creating), undefined);
    assert.equal(stuckReason(pod({ phase: "Running" })), undefined);
  });

  it("names a crash loop between restarts too, and not an init container that completed", () => {
    const terminated = (exitCode: number, restartCount: number, reason: string) => ({
      name: "web",
      ready: false,
      restartCount,
      image: "",
      imageID: "",
      state: { terminated: { exitCode, reason } },
    });
    const crashed = stuckReason(pod({ phase: "Running", containerStatuses: [terminated(3, 2, "Error")] }));
    assert.deepEqual(crashed, { name: "p", reason: "Error", message: 'container "web": exit 3, 2 restarts' });
    assert.equal(
      stuckReason(pod({ phase: "Running", initContainerStatuses: [terminated(0, 0, "Completed")] })),
      undefined,
    );
  });

  it("names an image that cannot be pulled, init containers included", () => {
    const stuck = stuckReason(
      pod({
        phase: "Pending",
        initContainerStatuses: [
          {
            name: "migrate",
            ready: false,
            restartCount: 0,
            image: "",
            imageID: "",
            state: { waiting: { reason: "ImagePullBackOff" } },
          },
        ],
      }),
    );
    assert.equal(stuck?.reason, "ImagePullBackOff");
    assert.match(stuck?.message ?? "", /migrate/);
  });
});

describe("stripServerFields", () => {
  // As the API server keeps it after `kubectl apply --server-side` of a Deployment without a strategy,
  // and a `kubectl scale` (the scale subresource): the defaults and the status are nobody's fields.
  const applied: KubeObject = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: meta("web", {
      managedFields: [
        {
          manager: "kubectl",
          operation: "Apply",
          fieldsType: "FieldsV1",
          fieldsV1: {
            "f:spec": {
              "f:replicas": {},
              "f:selector": {},
              "f:template": {
                "f:metadata": { "f:labels": { "f:app": {} } },
                "f:spec": {
                  "f:containers": {
                    'k:{"name":"web"}': {
                      ".": {},
                      "f:image": {},
                      "f:name": {},
                      "f:ports": {
                        'k:{"containerPort":8080,"protocol":"TCP"}': { ".": {}, "f:containerPort": {} },
                      },
                    },
                  },
                },
              },
            },
          },
        },
        {
          manager: "kube-controller-manager",
          operation: "Update",
          subresource: "scale",
          fieldsType: "FieldsV1",
          fieldsV1: { "f:spec": { "f:replicas": {} } },
        },
        {
          manager: "kube-controller-manager",
          operation: "Update",
          subresource: "status",
          fieldsType: "FieldsV1",
          fieldsV1: { "f:status": { "f:replicas": {} } },
        },
      ],
    }),
    spec: {
      replicas: 4,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } },
      selector: { matchLabels: { app: "web" } },
      template: {
        metadata: { labels: { app: "web" } },
        spec: {
          containers: [
            {
              name: "web",
              image: "example/web:1.4.2",
              imagePullPolicy: "IfNotPresent",
              terminationMessagePath: "/dev/termination-log",
              ports: [{ containerPort: 8080, protocol: "TCP" }],
            },
          ],
          dnsPolicy: "ClusterFirst",
          restartPolicy: "Always",
          terminationGracePeriodSeconds: 30,
          securityContext: {},
        },
      },
    },
    status: { replicas: 4 },
  };

  it("keeps only the fields a manager wrote through the object itself", () => {
    assert.deepEqual(stripServerFields(applied).spec, {
      replicas: 4,
      selector: { matchLabels: { app: "web" } },
      template: {
        metadata: { labels: { app: "web" } },
        spec: { containers: [{ name: "web", image: "example/web:1.4.2", ports: [{ containerPort: 8080 }] }] },
      },
    });
  });

  it("so rules read a default as a default, as in the manifest", () => {
    const [finding] = checkObjects([liveSource(stripServerFields(applied))], {
      rules: [rollingUpdateUnsafe],
    }).findings;
    assert.match(finding?.message ?? "", /maxUnavailable "25%", the default/);
  });

  it("drops spec.replicas that only the scale subresource wrote", () => {
    const fields = applied.metadata.managedFields!;
    const byScaleOnly = stripServerFields({
      ...applied,
      metadata: {
        ...applied.metadata,
        managedFields: [{ ...fields[0]!, fieldsV1: { "f:spec": { "f:selector": {} } } }, ...fields.slice(1)],
      },
    });
    assert.equal((byScaleOnly.spec as { replicas?: number }).replicas, undefined);
  });

  it("keeps everything when the server kept no field sets", () => {
    const { managedFields: _managed, ...metadata } = applied.metadata;
    const bare = stripServerFields({ ...applied, metadata });
    assert.equal((bare.spec as { revisionHistoryLimit: number }).revisionHistoryLimit, 10);
  });
});
