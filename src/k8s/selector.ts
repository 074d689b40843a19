// Label selectors as the apiserver evaluates them (metav1.LabelSelectorAsSelector): matchLabels and
// matchExpressions are ANDed; an absent selector selects nothing, an empty one selects everything.
import type { LabelSelector } from "kubernetes-types/meta/v1.js";

export type Labels = Readonly<Record<string, string>> | undefined;

/** Whether `selector` (Deployment, PDB, affinity term…) selects an object carrying `labels`. */
export function matchesSelector(selector: LabelSelector | null | undefined, labels: Labels): boolean {
  if (!selector) return false;
  const have = labels ?? {};
  // Input may be any YAML: anything but a map of labels or a list of requirements selects nothing.
  const matchLabels = selector.matchLabels ?? {};
  const expressions = selector.matchExpressions ?? [];
  if (typeof matchLabels !== "object" || Array.isArray(matchLabels) || !Array.isArray(expressions))
    return false;
  for (const [key, value] of Object.entries(matchLabels)) {
    if (have[key] !== String(value)) return false;
  }
  for (const requirement of expressions) {
    if (requirement === null || typeof requirement !== "object") return false;
    const { key, operator, values } = requirement;
    const present = Object.hasOwn(have, key);
    const inValues = present && Array.isArray(values) && values.map(String).includes(have[key]!);
    switch (operator) {
      case "In":
        if (!inValues) return false;
        break;
      case "NotIn":
        if (inValues) return false;
        break;
      case "Exists":
        if (!present) return false;
        break;
      case "DoesNotExist":
        if (present) return false;
        break;
      default:
        // The apiserver rejects unknown operators; a selector it would reject selects nothing.
        return false;
    }
  }
  return true;
}

/** A Service's (or ReplicationController's) plain map selector: every pair must be present. An absent or
 * empty map selects nothing here — for a Service that means "endpoints managed by hand". */
export function matchesLabels(selector: Labels | null, labels: Labels): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return matchesSelector({ matchLabels: { ...selector } }, labels);
}

/** Whether the selector has no requirements at all (and so selects every object). */
export function isEmptySelector(selector: LabelSelector): boolean {
  return (
    Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0
  );
}
