// Does the load reach the workload under test? Traced from the live objects before anything is
// disrupted: the address the load's sockets open (the URL's, or --resolve's) and its port must be a
// target pod's IP, a frontend of a Service selecting the target's pods (ClusterIP, external or
// load-balancer IP, a node's address with the nodePort), or an ingress (its Service's frontend or an
// address it publishes) whose route for the URL's host and path ends at such a Service. Anything else
// — a local server, a port-forward or relay the cluster knows nothing of, another Deployment's
// Service, a route that only redirects — proves nothing about the workload. Pure.
import type { Node, Pod, Service, ServicePort } from "kubernetes-types/core/v1.js";
import { matchingRoutes, type Route } from "./routes.ts";

export interface ReachRequest {
  /** The URL the load requests: host for routing, path for the route's paths. */
  url: URL;
  /** Where its sockets go (after --resolve or DNS) and on which port. */
  address: string;
  port: number;
}

export interface ReachWorld {
  /** The pods under test (their IPs). */
  pods: readonly Pod[];
  /** "namespace/name" of the Services that select them. */
  targetServices: readonly string[];
  /** Every Service of the cluster, for the frontends an address may be. */
  services: readonly Service[];
  nodes: readonly Node[];
  routes: readonly Route[];
}

export interface TargetReach {
  /** Whether every hop from the address to the target's pods was found in the cluster. */
  proven: boolean;
  /** The path when proven ("Service ns/web (nodePort 30080 on node n1) → pods"), else why not. */
  how: string;
  /** Set when it was not proven and the run went on anyway (--assume-reach). */
  assumed?: boolean;
}

interface Frontend {
  service: Service;
  port: ServicePort;
  /** "ClusterIP 10.96.0.5:80", "nodePort 30080 on node testbed-node-1". */
  via: string;
}

const key = (o: { metadata?: { namespace?: string; name?: string } }) =>
  `${o.metadata?.namespace}/${o.metadata?.name}`;

function podWith(world: ReachWorld, address: string): Pod | undefined {
  return world.pods.find(
    (p) => p.status?.podIP === address || p.status?.podIPs?.some((ip) => ip.ip === address),
  );
}

function nodeWith(world: ReachWorld, address: string): Node | undefined {
  return world.nodes.find((n) => n.status?.addresses?.some((a) => a.address === address));
}

/** The Service frontend (and port) the address and port are, if any. */
function frontendAt(world: ReachWorld, address: string, port: number): Frontend | undefined {
  const node = nodeWith(world, address);
  for (const service of world.services) {
    const spec = service.spec ?? {};
    const ips = [
      ...(spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])),
      ...(spec.externalIPs ?? []),
      ...(service.status?.loadBalancer?.ingress ?? []).flatMap((a) => (a.ip ? [a.ip] : [])),
    ];
    for (const p of spec.ports ?? []) {
      if (ips.includes(address) && p.port === port) return { service, port: p, via: `${address}:${port}` };
      if (node && p.nodePort === port)
        return { service, port: p, via: `nodePort ${port} on node ${node.metadata?.name}` };
    }
  }
  return undefined;
}

function describeRoute(route: Route, host: string): string {
  const named = route.hosts.length ? ` (host ${host})` : " (any host)";
  return `${route.source}${named}`;
}

/** Through an ingress (reached at `entry`): whether the URL's routes end at the target's Services. */
function throughRoutes(
  world: ReachWorld,
  candidates: readonly Route[],
  request: ReachRequest,
  entry: string,
  entryPoint?: string,
): TargetReach {
  const host = request.url.hostname.toLowerCase();
  const path = request.url.pathname || "/";
  const known = new Set(world.routes.flatMap((r) => r.entryPoints));
  const routes = matchingRoutes(candidates, {
    host,
    path,
    ...(entryPoint && known.has(entryPoint) ? { entryPoint } : {}),
  });
  if (!routes.length)
    return {
      proven: false,
      how: `${entry} does not select the target's pods, and no Ingress or IngressRoute routes host ${host} path ${path} through it`,
    };
  const redirect = routes.find((r) => r.answeredBy);
  if (redirect)
    return {
      proven: false,
      how: `${describeRoute(redirect, host)} answers with a redirect (Middleware ${redirect.answeredBy}): the load would measure the ingress, never the pods — use the URL it redirects to`,
    };
  const targets = new Set(world.targetServices);
  const route = routes.find((r) => r.backends.some((b) => targets.has(b)));
  if (!route) {
    const elsewhere = [...new Set(routes.flatMap((r) => r.backends))].join(", ") || "no Service";
    return {
      proven: false,
      how: `${describeRoute(routes[0]!, host)} sends host ${host} to ${elsewhere}, which does not select the target's pods`,
    };
  }
  const backend = route.backends.find((b) => targets.has(b));
  return {
    proven: true,
    how: `${entry} → ${describeRoute(route, host)} → Service ${backend} → the target's pods`,
  };
}

export function traceReach(request: ReachRequest, world: ReachWorld): TargetReach {
  const at = `${request.address}:${request.port}`;
  const pod = podWith(world, request.address);
  if (pod) return { proven: true, how: `${at} is the IP of pod ${key(pod)}, one of the target's pods` };

  const frontend = frontendAt(world, request.address, request.port);
  if (frontend) {
    const service = `Service ${key(frontend.service)} (${frontend.via})`;
    if (world.targetServices.includes(key(frontend.service)))
      return { proven: true, how: `${service}, which selects the target's pods` };
    return throughRoutes(world, world.routes, request, service, frontend.port.name);
  }

  // An address an ingress controller published serves the routes it published it for.
  const published = world.routes.filter((r) => r.addresses.includes(request.address));
  if (published.length) return throughRoutes(world, published, request, `the ingress at ${at}`);

  const host = request.url.hostname.toLowerCase();
  const routed = matchingRoutes(world.routes, { host, path: request.url.pathname || "/" }).find(
    (r) => r.hosts.length && r.backends.some((b) => world.targetServices.includes(b)),
  );
  const nothing = `${at} is no pod, Service, node port or published ingress address of the cluster`;
  return {
    proven: false,
    how: routed
      ? `${describeRoute(routed, host)} routes host ${host} to the target, but ${nothing}: a relay or port-forward may lead to the ingress, or an unrelated server answers — it cannot be told`
      : `${nothing}, and no Ingress routes host ${host} to the target: the load may be going anywhere`,
  };
}
