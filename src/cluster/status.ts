// `shipshape status -n NS` (or -A): the production facts of a live namespace in one screen — workload
// readiness and spread and why a workload is not ready, the QoS class the API server gave their pods,
// what each PDB allows, where each HPA stands against its target, PVC phases, Service endpoints,
// Ingresses and recent warnings. The server is the judge of every fact (status.qosClass,
// status.disruptionsAllowed…); nothing is recomputed from specs. statusOf() is pure: the listing is
// gathered once by namespaceStatus(), so every cell is unit-tested on recorded objects.
import type { HorizontalPodAutoscaler, MetricSpec, MetricStatus } from "kubernetes-types/autoscaling/v2.js";
import type { Event, PersistentVolumeClaim, Pod, Service } from "kubernetes-types/core/v1.js";
import type { EndpointSlice } from "kubernetes-types/discovery/v1.js";
import type { LabelSelector } from "kubernetes-types/meta/v1.js";
import type { Ingress } from "kubernetes-types/networking/v1.js";
import type { PodDisruptionBudget } from "kubernetes-types/policy/v1.js";
import type { KubeObject } from "../k8s/object.ts";
import { matchesSelector } from "../k8s/selector.ts";
import type { Cluster } from "./client.ts";
import { explain, formatExplanations } from "./diagnose.ts";
import { crashLogs, evidenceAmong } from "./evidence.ts";
import { type Readiness, readinessOf } from "./readiness.ts";

export interface WorkloadStatus {
  namespace: string;
  kind: string;
  name: string;
  readiness: Readiness;
  desired: number;
  ready: number;
  /** Distinct QoS classes of its pods (one, normally). */
  qos: string[];
  /** Distinct nodes its pods run on. */
  nodes: string[];
  pods: number;
  /** Why it is not ready, as deploy says it (empty when ready). */
  why: string[];
}

export interface IngressStatus {
  namespace: string;
  name: string;
  className?: string;
  hosts: string[];
  /** Each TLS entry: the hosts it covers and the Secret holding the certificate. */
  tls: Array<{ hosts: string[]; secretName?: string }>;
  /** "host/path → service:port", one per rule path (and the default backend). */
  backends: string[];
  /** Addresses the controller published (status.loadBalancer). */
  addresses: string[];
}

export interface WarningEvent {
  namespace: string;
  /** "Pod web-1" */
  object: string;
  reason: string;
  message: string;
  count: number;
  /** When it was last seen (ISO 8601), when the server says. */
  lastSeen?: string;
}

export interface NamespaceStatus {
  /** The namespace shown; absent for all namespaces (-A). */
  namespace?: string;
  workloads: WorkloadStatus[];
  budgets: Array<{
    namespace: string;
    name: string;
    allowed: number;
    healthy: number;
    desiredHealthy: number;
    expected: number;
  }>;
  autoscalers: Array<{
    namespace: string;
    name: string;
    target: string;
    current: number;
    desired: number;
    min: number;
    max: number;
    metrics: string[];
  }>;
  claims: Array<{
    namespace: string;
    name: string;
    phase: string;
    /** The class the claim names; absent when it names none (the cluster's default class applies). */
    storageClass?: string;
    accessModes: string[];
    capacity: string;
  }>;
  services: Array<{ namespace: string; name: string; type: string; ready: number; notReady: number }>;
  ingresses: IngressStatus[];
  /** The most recent Warning events, latest first. */
  warnings: WarningEvent[];
}

/** Everything status reads, listed once (one namespace, or all). */
export interface StatusListing {
  deployments: readonly KubeObject[];
  statefulSets: readonly KubeObject[];
  daemonSets: readonly KubeObject[];
  pods: readonly Pod[];
  budgets: readonly PodDisruptionBudget[];
  autoscalers: readonly HorizontalPodAutoscaler[];
  claims: readonly PersistentVolumeClaim[];
  services: readonly Service[];
  endpointSlices: readonly EndpointSlice[];
  ingresses: readonly Ingress[];
  events: readonly Event[];
}

