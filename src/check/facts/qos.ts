// The QoS class of a pod exactly as the apiserver computes it into `status.qosClass`
// (pkg/apis/core/helper/qos, applied after the v1 defaulting of the pod).
//
// What decides it:
// - only cpu and memory count, and only quantities > 0;
// - regular containers AND init containers (restartable sidecars included) are summed;
// - defaulting first: a limit without a request becomes the request (per resource), for containers
//   and for pod-level `spec.resources`;
// - when pod-level `spec.resources` names cpu/memory/hugepages, it alone decides;
// - Guaranteed needs every container (or the pod) to limit both cpu and memory, and the summed
//   requests to equal the summed limits, compared as numbers ("1" == "1000m").
import type { Container, PodSpec, ResourceRequirements } from "kubernetes-types/core/v1.js";
import { tryParseQuantity } from "../../k8s/quantity.ts";
import { listOf } from "../shape.ts";

export type QosClass = "Guaranteed" | "Burstable" | "BestEffort";

type ResourceList = ResourceRequirements["requests"];

/** PodSpec with pod-level `resources` (Kubernetes 1.32+, newer than the kubernetes-types release we use). */
export type PodSpecWithResources = PodSpec & { resources?: ResourceRequirements };

const QOS_RESOURCES = ["cpu", "memory"] as const;

/** Resources a pod-level `spec.resources` may set (the apiserver's IsSupportedPodLevelResource). */
function isPodLevelResource(name: string): boolean {
  return name === "cpu" || name === "memory" || name.startsWith("hugepages-");
}

/** Requests after the apiserver's defaulting: every limit without a request becomes the request. */
export function defaultedRequests(resources: ResourceRequirements | undefined): Record<string, unknown> {
  const requests: Record<string, unknown> = { ...(resources?.requests ?? {}) };
  for (const [name, limit] of Object.entries(resources?.limits ?? {})) {
    if (!(name in requests)) requests[name] = limit;
  }
  return requests;
}

/** The value of a quantity when it is a positive cpu/memory amount, else undefined (ignored by QoS). */
function positive(list: Record<string, unknown> | ResourceList, name: string): number | undefined {
  const raw = list?.[name] as string | number | undefined;
  const value = tryParseQuantity(raw);
  return value !== undefined && value > 0 ? value : undefined;
}

/** Quantities are parsed to floating-point base units; "1.1" and "1100m" must still compare equal. */
function sameQuantity(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));
}

/** Whether pod-level resources decide the class (PodLevelResources, with the kubelet QoS fix). */
function podLevelResourcesSet(spec: PodSpecWithResources): boolean {
  const { requests = {}, limits = {} } = spec.resources ?? {};
  return [...Object.keys(requests), ...Object.keys(limits)].some(isPodLevelResource);
}

/** The pod's QoS class, as `kubectl get pod -o jsonpath='{.status.qosClass}'` would show it. */
export function qosClass(spec: PodSpecWithResources): QosClass {
  const requests = new Map<string, number>();
  const limits = new Map<string, number>();
  let guaranteed = true;
  const add = (into: Map<string, number>, name: string, value: number | undefined) => {
    if (value !== undefined) into.set(name, (into.get(name) ?? 0) + value);
  };

  if (podLevelResourcesSet(spec)) {
    const podLimits = spec.resources?.limits ?? {};
    const podRequests = defaultedRequests(spec.resources);
    for (const name of QOS_RESOURCES) {
      add(requests, name, positive(podRequests, name));
      add(limits, name, positive(podLimits, name));
    }
    if (Object.keys(podLimits).length > 0 && !QOS_RESOURCES.every((name) => positive(podLimits, name))) {
      guaranteed = false;
    }
  } else {
    // Ephemeral containers cannot set resources and do not count.
    const containers = [...listOf<Container>(spec.containers), ...listOf<Container>(spec.initContainers)];
    for (const container of containers) {
      const containerRequests = defaultedRequests(container.resources);
      const containerLimits = container.resources?.limits ?? {};
      for (const name of QOS_RESOURCES) {
        add(requests, name, positive(containerRequests, name));
        add(limits, name, positive(containerLimits, name));
      }
      if (!QOS_RESOURCES.every((name) => positive(containerLimits, name))) guaranteed = false;
    }
  }

  if (requests.size === 0 && limits.size === 0) return "BestEffort";
  for (const [name, request] of requests) {
    const limit = limits.get(name);
    if (limit === undefined || !sameQuantity(limit, request)) guaranteed = false;
  }
  return guaranteed && requests.size === limits.size ? "Guaranteed" : "Burstable";
}
