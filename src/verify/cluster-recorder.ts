// Watches what the control plane does to one workload — its pods, the EndpointSlices of the Services
// that select them, its ReplicaSets, the Deployment's and HPA's replica counts — and writes every change
// onto the timeline as it is observed. Scenarios wait on the same stream (`until`), so "rollout complete"
// is judged on exactly what was recorded.
import type { Deployment, ReplicaSet } from "kubernetes-types/apps/v1.js";
import type { HorizontalPodAutoscaler } from "kubernetes-types/autoscaling/v2.js";
import type { Pod } from "kubernetes-types/core/v1.js";
import type { EndpointSlice } from "kubernetes-types/discovery/v1.js";
import type { Cluster } from "../cluster/client.ts";
import { type WatchHandle, type WatchTarget, watchObjects } from "../cluster/watch.ts";
import type { KubeObject } from "../k8s/object.ts";
import { endpointChanges, podChanges, replicaSetChanges } from "./changes.ts";
import { podStopOf } from "./prestop.ts";
import type { ClusterEvent, Phase, PodStop } from "./timeline.ts";

type Change<T> = (before: T | undefined, after: T | undefined, initial: boolean) => void;

/** Turns the cluster watch's "current set after each change" into per-object (before, after) pairs;
 * `initial` marks the state found by the first list. Resolves its promise after that first list. */
function watchChanges<T>(
  cluster: Cluster,
  target: WatchTarget,
  onChange: Change<T>,
): WatchHandle & { synced: Promise<void> } {
  const known = new Map<string, KubeObject>();
  let initial = true;
  let synced!: () => void;
  let failed!: (error: unknown) => void;
  const promise = new Promise<void>((resolve, reject) => {
    synced = resolve;
    failed = reject;
  });
  // Until the first list succeeds, an error (no such API, no permission) fails the start instead of
  // retrying forever; after it, the cluster watch resumes on its own.
  const onError = (error: unknown) => {
    if (initial) failed(new Error(`cannot watch ${target.kind}s: ${(error as Error)?.message ?? error}`));
  };
  const handle = watchObjects(
    cluster,
    target,
    (objects) => {
      const seen = new Set<string>();
      for (const object of objects) {
        const key = object.metadata.name ?? "";
        seen.add(key);
        const before = known.get(key);
        if (before?.metadata.resourceVersion === object.metadata.resourceVersion) continue;
        known.set(key, object);
        onChange(before as T | undefined, object as T, initial);
      }
      for (const [key, before] of known) {
        if (seen.has(key)) continue;
        known.delete(key);
        onChange(before as T, undefined, false);
      }
      initial = false;
      synced();
    },
    onError,
  );
  return { stop: () => handle.stop(), synced: promise };
}

export interface RecordScope {
  /** The namespaces to watch (a drain touches every namespace with pods on the node). */
  namespaces: string[];
  /** Which pods belong to the subject. */
  pods: (pod: Pod) => boolean;
  /** Services ("namespace/name") whose EndpointSlices tell when pods join and leave the rotation. */
  services: string[];
  /** The Deployment whose ReplicaSets and replica counts to record. */
  deployment?: string;
  /** The HPA scaling it, for its CPU reading. */
  hpa?: string;
  /** What the load must be traced to when it is not the subject's own pods: a deleted dependency
   * (the one MySQL pod) is reached through the app that uses it. */
  reach?: { pods: Pod[]; services: string[]; what: string };
}

function cpuPercent(hpa: HorizontalPodAutoscaler | undefined): number | undefined {
  const metric = hpa?.status?.currentMetrics?.find(
    (m) => m.type === "Resource" && m.resource?.name === "cpu",
  );
  return metric?.resource?.current?.averageUtilization;
}

export class ClusterRecorder {
  readonly events: ClusterEvent[] = [];
  readonly startedAt = Date.now();
  deployment: Deployment | undefined;
  hpa: HorizontalPodAutoscaler | undefined;
  readonly pods = new Map<string, Pod>();
  /** How each pod seen stops, by name, from its own spec (a pod's hooks cannot change after it is made). */
  readonly podStops: Record<string, PodStop> = {};
  private readonly watches: Array<WatchHandle & { synced: Promise<void> }> = [];
  private readonly waiters = new Set<() => void>();
  private lastReplicas = "";

  private readonly cluster: Cluster;
  private readonly scope: RecordScope;

  constructor(cluster: Cluster, scope: RecordScope) {
    this.cluster = cluster;
    this.scope = scope;
  }

