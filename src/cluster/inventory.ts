// The inventory: a ConfigMap per app, in its namespace, listing what the last deploy applied.
// The next deploy prunes what left the set — except data (PVCs, PVs, Namespaces, Secrets, CRDs), which
// only goes with --prune-data — and only what is provably the app's: the inventory is a ConfigMap anyone
// with write access to it can edit, so a ref alone never licenses a deletion.
// Pure: building, reading and planning; plan.ts and deploy.ts do the I/O.
import { GENERATED_SECRET_ANNOTATION } from "../k8s/annotations.ts";
import { APP_LABEL } from "../k8s/app-identity.ts";
import type { KubeObject } from "../k8s/object.ts";
import { appliedFields, createdFields } from "./managed-fields.ts";

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  /** Holds data that must outlive a redeploy (a generated DB password); set when recorded. */
  data?: boolean;
}

export const INVENTORY_LABEL = "shipshape.dev/inventory";

/** Kinds whose deletion loses data (a CRD takes all its custom objects along; a Secret may hold a key
 * nobody can issue again); never pruned without --prune-data. */
const DATA_KINDS = new Set([
  "PersistentVolumeClaim",
  "PersistentVolume",
  "Namespace",
  "Secret",
  "CustomResourceDefinition",
]);

export function isData(ref: Pick<ObjectRef, "kind" | "data">): boolean {
  return ref.data === true || DATA_KINDS.has(ref.kind);
}

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
  return {
    prune: gone.filter((ref) => options.pruneData || !isData(ref)),
    keep: gone.filter((ref) => !options.pruneData && isData(ref)),
  };
}

/** Where a deploy may delete: the namespaces its input targets, and cluster scope only when it has
 * cluster-scoped objects. */
export interface PruneScope {
  namespaces: ReadonlySet<string>;
  clusterScoped: boolean;
}

export function scopeOf(objects: readonly KubeObject[], home: string): PruneScope {
  const namespaces = new Set([home]);
  for (const o of objects) if (o.metadata.namespace) namespaces.add(o.metadata.namespace);
  return { namespaces, clusterScoped: objects.some((o) => !o.metadata.namespace) };
}

/** A Secret deploy generated: created, never applied (an apply would overwrite its passwords), so
 * what proves it shipshape's is that shipshape's own create set its generated mark and app label — a
 * Secret a person made with the same label and mark was written by their tool, not by shipshape. */
function generatedByShipshape(live: KubeObject): boolean {
  const metadata = createdFields(live)["f:metadata"];
  return (
    live.kind === "Secret" &&
    live.metadata.annotations?.[GENERATED_SECRET_ANNOTATION] === "true" &&
    metadata?.["f:annotations"]?.[`f:${GENERATED_SECRET_ANNOTATION}`] !== undefined &&
    metadata["f:labels"]?.[`f:${APP_LABEL}`] !== undefined
  );
}

/** Why `ref` must not be deleted on the inventory's word alone, or undefined when the live object
 * proves it is `app`'s: in scope, labelled with the app, and applied by shipshape (or, a Secret it
 * generated, created by it). */
export function notProvablyOurs(
  ref: ObjectRef,
  live: KubeObject,
  app: string,
  scope: PruneScope,
): string | undefined {
  if (ref.namespace ? !scope.namespaces.has(ref.namespace) : !scope.clusterScoped)
    return ref.namespace
      ? `namespace ${ref.namespace} is not one this input deploys to`
      : "cluster-scoped, and this input has no cluster-scoped objects";
  const label = live.metadata.labels?.[APP_LABEL];
  if (label !== app)
    return label === undefined ? `not labelled ${APP_LABEL}=${app}` : `labelled as app "${label}"`;
  if (Object.keys(appliedFields(live)).length === 0 && !generatedByShipshape(live))
    return "not applied by shipshape";
  return undefined;
}
