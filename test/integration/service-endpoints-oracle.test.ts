// service-selects-nothing and service-port-unknown against the EndpointSlice controller as the oracle:
// for each Service shape, a Deployment with Ready pods and the Service are created on the testbed; the
// rules must report an error-or-warning that the Service has no usable endpoints exactly where the
// controller publishes no ready endpoint with a resolved port for it.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { AppsV1Api, CoreV1Api, DiscoveryV1Api, type V1ServicePort } from "@kubernetes/client-node";
import { buildObjectIndex } from "../../src/check/object-index.ts";
import { servicePortUnknown } from "../../src/check/rules/service-port-unknown.ts";
import { serviceSelectsNothing } from "../../src/check/rules/service-selects-nothing.ts";
import { asSource } from "../unit/check/fixtures.ts";
import { freshNamespace, kubeConfig, waitFor } from "./support/cluster.ts";

const podLabels = { app: "web", tier: "frontend" };

const shapes: Record<string, { selector: Record<string, string>; ports: V1ServicePort[] }> = {
  "selector matches, named targetPort declared": {
    selector: podLabels,
    ports: [{ name: "web", port: 80, targetPort: "http" }],
  },
  "selector with a label typo": { selector: { app: "web", tier: "fronted" }, ports: [{ port: 80 }] },
  "named targetPort the pods do not declare": {
    selector: podLabels,
    ports: [{ name: "web", port: 80, targetPort: "wdport" }],
  },
  "numeric targetPort the pods do not declare (still routed)": {
    selector: podLabels,
    ports: [{ port: 80, targetPort: 8081 }],
  },
  "no targetPort (the port itself)": { selector: { app: "web" }, ports: [{ port: 8080 }] },
};

const deployment = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web" },
  spec: {
    replicas: 2,
    selector: { matchLabels: podLabels },
    template: {
      metadata: { labels: podLabels },
      spec: {
        containers: [
          { name: "web", image: "registry.invalid/web:1", ports: [{ name: "http", containerPort: 8080 }] },
        ],
      },
    },
  },
};

const services = Object.values(shapes).map((shape, i) => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { name: `shape-${i}` },
  spec: { selector: shape.selector, ports: shape.ports },
}));

/** Whether the rules say the Service has no usable endpoints (warning or error, not info). */
function rulesSayNoEndpoints(i: number): boolean {
  const sources = [asSource(deployment), ...services.map((s) => asSource(s))];
  const index = buildObjectIndex(sources);
  const subject = sources[i + 1]!;
  const nothing = serviceSelectsNothing.check(subject, index).filter((f) => f.severity !== "info");
  const unknown = servicePortUnknown.check(subject, index).filter((f) => (f.severity ?? "error") === "error");
  return nothing.length + unknown.length > 0;
}

describe("the Service rules agree with the EndpointSlice controller", () => {
  const kc = kubeConfig();
  const core = kc.makeApiClient(CoreV1Api);
  const discovery = kc.makeApiClient(DiscoveryV1Api);
  let namespace = "";

  /** Ready endpoints the controller resolved a port for. A pod whose port it cannot resolve is listed
   * in a slice without that port: nothing routes to it. */
  const usableEndpoints = async (service: string) => {
    const { items } = await discovery.listNamespacedEndpointSlice({
      namespace,
      labelSelector: `kubernetes.io/service-name=${service}`,
    });
    const usable = items
      .filter((slice) => (slice.ports ?? []).some((p) => p.port !== undefined))
      .flatMap((slice) => slice.endpoints ?? [])
      .filter((e) => e.conditions?.ready);
    const seen = items.map((slice) => ({ ports: slice.ports, endpoints: (slice.endpoints ?? []).length }));
    return { exists: items.length > 0, usable: usable.length, seen: JSON.stringify(seen) };
  };

  before(async () => {
    namespace = await freshNamespace("service-endpoints-oracle");
    await kc.makeApiClient(AppsV1Api).createNamespacedDeployment({ namespace, body: deployment });
    await waitFor(
      async () => {
        const { items } = await core.listNamespacedPod({ namespace, labelSelector: "app=web" });
        const ready = items.filter((p) =>
          p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
        );
        return ready.length === 2;
      },
      { timeoutMs: 60_000, what: "2 Ready pods" },
    );
    await Promise.all(services.map((body) => core.createNamespacedService({ namespace, body })));
  });

  Object.keys(shapes).forEach((shape, i) => {
    test(shape, async () => {
      const name = `shape-${i}`;
      const expectNone = rulesSayNoEndpoints(i);
      // The controller's verdict: wait for its slice; a Service with endpoints gets them within seconds.
      await waitFor(async () => (await usableEndpoints(name)).exists, {
        timeoutMs: 60_000,
        what: `a slice for ${name}`,
      });
      let found = await usableEndpoints(name);
      for (let tries = 0; tries < 20 && found.usable === 0; tries++) {
        await sleep(250);
        found = await usableEndpoints(name);
      }
      assert.equal(expectNone, found.usable === 0, `rules say none: ${expectNone}; slices: ${found.seen}`);
    });
  });

  test("the table has Services on both sides of the rules", () => {
    const verdicts = services.map((_, i) => rulesSayNoEndpoints(i));
    assert.ok(verdicts.includes(true) && verdicts.includes(false));
  });
});
