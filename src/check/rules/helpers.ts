// What several rules ask about a workload: its containers with their paths, how many replicas it really
// runs (HPA included), which containers serve traffic, and how a finding names things.
import type { Container } from "kubernetes-types/core/v1.js";
import { describeObject } from "../../k8s/object.ts";
import type { SourceObject } from "../../manifest/types.ts";
import { databaseOf, isDatabaseCompanion } from "../facts/database.ts";
import { namespaceOf, type ObjectIndex, type Path, type Workload } from "../object-index.ts";
import { int, list, record, stringMap, text } from "../shape.ts";

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

/** A database workload of its own: a database container plus only its helpers (exporters, backups),
 * where a single replica is a deliberate choice rather than an oversight. */
export function isDedicatedDatabase(w: Workload): boolean {
  return isDatabase(w) && w.containers.every((c) => databaseOf(c) !== undefined || isDatabaseCompanion(c));
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
