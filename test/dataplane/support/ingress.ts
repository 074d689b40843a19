// The testbed's ingress as tests reach it: Traefik relayed to 127.0.0.1 (ConfigMap
// kube-public/testbed: ingress.http, ingress.https, ingress.ca, ingress.certResolver,
// ingress.clusterIssuer, ingress.domain), and requests to a named site through it that trust only Pebble's root, as
// `shipshape load --resolve … --cacert …` does.
import { mkdtempSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TLSSocket } from "node:tls";
import { testbedConfig } from "./dataplane.ts";

export interface Ingress {
  http: { host: string; port: number };
  https: { host: string; port: number };
  /** Pebble's root certificate (PEM), and the same written to a file for --cacert. */
  ca: string;
  caFile: string;
  /** Traefik's ACME resolver (IngressRoutes, or a standard Ingress by Traefik's annotation). */
  certResolver: string;
  /** cert-manager's ClusterIssuer for standard Ingresses (`cert-manager.io/cluster-issuer`). */
  clusterIssuer: string;
  /** Every name under it resolves (in the cluster's DNS) to the node the ingress answers on. */
  domain: string;
}

let published: Ingress | undefined;

function hostPort(text: string): { host: string; port: number } {
  const colon = text.lastIndexOf(":");
  return { host: text.slice(0, colon), port: Number(text.slice(colon + 1)) };
}

export async function ingress(): Promise<Ingress> {
  if (published) return published;
  const get = await testbedConfig();
  const caFile = join(mkdtempSync(join(tmpdir(), "shipshape-ingress-")), "acme-root.pem");
  writeFileSync(caFile, get("ingress.ca"));
  published = {
    http: hostPort(get("ingress.http")),
    https: hostPort(get("ingress.https")),
    ca: get("ingress.ca"),
    caFile,
    certResolver: get("ingress.certResolver"),
    clusterIssuer: get("ingress.clusterIssuer"),
    domain: get("ingress.domain"),
  };
  return published;
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** https: the SHA-256 fingerprint of the certificate the ingress served (as node:crypto's
   * X509Certificate.fingerprint256 gives it). */
  certificate?: string;
}

/** One request to `https://<site>:<relay port><path>` (or http://), sent to the relay on
 * 127.0.0.1 with the site's name in Host and SNI; TLS trusts Pebble's root and nothing else. */
export async function viaIngress(
  scheme: "http" | "https",
  site: string,
  path: string,
  body?: { type: string; data: string },
): Promise<Answer> {
  const relay = (await ingress())[scheme];
  const headers: Record<string, string | number> = { host: `${site}:${relay.port}` };
  if (body)
    Object.assign(headers, { "content-type": body.type, "content-length": Buffer.byteLength(body.data) });
  const options = {
    host: relay.host,
    port: relay.port,
    path,
    method: body ? "POST" : "GET",
    headers,
    timeout: 30_000,
    ...(scheme === "https" && { servername: site, ca: (await ingress()).ca }),
  };
  return new Promise((resolve, reject) => {
    const req = (scheme === "https" ? httpsRequest : httpRequest)(options, (res) => {
      let text = "";
      res.on("data", (chunk) => {
        text += chunk;
      });
      const certificate =
        scheme === "https" ? (res.socket as TLSSocket).getPeerCertificate().fingerprint256 : undefined;
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, certificate }),
      );
    });
    req.on("timeout", () => req.destroy(new Error(`${scheme}://${site}${path}: no answer in 30 s`)));
    req.on("error", reject);
    req.end(body?.data);
  });
}
