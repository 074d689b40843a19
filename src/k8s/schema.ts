// Offline validation of built-in kinds against the OpenAPI schema of the pinned Kubernetes release.
//
// What "valid" means here (as close to the apiserver as a schema gets):
// - unknown fields are violations: the apiserver rejects them under strict field validation, which is
//   kubectl's default (`--validate=strict`), so a typo like `spec.replica` would fail the apply;
// - a field set to null counts as unset (the apiserver drops nulls when decoding), so `resources:` is fine;
// - IntOrString takes an integer or a string, Quantity a number or a quantity string ("100Mi", "200m");
// - the rules the apiserver adds in code (name syntax, enums, port ranges, the selector matching the
//   template…) come after the schema's, from schema-semantics.ts: "valid" means apply would accept it.
// Kinds without a built-in schema (CRDs such as Traefik's IngressRoute) return `undefined`, so callers
// can say "no schema" instead of "valid".
import { isRecord, LIST_MAP_KEYS } from "./schema-list-map.ts";
import { semanticViolations } from "./schema-semantics.ts";
import type { KindError, KindValidator } from "./schema-validators.js";
import { loadValidators } from "./schema-validators-load.ts";
import { fieldPath } from "./schema-values.ts";

export interface SchemaViolation {
  /** Where in the object, e.g. `spec.template.spec.containers[0].ports[0].containerPort`. */
  path: string;
  message: string;
}

let validators: Record<string, KindValidator> | undefined;

/** The validators, compiled ahead of time (scripts/gen-schema-validators.ts), loaded on first use. */
function validatorFor(apiVersion: string, kind: string): KindValidator | undefined {
  validators ??= loadValidators();
  return Object.hasOwn(validators, `${apiVersion}/${kind}`) ? validators[`${apiVersion}/${kind}`] : undefined;
}

/** Whether `apiVersion`/`kind` is a built-in kind this release has a schema for. */
export function hasSchema(apiVersion: string, kind: string): boolean {
  return validatorFor(apiVersion, kind) !== undefined;
}

/**
 * The schema violations of one object, `[]` when it is valid, or `undefined` when its kind has no built-in
 * schema (a CRD, a misspelt kind, or not an object at all) — callers decide what that means.
 */
export function validateObject(object: unknown): SchemaViolation[] | undefined {
  if (!isRecord(object) || typeof object.apiVersion !== "string" || typeof object.kind !== "string") {
    return undefined;
  }
  const validate = validatorFor(object.apiVersion, object.kind);
  if (!validate) return undefined;
  const data = withoutNulls(object, 0) as Record<string, unknown>;
  let structural: SchemaViolation[];
  try {
    structural = validate(data) ? [] : (validate.errors ?? []).map((error) => toViolation(error, data));
  } catch (error) {
    // Only a hostile document (nesting thousands deep in a recursive schema) exhausts the stack.
    if (error instanceof RangeError) return [{ path: "(root)", message: "nested too deep to validate" }];
    throw error;
  }
  const semantic = semanticViolations(data, object.kind);
  return structural.length === 0 ? semantic : [...structural, ...semantic];
}

/** Every "apiVersion/kind" pair with a built-in schema, e.g. "apps/v1/Deployment". */
export function builtInKinds(): string[] {
  validatorFor("v1", "Pod");
  return Object.keys(validators!);
}

/** Deeper than any built-in schema reaches: below this, nulls cannot matter and recursion stops. */
const MAX_NULL_DEPTH = 64;

/**
 * `value` with the object fields set to null removed, at any depth: `value` itself when it has none (the
 * common case, so nothing is copied), else a copy of just the branches that hold one.
 */
function withoutNulls(value: unknown, depth: number): unknown {
  if (depth > MAX_NULL_DEPTH || typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const stripped = withoutNulls(item, depth + 1);
      if (stripped === item) continue;
      out ??= value.slice();
      out[i] = stripped;
    }
    return out ?? value;
  }
  const record = value as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(record)) {
    const field = record[key];
    const stripped = field === null ? undefined : withoutNulls(field, depth + 1);
    if (stripped === field) continue;
    // A spread copy keeps the key order (the order errors come in) and an own "__proto__" key as a key.
    out ??= { ...record };
    if (stripped === undefined) delete out[key];
    else out[key] = stripped;
  }
  return out ?? value;
}

/** The value a JSON pointer (an error's `instancePath`) designates in `root`. */
function valueAt(root: unknown, pointer: string): unknown {
  if (pointer === "") return root;
  let node = root;
  for (const raw of pointer.slice(1).split("/")) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[raw.replaceAll("~1", "/").replaceAll("~0", "~")];
  }
  return node;
}

/** `/spec/containers/0/name` → `spec.containers[0].name` (JSON Pointer escapes undone). */
export function pointerToPath(pointer: string, child?: string): string {
  const segments = pointer === "" ? [] : pointer.slice(1).split("/");
  if (child !== undefined) segments.push(child);
  return fieldPath(segments.map((raw) => raw.replaceAll("~1", "/").replaceAll("~0", "~")));
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "an array";
  if (isRecord(value)) return "an object";
  return `${typeof value} ${JSON.stringify(value)}`;
}

function toViolation(error: KindError, data: unknown): SchemaViolation {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties":
      return {
        path: pointerToPath(error.instancePath, String(params.additionalProperty)),
        message: "unknown field",
      };
    case "required":
      return { path: pointerToPath(error.instancePath, String(params.missingProperty)), message: "required" };
    case "type": {
      const expected = Array.isArray(params.type) ? params.type.join(" or ") : String(params.type);
      return {
        path: pointerToPath(error.instancePath),
        message: `must be ${expected}, got ${describe(valueAt(data, error.instancePath))}`,
      };
    }
    case "pattern":
      // Only Quantity carries a pattern in the generated schema.
      return {
        path: pointerToPath(error.instancePath),
        message: `must be a quantity like "100Mi", "200m" or "2", got ${JSON.stringify(valueAt(data, error.instancePath))}`,
      };
    case LIST_MAP_KEYS:
      return {
        path: `${pointerToPath(error.instancePath)}[${params.index}]`,
        message: `duplicate entry (${params.key}, as [${params.first}]): server-side apply refuses repeated keys`,
      };
    case "uniqueItems":
      return {
        path: `${pointerToPath(error.instancePath)}[${Math.max(Number(params.i), Number(params.j))}]`,
        message: `duplicate of [${Math.min(Number(params.i), Number(params.j))}]: this list is a set`,
      };
    default:
      return { path: pointerToPath(error.instancePath), message: error.message ?? error.keyword };
  }
}
