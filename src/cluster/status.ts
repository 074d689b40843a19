// `shipshape status -n NS`: the production facts of a live namespace in one screen — workload
// readiness and spread, the QoS class the API server gave their pods, what each PDB allows, where each
// HPA stands against its target, PVC phases and Service endpoints. The server is the judge of every
// fact (status.qosClass, status.disruptionsAllowed…); nothing is recomputed from specs.
import type { HorizontalPodAutoscaler, MetricSpec, MetricStatus } from "kubernetes-types/autoscaling/v2.js";
import type { PersistentVolumeClaim, Pod, Service } from "kubernetes-types/core/v1.js";
import type { EndpointSlice } from "kubernetes-types/discovery/v1.js";
import type { LabelSelector } from "kubernetes-types/meta/v1.js";
import type { PodDisruptionBudget } from "kubernetes-types/policy/v1.js";
import type { KubeObject } from "../k8s/object.ts";
import { matchesSelector } from "../k8s/selector.ts";
import type { Cluster } from "./client.ts";
import { type Readiness, readinessOf } from "./readiness.ts";

export interface WorkloadStatus {
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
}

export interface NamespaceStatus {
  namespace: string;
  workloads: WorkloadStatus[];
  budgets: Array<{
    name: string;
    allowed: number;
    healthy: number;
    desiredHealthy: number;
    expected: number;
  }>;
  autoscalers: Array<{
    name: string;
    target: string;
    current: number;
    desired: number;
    min: number;
    max: number;
    metrics: string[];
  }>;
  claims: Array<{
    name: string;
    phase: string;
    storageClass: string;
    accessModes: string[];
    capacity: string;
  }>;
  services: Array<{ name: string; type: string; ready: number; notReady: number }>;
}

/** The fields of the workload kinds status reads (Deployment, StatefulSet, DaemonSet). */
type WorkloadFields = {
  spec?: { replicas?: number; selector?: LabelSelector };
  status?: { readyReplicas?: number; desiredNumberScheduled?: number; numberReady?: number };
};

function podsOf(workload: KubeObject, pods: readonly Pod[]): Pod[] {
  const selector = (workload.spec as { selector?: LabelSelector } | undefined)?.selector;
  return pods.filter((p) => !p.metadata?.deletionTimestamp && matchesSelector(selector, p.metadata?.labels));
}

