// The api-removed table against the apiserver's discovery as the oracle: every apiVersion/kind the
// rule calls removed is not served by the testbed's Kubernetes release, and every replacement it
// recommends is.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Cluster } from "../../src/cluster/client.ts";
import { REMOVED_APIS } from "../../src/k8s/api-removals.ts";
import { kubeConfig } from "./support/cluster.ts";

const cluster = new Cluster(kubeConfig());

describe("api-removed agrees with the apiserver's discovery", () => {
  for (const [apiVersion, kinds] of Object.entries(REMOVED_APIS)) {
    for (const [kind, removal] of Object.entries(kinds)) {
      test(`${apiVersion} ${kind}: not served${removal.replacement ? `; ${removal.replacement} is` : ""}`, async () => {
        assert.equal(
          await cluster.resourceFor(apiVersion, kind),
          undefined,
          `${apiVersion} ${kind} is still served`,
        );
        if (removal.replacement) {
          const served = await cluster.resourceFor(removal.replacement, kind);
          assert.ok(served, `${removal.replacement} ${kind} is not served`);
        }
      });
    }
  }
});
