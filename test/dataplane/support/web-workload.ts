// The workload most data-plane tests load, roll and scale: the `web` test server as a Deployment and
// a Service of the same name in front of its http port, a NodePort unless asked otherwise (the host
// reaches a Service through a node's address, see nodePortUrl). Each test says only how its copy
// differs: replicas, the container's probes and hooks, the pod's grace period or spread.
import {
  AppsV1Api,
  type V1Container,
  type V1Deployment,
  type V1PodSpec,
  type V1Service,
} from "@kubernetes/client-node";
import { core, kubeConfig, webContainer } from "./dataplane.ts";

export interface WebWorkload {
  /** The Deployment's and the Service's name, and the pods' label app=NAME (default "web"). */
  name?: string;
  /** Set on both objects when given (deploy reads it; the API clients take it as an argument). */
  namespace?: string;
  /** Default 1. */
  replicas?: number;
  /** Over webContainer()'s defaults; the readiness probe below unless it names another. */
  container?: Partial<V1Container>;
  /** More of the pod spec: terminationGracePeriodSeconds, affinity… */
  pod?: Omit<Partial<V1PodSpec>, "containers">;
  /** RollingUpdate with maxSurge 1 and maxUnavailable 0, what the blueprint rolls with. */
  rolling?: boolean;
  /** The Service's type; default NodePort. */
  serviceType?: "NodePort" | "ClusterIP";
}

/** A readiness probe on the server's health endpoint, asked every second: pods join quickly. */
export const WEB_READINESS = { httpGet: { path: "/healthz", port: "http" }, periodSeconds: 1 };

/** The Deployment and its Service, as full objects (apiVersion, kind): for the API clients or `deploy`. */
export async function webWorkload(options: WebWorkload = {}): Promise<[V1Deployment, V1Service]> {
  const name = options.name ?? "web";
  const labels = { app: name };
  const metadata = { name, ...(options.namespace && { namespace: options.namespace }) };
  const container = await webContainer({ readinessProbe: WEB_READINESS, ...options.container });
  const deployment: V1Deployment = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata,
    spec: {
      replicas: options.replicas ?? 1,
      selector: { matchLabels: labels },
      ...(options.rolling && {
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      }),
      template: { metadata: { labels }, spec: { ...options.pod, containers: [container] } },
    },
  };
  const service: V1Service = {
    apiVersion: "v1",
    kind: "Service",
    metadata,
    spec: {
      ...(options.serviceType !== "ClusterIP" && { type: "NodePort" }),
      selector: labels,
      ports: [{ name: "http", port: 80, targetPort: "http" }],
    },
  };
  return [deployment, service];
}

/** The objects as a multi-document manifest, for `shipshape deploy -`. */
export function manifestOf(objects: readonly object[]): string {
  return objects.map((o) => JSON.stringify(o)).join("\n---\n");
}

/** Creates the Deployment and its Service in `namespace` through the API, as kubectl create would. */
export async function createWebWorkload(namespace: string, options: WebWorkload = {}): Promise<void> {
  const [deployment, service] = await webWorkload(options);
  await kubeConfig().makeApiClient(AppsV1Api).createNamespacedDeployment({ namespace, body: deployment });
  await core.createNamespacedService({ namespace, body: service });
}
