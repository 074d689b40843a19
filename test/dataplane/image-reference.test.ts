// image-reference-invalid against real kubelets: a reference check calls invalid is one the node refuses
// (InvalidImageName), and one it accepts is one the node parses — with imagePullPolicy Never an image the
// node lacks ends in ErrImageNeverPull instead, and the testbed's own image runs. Nothing is pulled.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import type { V1Pod } from "@kubernetes/client-node";
import { checkObjects } from "../../src/check/engine.ts";
import type { KubeObject } from "../../src/k8s/object.ts";
import { parseManifests } from "../../src/manifest/parse.ts";
import { testCluster } from "../integration/deploy-support.ts";
import { core, freshNamespace, testbed, waitFor } from "./support/dataplane.ts";

const cluster = testCluster();
const digest = "sha256:3870522ed937c9efb94bfa31a7eb16009831567a0d4cbe01846fc5486d622655";
const IMAGES = [
  "gcr.io/google-samples/microservices-demo/redis:alpine:v0.3.6",
  "registry.example.com/Shop/migrate:1.4.0",
  "shipshape.test/app:-1",
  "shipshape.test/app@sha256:abc",
  "shipshape.test/app:",
  "shipshape.test/absent:1.0",
  `localhost:5000/shop/api-server_v2:1.4.0-rc.1@${digest}`,
  "Registry.Example.com/shop/api:1",
];

let ns = "";
const pods: (V1Pod & KubeObject)[] = [];

/** The kubelet's verdict on a pod's only container: why it waits, or that it runs. */
function verdict(pod: V1Pod): string | undefined {
  const state = pod.status?.containerStatuses?.[0]?.state;
  return state?.running ? "Running" : state?.waiting?.reason;
}

before(async () => {
  ns = await freshNamespace("dp-image-reference");
  const { images } = await testbed();
  for (const [i, image] of [images.web, ...IMAGES].entries()) {
    pods.push({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: `image-${i}`, namespace: ns },
      spec: {
        restartPolicy: "Never",
        containers: [{ name: "app", image, imagePullPolicy: "Never" }],
      },
    });
  }
  for (const pod of pods) await cluster.apply(pod);
  await waitFor(
    async () => {
      const seen = await Promise.all(
        pods.map(async (p) =>
          verdict(await core.readNamespacedPod({ name: p.metadata!.name!, namespace: ns })),
        ),
      );
      if (seen.some((v) => !["Running", "InvalidImageName", "ErrImageNeverPull"].includes(v ?? "")))
        throw new Error(`not yet: ${JSON.stringify(seen)}`);
      return true;
    },
    { timeoutMs: 120_000, intervalMs: 3_000, what: "the kubelets to judge every image reference" },
  );
});

test("check reports image-reference-invalid exactly for the references the kubelet refuses", async () => {
  const text = pods.map((p) => JSON.stringify(p)).join("\n---\n");
  const { findings } = checkObjects(parseManifests(text, "pods.yaml"));
  const flagged = new Set(
    findings.filter((f) => f.rule === "image-reference-invalid").map((f) => f.object.name),
  );
  for (const pod of pods) {
    const name = pod.metadata!.name!;
    const live = await core.readNamespacedPod({ name, namespace: ns });
    const image = pod.spec!.containers[0]!.image;
    const refused = verdict(live) === "InvalidImageName";
    assert.equal(flagged.has(name), refused, `${image}: the kubelet says ${verdict(live)}`);
  }
  // The cases cover both verdicts, so agreement is not agreement on one side only.
  assert.ok(
    flagged.size >= 3 && flagged.size <= pods.length - 3,
    `${flagged.size} of ${pods.length} refused`,
  );
});
