// When is an object really up? One pure rule per kind, judged on a snapshot of the live object
// (and, for a Service, its EndpointSlices). The watch plumbing feeds snapshots in; nothing here does I/O.
// Workload rules follow `kubectl rollout status` so "ready" means what operators already expect.

import type { CustomResourceDefinition } from "kubernetes-types/apiextensions/v1.js";
import type { DaemonSet, Deployment, StatefulSet } from "kubernetes-types/apps/v1.js";
import type { HorizontalPodAutoscaler } from "kubernetes-types/autoscaling/v2.js";
import type { Job } from "kubernetes-types/batch/v1.js";
import type { Namespace, PersistentVolumeClaim, Pod, Service } from "kubernetes-types/core/v1.js";
import type { EndpointSlice } from "kubernetes-types/discovery/v1.js";
import type { PodDisruptionBudget } from "kubernetes-types/policy/v1.js";
import type { KubeObject } from "../k8s/object.ts";

export type Readiness =
  | { state: "ready"; detail: string }
  | { state: "waiting"; detail: string }
  /** It will not get ready by waiting longer (progress deadline exceeded, Job failed, CRD names rejected). */
  | { state: "failed"; detail: string };

/** What a rule may need beside the object itself. */
export interface ReadinessContext {
  /** EndpointSlices labelled kubernetes.io/service-name=<service>. */
  endpointSlices?: readonly EndpointSlice[];
  /** volumeBindingMode of the PVC's StorageClass, when it has one. */
  volumeBindingMode?: string;
}

const ready = (detail: string): Readiness => ({ state: "ready", detail });
const waiting = (detail: string): Readiness => ({ state: "waiting", detail });
const failed = (detail: string): Readiness => ({ state: "failed", detail });

type Condition = { type: string; status: string; reason?: string; message?: string };

function condition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** Whether the controller has seen the latest spec (generation) yet. */
function observed(object: {
  metadata?: { generation?: number };
  status?: { observedGeneration?: number };
}): boolean {
  return (object.metadata?.generation ?? 0) <= (object.status?.observedGeneration ?? 0);
}

export function deploymentReadiness(d: Deployment): Readiness {
  if (!observed(d)) return waiting("spec update to be observed");
  const s = d.status ?? {};
  const desiredUpdated =
    (s.updatedReplicas ?? 0) >= (d.spec?.replicas ?? 1) && (s.replicas ?? 0) === s.updatedReplicas;
  // A paused Deployment does not roll out: waiting would only run into the timeout.
  if (d.spec?.paused && !desiredUpdated)
    return failed("rollout paused (spec.paused: true); resume it to roll out");
  const progressing = condition(s.conditions, "Progressing");
  if (progressing?.reason === "ProgressDeadlineExceeded")
    return failed(`progress deadline exceeded: ${progressing.message ?? ""}`.trim());
  const desired = d.spec?.replicas ?? 1;
  const updated = s.updatedReplicas ?? 0;
  if (updated < desired) return waiting(`${updated} of ${desired} new replicas updated`);
  if ((s.replicas ?? 0) > updated)
    return waiting(`${(s.replicas ?? 0) - updated} old replicas pending termination`);
  if ((s.availableReplicas ?? 0) < updated)
    return waiting(`${s.availableReplicas ?? 0} of ${updated} updated replicas available`);
  return ready(`${s.availableReplicas ?? 0}/${desired} available`);
}

export function statefulSetReadiness(sts: StatefulSet): Readiness {
  const s: NonNullable<StatefulSet["status"]> = sts.status ?? { replicas: 0 };
  if (sts.spec?.updateStrategy?.type === "OnDelete") return ready("OnDelete strategy: not tracked");
  if (!s.observedGeneration || !observed(sts)) return waiting("spec update to be observed");
  const desired = sts.spec?.replicas ?? 1;
  if ((s.readyReplicas ?? 0) < desired) return waiting(`${s.readyReplicas ?? 0} of ${desired} pods ready`);
  const partition = sts.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
  if (partition > 0) {
    const expected = desired - partition;
    if ((s.updatedReplicas ?? 0) < expected)
      return waiting(`${s.updatedReplicas ?? 0} of ${expected} partitioned pods updated`);
    return ready(`partitioned rollout: ${s.updatedReplicas ?? 0} updated`);
  }
  if (s.updateRevision !== s.currentRevision)
    return waiting(`${s.updatedReplicas ?? 0} of ${desired} pods at revision ${s.updateRevision}`);
  return ready(`${s.readyReplicas ?? 0}/${desired} ready`);
}

export function daemonSetReadiness(ds: DaemonSet): Readiness {
  if (ds.spec?.updateStrategy?.type === "OnDelete") return ready("OnDelete strategy: not tracked");
  if (!observed(ds)) return waiting("spec update to be observed");
  const s = ds.status ?? {
    currentNumberScheduled: 0,
    desiredNumberScheduled: 0,
    numberMisscheduled: 0,
    numberReady: 0,
  };
  const desired = s.desiredNumberScheduled;
  if ((s.updatedNumberScheduled ?? 0) < desired)
    return waiting(`${s.updatedNumberScheduled ?? 0} of ${desired} pods updated`);
  if ((s.numberAvailable ?? 0) < desired)
    return waiting(`${s.numberAvailable ?? 0} of ${desired} updated pods available`);
  return ready(`${s.numberAvailable ?? 0}/${desired} available`);
}

