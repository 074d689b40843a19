// hpa-replicas-conflict on objects read back from a cluster (`kubectl get -o yaml | shipshape check -`):
// a live Deployment always carries spec.replicas, so the rule must tell the author's own apply from the
// apiserver's defaulting and the HPA's scaling. Here the HPA really scales each Deployment (KWOK reports
// the pods' CPU from an annotation) before the object is read back with kubectl and checked.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { before, describe, test } from "node:test";
import { AppsV1Api } from "@kubernetes/client-node";
import { stringify } from "yaml";
import { freshNamespace, kubeConfig, waitFor } from "./support/cluster.ts";

const kc = kubeConfig();
const apps = kc.makeApiClient(AppsV1Api);
const bin = new URL("../../bin/shipshape.js", import.meta.url).pathname;
// The testbed's own kubectl (built with the control plane): a machine need not have one on PATH.
const TESTBED_KUBECTL = new URL("../../testbed/kubectl", import.meta.url).pathname;

function deployment(name: string, replicas?: number) {
  const labels = { app: name };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name },
    spec: {
      ...(replicas === undefined ? {} : { replicas }),
      selector: { matchLabels: labels },
      template: {
        metadata: { labels, annotations: { "kwok.x-k8s.io/usage-cpu": "20m" } },
        spec: {
          containers: [
            { name: "app", image: "registry.invalid/app:1", resources: { requests: { cpu: "100m" } } },
          ],
        },
      },
    },
  };
}

function hpa(name: string) {
  return {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: { name },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name },
      minReplicas: 3,
      maxReplicas: 6,
      metrics: [
        {
          type: "Resource",
          resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } },
        },
      ],
    },
  };
}

const kubectl = (namespace: string, args: string[], input?: string) =>
  execFileSync(TESTBED_KUBECTL, ["--kubeconfig", process.env.KUBECONFIG ?? "", "-n", namespace, ...args], {
    encoding: "utf8",
    input,
  });

/** The hpa-replicas-conflict findings `shipshape check -` raises on what kubectl read back. */
function conflicts(namespace: string, getArgs: string[]): string[] {
  const live = kubectl(namespace, ["get", ...getArgs, "-o", "yaml"]);
  let out: string;
  try {
    out = execFileSync(process.execPath, [bin, "check", "-", "--format", "json"], {
      input: live,
      encoding: "utf8",
    });
  } catch (error) {
    out = (error as { stdout: string }).stdout; // exit 1: error-level findings of other rules
  }
  const report = JSON.parse(out) as { findings: { rule: string; object: { name: string } }[] };
  return report.findings.filter((f) => f.rule === "hpa-replicas-conflict").map((f) => f.object.name);
}

describe("hpa-replicas-conflict on live objects", () => {
  let namespace = "";

  before(async () => {
    namespace = await freshNamespace("hpa-replicas-live");
    // Client-side apply records the author's replicas in last-applied-configuration.
    kubectl(
      namespace,
      ["apply", "-f", "-"],
      `${stringify(deployment("applied", 1))}---\n${stringify(hpa("applied"))}`,
    );
    // Server-side apply without replicas: the apiserver defaults them, the HPA owns them.
    kubectl(
      namespace,
      ["apply", "--server-side", "--field-manager=author", "-f", "-"],
      `${stringify(deployment("hpa-owned"))}---\n${stringify(hpa("hpa-owned"))}`,
    );
    for (const name of ["applied", "hpa-owned"]) {
      await waitFor(
        async () => {
          const live = await apps.readNamespacedDeployment({ name, namespace });
          return (live.spec?.replicas ?? 0) >= 3 ? live : undefined;
        },
        { timeoutMs: 120_000, what: `the HPA to scale ${name} to its minimum of 3` },
      );
    }
  });

  test("the author's applied replicas still conflict with the HPA after it scaled", () => {
    assert.deepEqual(conflicts(namespace, ["deployment/applied", "hpa/applied"]), ["applied"]);
  });

  test("replicas the apiserver defaulted and the HPA wrote do not, with or without managedFields", () => {
    assert.deepEqual(
      conflicts(namespace, ["deployment/hpa-owned", "hpa/hpa-owned", "--show-managed-fields"]),
      [],
    );
    assert.deepEqual(conflicts(namespace, ["deployment/hpa-owned", "hpa/hpa-owned"]), []);
  });

  test("managedFields read back: the author never owns spec.replicas, the HPA's scale writes do when they changed it", () => {
    const owners = (name: string) => {
      const live = JSON.parse(
        kubectl(namespace, ["get", `deployment/${name}`, "--show-managed-fields", "-o", "json"]),
      );
      return (
        live.metadata.managedFields as {
          manager: string;
          subresource?: string;
          fieldsV1: { "f:spec"?: { "f:replicas"?: object } };
        }[]
      )
        .filter((entry) => entry.fieldsV1["f:spec"]?.["f:replicas"] !== undefined)
        .map((entry) => `${entry.manager}/${entry.subresource ?? ""}`);
    };
    // The client-side apply's replicas were taken over by the HPA's scale write (last-applied still holds them).
    assert.deepEqual(owners("applied"), ["kube-controller-manager/scale"]);
    assert.ok(!owners("hpa-owned").includes("author/"), owners("hpa-owned").join(", "));
  });
});
