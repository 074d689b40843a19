// The one check the schema makes that JSON Schema has no keyword for: entries of a list-type map must not
// repeat their key (server-side apply refuses such a list). Called by the generated validators
// (src/k8s/schema-validators.js), so it must stay a plain function of (keys, items).

/** The schema keyword (kept from the OpenAPI) naming the fields that identify an entry of a list-type map. */
export const LIST_MAP_KEYS = "x-kubernetes-list-map-keys";

/** One repeated entry: its index, the index of the entry it repeats, and the key as `name="A"`. */
export interface ListMapDuplicate {
  index: number;
  first: number;
  key: string;
}

export function listMapDuplicates(keys: string[], items: unknown[]): ListMapDuplicate[] {
  const duplicates: ListMapDuplicate[] = [];
  if (items.length < 2) return duplicates; // most lists (containers, ports, env) are short
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    if (!isRecord(item)) return;
    const id = JSON.stringify(keys.map((key) => item[key] ?? null));
    const first = seen.get(id);
    if (first === undefined) seen.set(id, index);
    else {
      const key = keys
        .map((k) => `${k}=${item[k] === undefined ? "(unset)" : JSON.stringify(item[k])}`)
        .join(", ");
      duplicates.push({ index, first, key });
    }
  });
  return duplicates;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
