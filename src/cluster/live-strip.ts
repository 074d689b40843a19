// A live object as the rules should see it: what its author wrote, without the fields the server
// sets. managedFields, status and the server's bookkeeping go; so do the fields no manager set
// through the object itself — the server's defaults (a container's terminationMessagePath, a
// Deployment's 25% maxUnavailable) — read from managedFields; spec.replicas of a workload an HPA
// scales goes (the HPA wrote it, and hpa-replicas-conflict is about manifests); Secret values are
// never held, only their keys.
import type { KubeObject } from "../k8s/object.ts";

const SERVER_METADATA = [
  "managedFields",
  "resourceVersion",
  "uid",
  "generation",
  "creationTimestamp",
  "selfLink",
];
const SERVER_ANNOTATIONS = [
  "kubectl.kubernetes.io/last-applied-configuration",
  "deployment.kubernetes.io/revision",
];

/** A copy of `object` without server-set fields; `hpaScaled` says an HPA owns its spec.replicas. */
export function stripServerFields(object: KubeObject, hpaScaled = false): KubeObject {
  const { status: _status, ...rest } = object;
  const metadata: Record<string, unknown> = { ...object.metadata };
  for (const field of SERVER_METADATA) delete metadata[field];
  const annotations = { ...(object.metadata.annotations ?? {}) };
  for (const key of SERVER_ANNOTATIONS) delete annotations[key];
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  else delete metadata.annotations;
  const authored = authoredFields(object.metadata.managedFields);
  const fields = (authored ? pruneTo(rest, authored, TOP_LEVEL) : rest) as Record<string, unknown>;
  const stripped: KubeObject = { ...fields, apiVersion: object.apiVersion, kind: object.kind, metadata };
  if (hpaScaled && isRecord(stripped.spec)) {
    const { replicas: _replicas, ...spec } = stripped.spec;
    stripped.spec = spec;
  }
  if (object.kind === "Secret" && isRecord(object.data))
    stripped.data = Object.fromEntries(Object.keys(object.data).map((key) => [key, ""]));
  return stripped;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A managedFields field set (FieldsV1): `f:<field>`, `k:<item key>`, `v:<item value>`, `.` (the node). */
type FieldSet = { [key: string]: FieldSet };

/** Fields that name the object, whatever the field sets say. */
const TOP_LEVEL: ReadonlySet<string> = new Set(["apiVersion", "kind"]);

interface ManagedEntry {
  subresource?: string;
  fieldsType?: string;
  fieldsV1?: unknown;
}

/** The union of the field sets written through the object itself (not its status or scale
 * subresources); undefined when the server keeps none, and then nothing is pruned. */
function authoredFields(managed: readonly ManagedEntry[] | undefined): FieldSet | undefined {
  const sets = (managed ?? [])
    .filter((entry) => !entry.subresource && entry.fieldsType === "FieldsV1" && isRecord(entry.fieldsV1))
    .map((entry) => entry.fieldsV1 as FieldSet);
  return sets.length > 0 ? sets.reduce(union, {}) : undefined;
}

function union(a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = { ...a };
  for (const [key, sub] of Object.entries(b)) out[key] = key in out ? union(out[key]!, sub) : sub;
  return out;
}

/** `value` cut down to the fields of `set`; an owned leaf (or a node owned whole) is kept as it is. */
function pruneTo(value: unknown, set: FieldSet, keep: ReadonlySet<string> = NONE): unknown {
  if (Object.keys(set).every((key) => key === ".")) return value;
  if (Array.isArray(value)) return value.map((item) => pruneItem(item, set));
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const sub = set[`f:${key}`];
    if (sub) out[key] = pruneTo(child, sub);
    else if (keep.has(key)) out[key] = child;
  }
  return out;
}
const NONE: ReadonlySet<string> = new Set();

/** A list item by its key (`k:{"name":"web"}`) or value (`v:…`); one the set does not name is kept
 * whole, since a list the server filled in is rarer than one written out. */
function pruneItem(item: unknown, set: FieldSet): unknown {
  for (const [key, sub] of Object.entries(set)) {
    if (key.startsWith("v:") && key.slice(2) === JSON.stringify(item)) return item;
    if (key.startsWith("k:") && isRecord(item) && matchesItemKey(item, key.slice(2)))
      return pruneTo(item, sub);
  }
  return item;
}

function matchesItemKey(item: Record<string, unknown>, json: string): boolean {
  try {
    const key = JSON.parse(json) as Record<string, unknown>;
    return Object.entries(key).every(
      ([field, value]) => JSON.stringify(item[field]) === JSON.stringify(value),
    );
  } catch {
    return false;
  }
}
