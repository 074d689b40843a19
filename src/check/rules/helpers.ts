// What several rules ask about a workload: its containers with their paths, how many replicas it really
// runs (HPA included), which containers serve traffic, its Pod Security verdicts, which NetworkPolicies
// fence it, its probes' ports, and how a finding names things.
import type { Container } from "kubernetes-types/core/v1.js";
import type { LabelSelector } from "kubernetes-types/meta/v1.js";
import { describeObject } from "../../k8s/object.ts";
import { matchesSelector } from "../../k8s/selector.ts";
import type { SourceObject } from "../../manifest/types.ts";
import { databaseOf, isDatabaseCompanion, isSingleInstanceStore } from "../facts/database.ts";
import { type PodSecurityViolation, podSecurityViolations } from "../facts/pod-security.ts";
import { namespaceOf, type ObjectIndex, type Path, type Workload } from "../object-index.ts";
import { int, list, record, stringMap, text } from "../shape.ts";
import type { FindingDraft } from "../types.ts";

export interface ContainerAt {
  container: Container;
  path: Path;
}

/** Regular containers, then init containers (restartable sidecars among them), each with its path. */
export function containersOf(w: Workload, { init = true } = {}): ContainerAt[] {
  const regular = w.containers.map((container, i) => ({
    container,
    path: [...w.specPath, "containers", i],
  }));
  if (!init) return regular;
  const inits = w.initContainers.map((container, i) => ({
    container,
    path: [...w.specPath, "initContainers", i],
  }));
  return [...regular, ...inits];
}

export function describe(source: SourceObject): string {
  return describeObject(source.object);
}

export function containerName(container: Container): string {
  return text(container.name) ?? "(unnamed)";
}

/** minReplicas / maxReplicas of the first HPA scaling the workload. */
export function hpaBounds(w: Workload): { min: number; max: number } | undefined {
  const hpa = w.hpas[0];
  if (!hpa) return undefined;
  const spec = record(hpa.object.spec);
  const min = int(spec.minReplicas) ?? 1;
  return { min, max: int(spec.maxReplicas) ?? min };
}

/** The fewest replicas it runs: the HPA's minimum when one scales it, else its replica count. */
export function minReplicas(w: Workload): number | undefined {
  return hpaBounds(w)?.min ?? w.replicas;
}

/** The most replicas it can run: the HPA's maximum when one scales it, else its replica count. */
export function maxReplicas(w: Workload): number | undefined {
  return hpaBounds(w)?.max ?? w.replicas;
}

/** The fewest pods that answer for it: across all the workloads behind its busiest traffic Service (three
 * single-replica members of one Service are three replicas of it), else its own minimum. */
export function servingReplicas(w: Workload, index: ObjectIndex): number | undefined {
  const own = minReplicas(w);
  let most = own;
  for (const service of w.trafficServices) {
    let sum = 0;
    for (const member of index.selectedBy(service)) sum += minReplicas(member) ?? 0;
    if (most === undefined || sum > most) most = sum;
  }
  return most;
}

/** Long-running kinds (not Jobs and CronJobs, whose pods are meant to finish). */
export function isLongRunning(w: Workload): boolean {
  return w.kind !== "Job" && w.kind !== "CronJob";
}

/** Whether any of its containers is a database. */
export function isDatabase(w: Workload): boolean {
  return w.containers.some((c) => databaseOf(c) !== undefined);
}

/** A database workload of its own: a database (or a Redis-like store) container plus only its helpers
 * (exporters, backups), where a single replica is a deliberate choice rather than an oversight. */
export function isDedicatedDatabase(w: Workload): boolean {
  const stores = w.containers.filter((c) => databaseOf(c) !== undefined || isSingleInstanceStore(c));
  return stores.length > 0 && w.containers.every((c) => stores.includes(c) || isDatabaseCompanion(c));
}

/** Containers that take traffic: those declaring a port a selecting Service targets; else those declaring
 * any port; else every regular container. */
export function servingContainers(w: Workload): ContainerAt[] {
  const regular = containersOf(w, { init: false });
  const names = new Set<string>();
  const numbers = new Set<number>();
  for (const service of w.services) {
    for (const port of list(record(service.object.spec).ports)) {
      const target = port.targetPort ?? port.port;
      if (typeof target === "string" && !/^\d+$/.test(target)) names.add(target);
      else if (target !== undefined) numbers.add(Number(target));
    }
  }
  const targeted = regular.filter(({ container }) =>
    list(container.ports).some(
      (p) => names.has(text(p.name) ?? "") || numbers.has(int(p.containerPort) ?? -1),
    ),
  );
  if (targeted.length > 0) return targeted;
  const withPorts = regular.filter(({ container }) => list(container.ports).length > 0);
  return withPorts.length > 0 ? withPorts : regular;
}

/** Whether the pod mounts a claim only one node (or pod) may use at a time: ReadWriteOnce(Pod), or a claim
 * not in the input, whose access mode is unknown. Two versions of such a pod cannot run side by side. */
export function mountsExclusiveClaim(w: Workload, index: ObjectIndex): boolean {
  return list(record(w.podSpec).volumes).some((volume) => {
    const claimName = text(record(volume.persistentVolumeClaim).claimName);
    if (!claimName) return false;
    const modes = index.claim(w.namespace, claimName)?.accessModes;
    return !modes?.some((m) => m === "ReadWriteMany" || m === "ReadOnlyMany");
  });
}

