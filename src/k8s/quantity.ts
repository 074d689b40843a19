// Kubernetes resource quantities ("200m", "100Mi", "1.5G", "1e3") as plain numbers in base units:
// cores for CPU, bytes for memory. Comparing numbers, not strings, is what makes "1" equal "1000m".
import { InputError } from "../errors.ts";

const SUFFIX_FACTORS: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

// The apiserver's grammar: a signed decimal number, then a binary suffix, a decimal suffix, or an exponent.
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)|[eE]([+-]?\d+))?$/;

/** Parses a quantity into base units; throws InputError naming the value when it is not one. */
export function parseQuantity(value: string | number): number {
  if (typeof value === "number") {
    if (Number.isFinite(value)) return value;
    throw new InputError(`"${value}" is not a quantity`);
  }
  const match = QUANTITY.exec(value.trim());
  if (!match) {
    throw new InputError(`"${value}" is not a Kubernetes quantity (expected e.g. 250m, 1.5, 128Mi, 1G)`);
  }
  const [, digits, suffix, exponent] = match;
  const base = Number(digits);
  if (exponent !== undefined) return base * 10 ** Number(exponent);
  return base * (SUFFIX_FACTORS[suffix ?? ""] as number);
}

/** Like parseQuantity, but undefined for a missing or malformed value (for code that reports elsewhere). */
export function tryParseQuantity(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  try {
    return parseQuantity(value);
  } catch {
    return undefined;
  }
}
