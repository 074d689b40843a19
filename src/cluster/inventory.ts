// The inventory: a ConfigMap per app, in its namespace, listing what the last deploy applied.
// The next deploy prunes what left the set — except data (PVCs, PVs, Namespaces, generated Secrets),
// which only goes with --prune-data. Pure: building, reading and planning; deploy.ts does the I/O.
import type { KubeObject } from "../k8s/object.ts";

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  /** Holds data that must outlive a redeploy (a generated DB password); set when recorded. */
  data?: boolean;
}

export const INVENTORY_LABEL = "shipshape.dev/inventory";

/** Kinds whose deletion loses data; never pruned without --prune-data. */
const DATA_KINDS = new Set(["PersistentVolumeClaim", "PersistentVolume", "Namespace"]);

export function inventoryName(app: string): string {
  return `shipshape-inventory-${app}`;
}

function group(apiVersion: string): string {
  return apiVersion.includes("/") ? (apiVersion.split("/")[0] ?? "") : "";
}

/** Identity across API versions: moving a Deployment from a beta to v1 does not prune it. */
export function refKey(ref: Pick<ObjectRef, "apiVersion" | "kind" | "namespace" | "name">): string {
  return `${group(ref.apiVersion)}/${ref.kind}/${ref.namespace ?? ""}/${ref.name}`;
}

export function refOf(object: KubeObject, data = false): ObjectRef {
  const ref: ObjectRef = {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.metadata.name ?? "",
  };
  if (object.metadata.namespace) ref.namespace = object.metadata.namespace;
  if (data || DATA_KINDS.has(object.kind)) ref.data = true;
  return ref;
}

export function describeRef(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ""}${ref.name}`;
}

export function inventoryObject(app: string, namespace: string, refs: readonly ObjectRef[]): KubeObject {
  const sorted = [...refs].sort((a, b) => refKey(a).localeCompare(refKey(b)));
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: inventoryName(app),
      namespace,
      labels: { [INVENTORY_LABEL]: app, "app.kubernetes.io/managed-by": "shipshape" },
    },
    data: { objects: `${JSON.stringify(sorted, null, 1)}\n` },
  };
}

/** The refs a live inventory ConfigMap holds; an absent or unreadable one holds none. */
export function readInventory(configMap: KubeObject | undefined): ObjectRef[] {
  const text = (configMap?.data as Record<string, string> | undefined)?.objects;
  if (!text) return [];
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed)
      ? parsed.filter((r): r is ObjectRef => typeof r?.kind === "string" && typeof r?.name === "string")
      : [];
  } catch {
    return [];
  }
}

/** Union by identity, later entries winning (used to record intent before applying, so Ctrl-C leaks nothing). */
export function mergeRefs(...lists: ReadonlyArray<readonly ObjectRef[]>): ObjectRef[] {
  const byKey = new Map<string, ObjectRef>();
  for (const ref of lists.flat()) {
    const merged = { ...ref };
    if (byKey.get(refKey(ref))?.data) merged.data = true;
    byKey.set(refKey(ref), merged);
  }
  return [...byKey.values()];
}

export interface PrunePlan {
  /** Left the input: delete. */
  prune: ObjectRef[];
  /** Left the input but hold data: kept (and still recorded, so --prune-data can remove them later). */
  keep: ObjectRef[];
}

export function planPrune(
  previous: readonly ObjectRef[],
  current: readonly ObjectRef[],
  options: { pruneData: boolean },
): PrunePlan {
  const wanted = new Set(current.map(refKey));
  const gone = previous.filter((ref) => !wanted.has(refKey(ref)));
  const isData = (ref: ObjectRef) => ref.data === true || DATA_KINDS.has(ref.kind);
  return {
    prune: gone.filter((ref) => options.pruneData || !isData(ref)),
    keep: gone.filter((ref) => !options.pruneData && isData(ref)),
  };
}