/** The custom resource in the input whose operator likely creates the pods a selector is written for:
 * one in the same namespace named, or of a kind named, by a selector value, or labelled as the selector
 * asks (operators copy their resource's name and labels onto the pods). */
export function operatorResourceFor(
  subject: SourceObject,
  selector: Record<string, string>,
  index: ObjectIndex,
): SourceObject | undefined {
  const values = new Set(Object.values(selector).map((v) => v.toLowerCase()));
  const pairs = Object.entries(selector);
  return index.customResourcesIn(namespaceOf(subject)).find((o) => {
    const metadata = record(o.object.metadata);
    const labels = stringMap(metadata.labels);
    return (
      values.has((text(metadata.name) ?? "").toLowerCase()) ||
      values.has(String(o.object.kind).toLowerCase()) ||
      (pairs.length > 0 && pairs.every(([k, v]) => labels[k] === v))
    );
  });
}

/** "3 replicas" / "1 replica". */
export function replicasText(n: number): string {
  return `${n} replica${n === 1 ? "" : "s"}`;
}

const podSecurity = new WeakMap<Workload, PodSecurityViolation[]>();

/** The workload's Pod Security violations, computed once however many rules and facts ask. */
export function podSecurityOf(w: Workload): readonly PodSecurityViolation[] {
  let found = podSecurity.get(w);
  if (!found) {
    const template = w.templatePath.reduce<unknown>((node, step) => record(node)[step], w.source.object);
    found = podSecurityViolations(template, w.templatePath);
    podSecurity.set(w, found);
  }
  return found;
}

export interface PolicyCoverage {
  /** The NetworkPolicies that isolate each workload's pods for ingress. */
  ingressPolicies: Map<Workload, SourceObject[]>;
  /** The workloads each NetworkPolicy's podSelector selects (whatever its policy types). */
  selected: Map<SourceObject, Workload[]>;
  /** Namespaces with at least one NetworkPolicy in the input. */
  namespaces: Set<string>;
}

const coverage = new WeakMap<ObjectIndex, PolicyCoverage>();

/** Which NetworkPolicy selects which workload, computed once per index. A policy isolates for ingress
 * unless its policyTypes are written and leave Ingress out; an empty podSelector selects every pod. */
export function networkPolicyCoverage(index: ObjectIndex): PolicyCoverage {
  const known = coverage.get(index);
  if (known) return known;
  const found: PolicyCoverage = { ingressPolicies: new Map(), selected: new Map(), namespaces: new Set() };
  for (const policy of index.byKind("NetworkPolicy")) {
    const namespace = namespaceOf(policy);
    found.namespaces.add(namespace);
    const spec = record(policy.object.spec);
    const selector = record(spec.podSelector) as LabelSelector;
    const hits = index.workloadsIn(namespace).filter((w) => matchesSelector(selector, w.podLabels));
    found.selected.set(policy, hits);
    const types = spec.policyTypes;
    const ingress = !Array.isArray(types) || types.includes("Ingress");
    if (!ingress) continue;
    for (const w of hits) {
      const mine = found.ingressPolicies.get(w);
      if (mine) mine.push(policy);
      else found.ingressPolicies.set(w, [policy]);
    }
  }
  coverage.set(index, found);
  return found;
}

/** The finding of a selector that matches no pod template: info when the input has no workloads in that
 * namespace at all (the pods may be deployed separately), else the rule's own severity. */
export function selectsNothing(
  subject: SourceObject,
  index: ObjectIndex,
  finding: { consequence: string; fix: string; path: Path },
): FindingDraft {
  const namespace = namespaceOf(subject);
  const spec = record(subject.object.spec);
  const selector = stringMap(record(spec.selector ?? spec.podSelector).matchLabels);
  const operator = operatorResourceFor(subject, selector, index);
  if (operator) {
    return {
      message: `${describe(subject)} selects pods that are not in the input: ${describe(operator)} is a custom resource whose operator creates them`,
      fix: `Nothing to change if ${describe(operator)}'s operator labels its pods ${JSON.stringify(selector)}; check on the cluster that it selects them.`,
      path: finding.path,
      severity: "info",
    };
  }
  const anyHere = index.workloadsIn(namespace).length > 0;
  return {
    message: `${describe(subject)} selects no pod template in the input${anyHere ? "" : ` (no workloads in namespace ${namespace} here)`}: ${finding.consequence}`,
    fix: finding.fix,
    path: finding.path,
    ...(anyHere ? {} : { severity: "info" as const }),
  };
}

export interface ProbePort {
  probe: "readinessProbe" | "livenessProbe" | "startupProbe";
  handler: "httpGet" | "tcpSocket" | "grpc";
  port: unknown;
  path: Path;
}

/** The port of every network probe handler a container has (httpGet, tcpSocket, grpc), with its path. */
export function probePorts({ container, path }: ContainerAt): ProbePort[] {
  const found: ProbePort[] = [];
  for (const probe of ["readinessProbe", "livenessProbe", "startupProbe"] as const) {
    for (const handler of ["httpGet", "tcpSocket", "grpc"] as const) {
      const port = record(record(record(container)[probe])[handler]).port;
      if (port !== undefined) found.push({ probe, handler, port, path: [...path, probe, handler, "port"] });
    }
  }
  return found;
}