  /** Starts every watch; resolves when each has delivered its initial list. */
  async start(): Promise<void> {
    for (const namespace of this.scope.namespaces) this.watchNamespace(namespace);
    try {
      await Promise.all(this.watches.map((w) => w.synced));
    } catch (error) {
      this.stop();
      throw error;
    }
  }

  private watchNamespace(namespace: string): void {
    const { deployment, hpa } = this.scope;
    const stamp = (initial: boolean) => (initial ? this.startedAt : Date.now());
    const watch = <T>(apiVersion: string, kind: string, onChange: Change<T>, fieldSelector?: string) => {
      const target: WatchTarget = { apiVersion, kind, namespace };
      if (fieldSelector) target.fieldSelector = fieldSelector;
      // Waiters re-check after every change, also those that add no event (a status field moving).
      const thenWake: Change<T> = (before, after, initial) => {
        onChange(before, after, initial);
        this.wake();
      };
      this.watches.push(watchChanges(this.cluster, target, thenWake));
    };
    watch<Pod>("v1", "Pod", (before, after, initial) => {
      const pod = after ?? before!;
      if (!this.scope.pods(pod)) return;
      const key = `${namespace}/${pod.metadata!.name!}`;
      if (after) this.pods.set(key, after);
      else this.pods.delete(key);
      this.podStops[pod.metadata!.name!] ??= podStopOf(pod.spec);
      this.add(podChanges(stamp(initial), before, after));
    });
    const services = new Set(this.scope.services);
    if ([...services].some((s) => s.startsWith(`${namespace}/`))) {
      watch<EndpointSlice>("discovery.k8s.io/v1", "EndpointSlice", (before, after, initial) => {
        const service = (after ?? before)?.metadata?.labels?.["kubernetes.io/service-name"];
        if (services.has(`${namespace}/${service}`)) this.add(endpointChanges(stamp(initial), before, after));
      });
    }
    if (deployment) {
      watch<ReplicaSet>("apps/v1", "ReplicaSet", (before, after, initial) => {
        const owner = (after ?? before)?.metadata?.ownerReferences?.find((r) => r.controller);
        if (owner?.kind === "Deployment" && owner.name === deployment)
          this.add(replicaSetChanges(stamp(initial), before, after));
      });
      watch<Deployment>(
        "apps/v1",
        "Deployment",
        (_before, after, initial) => {
          this.deployment = after;
          this.replicas(stamp(initial));
        },
        `metadata.name=${deployment}`,
      );
    }
    if (hpa) {
      watch<HorizontalPodAutoscaler>(
        "autoscaling/v2",
        "HorizontalPodAutoscaler",
        (_before, after, initial) => {
          this.hpa = after;
          this.replicas(stamp(initial));
        },
        `metadata.name=${hpa}`,
      );
    }
  }

  phase(phase: Phase, detail?: string): void {
    this.add([
      detail ? { t: Date.now(), kind: "phase", phase, detail } : { t: Date.now(), kind: "phase", phase },
    ]);
  }

  add(events: ClusterEvent[]): void {
    if (!events.length) return;
    this.events.push(...events);
    this.wake();
  }

  private wake(): void {
    for (const check of [...this.waiters]) check();
  }

  /** Resolves true as soon as `predicate` holds (checked now and after every recorded change),
   * false when `timeoutMs` passes or `signal` aborts first. */
  until(predicate: () => boolean, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (predicate()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const finish = (value: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        signal?.removeEventListener("abort", abort);
        resolve(value);
      };
      const check = () => {
        if (predicate()) finish(true);
      };
      const abort = () => finish(false);
      const timer = setTimeout(() => finish(false), timeoutMs);
      this.waiters.add(check);
      signal?.addEventListener("abort", abort, { once: true });
    });
  }

  stop(): void {
    for (const w of this.watches) w.stop();
  }

  private replicas(t: number): void {
    const desired = this.deployment?.spec?.replicas ?? 1;
    const ready = this.deployment?.status?.readyReplicas ?? 0;
    const cpu = cpuPercent(this.hpa);
    const key = `${desired}/${ready}/${cpu}`;
    if (!this.deployment || key === this.lastReplicas) return;
    this.lastReplicas = key;
    const event: ClusterEvent = { t, kind: "replicas", desired, ready };
    if (cpu !== undefined) event.cpuPercent = cpu;
    this.add([event]);
  }
}
