// The check job's allowed-disruptions fact against the disruption controller as the oracle: for each
// budget shape, a Deployment with that many Ready pods and the budget are created on the testbed, and
// the controller's `status.disruptionsAllowed` must equal allowedDisruptions(spec, replicas). On a
// data plane the pods run for real, and only pods that are really Ready count as healthy.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { AppsV1Api, PolicyV1Api, type V1PodDisruptionBudgetSpec } from "@kubernetes/client-node";
import { allowedDisruptions, type DisruptionBudget } from "../../src/check/facts/disruptions.ts";
import { freshNamespace, kubeConfig, waitFor } from "./support/cluster.ts";
import { runnable } from "./support/runnable.ts";

const cases: Array<[DisruptionBudget, number]> = [
  [{ maxUnavailable: 1 }, 3],
  [{ maxUnavailable: 0 }, 3],
  [{ maxUnavailable: "10%" }, 3],
  [{ maxUnavailable: "25%" }, 4],
  [{ maxUnavailable: "50%" }, 5],
  [{ maxUnavailable: "100%" }, 2],
  [{ minAvailable: 3 }, 3],
  [{ minAvailable: 2 }, 3],
  [{ minAvailable: 1 }, 1],
  [{ minAvailable: "34%" }, 3],
  [{ minAvailable: "50%" }, 3],
  [{ minAvailable: "67%" }, 3],
  [{ minAvailable: "100%" }, 2],
];

describe("allowedDisruptions agrees with the disruption controller's status.disruptionsAllowed", () => {
  const kc = kubeConfig();
  const apps = kc.makeApiClient(AppsV1Api);
  const policy = kc.makeApiClient(PolicyV1Api);
  let namespace = "";

  before(async () => {
    namespace = await freshNamespace("disruptions-oracle");
    await Promise.all(
      cases.map(async ([budget, replicas], i) => {
        const labels = { app: `case-${i}` };
        await apps.createNamespacedDeployment({
          namespace,
          body: {
            metadata: { name: `case-${i}` },
            spec: {
              replicas,
              selector: { matchLabels: labels },
              template: {
                metadata: { labels },
                spec: { containers: [await runnable({ name: "app" })] },
              },
            },
          },
        });
        await policy.createNamespacedPodDisruptionBudget({
          namespace,
          body: {
            metadata: { name: `case-${i}` },
            spec: { ...(budget as V1PodDisruptionBudgetSpec), selector: { matchLabels: labels } },
          },
        });
      }),
    );
  });

  cases.forEach(([budget, replicas], i) => {
    const expected = allowedDisruptions(budget, replicas);
    test(`${JSON.stringify(budget)} at ${replicas} replicas → ${expected}`, async () => {
      // Settled: the controller saw this generation and counts every replica healthy.
      const status = await waitFor(
        async () => {
          const pdb = await policy.readNamespacedPodDisruptionBudget({ name: `case-${i}`, namespace });
          const s = pdb.status;
          const settled =
            s?.observedGeneration === pdb.metadata?.generation && s?.currentHealthy === replicas;
          return settled ? s : undefined;
        },
        { timeoutMs: 120_000, what: `budget case-${i} to count ${replicas} healthy pods` },
      );
      assert.equal(status.disruptionsAllowed, expected);
    });
  });

  test("the table reaches zero, one and several allowed disruptions", () => {
    const outcomes = new Set(cases.map(([budget, replicas]) => allowedDisruptions(budget, replicas)));
    assert.ok(outcomes.has(0) && outcomes.has(1) && [...outcomes].some((n) => (n ?? 0) > 1));
  });
});
