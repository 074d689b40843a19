// What only a live cluster knows about an object, as `check --cluster` reports it beside the facts
// computed from the spec: the server is the judge of each (status.qosClass, status.disruptionsAllowed,
// the pods' states, the namespace's admission labels). Gathered by the cluster layer, shown by check.

export interface StuckPod {
  name: string;
  /** CrashLoopBackOff, ImagePullBackOff, Unschedulable… */
  reason: string;
  message?: string;
}

export interface LiveFacts {
  /** The QoS classes the API server gave the workload's pods (one, normally). */
  qosClasses?: string[];
  /** What a PodDisruptionBudget allows right now (its status.disruptionsAllowed). */
  disruptionsAllowed?: number;
  /** The workload's pods that are not getting to run, each with the reason the cluster gives. */
  stuckPods?: StuckPod[];
  /** A Namespace's Pod Security admission labels (pod-security.kubernetes.io/…). */
  podSecurity?: Record<string, string>;
}

/** How live facts are matched to checked objects: kind, namespace and name. */
export function liveKey(object: { kind: string; namespace?: string; name?: string }): string {
  return `${object.kind}\0${object.namespace ?? ""}\0${object.name ?? ""}`;
}
