// Reads what the reach check traces through — every Service, Node, Ingress and Traefik IngressRoute
// and Middleware the cluster serves — and where the load's sockets will go (--resolve, else DNS, as
// the load client does), then traces the URL to the target's pods (reach.ts).
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import type { Node, Pod, Service } from "kubernetes-types/core/v1.js";
import { ApiError, type Cluster } from "../cluster/client.ts";
import type { KubeObject } from "../k8s/object.ts";
import { connectTarget } from "../load/resolve.ts";
import { type TargetReach, traceReach } from "./reach.ts";
import { routesOf, TRAEFIK_GROUPS } from "./routes.ts";
import type { LoadSettings } from "./session.ts";

/** A kind's objects in every namespace; none when the cluster does not serve it or will not list it
 * to us (the trace then finds no hop through it and says it is not proven). */
async function everywhere(cluster: Cluster, apiVersion: string, kind: string): Promise<KubeObject[]> {
  if (!(await cluster.resourceFor(apiVersion, kind).catch(() => undefined))) return [];
  try {
    return (await cluster.list(apiVersion, kind)).items;
  } catch (error) {
    if (error instanceof ApiError && (error.status === 403 || error.status === 404)) return [];
    throw error;
  }
}

/** The address the load's sockets open for `url`: --resolve's, else the system resolver's. */
async function connectAddress(url: URL, load: LoadSettings): Promise<{ address: string; port: number }> {
  const { host, port } = connectTarget(url, load.resolve ?? []);
  if (isIP(host)) return { address: host, port };
  return { address: (await lookup(host)).address, port };
}

export async function reachOf(
  cluster: Cluster,
  load: LoadSettings,
  target: { pods: readonly Pod[]; services: readonly string[] },
): Promise<TargetReach> {
  const url = new URL(load.url);
  let socket: { address: string; port: number };
  try {
    socket = await connectAddress(url, load);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return {
      proven: false,
      how: `${url.hostname} does not resolve (${code}): it cannot be told where the load goes`,
    };
  }
  const traefik = async (kind: string) =>
    (await Promise.all(TRAEFIK_GROUPS.map((group) => everywhere(cluster, group, kind)))).flat();
  const [services, nodes, ingresses, ingressRoutes, middlewares] = await Promise.all([
    everywhere(cluster, "v1", "Service"),
    everywhere(cluster, "v1", "Node"),
    everywhere(cluster, "networking.k8s.io/v1", "Ingress"),
    traefik("IngressRoute"),
    traefik("Middleware"),
  ]);
  return traceReach(
    { url, ...socket },
    {
      pods: target.pods,
      targetServices: target.services,
      services: services as Service[],
      nodes: nodes as Node[],
      routes: routesOf({ ingresses, ingressRoutes, middlewares }),
    },
  );
}
