// Watch snapshots → timeline events. Each function compares the previous and the next version of one
// object (undefined when it did not exist / was deleted) and says what changed that matters for
// traffic. Pure, so the recorder is plumbing and these are tested on their own.
import type { ReplicaSet } from "kubernetes-types/apps/v1.js";
import type { Pod } from "kubernetes-types/core/v1.js";
import type { EndpointSlice } from "kubernetes-types/discovery/v1.js";
import type { ClusterEvent, EndpointChange, PodChange } from "./timeline.ts";

function podReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
}

export function podChanges(t: number, before: Pod | undefined, after: Pod | undefined): ClusterEvent[] {
  const subject = after ?? before;
  const pod = subject?.metadata?.name;
  if (!pod) return [];
  const owner = subject.metadata?.ownerReferences?.find((r) => r.controller)?.name;
  const event = (change: PodChange, node?: string): ClusterEvent => {
    const e: ClusterEvent = { t, kind: "pod", pod, change };
    if (node) e.node = node;
    if (owner) e.owner = owner;
    return e;
  };
  if (!after) return [event("deleted", before?.spec?.nodeName)];
  const events: ClusterEvent[] = [];
  if (!before) events.push(event("created"));
  if (after.spec?.nodeName && !before?.spec?.nodeName) events.push(event("scheduled", after.spec.nodeName));
  const wasReady = before ? podReady(before) : false;
  if (podReady(after) !== wasReady) events.push(event(podReady(after) ? "ready" : "not-ready"));
  if (after.metadata?.deletionTimestamp && !before?.metadata?.deletionTimestamp)
    events.push(event("terminating"));
  return events;
}

type Endpoint = NonNullable<EndpointSlice["endpoints"]>[number];

/** Pod name → endpoint, for endpoints that point at pods. */
function endpointsByPod(slice: EndpointSlice | undefined): Map<string, Endpoint> {
  const byPod = new Map<string, Endpoint>();
  for (const endpoint of slice?.endpoints ?? []) {
    if (endpoint.targetRef?.kind === "Pod" && endpoint.targetRef.name)
      byPod.set(endpoint.targetRef.name, endpoint);
  }
  return byPod;
}

/** Traffic goes to an endpoint while it is ready ("ready" unset counts as ready, per the API). */
function serving(endpoint: Endpoint): boolean {
  return endpoint.conditions?.ready !== false;
}

function terminating(endpoint: Endpoint): boolean {
  return endpoint.conditions?.terminating === true;
}

export function endpointChanges(
  t: number,
  before: EndpointSlice | undefined,
  after: EndpointSlice | undefined,
): ClusterEvent[] {
  const slice = (after ?? before)?.metadata?.name ?? "";
  const old = endpointsByPod(before);
  const next = endpointsByPod(after);
  const events: ClusterEvent[] = [];
  const event = (pod: string, change: EndpointChange) =>
    events.push({ t, kind: "endpoint", pod, change, slice });
  for (const [pod, endpoint] of next) {
    const previous = old.get(pod);
    if (!previous) event(pod, serving(endpoint) ? "added-ready" : "added-not-ready");
    else if (terminating(endpoint) && !terminating(previous)) event(pod, "terminating");
    else if (serving(endpoint) !== serving(previous)) event(pod, serving(endpoint) ? "ready" : "not-ready");
  }
  for (const pod of old.keys()) if (!next.has(pod)) event(pod, "removed");
  return events;
}

export function replicaSetChanges(
  t: number,
  before: ReplicaSet | undefined,
  after: ReplicaSet | undefined,
): ClusterEvent[] {
  const name = (after ?? before)?.metadata?.name;
  if (!name) return [];
  const counts = (rs: ReplicaSet | undefined) => [rs?.status?.replicas ?? 0, rs?.status?.readyReplicas ?? 0];
  const [replicas, ready] = after ? counts(after) : [0, 0];
  const [oldReplicas, oldReady] = before ? counts(before) : [-1, -1];
  if (replicas === oldReplicas && ready === oldReady) return [];
  return [{ t, kind: "replicaset", name, replicas: replicas!, ready: ready! }];
}
