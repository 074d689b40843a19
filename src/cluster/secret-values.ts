// Secret values never reach a terminal or a log: not in diffs (data, stringData and every annotation,
// kubectl's last-applied copy included) and not in the API server's error text, which quotes
// invalid values verbatim.
import type { KubeObject } from "../k8s/object.ts";

// Shorter values would redact ordinary words and digits out of the message around them.
const MIN_REDACTED = 4;

/** Every value the Secret holds, as written and as the API server would quote it (base64 and decoded). */
function secretValues(secret: KubeObject): string[] {
  const values: string[] = [];
  for (const [field, decode] of [
    ["data", true],
    ["stringData", false],
  ] as const) {
    for (const raw of Object.values((secret[field] ?? {}) as Record<string, unknown>)) {
      // A number or boolean where a string belongs is what the API server refuses, quoting it.
      if (!["string", "number", "boolean"].includes(typeof raw)) continue;
      const value = String(raw);
      values.push(value);
      if (decode) values.push(Buffer.from(value, "base64").toString("utf8"));
      else values.push(Buffer.from(value, "utf8").toString("base64"));
    }
  }
  return values.filter((v) => v.length >= MIN_REDACTED).sort((a, b) => b.length - a.length);
}

/** `text` with the object's secret values (if it is a Secret) replaced by ***. */
export function redactSecretValues(text: string, object: KubeObject): string {
  if (object.kind !== "Secret") return text;
  let out = text;
  for (const value of secretValues(object)) out = out.split(value).join("***");
  return out;
}

/** Masks the values of a Secret's before/after views in place: equal ones show as ***, changed ones as
 * *** (before)/(after), so a diff still tells which key or annotation changed. */
export function maskSecretViews(before: Record<string, unknown>, after: Record<string, unknown>): void {
  const mask = (a: Record<string, unknown>, b: Record<string, unknown>) => {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const same = JSON.stringify(a[key]) === JSON.stringify(b[key]);
      if (key in a) a[key] = same ? "***" : "*** (before)";
      if (key in b) b[key] = same ? "***" : "*** (after)";
    }
  };
  for (const field of ["data", "stringData"]) {
    mask((before[field] ?? {}) as Record<string, unknown>, (after[field] ?? {}) as Record<string, unknown>);
  }
  const annotations = (view: Record<string, unknown>) =>
    ((view.metadata as Record<string, unknown> | undefined)?.annotations ?? {}) as Record<string, unknown>;
  mask(annotations(before), annotations(after));
}
