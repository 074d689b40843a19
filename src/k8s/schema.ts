// Offline validation of built-in kinds against the OpenAPI schema of the pinned Kubernetes release.
//
// What "valid" means here (as close to the apiserver as a schema gets):
// - unknown fields are violations: the apiserver rejects them under strict field validation, which is
//   kubectl's default (`--validate=strict`), so a typo like `spec.replica` would fail the apply;
// - a field set to null counts as unset (the apiserver drops nulls when decoding), so `resources:` is fine;
// - IntOrString takes an integer or a string, Quantity a number or a quantity string ("100Mi", "200m");
// - semantic rules the apiserver adds in code (name syntax, selector ⊆ labels, …) are not schema and are
//   not checked here.
// Kinds without a built-in schema (CRDs such as Traefik's IngressRoute) return `undefined`, so callers
// can say "no schema" instead of "valid".
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { LIST_MAP_KEYS, loadSchemaData, type SchemaData } from "./schema-data.ts";

export interface SchemaViolation {
  /** Where in the object, e.g. `spec.template.spec.containers[0].ports[0].containerPort`. */
  path: string;
  message: string;
}

const SCHEMA_ID = "k8s";

let data: SchemaData | undefined;
let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

function validatorFor(apiVersion: string, kind: string): ValidateFunction | undefined {
  const key = `${apiVersion}/${kind}`;
  const cached = validators.get(key);
  if (cached) return cached;
  data ??= loadSchemaData();
  const definition = data.kinds[key];
  if (!definition) return undefined;
  if (!ajv) {
    // Unoptimized code generation: compiling is the cost a CLI run pays (a pod-bearing kind takes hundreds of
    // ms); validating afterwards stays well under a millisecond per object either way (bench/synth.ts).
    ajv = new Ajv({
      allErrors: true,
      strict: true,
      allowUnionTypes: true,
      verbose: true,
      code: { optimize: false },
    });
    ajv.addKeyword({
      keyword: LIST_MAP_KEYS,
      type: "array",
      schemaType: "array",
      errors: true,
      validate: uniqueKeys,
    });
    ajv.addSchema({ definitions: data.definitions }, SCHEMA_ID);
  }
  // Compiling one kind compiles only the definitions it reaches; each kind is compiled once per process.
  const validate = ajv.getSchema(`${SCHEMA_ID}#/definitions/${definition}`)!;
  validators.set(key, validate);
  return validate;
}

/** Whether `apiVersion`/`kind` is a built-in kind this release has a schema for. */
export function hasSchema(apiVersion: string, kind: string): boolean {
  data ??= loadSchemaData();
  return `${apiVersion}/${kind}` in data.kinds;
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
  try {
    if (validate(withoutNulls(object, 0))) return [];
  } catch (error) {
    // Only a hostile document (nesting thousands deep in a recursive schema) exhausts the stack.
    if (error instanceof RangeError) return [{ path: "(root)", message: "nested too deep to validate" }];
    throw error;
  }
  return (validate.errors ?? []).map(toViolation);
}

/** A list-type map's entries must not repeat their key (e.g. two env vars with one name). */
function uniqueKeys(keys: string[], items: unknown[]): boolean {
  const seen = new Map<string, number>();
  const errors: Partial<ErrorObject>[] = [];
  items.forEach((item, index) => {
    if (!isRecord(item)) return;
    const id = JSON.stringify(keys.map((key) => item[key] ?? null));
    const first = seen.get(id);
    if (first === undefined) seen.set(id, index);
    else {
      const key = keys
        .map((k) => `${k}=${item[k] === undefined ? "(unset)" : JSON.stringify(item[k])}`)
        .join(", ");
      errors.push({ keyword: LIST_MAP_KEYS, params: { index, first, key } });
    }
  });
  uniqueKeys.errors = errors;
  return errors.length === 0;
}
uniqueKeys.errors = [] as Partial<ErrorObject>[];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Deeper than any built-in schema reaches: below this, nulls cannot matter and recursion stops. */
const MAX_NULL_DEPTH = 64;

function withoutNulls(value: unknown, depth: number): unknown {
  if (depth > MAX_NULL_DEPTH) return value;
  if (Array.isArray(value)) return value.map((item) => withoutNulls(item, depth + 1));
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value))
    if (field !== null) out[key] = withoutNulls(field, depth + 1);
  return out;
}

/** `/spec/containers/0/name` → `spec.containers[0].name` (JSON Pointer escapes undone). */
export function pointerToPath(pointer: string, child?: string): string {
  const segments = pointer === "" ? [] : pointer.slice(1).split("/");
  if (child !== undefined) segments.push(child);
  let path = "";
  for (const raw of segments) {
    const segment = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (/^\d+$/.test(segment)) path += `[${segment}]`;
    else
      path += /^[A-Za-z_$][\w$-]*$/.test(segment)
        ? `${path ? "." : ""}${segment}`
        : `[${JSON.stringify(segment)}]`;
  }
  return path || "(root)";
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "an array";
  if (isRecord(value)) return "an object";
  return `${typeof value} ${JSON.stringify(value)}`;
}

function toViolation(error: ErrorObject): SchemaViolation {
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
        message: `must be ${expected}, got ${describe(error.data)}`,
      };
    }
    case "pattern":
      // Only Quantity carries a pattern in the generated schema.
      return {
        path: pointerToPath(error.instancePath),
        message: `must be a quantity like "100Mi", "200m" or "2", got ${JSON.stringify(error.data)}`,
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
