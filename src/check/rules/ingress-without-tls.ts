import { groupOf, TRAEFIK_GROUPS } from "../../k8s/api-groups.ts";
import { list, record, text } from "../shape.ts";
import { defineRule } from "../types.ts";
import { describe } from "./helpers.ts";

/** Whether a TLS host entry (possibly a wildcard) covers `host`. */
function covers(tlsHost: string, host: string): boolean {
  if (tlsHost === host) return true;
  return (
    tlsHost.startsWith("*.") &&
    host.endsWith(tlsHost.slice(1)) &&
    !host.slice(0, -tlsHost.length + 1).includes(".")
  );
}

export const ingressWithoutTls = defineRule({
  id: "ingress-without-tls",
  title: "Ingresses serve HTTPS",
  severity: "warning",
  category: "network",
  targets: { kinds: ["Ingress", "IngressRoute"] },
  explain: `What breaks: without TLS every request — WordPress logins, admin cookies, form posts — crosses
the network in plain text, readable and modifiable by anyone on the path; browsers mark the site "Not
secure" and search engines rank it down.

Why: the seed (Ingress) serves WordPress over HTTPS with certificates obtained automatically through ACME
(Traefik's certResolver), and adds a redirectScheme middleware so that plain http is redirected to https.

Fix: add spec.tls with the rule's hosts and a secretName, and let cert-manager issue the certificate
(annotation cert-manager.io/cluster-issuer) — or, with Traefik, an IngressRoute with tls.certResolver plus
an http IngressRoute whose only job is the redirect middleware. Both an Ingress with no TLS at all and a
host no TLS entry covers are warnings: a production risk, not a failure of apply or an outage.`,
  check(subject) {
    const { apiVersion, kind } = subject.object;
    const spec = record(subject.object.spec);
    if (
      kind === "IngressRoute" &&
      (TRAEFIK_GROUPS as readonly string[]).includes(groupOf(String(apiVersion)))
    ) {
      // A plain-http route is fine when it only redirects (it carries middlewares, as in the seed).
      const redirects = list(spec.routes).every((route) => list(route.middlewares).length > 0);
      if (spec.tls !== undefined || redirects) return [];
      return [
        {
          message: `${describe(subject)} serves plain HTTP: no tls and no redirect middleware on its routes`,
          fix: "Add spec.tls (certResolver or secretName) and route plain http through a redirectScheme middleware.",
          path: ["spec"],
        },
      ];
    }
    if (kind !== "Ingress") return [];
    const tls = list(spec.tls);
    if (tls.length === 0) {
      return [
        {
          message: `${describe(subject)} has no spec.tls: it serves plain HTTP`,
          fix: "Add spec.tls with the hosts and a secretName, issued by cert-manager (annotation cert-manager.io/cluster-issuer).",
          path: ["spec"],
        },
      ];
    }
    const tlsHosts = tls.flatMap((t) => (Array.isArray(t.hosts) ? t.hosts.map(String) : []));
    return list(spec.rules).flatMap((rule, i) => {
      const host = text(rule.host);
      if (!host || tlsHosts.some((h) => covers(h, host))) return [];
      return [
        {
          message: `${describe(subject)} routes host ${host} without a TLS entry for it: that host is served over plain HTTP`,
          fix: `Add ${host} to spec.tls[].hosts.`,
          path: ["spec", "rules", i, "host"],
        },
      ];
    });
  },
});
