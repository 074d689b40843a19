// List-then-watch, the way informers do it: one list for the current state, then a watch from its
// resourceVersion; a dropped connection resumes from the last version seen, an expired one (410 Gone)
// lists again. The caller gets the full current set after every change — no sleep-polling.
import { setTimeout as sleep } from "node:timers/promises";
import type { KubeObject } from "../k8s/object.ts";
import type { Cluster } from "./client.ts";

export interface WatchTarget {
  apiVersion: string;
  kind: string;
  namespace?: string;
  fieldSelector?: string;
  labelSelector?: string;
}

export interface WatchHandle {
  stop(): void;
}

const RETRY_MS = 500;

/** Calls `onChange` with every object matching `target`, now and after each change, until stopped. */
export function watchObjects(
  cluster: Cluster,
  target: WatchTarget,
  onChange: (objects: KubeObject[]) => void,
  onError: (error: unknown) => void = () => {},
): WatchHandle {
  let stopped = false;
  let abort: AbortController | undefined;
  const items = new Map<string, KubeObject>();
  const query = { fieldSelector: target.fieldSelector, labelSelector: target.labelSelector };

  const relist = async () => {
    const list = await cluster.list(target.apiVersion, target.kind, target.namespace, query);
    items.clear();
    for (const item of list.items) items.set(item.metadata.name ?? "", item);
    onChange([...items.values()]);
    return list.metadata.resourceVersion;
  };

  const watchOnce = async (path: string, resourceVersion: string) =>
    new Promise<string | undefined>((resolve) => {
      let version: string | undefined = resourceVersion;
      const watchQuery = { ...query, resourceVersion, allowWatchBookmarks: true };
      cluster
        .watch(
          path,
          watchQuery,
          (type, object) => {
            if (type === "ERROR") {
              // 410 Gone: our version is too old to resume from.
              if ((object as unknown as { code?: number }).code === 410) version = undefined;
              return;
            }
            version = object.metadata?.resourceVersion ?? version;
            if (type === "BOOKMARK") return;
            if (type === "DELETED") items.delete(object.metadata.name ?? "");
            else items.set(object.metadata.name ?? "", object);
            onChange([...items.values()]);
          },
          (error) => {
            if (error && !stopped) onError(error);
            resolve(version);
          },
        )
        .then((controller) => {
          abort = controller;
          if (stopped) controller.abort();
        })
        .catch((error) => {
          onError(error);
          resolve(version);
        });
    });

  const loop = async () => {
    let version: string | undefined;
    while (!stopped) {
      try {
        const path = await cluster.path(target.apiVersion, target.kind, target.namespace);
        version ??= await relist();
        if (stopped || !version) break;
        const before: string = version;
        version = await watchOnce(path, version);
        // Closed without progress (an error, or an idle timeout): pause before resuming.
        if (!stopped && version === before) await sleep(RETRY_MS);
      } catch (error) {
        if (stopped) break;
        onError(error);
        await sleep(RETRY_MS);
      }
    }
  };
  void loop();

  return {
    stop() {
      stopped = true;
      abort?.abort();
    },
  };
}