function workloadStatus(workload: KubeObject, pods: readonly Pod[]): WorkloadStatus {
  const { spec = {}, status = {} } = workload as WorkloadFields;
  const mine = podsOf(workload, pods);
  const desired = workload.kind === "DaemonSet" ? (status.desiredNumberScheduled ?? 0) : (spec.replicas ?? 1);
  const ready = workload.kind === "DaemonSet" ? (status.numberReady ?? 0) : (status.readyReplicas ?? 0);
  return {
    kind: workload.kind,
    name: workload.metadata.name ?? "",
    readiness: readinessOf(workload),
    desired,
    ready,
    qos: [...new Set(mine.map((p) => p.status?.qosClass ?? "?"))].sort(),
    nodes: [...new Set(mine.flatMap((p) => p.spec?.nodeName ?? []))].sort(),
    pods: mine.length,
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

export async function namespaceStatus(cluster: Cluster, namespace: string): Promise<NamespaceStatus> {
  const list = async (apiVersion: string, kind: string) =>
    (await cluster.list(apiVersion, kind, namespace)).items;
  const [deployments, statefulSets, daemonSets, pods, pdbs, hpas, pvcs, services, slices] = await Promise.all(
    [
      list("apps/v1", "Deployment"),
      list("apps/v1", "StatefulSet"),
      list("apps/v1", "DaemonSet"),
      list("v1", "Pod"),
      list("policy/v1", "PodDisruptionBudget"),
      list("autoscaling/v2", "HorizontalPodAutoscaler"),
      list("v1", "PersistentVolumeClaim"),
      list("v1", "Service"),
      list("discovery.k8s.io/v1", "EndpointSlice"),
    ],
  );
  const podObjects = pods as unknown as Pod[];
  const as = <T>(objects: KubeObject[]) => objects as unknown as T[];
  return {
    namespace,
    workloads: [...statefulSets, ...deployments, ...daemonSets].map((w) => workloadStatus(w, podObjects)),
    budgets: as<PodDisruptionBudget>(pdbs).map(({ metadata, status: s }) => ({
      name: metadata?.name ?? "",
      allowed: s?.disruptionsAllowed ?? 0,
      healthy: s?.currentHealthy ?? 0,
      desiredHealthy: s?.desiredHealthy ?? 0,
      expected: s?.expectedPods ?? 0,
    })),
    autoscalers: as<HorizontalPodAutoscaler>(hpas).map(({ metadata, spec, status: s }) => ({
      name: metadata?.name ?? "",
      target: `${spec?.scaleTargetRef.kind} ${spec?.scaleTargetRef.name}`,
      current: s?.currentReplicas ?? 0,
      desired: s?.desiredReplicas ?? 0,
      min: spec?.minReplicas ?? 1,
      max: spec?.maxReplicas ?? 0,
      metrics: (spec?.metrics ?? []).map((m, i) => metricLine(m, s?.currentMetrics?.[i])),
    })),
    claims: as<PersistentVolumeClaim>(pvcs).map(({ metadata, spec, status: s }) => ({
      name: metadata?.name ?? "",
      phase: s?.phase ?? "Pending",
      storageClass: spec?.storageClassName ?? "(default)",
      accessModes: spec?.accessModes ?? [],
      capacity: String(s?.capacity?.storage ?? spec?.resources?.requests?.storage ?? "?"),
    })),
    services: as<Service>(services).map(({ metadata, spec }) => {
      const endpoints = as<EndpointSlice>(slices)
        .filter((slice) => slice.metadata?.labels?.["kubernetes.io/service-name"] === metadata?.name)
        .flatMap((slice) => slice.endpoints ?? []);
      const ready = endpoints.filter((e) => e.conditions?.ready !== false).length;
      return {
        name: metadata?.name ?? "",
        type: spec?.type ?? "ClusterIP",
        ready,
        notReady: endpoints.length - ready,
      };
    }),
  };
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

/** The status as aligned tables, one section per concern; empty sections are left out. */
export function formatStatus(status: NamespaceStatus): string {
  const sections: string[][] = [];
  const add = (title: string, header: string[], rows: string[][]) => {
    if (rows.length) sections.push([title, ...table(header, rows).map((l) => `  ${l}`)]);
  };
  add(
    "Workloads",
    ["NAME", "READY", "STATUS", "QOS", "NODES"],
    status.workloads.map((w) => [
      `${w.kind}/${w.name}`,
      `${w.ready}/${w.desired}`,
      w.readiness.state === "ready" ? "ready" : `${w.readiness.state}: ${w.readiness.detail}`,
      w.qos.join(",") || "-",
      `${w.nodes.length} (${w.nodes.join(",")})`,
    ]),
  );
  add(
    "PodDisruptionBudgets",
    ["NAME", "ALLOWED DISRUPTIONS", "HEALTHY", "EXPECTED PODS"],
    status.budgets.map((b) => [
      b.name,
      String(b.allowed),
      `${b.healthy}/${b.desiredHealthy}`,
      String(b.expected),
    ]),
  );
  add(
    "HorizontalPodAutoscalers",
    ["NAME", "TARGET", "REPLICAS", "MIN-MAX", "METRICS (current/target)"],
    status.autoscalers.map((h) => [
      h.name,
      h.target,
      `${h.current}→${h.desired}`,
      `${h.min}-${h.max}`,
      h.metrics.join(", "),
    ]),
  );
  add(
    "PersistentVolumeClaims",
    ["NAME", "PHASE", "CLASS", "ACCESS", "CAPACITY"],
    status.claims.map((c) => [c.name, c.phase, c.storageClass, c.accessModes.join(","), c.capacity]),
  );
  add(
    "Services",
    ["NAME", "TYPE", "ENDPOINTS (ready/not ready)"],
    status.services.map((s) => [s.name, s.type, `${s.ready}/${s.notReady}`]),
  );
  if (!sections.length) return `namespace ${status.namespace}: nothing to show\n`;
  return `${sections.map((s) => s.join("\n")).join("\n\n")}\n`;
}
