// One parser for a blueprint's settings wherever they are written — a flag (`--replicas 4`), a `--set
// replicas=4`, a config file key — typed by the blueprint's PropsSpec, never guessed from the text:
// `--cluster-issuer true`, `--set clusterIssuer=true` and `clusterIssuer: true` all mean the issuer "true".
import { InputError } from "../errors.ts";
import type { FieldSpec, PropsSpec } from "./props.ts";

/** Settings whose values are text to the blueprint, whatever a YAML scalar or a flag looks like. */
const TEXT_TYPES = new Set<FieldSpec["type"]>(["string", "image", "enum"]);

/**
 * `value` as the setting's spec types it: integer and boolean settings from their text, text settings
 * from a scalar that YAML read as a number or boolean. Anything else is left for checkProps() to judge.
 */
export function typedSetting(spec: FieldSpec | undefined, field: string, value: unknown): unknown {
  if (!spec) return value;
  if (typeof value === "string" && spec.type === "integer") {
    if (!/^-?\d+$/.test(value.trim())) throw new InputError(`must be an integer, got "${value}"`, { field });
    return Number(value);
  }
  if (typeof value === "string" && spec.type === "boolean") {
    if (value !== "true" && value !== "false")
      throw new InputError(`must be true or false, got "${value}"`, { field });
    return value === "true";
  }
  if ((typeof value === "number" || typeof value === "boolean") && TEXT_TYPES.has(spec.type))
    return String(value);
  return value;
}

/** Every setting typed by `spec` (unknown keys pass through for checkProps() to refuse by name). */
export function typedSettings(
  spec: PropsSpec,
  settings: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(settings).map(([field, value]) => [field, typedSetting(spec[field], field, value)]),
  );
}

/** `--set replicas=4` → ["replicas", "4"]: the value stays text until typedSetting() reads it. */
export function parseSetArgument(text: string): [string, string] {
  const eq = text.indexOf("=");
  if (eq <= 0) throw new InputError(`--set wants key=value, got "${text}"`);
  return [text.slice(0, eq), text.slice(eq + 1)];
}
