// Wait until every applied object is ready by its kind's rule (readiness.ts), fed by watches.
// Each object gets its own watch (a Service watches its EndpointSlices); the wait ends when nothing
// is still waiting, or at the deadline, and reports each object's last verdict.
import type { KubeObject } from "../k8s/object.ts";
import { describeObject } from "../k8s/object.ts";
import type { Cluster } from "./client.ts";
import { hasReadinessRule, type Readiness, type ReadinessContext, readinessOf } from "./readiness.ts";
import { type WatchHandle, type WatchTarget, watchObjects } from "./watch.ts";

export interface ObjectProgress {
  /** "Deployment blog/wordpress" */
  name: string;
  object: KubeObject;
  readiness: Readiness;
  startedAt: number;
  /** When it was first seen ready. */
  readyAt?: number;
  /** A live snapshot has been judged (until then the readiness is a placeholder). */
  observed: boolean;
}

export interface WaitResult {
  objects: ObjectProgress[];
  /** Every object ready (none waiting or failed). */
  ready: boolean;
  timedOut: boolean;
}

export interface WaitOptions {
  timeoutMs: number;
  onProgress?: (objects: readonly ObjectProgress[]) => void;
  signal?: AbortSignal;
}

/** Whether deploy must wait for this object at all. */
export function needsWait(object: KubeObject): boolean {
  return hasReadinessRule(object.kind);
}

async function volumeBindingMode(cluster: Cluster, pvc: KubeObject): Promise<string | undefined> {
  const spec = pvc.spec as { storageClassName?: string } | undefined;
  const classes = await cluster.list("storage.k8s.io/v1", "StorageClass");
  const isDefault = (sc: KubeObject) =>
    sc.metadata.annotations?.["storageclass.kubernetes.io/is-default-class"] === "true";
  const storageClass =
    spec?.storageClassName === undefined
      ? classes.items.find(isDefault)
      : classes.items.find((sc) => sc.metadata.name === spec.storageClassName);
  return storageClass?.volumeBindingMode as string | undefined;
}

/** The watch that feeds an object's rule, and how to turn its snapshot into readiness. */
async function feed(
  cluster: Cluster,
  object: KubeObject,
): Promise<{ target: WatchTarget; judge: (items: KubeObject[]) => Readiness }> {
  const { namespace, name } = object.metadata;
  if (object.kind === "Service") {
    return {
      target: {
        apiVersion: "discovery.k8s.io/v1",
        kind: "EndpointSlice",
        namespace,
        labelSelector: `kubernetes.io/service-name=${name}`,
      },
      judge: (slices) =>
        readinessOf(object, { endpointSlices: slices as unknown as ReadinessContext["endpointSlices"] }),
    };
  }
  const context: ReadinessContext = {};
  if (object.kind === "PersistentVolumeClaim")
    context.volumeBindingMode = await volumeBindingMode(cluster, object);
  return {
    target: {
      apiVersion: object.apiVersion,
      kind: object.kind,
      namespace,
      fieldSelector: `metadata.name=${name}`,
    },
    judge: ([live]) =>
      live ? readinessOf(live, context) : { state: "waiting", detail: "the object to appear" },
  };
}

export async function waitForReady(
  cluster: Cluster,
  objects: readonly KubeObject[],
  options: WaitOptions,
): Promise<WaitResult> {
  const startedAt = Date.now();
  const progress: ObjectProgress[] = objects.map((object) => ({
    name: describeObject(object),
    object,
    readiness: { state: "waiting", detail: "first status" },
    startedAt,
    observed: false,
  }));
  const handles: WatchHandle[] = [];
  let finish: (timedOut: boolean) => void = () => {};
  const finished = new Promise<boolean>((resolve) => {
    finish = resolve;
  });
  const settled = () => progress.every((p) => p.readiness.state !== "waiting");
  const report = () => {
    options.onProgress?.(progress);
    if (settled()) finish(false);
  };

  const timer = setTimeout(() => finish(true), options.timeoutMs);
  const onAbort = () => finish(true);
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const feeds = await Promise.all(objects.map((object) => feed(cluster, object)));
    feeds.forEach(({ target, judge }, index) => {
      const entry = progress[index]!;
      handles.push(
        watchObjects(cluster, target, (items) => {
          entry.readiness = judge(items);
          entry.observed = true;
          // Ready since when: a Deployment the autoscaler scales goes back to waiting.
          entry.readyAt = entry.readiness.state === "ready" ? (entry.readyAt ?? Date.now()) : undefined;
          report();
        }),
      );
    });
    report();
    const timedOut = await finished;
    return { objects: progress, ready: progress.every((p) => p.readiness.state === "ready"), timedOut };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
    for (const handle of handles) handle.stop();
  }
}
