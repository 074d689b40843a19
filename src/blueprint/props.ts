// Checking props that come from outside TypeScript's reach (YAML config, a CLI flag, a JS caller):
// unknown keys, wrong types and out-of-range values become an InputError naming the field.

import { InputError } from "../errors.ts";
import { imagePinning } from "../k8s/image.ts";
import { parseQuantity } from "../k8s/quantity.ts";
import { nearMatches } from "../text/suggest.ts";

export type FieldSpec = (
  | { type: "integer"; min?: number; max?: number }
  | { type: "boolean" }
  | { type: "string"; pattern?: RegExp; hint?: string }
  | { type: "quantity" }
  | { type: "image" }
  | { type: "enum"; values: readonly string[] }
) & {
  /** One line for `--help`: what the setting does. */
  doc?: string;
};

export type PropsSpec = Record<string, FieldSpec>;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const dnsLabel: FieldSpec = {
  type: "string",
  pattern: DNS_LABEL,
  hint: "a DNS label like kube-example",
};
export const dnsName: FieldSpec = {
  type: "string",
  pattern: /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
  hint: "a DNS name like blog.example.com",
};

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "a map" : `${typeof value} ${JSON.stringify(value)}`;
}

/** Why `image` is not pinned, or undefined when it is: what check's image-tag-mutable rule would flag. */
export function unpinnedImage(image: string): string | undefined {
  const pinning = imagePinning(image);
  if (pinning.pinned) return undefined;
  const pin = "pin a version (name:tag) or a digest (name@sha256:…)";
  if (pinning.tag === undefined) return `has no tag (it would mean latest); ${pin}`;
  if (pinning.tag === "latest") return `is tagged latest; ${pin}`;
  return `is tagged ${pinning.tag}, a moving tag; ${pin}`;
}

function check(value: unknown, spec: FieldSpec): string | undefined {
  switch (spec.type) {
    case "integer":
      if (typeof value !== "number" || !Number.isInteger(value))
        return `must be an integer, got ${typeOf(value)}`;
      if (spec.min !== undefined && value < spec.min) return `must be ≥ ${spec.min}, got ${value}`;
      if (spec.max !== undefined && value > spec.max) return `must be ≤ ${spec.max}, got ${value}`;
      return undefined;
    case "boolean":
      return typeof value === "boolean" ? undefined : `must be true or false, got ${typeOf(value)}`;
    case "string":
      if (typeof value !== "string") return `must be a string, got ${typeOf(value)}`;
      if (spec.pattern && !spec.pattern.test(value))
        return `must be ${spec.hint}, got ${JSON.stringify(value)}`;
      return undefined;
    case "quantity":
      if (typeof value !== "string" && typeof value !== "number")
        return `must be a quantity, got ${typeOf(value)}`;
      try {
        if (parseQuantity(value) <= 0) return `must be more than zero, got ${JSON.stringify(value)}`;
      } catch (error) {
        return error instanceof InputError ? error.message : String(error);
      }
      return undefined;
    case "image":
      if (typeof value !== "string" || !value) return `must be an image reference, got ${typeOf(value)}`;
      return unpinnedImage(value) && `${JSON.stringify(value)} ${unpinnedImage(value)}`;
    case "enum":
      return spec.values.includes(value as string)
        ? undefined
        : `must be one of ${spec.values.join(", ")}, got ${typeOf(value)}`;
  }
}

/** Returns `input` typed as T when every key is known and every value fits its spec; else throws. */
export function checkProps<T>(input: unknown, spec: PropsSpec): T {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new InputError(`expected a map of settings, got ${typeOf(input)}`);
  }
  for (const [field, value] of Object.entries(input)) {
    // Own keys only: `__proto__`, `constructor` or `toString` must be unknown settings, not Object's.
    const fieldSpec = Object.hasOwn(spec, field) ? spec[field] : undefined;
    if (!fieldSpec) {
      throw new InputError(`unknown setting${nearMatches(field, Object.keys(spec))}`, { field });
    }
    if (value === undefined) continue;
    const problem = check(value, fieldSpec);
    if (problem) throw new InputError(problem, { field });
  }
  return input as T;
}

/** Props with the keys that have a default made required (typed from the props, not the literal defaults). */
export type Defaulted<P, D> = P & { [K in keyof D & keyof P]-?: Exclude<P[K], undefined> };

/** `props` over `defaults`, where a prop given as undefined keeps the default (unlike object spread). */
export function withDefaults<P extends object, D extends Partial<P>>(defaults: D, props: P): Defaulted<P, D> {
  const out: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(props)) if (value !== undefined) out[key] = value;
  return out as Defaulted<P, D>;
}
