// The blueprint's portable HTTPS, for real: `synth wordpress` with the standard Ingress and its
// `cert-manager.io/cluster-issuer` annotation naming the testbed's ClusterIssuer, piped to
// `deploy -`. cert-manager's ingress-shim makes the Certificate, its ACME issuer gets it from Pebble
// (HTTP-01 answered by a solver pod behind a Traefik Ingress, validated through the ingress), and
// Traefik serves the Secret it was written to: a client trusting only Pebble's root (`--cacert`,
// never --insecure) reaches WordPress over HTTPS with exactly that certificate.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { before, test } from "node:test";
import { CustomObjectsApi, NetworkingV1Api, type V1Ingress } from "@kubernetes/client-node";
import { CLI, shipshape } from "../integration/deploy-support.ts";
import { core, freshNamespace, kubeConfig, testbedBlueprintArgs, waitFor } from "./support/dataplane.ts";
import { ingress, viaIngress } from "./support/ingress.ts";

const custom = kubeConfig().makeApiClient(CustomObjectsApi);

interface Certificate {
  metadata: { ownerReferences?: { kind: string; name: string }[] };
  spec: { secretName: string; dnsNames?: string[]; issuerRef: { name: string; kind?: string } };
  status?: { conditions?: { type: string; status: string; message?: string }[] };
}

let ns = "";
let site = "";
let blog: V1Ingress | undefined;

before(async () => {
  ns = await freshNamespace("dp-cert-manager");
  const { domain, clusterIssuer } = await ingress();
  site = `${ns}.${domain}`;
  const synth = await shipshape([
    "synth",
    "wordpress",
    "--domain",
    site,
    "--cluster-issuer",
    clusterIssuer,
    // One web replica is enough to be served; Traefik's pods are the ones WordPress admits.
    ...(await testbedBlueprintArgs(ns, "replicas=1", "autoscale=false", "ingressNamespace=traefik")),
  ]);
  assert.equal(synth.code, 0, synth.stderr);
  const deploy = await shipshape(["deploy", "-", "--app", "wordpress", "--timeout", "300s"], synth.stdout);
  assert.equal(deploy.code, 0, deploy.stdout + deploy.stderr);
  // By name: cert-manager's solver Ingresses come and go beside it.
  blog = await kubeConfig()
    .makeApiClient(NetworkingV1Api)
    .readNamespacedIngress({ namespace: ns, name: "wordpress" });
});

async function certificate(name: string): Promise<Certificate | undefined> {
  try {
    return (await custom.getNamespacedCustomObject({
      group: "cert-manager.io",
      version: "v1",
      namespace: ns,
      plural: "certificates",
      name,
    })) as Certificate;
  } catch {
    return undefined;
  }
}

test("the blueprint's standard Ingress gets a Certificate from the testbed's ClusterIssuer (cert-manager, ACME from Pebble)", async () => {
  const { clusterIssuer } = await ingress();
  assert.equal(blog?.metadata?.annotations?.["cert-manager.io/cluster-issuer"], clusterIssuer);
  const secretName = blog?.spec?.tls?.[0]?.secretName;
  assert.ok(secretName, "the Ingress names a TLS Secret");
  // The ingress-shim names the Certificate after the Secret; ACME issuance through HTTP-01 takes
  // a solver pod's start and Pebble's validation.
  const cert = await waitFor(
    async () => {
      const got = await certificate(secretName);
      return got?.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") && got;
    },
    { timeoutMs: 240_000, what: `Certificate ${ns}/${secretName} to be Ready`, intervalMs: 2000 },
  );
  assert.deepEqual(cert.spec.issuerRef, { name: clusterIssuer, kind: "ClusterIssuer" });
  assert.deepEqual(cert.spec.dnsNames, [site]);
  assert.deepEqual(
    cert.metadata.ownerReferences?.map((o) => [o.kind, o.name]),
    [["Ingress", blog?.metadata?.name]],
  );
});

test("Traefik serves that certificate: HTTPS to WordPress verifies against Pebble's root alone, with curl-like --resolve and --cacert", async () => {
  const secretName = blog?.spec?.tls?.[0]?.secretName ?? "";
  const secret = await core.readNamespacedSecret({ namespace: ns, name: secretName });
  const chain = Buffer.from(secret.data?.["tls.crt"] ?? "", "base64").toString();
  const leaf = new X509Certificate(chain);
  assert.match(leaf.subjectAltName ?? "", new RegExp(`DNS:${site.replaceAll(".", "\\.")}`));

  // Traefik picks the Secret up from its watch: until then it serves its default certificate,
  // which Pebble's root does not verify.
  const answer = await waitFor(
    async () => {
      const got = await viaIngress("https", site, "/wp-admin/install.php");
      return got.status === 200 && got;
    },
    { timeoutMs: 120_000, what: `https://${site}/ through Traefik, verified by Pebble's root` },
  );
  assert.equal(
    answer.certificate,
    leaf.fingerprint256,
    "the certificate served is the one cert-manager wrote",
  );
  assert.doesNotMatch(answer.body, /Error establishing a database connection/);

  // `load` as a user runs it against the relay: no kubeconfig (that is for --workers).
  const { https, caFile } = await ingress();
  const load = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    execFile(
      process.execPath,
      [
        CLI,
        "load",
        `https://${site}:${https.port}/readme.html`,
        "--resolve",
        `${site}:${https.port}:${https.host}`,
        "--cacert",
        caFile,
        "-q",
        "10",
        "-n",
        "20",
        "--slo",
        "success>=100%",
        "--quiet",
      ],
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    ),
  );
  assert.equal(load.code, 0, load.stdout + load.stderr);
  assert.match(load.stdout, /200\s*:\s*20\b/);
});
