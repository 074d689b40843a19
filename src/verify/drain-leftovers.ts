// Which pods a drain leaves on the node, and why: what `kubectl drain` leaves by design (DaemonSet
// and static pods, finished pods), what this run was told to leave (other namespaces than -n, pods
// no controller recreates without --force), and pods it should have moved but that are still there.
// The first kind does not stop a node from being drained; the others do, so the verdict never says
// "node drained" while one of them is there. Pure.
import type { Pod } from "kubernetes-types/core/v1.js";

export type LeftReason = "daemonset" | "static" | "finished" | "namespace" | "no-controller" | "not-evicted";

/** What each reason means (in a sentence, and in a few words for the goal's summary), and whether
 * a node holding such a pod counts as drained. */
export const LEFT_REASONS: Record<LeftReason, { text: string; short: string; drained: boolean }> = {
  daemonset: {
    text: "DaemonSet pod: its controller keeps one on every node, cordoned or not",
    short: "DaemonSet",
    drained: true,
  },
  static: {
    text: "static pod (the kubelet's own manifest): no eviction moves it",
    short: "static pod",
    drained: true,
  },
  finished: { text: "finished (Succeeded/Failed): it serves nothing", short: "finished", drained: true },
  namespace: {
    text: "outside the namespace given with -n: a full drain would move it",
    short: "outside -n",
    drained: false,
  },
  "no-controller": {
    text: "no controller would recreate it, so evicting it deletes it for good: --force evicts it",
    short: "no controller; --force evicts it",
    drained: false,
  },
  "not-evicted": {
    text: "the drain should have moved it, but it is still there",
    short: "not moved",
    drained: false,
  },
};

export interface DrainScope {
  /** -n: only this namespace's pods are evicted. */
  namespace?: string;
  /** --force: pods no controller manages are evicted too. */
  force?: boolean;
}

/** Why the drain leaves `pod` where it is; undefined for a pod it evicts. */
export function whyLeft(pod: Pod, scope: DrainScope): LeftReason | undefined {
  const metadata = pod.metadata ?? {};
  if (metadata.annotations?.["kubernetes.io/config.mirror"]) return "static";
  if (metadata.ownerReferences?.some((r) => r.controller && r.kind === "DaemonSet")) return "daemonset";
  if (pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed") return "finished";
  if (scope.namespace && metadata.namespace !== scope.namespace) return "namespace";
  if (!scope.force && !metadata.ownerReferences?.some((r) => r.controller)) return "no-controller";
  return undefined;
}

/** The pods still on the node at the end, each with its reason; a pod the drain meant to move is
 * "not-evicted", with `detail` saying where it stood (refused by a PDB, still terminating…). */
export function leftovers(
  pods: readonly Pod[],
  scope: DrainScope,
  detailOf: (pod: Pod) => string | undefined,
): Array<{ pod: string; reason: LeftReason; detail?: string }> {
  return pods.map((pod) => {
    const name = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
    const reason = whyLeft(pod, scope);
    if (reason) return { pod: name, reason };
    const detail = detailOf(pod);
    return { pod: name, reason: "not-evicted" as const, ...(detail && { detail }) };
  });
}
