// Readers for objects whose shape nobody has checked yet: input may be any YAML, so rules and the index
// read through these instead of trusting the kubernetes-types interfaces (a `containers: "x"` must not crash).

export type Json = Record<string, unknown>;

export function record(value: unknown): Json {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {};
}

export function list(value: unknown): Json[] {
  return Array.isArray(value) ? value.map(record) : [];
}

/** A list read as objects of a known type: only its object-ness is checked, fields are read defensively. */
export function listOf<T>(value: unknown): T[] {
  return list(value) as unknown as T[];
}

export function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function int(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** A map of string values (labels, a Service selector); other values are dropped. */
export function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(record(value))) {
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") out[key] = String(v);
  }
  return out;
}
