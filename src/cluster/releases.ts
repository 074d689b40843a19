// Numbered releases, as Helm keeps them: each deploy of an app records what it applied and how it
// ended, so `history` and `rollback` are data, not memory. A record is a Secret (the input may hold
// Secrets of its own) in the app's home namespace, its objects gzipped JSON.
import { gunzipSync, gzipSync } from "node:zlib";
import type { KubeObject } from "../k8s/object.ts";
import type { Cluster } from "./client.ts";

export const RELEASE_OF_LABEL = "shipshape.dev/release-of";
const NUMBER_LABEL = "shipshape.dev/release";
const STATUS_ANNOTATION = "shipshape.dev/status";
const DESCRIPTION_ANNOTATION = "shipshape.dev/description";
const RELEASE_TYPE = "shipshape.dev/release.v1";
/** Older records are deleted: enough history to roll back across a bad week, bounded in etcd. */
export const RELEASES_KEPT = 10;

export type ReleaseStatus = "deployed" | "failed" | "rolled-back";

export interface Release {
  app: string;
  namespace: string;
  number: number;
  status: ReleaseStatus;
  description: string;
  /** When it was recorded (the record's creationTimestamp). */
  time: string;
  /** The objects it applied (generated Secrets excluded: they are created once and never rewritten). */
  objects(): KubeObject[];
}

function recordName(app: string, number: number): string {
  return `shipshape-release-${app}-v${number}`;
}

function fromRecord(record: KubeObject): Release {
  const labels = record.metadata.labels ?? {};
  const annotations = record.metadata.annotations ?? {};
  const payload = (record.data as Record<string, string> | undefined)?.objects ?? "";
  return {
    app: labels[RELEASE_OF_LABEL] ?? "",
    namespace: record.metadata.namespace ?? "",
    number: Number(labels[NUMBER_LABEL]),
    status: (annotations[STATUS_ANNOTATION] ?? "failed") as ReleaseStatus,
    description: annotations[DESCRIPTION_ANNOTATION] ?? "",
    time: record.metadata.creationTimestamp ?? "",
    objects: () => JSON.parse(gunzipSync(Buffer.from(payload, "base64")).toString("utf8")) as KubeObject[],
  };
}

/** The app's releases, oldest first; `namespace` undefined lists every namespace. */
export async function listReleases(
  cluster: Cluster,
  namespace: string | undefined,
  app?: string,
): Promise<Release[]> {
  const selector = app ? `${RELEASE_OF_LABEL}=${app}` : RELEASE_OF_LABEL;
  const list = await cluster.list("v1", "Secret", namespace, { labelSelector: selector });
  return list.items
    .filter((item) => item.type === RELEASE_TYPE)
    .map(fromRecord)
    .filter((r) => Number.isInteger(r.number))
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.number - b.number);
}

/** Records a new release (number = last + 1) and deletes the ones beyond RELEASES_KEPT. */
export async function recordRelease(
  cluster: Cluster,
  app: string,
  namespace: string,
  objects: readonly KubeObject[],
  status: ReleaseStatus,
  description: string,
): Promise<number> {
  const earlier = await listReleases(cluster, namespace, app);
  const number = (earlier.at(-1)?.number ?? 0) + 1;
  await cluster.createIfAbsent({
    apiVersion: "v1",
    kind: "Secret",
    type: RELEASE_TYPE,
    metadata: {
      name: recordName(app, number),
      namespace,
      labels: {
        [RELEASE_OF_LABEL]: app,
        [NUMBER_LABEL]: String(number),
        "app.kubernetes.io/managed-by": "shipshape",
      },
      annotations: { [STATUS_ANNOTATION]: status, [DESCRIPTION_ANNOTATION]: description },
    },
    data: { objects: gzipSync(JSON.stringify(objects)).toString("base64") },
  });
  const stale = earlier.slice(0, Math.max(0, earlier.length + 1 - RELEASES_KEPT));
  await Promise.all(stale.map((r) => deleteRelease(cluster, r)));
  return number;
}

export function deleteRelease(cluster: Cluster, release: Pick<Release, "app" | "namespace" | "number">) {
  return cluster.delete({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: recordName(release.app, release.number), namespace: release.namespace },
  });
}