/** Where each part of the listing comes from: apiVersion and kind. */
const LISTED: Record<keyof StatusListing, [string, string]> = {
  deployments: ["apps/v1", "Deployment"],
  statefulSets: ["apps/v1", "StatefulSet"],
  daemonSets: ["apps/v1", "DaemonSet"],
  pods: ["v1", "Pod"],
  budgets: ["policy/v1", "PodDisruptionBudget"],
  autoscalers: ["autoscaling/v2", "HorizontalPodAutoscaler"],
  claims: ["v1", "PersistentVolumeClaim"],
  services: ["v1", "Service"],
  endpointSlices: ["discovery.k8s.io/v1", "EndpointSlice"],
  ingresses: ["networking.k8s.io/v1", "Ingress"],
  events: ["v1", "Event"],
};

/** How many warnings status shows: the recent ones, not a namespace's whole history. */
export const RECENT_WARNINGS = 10;

/** The fields of the workload kinds status reads (Deployment, StatefulSet, DaemonSet). */
type WorkloadFields = {
  spec?: { replicas?: number; selector?: LabelSelector };
  status?: { readyReplicas?: number; desiredNumberScheduled?: number; numberReady?: number };
};

function podsOf(workload: KubeObject, pods: readonly Pod[]): Pod[] {
  const selector = (workload.spec as { selector?: LabelSelector } | undefined)?.selector;
  return pods.filter(
    (p) =>
      p.metadata?.namespace === workload.metadata.namespace &&
      !p.metadata?.deletionTimestamp &&
      matchesSelector(selector, p.metadata?.labels),
  );
}

function workloadStatus(
  workload: KubeObject,
  listing: StatusListing,
  logs: Readonly<Record<string, string>>,
): WorkloadStatus {
  const { spec = {}, status = {} } = workload as WorkloadFields;
  const mine = podsOf(workload, listing.pods);
  const desired = workload.kind === "DaemonSet" ? (status.desiredNumberScheduled ?? 0) : (spec.replicas ?? 1);
  const ready = workload.kind === "DaemonSet" ? (status.numberReady ?? 0) : (status.readyReplicas ?? 0);
  const readiness = readinessOf(workload);
  const why =
    readiness.state === "ready"
      ? []
      : formatExplanations(
          explain({ ...evidenceAmong(workload, { ...listing, pvcs: listing.claims }), logs }),
        );
  return {
    namespace: workload.metadata.namespace ?? "",
    kind: workload.kind,
    name: workload.metadata.name ?? "",
    readiness,
    desired,
    ready,
    qos: [...new Set(mine.map((p) => p.status?.qosClass ?? "?"))].sort(),
    nodes: [...new Set(mine.flatMap((p) => p.spec?.nodeName ?? []))].sort(),
    pods: mine.length,
    why,
  };
}

function metricLine(spec: MetricSpec, current: MetricStatus | undefined): string {
  if (spec.type !== "Resource") return `${spec.type}`;
  const name = spec.resource?.name;
  const target = spec.resource?.target;
  const now = current?.resource?.current;
  if (target?.type === "Utilization")
    return `${name} ${now?.averageUtilization ?? "?"}%/${target.averageUtilization}%`;
  return `${name} ${now?.averageValue ?? now?.value ?? "?"}/${target?.averageValue ?? target?.value}`;
}

function ingressStatus({ metadata, spec, status }: Ingress): IngressStatus {
  const backend = (b: NonNullable<NonNullable<Ingress["spec"]>["defaultBackend"]>) =>
    b.service
      ? `${b.service.name}:${b.service.port?.name ?? b.service.port?.number ?? "?"}`
      : `${b.resource?.kind ?? "?"} ${b.resource?.name ?? "?"}`;
  const backends = (spec?.rules ?? []).flatMap((rule) =>
    (rule.http?.paths ?? []).map((p) => `${rule.host ?? "*"}${p.path ?? "/"} → ${backend(p.backend)}`),
  );
  if (spec?.defaultBackend) backends.push(`(default) → ${backend(spec.defaultBackend)}`);
  return {
    namespace: metadata?.namespace ?? "",
    name: metadata?.name ?? "",
    ...(spec?.ingressClassName ? { className: spec.ingressClassName } : {}),
    hosts: [...new Set((spec?.rules ?? []).flatMap((r) => r.host ?? []))],
    tls: (spec?.tls ?? []).map((t) => ({
      hosts: t.hosts ?? [],
      ...(t.secretName ? { secretName: t.secretName } : {}),
    })),
    backends,
    addresses: (status?.loadBalancer?.ingress ?? []).flatMap((a) => a.hostname ?? a.ip ?? []),
  };
}

function lastSeen(e: Event): string | undefined {
  const time = e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp;
  return time === undefined ? undefined : String(time);
}