export function jobReadiness(job: Job): Readiness {
  const conditions = job.status?.conditions;
  const failure = condition(conditions, "Failed");
  if (failure?.status === "True")
    return failed(`${failure.reason ?? "Failed"}: ${failure.message ?? ""}`.trim());
  if (condition(conditions, "Complete")?.status === "True") return ready("complete");
  return waiting(`${job.status?.succeeded ?? 0} of ${job.spec?.completions ?? 1} completions`);
}

export function pvcReadiness(pvc: PersistentVolumeClaim, context: ReadinessContext = {}): Readiness {
  const phase = pvc.status?.phase ?? "Pending";
  if (phase === "Bound") return ready(`Bound to ${pvc.spec?.volumeName ?? "a volume"}`);
  if (phase === "Lost") return failed("Lost: its volume is gone");
  if (context.volumeBindingMode === "WaitForFirstConsumer")
    return ready("Pending until its first consumer is scheduled");
  return waiting("a volume to bind (Pending)");
}

export function namespaceReadiness(ns: Namespace): Readiness {
  const phase = ns.status?.phase;
  if (phase === "Active") return ready("Active");
  if (phase === "Terminating") return failed("Terminating: it is being deleted");
  return waiting("phase Active");
}

export function crdReadiness(crd: CustomResourceDefinition): Readiness {
  const conditions = crd.status?.conditions;
  const names = condition(conditions, "NamesAccepted");
  if (names?.status === "False") return failed(`names not accepted: ${names.message ?? ""}`.trim());
  if (condition(conditions, "Established")?.status === "True") return ready("Established");
  return waiting("condition Established");
}

/** A Service is up when traffic can reach a pod: at least one ready endpoint in its EndpointSlices. */
export function serviceReadiness(svc: Service, context: ReadinessContext = {}): Readiness {
  if (svc.spec?.type === "ExternalName") return ready("ExternalName");
  if (!svc.spec?.selector || Object.keys(svc.spec.selector).length === 0)
    return ready("no selector: endpoints managed elsewhere");
  const endpoints = (context.endpointSlices ?? []).flatMap((slice) => slice.endpoints ?? []);
  const readyCount = endpoints.filter((e) => e.conditions?.ready !== false).length;
  if (readyCount > 0) return ready(`${readyCount} ready endpoint${readyCount === 1 ? "" : "s"}`);
  return waiting(endpoints.length ? `0 of ${endpoints.length} endpoints ready` : "endpoints");
}

export function podReadiness(pod: Pod): Readiness {
  if (pod.status?.phase === "Succeeded") return ready("Succeeded");
  if (pod.status?.phase === "Failed")
    return failed(`Failed: ${pod.status.message ?? pod.status.reason ?? ""}`.trim());
  if (condition(pod.status?.conditions, "Ready")?.status === "True") return ready("Ready");
  return waiting("condition Ready");
}

export function pdbReadiness(pdb: PodDisruptionBudget): Readiness {
  if (!observed(pdb)) return waiting("spec update to be observed");
  const s = pdb.status;
  return ready(
    `${s?.disruptionsAllowed ?? 0} disruptions allowed (${s?.currentHealthy ?? 0}/${s?.desiredHealthy ?? 0} healthy)`,
  );
}

/** An autoscaler is settled once it has scaled its target to at least its minimum (from the single
 * replica a Deployment without spec.replicas starts with). It writes the target's scale before its own
 * status, so a desiredReplicas ≥ min means the target already asks for them; the target's own rule
 * then waits for the pods. (currentReplicas would lag a whole sync period, 15 s by default.) */
export function hpaReadiness(hpa: HorizontalPodAutoscaler): Readiness {
  const min = hpa.spec?.minReplicas ?? 1;
  const desired = hpa.status?.desiredReplicas ?? 0;
  if (desired < min)
    return waiting(`the autoscaler to scale to its minimum ${min} (${hpa.status?.currentReplicas ?? 0} now)`);
  return ready(`${desired} replicas (min ${min}, max ${hpa.spec?.maxReplicas})`);
}

type Rule = (object: never, context: ReadinessContext) => Readiness;

const RULES: Record<string, Rule> = {
  Deployment: deploymentReadiness,
  StatefulSet: statefulSetReadiness,
  DaemonSet: daemonSetReadiness,
  Job: jobReadiness,
  PersistentVolumeClaim: pvcReadiness,
  Namespace: namespaceReadiness,
  CustomResourceDefinition: crdReadiness,
  Service: serviceReadiness,
  Pod: podReadiness,
  PodDisruptionBudget: pdbReadiness,
  HorizontalPodAutoscaler: hpaReadiness,
};

/** Whether deploy has to wait for this kind at all (everything else is ready once applied). */
export function hasReadinessRule(kind: string): boolean {
  return Object.hasOwn(RULES, kind);
}

/** Judge a live object by its kind's rule; kinds without one are ready once they exist. */
export function readinessOf(object: KubeObject, context: ReadinessContext = {}): Readiness {
  const rule = Object.hasOwn(RULES, object.kind) ? RULES[object.kind] : undefined;
  return rule ? rule(object as never, context) : ready("applied");
}
