// The testbed's ingress with a standard networking.k8s.io/v1 Ingress (the blueprint's portable
// default): Traefik routes it by host, its ACME resolver gets the host a certificate from Pebble
// (TLS-ALPN-01 validated through the ingress itself), and a client trusting only Pebble's root reaches
// the pod behind it over HTTPS.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { NetworkingV1Api } from "@kubernetes/client-node";
import { core, freshNamespace, kubeConfig, waitFor } from "./support/dataplane.ts";
import { ingress, viaIngress } from "./support/ingress.ts";
import { createWebWorkload } from "./support/web-workload.ts";

let ns = "";
let site = "";

before(async () => {
  ns = await freshNamespace("dp-ingress");
  const { domain, certResolver } = await ingress();
  site = `${ns}.${domain}`;
  await createWebWorkload(ns, { serviceType: "ClusterIP" });
  await kubeConfig()
    .makeApiClient(NetworkingV1Api)
    .createNamespacedIngress({
      namespace: ns,
      body: {
        metadata: {
          name: "web",
          // Traefik's own resolver certifies the Ingress's host (cert-manager's path, the
          // blueprint's default, is cert-manager.test.ts).
          annotations: { "traefik.ingress.kubernetes.io/router.tls.certresolver": certResolver },
        },
        spec: {
          tls: [{ hosts: [site] }],
          rules: [
            {
              host: site,
              http: {
                paths: [
                  {
                    path: "/",
                    pathType: "Prefix",
                    backend: { service: { name: "web", port: { number: 80 } } },
                  },
                ],
              },
            },
          ],
        },
      },
    });
});

test("a standard Ingress is served over HTTPS with a certificate from the ACME server, reaching its pod", async () => {
  const answer = await waitFor(
    async () => {
      const got = await viaIngress("https", site, "/");
      return got.status === 200 && got;
    },
    { timeoutMs: 180_000, what: `https://${site}/ through Traefik, verified by Pebble's root` },
  );
  const { items } = await core.listNamespacedPod({ namespace: ns, labelSelector: "app=web" });
  // The web server answers with its host name: the pod behind the Ingress, not a default backend.
  assert.deepEqual(
    [answer.body.trim()],
    items.map((p) => p.metadata?.name),
  );
});