function recentWarnings(events: readonly Event[]): WarningEvent[] {
  return events
    .filter((e) => e.type === "Warning")
    .map((e) => ({
      namespace: e.involvedObject?.namespace ?? e.metadata?.namespace ?? "",
      object: `${e.involvedObject?.kind ?? "?"} ${e.involvedObject?.name ?? "?"}`,
      reason: e.reason ?? "",
      message: e.message ?? "",
      count: e.count ?? 1,
      ...(lastSeen(e) ? { lastSeen: lastSeen(e) } : {}),
    }))
    .sort((a, b) => (Date.parse(b.lastSeen ?? "") || 0) - (Date.parse(a.lastSeen ?? "") || 0))
    .slice(0, RECENT_WARNINGS);
}

/** The status of what was listed; `logs` are crashing containers' last lines (crashLogs()). */
export function statusOf(
  listing: StatusListing,
  namespace: string | undefined,
  logs: Readonly<Record<string, string>> = {},
): NamespaceStatus {
  const { endpointSlices } = listing;
  return {
    ...(namespace === undefined ? {} : { namespace }),
    workloads: [...listing.statefulSets, ...listing.deployments, ...listing.daemonSets].map((w) =>
      workloadStatus(w, listing, logs),
    ),
    budgets: listing.budgets.map(({ metadata, status: s }) => ({
      namespace: metadata?.namespace ?? "",
      name: metadata?.name ?? "",
      allowed: s?.disruptionsAllowed ?? 0,
      healthy: s?.currentHealthy ?? 0,
      desiredHealthy: s?.desiredHealthy ?? 0,
      expected: s?.expectedPods ?? 0,
    })),
    autoscalers: listing.autoscalers.map(({ metadata, spec, status: s }) => ({
      namespace: metadata?.namespace ?? "",
      name: metadata?.name ?? "",
      target: `${spec?.scaleTargetRef.kind} ${spec?.scaleTargetRef.name}`,
      current: s?.currentReplicas ?? 0,
      desired: s?.desiredReplicas ?? 0,
      min: spec?.minReplicas ?? 1,
      max: spec?.maxReplicas ?? 0,
      metrics: (spec?.metrics ?? []).map((m, i) => metricLine(m, s?.currentMetrics?.[i])),
    })),
    claims: listing.claims.map(({ metadata, spec, status: s }) => ({
      namespace: metadata?.namespace ?? "",
      name: metadata?.name ?? "",
      phase: s?.phase ?? "Pending",
      ...(spec?.storageClassName ? { storageClass: spec.storageClassName } : {}),
      accessModes: spec?.accessModes ?? [],
      capacity: String(s?.capacity?.storage ?? spec?.resources?.requests?.storage ?? "?"),
    })),
    services: listing.services.map(({ metadata, spec }) => {
      const endpoints = endpointSlices
        .filter(
          (slice) =>
            slice.metadata?.namespace === metadata?.namespace &&
            slice.metadata?.labels?.["kubernetes.io/service-name"] === metadata?.name,
        )
        .flatMap((slice) => slice.endpoints ?? []);
      const ready = endpoints.filter((e) => e.conditions?.ready !== false).length;
      return {
        namespace: metadata?.namespace ?? "",
        name: metadata?.name ?? "",
        type: spec?.type ?? "ClusterIP",
        ready,
        notReady: endpoints.length - ready,
      };
    }),
    ingresses: listing.ingresses.map(ingressStatus),
    warnings: recentWarnings(listing.events),
  };
}

/** The live status of one namespace, or of all of them when `namespace` is undefined (-A). */
export async function namespaceStatus(
  cluster: Cluster,
  namespace: string | undefined,
): Promise<NamespaceStatus> {
  const lists = await Promise.all(
    Object.entries(LISTED).map(async ([key, [apiVersion, kind]]) => [
      key,
      (await cluster.list(apiVersion, kind, namespace)).items,
    ]),
  );
  const listing = Object.fromEntries(lists) as unknown as StatusListing;
  const { deployments, statefulSets, daemonSets, pods } = listing;
  // Only the pods of workloads that are not ready can need their crash logs read.
  const stuck = [...statefulSets, ...deployments, ...daemonSets].filter(
    (w) => readinessOf(w).state !== "ready",
  );
  const logs = await crashLogs(
    cluster,
    stuck.flatMap((w) => podsOf(w, pods)),
  );
  return statusOf(listing, namespace, logs);
}
