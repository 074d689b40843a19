// The keys of a ConfigMap's or Secret's data as the apiserver validates them (IsConfigMapKey): each key
// becomes a file name when mounted, so it is letters, digits, '-', '_' and '.', never '.' or '..', and a
// key may not appear in two of the maps.
import { type Json, obj, type Violations } from "./schema-values.ts";

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

export function configKey(key: string): string | undefined {
  if (key.length > 253) return "must be no more than 253 characters";
  if (!CONFIG_KEY.test(key))
    return "must consist of letters, digits, '-', '_' or '.' (it becomes a file name)";
  if (key === "." || key === "..") return `must not be '${key}'`;
  return undefined;
}

/** Checks the keys of each map in `fields` (e.g. data and binaryData), and that none repeats across them. */
export function validateDataKeys(out: Violations, object: Json, fields: readonly string[]): void {
  const seen = new Map<string, string>();
  for (const field of fields) {
    for (const key of Object.keys(obj(object[field]) ?? {})) {
      const bad = configKey(key);
      if (bad) out.add([field, key], `key ${JSON.stringify(key)} ${bad}`);
      const other = seen.get(key);
      if (other !== undefined) out.add([field, key], `key ${JSON.stringify(key)} is also in ${other}`);
      else seen.set(key, field);
    }
  }
}
