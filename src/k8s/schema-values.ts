// What the apiserver's validation code checks again and again — enums, port numbers, non-negative counts,
// int-or-percent values, label maps and label selectors — over input whose shape nobody has checked: a
// value of the wrong type is the schema's finding, so these readers skip it instead of guessing.

import type { SchemaViolation } from "./schema.ts";
import { isRecord } from "./schema-list-map.ts";
import { labelValue, qualifiedName } from "./schema-names.ts";

export type At = ReadonlyArray<string | number>;
export type Json = Record<string, unknown>;

/** ["spec","containers",0,"a.b/c"] → `spec.containers[0]["a.b/c"]`, the form every violation path takes. */
export function fieldPath(segments: At): string {
  let path = "";
  for (const segment of segments) {
    if (typeof segment === "number" || /^\d+$/.test(segment)) path += `[${segment}]`;
    else
      path += /^[A-Za-z_$][\w$-]*$/.test(segment)
        ? `${path ? "." : ""}${segment}`
        : `[${JSON.stringify(segment)}]`;
  }
  return path || "(root)";
}

/** Collects one object's violations. */
export class Violations {
  readonly list: SchemaViolation[] = [];
  add(at: At, message: string): void {
    this.list.push({ path: fieldPath(at), message });
  }
}

export const obj = (value: unknown): Json | undefined => (isRecord(value) ? value : undefined);
export const items = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
export const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
export const num = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isFinite(value) ? value : undefined;

/** Each object of a list with its path; items of another type are the schema's to report. */
export function eachObject(value: unknown, at: At, visit: (item: Json, here: At) => void): void {
  items(value).forEach((raw, i) => {
    const item = obj(raw);
    if (item) visit(item, [...at, i]);
  });
}

const quoted = (values: readonly string[]) => values.map((v) => JSON.stringify(v)).join(", ");

/** An enum field: a string set to something else is refused ("Unsupported value"); unset is defaulted. */
export function oneOf(out: Violations, at: At, value: unknown, allowed: readonly string[]): void {
  if (typeof value === "string" && !allowed.includes(value)) {
    out.add(at, `must be one of ${quoted(allowed)}, got ${JSON.stringify(value)}`);
  }
}

/** An enum field that has no default: unset is refused too. */
export function requiredOneOf(out: Violations, at: At, value: unknown, allowed: readonly string[]): void {
  if (value === undefined) out.add(at, `required: one of ${quoted(allowed)}`);
  else oneOf(out, at, value, allowed);
}

/** IsValidPortNum: 1–65535. */
export function portNumber(out: Violations, at: At, value: unknown): void {
  const port = num(value);
  if (port !== undefined && (port < 1 || port > 65535)) {
    out.add(at, `must be a port number between 1 and 65535, got ${port}`);
  }
}

/** ValidateNonnegativeField. */
export function nonNegative(out: Violations, at: At, value: unknown): void {
  const n = num(value);
  if (n !== undefined && n < 0) out.add(at, `must be greater than or equal to 0, got ${n}`);
}

/** At least 1 (maxSkew, minDomains, an HPA's maxReplicas). */
export function positive(out: Violations, at: At, value: unknown): void {
  const n = num(value);
  if (n !== undefined && n < 1) out.add(at, `must be greater than zero, got ${n}`);
}

const PERCENT = /^[0-9]+%$/;

/**
 * An int-or-percent (maxSurge, maxUnavailable, minAvailable): a non-negative integer or "N%", at most 100%
 * when `capped`. Its value as a number (the percentage for "N%"), or undefined when unset or refused.
 */
export function intOrPercent(out: Violations, at: At, value: unknown, capped: boolean): number | undefined {
  if (typeof value === "number") {
    nonNegative(out, at, value);
    return value >= 0 ? value : undefined;
  }
  if (typeof value !== "string") return undefined;
  if (!PERCENT.test(value)) {
    out.add(at, `must be an integer or a percentage like "25%", got ${JSON.stringify(value)}`);
    return undefined;
  }
  const percent = Number(value.slice(0, -1));
  if (capped && percent > 100) out.add(at, `must not be greater than 100%, got ${JSON.stringify(value)}`);
  return percent;
}

/** Labels (metadata.labels, a Service selector, matchLabels): qualified-name keys, valid values. */
export function labelMap(out: Violations, at: At, value: unknown): void {
  const labels = obj(value);
  if (!labels) return;
  for (const [key, v] of Object.entries(labels)) {
    const badKey = qualifiedName(key);
    if (badKey) out.add([...at, key], `label key ${JSON.stringify(key)}: ${badKey}`);
    if (typeof v !== "string") continue;
    const badValue = labelValue(v);
    if (badValue) out.add([...at, key], `label value ${JSON.stringify(v)}: ${badValue}`);
  }
}

const OPERATORS = ["In", "NotIn", "Exists", "DoesNotExist"] as const;

/** ValidateLabelSelector: matchLabels as labels, each expression with a valid key, operator and values. */
export function labelSelector(out: Violations, at: At, value: unknown): void {
  const selector = obj(value);
  if (!selector) return;
  labelMap(out, [...at, "matchLabels"], selector.matchLabels);
  eachObject(selector.matchExpressions, [...at, "matchExpressions"], (expression, here) => {
    const key = str(expression.key);
    const badKey = key === undefined ? undefined : qualifiedName(key);
    if (badKey) out.add([...here, "key"], badKey);
    const operator = str(expression.operator);
    oneOf(out, [...here, "operator"], operator, OPERATORS);
    const values = items(expression.values);
    if ((operator === "In" || operator === "NotIn") && values.length === 0) {
      out.add([...here, "values"], `must be specified when operator is ${operator}`);
    }
    if ((operator === "Exists" || operator === "DoesNotExist") && values.length > 0) {
      out.add([...here, "values"], `may not be specified when operator is ${operator}`);
    }
    values.forEach((v, j) => {
      const bad = typeof v === "string" ? labelValue(v) : undefined;
      if (bad) out.add([...here, "values", j], bad);
    });
  });
}
