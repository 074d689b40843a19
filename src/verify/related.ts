// The live objects around a workload that decide whether it survives a disruption: the Services that
// route to its pods, the PDBs that guard them, the HPA that scales it. Read once at the start; they go
// into the timeline so the verdict can audit them with the check rules.
import type { Deployment } from "kubernetes-types/apps/v1.js";
import type { HorizontalPodAutoscaler } from "kubernetes-types/autoscaling/v2.js";
import type { Pod, Service } from "kubernetes-types/core/v1.js";
import type { PodDisruptionBudget } from "kubernetes-types/policy/v1.js";
import type { Cluster } from "../cluster/client.ts";
import { InputError } from "../errors.ts";
import { describeObject, type KubeObject } from "../k8s/object.ts";
import { matchesLabels, matchesSelector } from "../k8s/selector.ts";
import type { RecordScope } from "./cluster-recorder.ts";

export interface Related {
  services: Service[];
  pdbs: PodDisruptionBudget[];
  hpa?: HorizontalPodAutoscaler;
}

/** List items come without apiVersion/kind; the check rules need them. managedFields are dropped:
 * bulk the timeline does not need. */
export function liveObject<T>(object: T, apiVersion: string, kind: string): T {
  const { managedFields: _, ...metadata } = (object as { metadata?: Record<string, unknown> }).metadata ?? {};
  return { apiVersion, kind, ...object, metadata };
}

async function items<T>(cluster: Cluster, apiVersion: string, kind: string, namespace: string): Promise<T[]> {
  const list = await cluster.list(apiVersion, kind, namespace);
  return list.items.map((item) => liveObject(item, apiVersion, kind) as T);
}

/** Reads a workload, with a one-line error naming it when it is not there. */
export async function readWorkload<T>(
  cluster: Cluster,
  kind: string,
  namespace: string,
  name: string,
): Promise<T> {
  const object = await cluster.get({ apiVersion: "apps/v1", kind, metadata: { namespace, name } });
  if (!object) throw new InputError("not found", { object: `${kind} ${namespace}/${name}` });
  return liveObject(object, "apps/v1", kind) as T;
}

export async function relatedTo(
  cluster: Cluster,
  namespace: string,
  workload: { kind: string; name: string },
  podLabels: Record<string, string>,
): Promise<Related> {
  const [services, pdbs, hpas] = await Promise.all([
    items<Service>(cluster, "v1", "Service", namespace),
    items<PodDisruptionBudget>(cluster, "policy/v1", "PodDisruptionBudget", namespace),
    items<HorizontalPodAutoscaler>(cluster, "autoscaling/v2", "HorizontalPodAutoscaler", namespace),
  ]);
  const target = (h: HorizontalPodAutoscaler) =>
    h.spec?.scaleTargetRef.kind === workload.kind && h.spec.scaleTargetRef.name === workload.name;
  const related: Related = {
    services: services.filter((s) => matchesLabels(s.spec?.selector, podLabels)),
    pdbs: pdbs.filter((p) => matchesSelector(p.spec?.selector, podLabels)),
  };
  const hpa = hpas.find(target);
  if (hpa) related.hpa = hpa;
  return related;
}

export function objectsOf(workload: object, related: Related): KubeObject[] {
  return [
    workload,
    ...related.services,
    ...related.pdbs,
    ...(related.hpa ? [related.hpa] : []),
  ] as KubeObject[];
}

/** The workload that owns a pod — a ReplicaSet's Deployment, or the StatefulSet/ReplicaSet itself. */
export async function ownerWorkload(cluster: Cluster, pod: Pod): Promise<KubeObject | undefined> {
  const namespace = pod.metadata?.namespace;
  const read = async (ref: { apiVersion: string; kind: string; name: string } | undefined) => {
    if (!ref) return undefined;
    const object = await cluster.get({
      apiVersion: ref.apiVersion,
      kind: ref.kind,
      metadata: { namespace, name: ref.name },
    });
    return object && liveObject(object, ref.apiVersion, ref.kind);
  };
  const direct = await read(pod.metadata?.ownerReferences?.find((r) => r.controller));
  const grand = direct?.metadata.ownerReferences?.find((r: { controller?: boolean }) => r.controller) as
    | { apiVersion: string; kind: string; name: string }
    | undefined;
  if (grand?.kind === "Deployment") return (await read(grand)) ?? direct;
  return direct;
}

export interface DeploymentUnderTest {
  deployment: Deployment;
  related: Related;
  /** "Deployment ns/name". */
  subject: string;
  /** What the recorder watches for it. */
  scope: RecordScope;
  /** What the verdict audits. */
  objects: KubeObject[];
}

/** A Deployment with everything around it, and the recording scope rollout and autoscale share. */
export async function deploymentUnderTest(
  cluster: Cluster,
  namespace: string,
  name: string,
): Promise<DeploymentUnderTest> {
  const deployment = await readWorkload<Deployment>(cluster, "Deployment", namespace, name);
  const labels = deployment.spec?.template.metadata?.labels ?? {};
  const related = await relatedTo(cluster, namespace, { kind: "Deployment", name }, labels);
  const scope: RecordScope = {
    namespaces: [namespace],
    pods: (pod) => matchesSelector(deployment.spec?.selector, pod.metadata?.labels),
    services: related.services.map((s) => `${namespace}/${s.metadata?.name}`),
    deployment: name,
  };
  if (related.hpa?.metadata?.name) scope.hpa = related.hpa.metadata.name;
  const subject = describeObject(deployment as KubeObject);
  return { deployment, related, subject, scope, objects: objectsOf(deployment, related) };
}
