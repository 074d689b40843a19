// HTTPS in front of a Service: a standard networking.k8s.io/v1 Ingress with cert-manager (portable
// default), or the seed's Traefik IngressRoutes (websecure + ACME certResolver, http → https redirect).
import type { Ingress as IngressObject } from "kubernetes-types/networking/v1.js";
import { CLUSTER_ISSUER_ANNOTATION } from "../k8s/annotations.ts";
import { TRAEFIK_API } from "../k8s/api-groups.ts";
import { type App, type Construct, type Resource, resource } from "./app.ts";
import { type Defaulted, withDefaults } from "./props.ts";

export type IngressController = "standard" | "traefik";

export interface IngressProps {
  host: string;
  controller?: IngressController;
  /** standard: the cert-manager ClusterIssuer that obtains the certificate. */
  clusterIssuer?: string;
  /** standard: the IngressClass; unset → the cluster's default class. */
  ingressClassName?: string;
  /** traefik: the ACME certificate resolver configured in Traefik's static config. */
  certResolver?: string;
}

const DEFAULTS = {
  controller: "standard",
  clusterIssuer: "letsencrypt",
  certResolver: "letsencrypt",
} satisfies Omit<IngressProps, "host">;

export class Ingress implements Construct {
  readonly name: string;
  readonly namespace: string;
  readonly props: Defaulted<IngressProps & { service: string; port: number }, typeof DEFAULTS>;

  constructor(app: App, name: string, props: IngressProps & { service: string; port: number }) {
    this.name = name;
    this.namespace = app.namespace;
    this.props = withDefaults(DEFAULTS, props);
    app.register(this);
  }

  resources(): Resource[] {
    return this.props.controller === "traefik" ? this.#traefik() : [this.#standard()];
  }

  #standard(): Resource {
    const { host, clusterIssuer, ingressClassName, service, port } = this.props;
    const ingress: IngressObject = {
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: {
        name: this.name,
        namespace: this.namespace,
        annotations: { [CLUSTER_ISSUER_ANNOTATION]: clusterIssuer },
      },
      spec: {
        ...(ingressClassName && { ingressClassName }),
        tls: [{ hosts: [host], secretName: `${this.name}-tls` }],
        rules: [
          {
            host,
            http: {
              paths: [
                {
                  path: "/",
                  pathType: "Prefix",
                  backend: { service: { name: service, port: { number: port } } },
                },
              ],
            },
          },
        ],
      },
    };
    return resource(ingress, {
      "metadata.annotations": "HTTPS: cert-manager obtains and renews the certificate via ACME",
      "spec.tls": "HTTPS: TLS for the host (most controllers then redirect http → https)",
    });
  }

  #traefik(): Resource[] {
    const { host, certResolver, service, port } = this.props;
    const route = (name: string, entryPoint: string, rule: object, spec: object) => ({
      apiVersion: TRAEFIK_API,
      kind: "IngressRoute",
      metadata: { name, namespace: this.namespace },
      spec: {
        entryPoints: [entryPoint],
        routes: [{ match: `Host(\`${host}\`)`, kind: "Rule", services: [{ name: service, port }], ...rule }],
        ...spec,
      },
    });
    const redirect = "redirect-https";
    const middleware = {
      apiVersion: TRAEFIK_API,
      kind: "Middleware",
      metadata: { name: redirect, namespace: this.namespace },
      spec: { redirectScheme: { scheme: "https", permanent: true } },
    };
    return [
      resource(middleware, { "spec.redirectScheme": "HTTPS: http → https redirect" }),
      resource(route(`${this.name}-https`, "websecure", {}, { tls: { certResolver } }), {
        "spec.tls": `HTTPS: Traefik's ACME resolver "${certResolver}" obtains and renews the certificate`,
      }),
      resource(route(`${this.name}-http`, "web", { middlewares: [{ name: redirect }] }, {}), {
        "spec.routes[0].middlewares": "HTTPS: plain http only redirects",
      }),
    ];
  }
}
