// hpa-without-requests against the HPA controller as the oracle: for each pod shape, a Deployment
// (KWOK reports its CPU usage from an annotation) and a CPU HPA are created on the testbed; the rule
// must fire exactly where the controller cannot compute the metric (ScalingActive False,
// FailedGetResourceMetric: "missing request for cpu") and stay quiet where it can (ScalingActive True).
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import {
  AppsV1Api,
  AutoscalingV2Api,
  type V1Container,
  type V2HorizontalPodAutoscaler,
  type V2MetricTarget,
} from "@kubernetes/client-node";
import { buildObjectIndex } from "../../src/check/object-index.ts";
import { hpaWithoutRequests } from "../../src/check/rules/hpa-without-requests.ts";
import { asSource } from "../unit/check/fixtures.ts";
import { freshNamespace, kubeConfig, waitFor } from "./support/cluster.ts";

const image = "registry.invalid/app:1";
const utilization: V2MetricTarget = { type: "Utilization", averageUtilization: 50 };

const shapes: Record<string, { containers: V1Container[]; target?: V2MetricTarget }> = {
  "memory request only": {
    containers: [{ name: "app", image, resources: { requests: { memory: "32Mi" } } }],
  },
  "cpu limit only (the request defaults to it)": {
    containers: [{ name: "app", image, resources: { limits: { cpu: "100m", memory: "32Mi" } } }],
  },
  "a second container without a cpu request": {
    containers: [
      { name: "app", image, resources: { requests: { cpu: "100m" } } },
      { name: "logs", image, resources: { requests: { memory: "16Mi" } } },
    ],
  },
  "cpu requests everywhere": {
    containers: [
      { name: "app", image, resources: { requests: { cpu: "100m" } } },
      { name: "logs", image, resources: { requests: { cpu: "10m" } } },
    ],
  },
  "no requests, AverageValue target": {
    containers: [{ name: "app", image }],
    target: { type: "AverageValue", averageValue: "50m" },
  },
};

describe("hpa-without-requests agrees with the HPA controller", () => {
  const kc = kubeConfig();
  const apps = kc.makeApiClient(AppsV1Api);
  const autoscaling = kc.makeApiClient(AutoscalingV2Api);
  let namespace = "";
  const objects = Object.entries(shapes).map(([, shape], i) => {
    const name = `shape-${i}`;
    const labels = { app: name };
    const deployment = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels, annotations: { "kwok.x-k8s.io/usage-cpu": "20m" } },
          spec: { containers: shape.containers },
        },
      },
    };
    const hpa: V2HorizontalPodAutoscaler = {
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: { name },
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name },
        minReplicas: 1,
        maxReplicas: 2,
        metrics: [{ type: "Resource", resource: { name: "cpu", target: shape.target ?? utilization } }],
      },
    };
    return { deployment, hpa };
  });

  const ruleFires = ({ deployment, hpa }: (typeof objects)[number]) => {
    const sources = [asSource(deployment), asSource(hpa)];
    return hpaWithoutRequests.check(sources[1]!, buildObjectIndex(sources)).length > 0;
  };

  before(async () => {
    namespace = await freshNamespace("hpa-requests-oracle");
    await Promise.all(
      objects.map(async ({ deployment, hpa }) => {
        await apps.createNamespacedDeployment({ namespace, body: deployment });
        await autoscaling.createNamespacedHorizontalPodAutoscaler({ namespace, body: hpa });
      }),
    );
  });

  Object.keys(shapes).forEach((shape, i) => {
    test(shape, async () => {
      const fires = ruleFires(objects[i]!);
      const active = await waitFor(
        async () => {
          const live = await autoscaling.readNamespacedHorizontalPodAutoscaler({
            name: `shape-${i}`,
            namespace,
          });
          const condition = live.status?.conditions?.find((c) => c.type === "ScalingActive");
          // Settled: scaling works, or it fails for want of requests (not merely for metrics not scraped yet).
          const settled = condition?.status === "True" || condition?.message?.includes("missing request");
          return settled ? condition : undefined;
        },
        { timeoutMs: 120_000, what: `HPA shape-${i} to report ScalingActive` },
      );
      const controllerFails = active.status === "False" && active.reason === "FailedGetResourceMetric";
      assert.equal(controllerFails, !!active.message?.includes("missing request"));
      assert.equal(
        fires,
        controllerFails,
        `rule fires: ${fires}; controller: ${active.reason} ${active.message}`,
      );
    });
  });

  test("the table has shapes on both sides of the rule", () => {
    const verdicts = objects.map(ruleFires);
    assert.ok(verdicts.includes(true) && verdicts.includes(false));
  });
});
