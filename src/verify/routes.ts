// The ingress routes a URL may take into the cluster: standard Ingresses and Traefik IngressRoutes
// flattened to one shape (which hosts and paths, on which entry points, to which Services, answered
// by a redirect instead, published at which addresses), so the reach check reads one list. Pure.
import type { Ingress } from "kubernetes-types/networking/v1.js";
import type { KubeObject } from "../k8s/object.ts";

export interface Route {
  /** "Ingress ns/name", "IngressRoute ns/name": what the verdict names. */
  source: string;
  /** Lower-case host names, "*.example.test" wildcards; empty: any host. */
  hosts: string[];
  /** Path prefixes ("/" for any) and exact paths. */
  paths: Array<{ path: string; exact: boolean }>;
  /** Traefik entry points the route is served on; empty: all. */
  entryPoints: string[];
  /** The Services the route sends requests to, "namespace/name". */
  backends: string[];
  /** A middleware that answers in place of the backends (a redirect), "namespace/name". */
  answeredBy?: string;
  /** Where the ingress controller publishes the route (an Ingress's status.loadBalancer). */
  addresses: string[];
}

/** Traefik's annotation naming the middlewares of a standard Ingress ("ns-name@kubernetescrd,…"). */
const INGRESS_MIDDLEWARES = "traefik.ingress.kubernetes.io/router.middlewares";

/** Traefik CRD groups: traefik.io since v3, traefik.containo.us before it. */
export const TRAEFIK_GROUPS = ["traefik.io/v1alpha1", "traefik.containo.us/v1alpha1"] as const;

interface IngressRouteSpec {
  entryPoints?: string[];
  routes?: Array<{
    match?: string;
    services?: Array<{ name?: string; namespace?: string; kind?: string }>;
    middlewares?: Array<{ name?: string; namespace?: string }>;
  }>;
}

/** A redirect middleware answers the request itself: the route's Services never see it. */
function redirects(middleware: KubeObject): boolean {
  const spec = (middleware.spec ?? {}) as Record<string, unknown>;
  return spec.redirectScheme !== undefined || spec.redirectRegex !== undefined;
}

/** `Host(\`a\`) && PathPrefix(\`/x\`)` → its hosts and paths (other matchers only narrow it further). */
function parseMatch(match: string): Pick<Route, "hosts" | "paths"> {
  const args = (fn: string) =>
    [...match.matchAll(new RegExp(`\\b${fn}\\(([^)]*)\\)`, "g"))].flatMap((m) =>
      [...m[1]!.matchAll(/[`"']([^`"']+)[`"']/g)].map((a) => a[1]!),
    );
  return {
    hosts: args("Host").map((h) => h.toLowerCase()),
    paths: [
      ...args("PathPrefix").map((path) => ({ path, exact: false })),
      ...args("Path").map((path) => ({ path, exact: true })),
    ],
  };
}

function ingressRoutes(ingress: Ingress, middlewares: readonly KubeObject[]): Route[] {
  const namespace = ingress.metadata?.namespace ?? "";
  const source = `Ingress ${namespace}/${ingress.metadata?.name}`;
  const addresses = (ingress.status?.loadBalancer?.ingress ?? []).flatMap((a) =>
    [a.ip, a.hostname].filter((x): x is string => !!x),
  );
  const named = (ingress.metadata?.annotations?.[INGRESS_MIDDLEWARES] ?? "").split(",").map((m) => m.trim());
  const redirect = middlewares.find(
    (m) => redirects(m) && named.includes(`${m.metadata.namespace}-${m.metadata.name}@kubernetescrd`),
  );
  const route = (hosts: string[], paths: Route["paths"], service: string | undefined): Route => ({
    source,
    hosts,
    paths,
    entryPoints: [],
    backends: service ? [`${namespace}/${service}`] : [],
    ...(redirect && { answeredBy: `${redirect.metadata.namespace}/${redirect.metadata.name}` }),
    addresses,
  });
  const routes = (ingress.spec?.rules ?? []).flatMap((rule) =>
    (rule.http?.paths ?? []).map((p) =>
      route(
        rule.host ? [rule.host.toLowerCase()] : [],
        [{ path: p.path ?? "/", exact: p.pathType === "Exact" }],
        p.backend.service?.name,
      ),
    ),
  );
  const fallback = ingress.spec?.defaultBackend?.service?.name;
  if (fallback) routes.push(route([], [{ path: "/", exact: false }], fallback));
  return routes;
}

function traefikRoutes(ingressRoute: KubeObject, middlewares: readonly KubeObject[]): Route[] {
  const namespace = ingressRoute.metadata.namespace ?? "";
  const spec = (ingressRoute.spec ?? {}) as IngressRouteSpec;
  return (spec.routes ?? []).map((r) => {
    const redirect = (r.middlewares ?? [])
      .map((ref) =>
        middlewares.find(
          (m) => m.metadata.name === ref.name && m.metadata.namespace === (ref.namespace ?? namespace),
        ),
      )
      .find((m) => m && redirects(m));
    const { hosts, paths } = parseMatch(r.match ?? "");
    return {
      source: `IngressRoute ${namespace}/${ingressRoute.metadata.name}`,
      hosts,
      paths: paths.length ? paths : [{ path: "/", exact: false }],
      entryPoints: spec.entryPoints ?? [],
      backends: (r.services ?? [])
        .filter((s) => (s.kind ?? "Service") === "Service" && s.name)
        .map((s) => `${s.namespace ?? namespace}/${s.name}`),
      ...(redirect && { answeredBy: `${redirect.metadata.namespace}/${redirect.metadata.name}` }),
      addresses: [],
    };
  });
}

/** Every route of the given Ingresses and IngressRoutes, redirects resolved through the Middlewares. */
export function routesOf(objects: {
  ingresses: readonly KubeObject[];
  ingressRoutes: readonly KubeObject[];
  middlewares: readonly KubeObject[];
}): Route[] {
  return [
    ...objects.ingresses.flatMap((i) => ingressRoutes(i as Ingress, objects.middlewares)),
    ...objects.ingressRoutes.flatMap((r) => traefikRoutes(r, objects.middlewares)),
  ];
}

function hostMatches(pattern: string, host: string): boolean {
  if (!pattern.startsWith("*.")) return pattern === host;
  const rest = host.slice(host.indexOf(".") + 1);
  return host.includes(".") && rest === pattern.slice(2);
}

function pathMatches(rule: { path: string; exact: boolean }, path: string): boolean {
  if (rule.exact) return rule.path === path;
  if (rule.path === "/" || rule.path === path) return true;
  const prefix = rule.path.endsWith("/") ? rule.path : `${rule.path}/`;
  return path.startsWith(prefix);
}

/** The routes a request for host and path takes; `entryPoint` (a Service port's name) narrows
 * Traefik's routes to those served on it. Routes that name the host come before catch-alls. */
export function matchingRoutes(
  routes: readonly Route[],
  request: { host: string; path: string; entryPoint?: string },
): Route[] {
  const host = request.host.toLowerCase();
  const matches = routes.filter(
    (r) =>
      (r.hosts.length === 0 || r.hosts.some((h) => hostMatches(h, host))) &&
      r.paths.some((p) => pathMatches(p, request.path)) &&
      (r.entryPoints.length === 0 ||
        request.entryPoint === undefined ||
        r.entryPoints.includes(request.entryPoint)),
  );
  const named = matches.filter((r) => r.hosts.length > 0);
  return named.length ? named : matches;
}
