// What shipshape manages in a live object: the field set server-side apply records for the
// `shipshape` field manager (managedFields[].fieldsV1). `diff` shows only those fields, so the
// defaults and controller-written noise of a live object never drown the change.
import type { KubeObject } from "../k8s/object.ts";
import { maskSecretViews } from "./secret-values.ts";

export const FIELD_MANAGER = "shipshape";

/** A fieldsV1 set: {"f:spec": {"f:replicas": {}}, "k:{\"name\":\"web\"}": {...}, ".": {}} */
export type FieldSet = { [key: string]: FieldSet };

type ManagedFieldsEntry = { manager?: string; operation?: string; fieldsV1?: FieldSet };

/** The fields `manager` owns through Apply, merged over every API version entry. */
export function appliedFields(object: KubeObject | undefined, manager = FIELD_MANAGER): FieldSet {
  return ownedFields(object, manager, "Apply");
}

/** The fields `manager` owns through a create or an update ("Update" entries): what deploy's create
 * of a generated Secret, never applied so that it is never overwritten, owns. */
export function createdFields(object: KubeObject | undefined, manager = FIELD_MANAGER): FieldSet {
  return ownedFields(object, manager, "Update");
}

function ownedFields(object: KubeObject | undefined, manager: string, operation: string): FieldSet {
  const entries = (object?.metadata.managedFields ?? []) as ManagedFieldsEntry[];
  return mergeFieldSets(
    ...entries.filter((e) => e.manager === manager && e.operation === operation).map((e) => e.fieldsV1 ?? {}),
  );
}

export function mergeFieldSets(...sets: readonly FieldSet[]): FieldSet {
  const out: FieldSet = {};
  for (const set of sets) {
    for (const [key, sub] of Object.entries(set)) out[key] = mergeFieldSets(out[key] ?? {}, sub);
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function matchesKey(item: unknown, key: string): boolean {
  if (key.startsWith("k:")) {
    const wanted = JSON.parse(key.slice(2)) as Record<string, unknown>;
    return (
      isRecord(item) &&
      Object.entries(wanted).every(([k, v]) => JSON.stringify(item[k]) === JSON.stringify(v))
    );
  }
  if (key.startsWith("v:")) return JSON.stringify(item) === key.slice(2);
  return false;
}

/** The part of `value` that `fields` names; a leaf (no sub-fields) keeps the whole value. */
export function pickFields(value: unknown, fields: FieldSet): unknown {
  const keys = Object.keys(fields).filter((k) => k !== ".");
  if (keys.length === 0) return value;
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => {
      const key = keys.find((k) => matchesKey(item, k) || k === `i:${index}`);
      return key === undefined ? [] : [pickFields(item, fields[key] ?? {})];
    });
  }
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const name = key.slice(2);
    if (key.startsWith("f:") && name in value) out[name] = pickFields(value[name], fields[key] ?? {});
  }
  return out;
}

/** Fields no person writes and every diff would otherwise show. */
const NOISE = ["managedFields", "resourceVersion", "uid", "creationTimestamp", "generation", "selfLink"];

/** The object without status and server bookkeeping, restricted to `fields` when given. */
export function comparable(object: KubeObject | undefined, fields?: FieldSet): Record<string, unknown> {
  if (!object) return {};
  const { status: _status, ...rest } = object;
  const metadata: Record<string, unknown> = { ...object.metadata };
  for (const key of NOISE) delete metadata[key];
  const clean = { ...rest, metadata };
  if (!fields || Object.keys(fields).length === 0) return clean;
  const identity: FieldSet = {
    "f:apiVersion": {},
    "f:kind": {},
    "f:metadata": { "f:name": {}, "f:namespace": {} },
  };
  return pickFields(clean, mergeFieldSets(identity, fields)) as Record<string, unknown>;
}

/** The live and planned views of what shipshape manages in the object: the fields either side's apply
 * owns (so a field it stopped setting shows as removed), and a Secret's data always (its stringData is
 * write-only, so a changed value shows only in data), values masked. */
export function managedViews(
  live: KubeObject | undefined,
  planned: KubeObject,
): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const fields = mergeFieldSets(appliedFields(live), appliedFields(planned));
  const before = live ? comparable(live, fields) : {};
  const after = comparable(planned, fields);
  if (planned.kind === "Secret") {
    if (live) before.data = live.data;
    after.data = planned.data;
    maskSecretViews(before, after);
  }
  return { before, after };
}
