// The shipshape.dev/ignore annotation, as `check` honours it, for the risks a verdict lists: a rule an
// object opted out of is no risk to report on it. Causes are another matter — a failure the run
// measured is explained whatever the manifest opted out of — so the audit itself keeps every finding.
import { ignoredRules } from "../check/engine.ts";
import { liveSource } from "../check/live.ts";
import { allRules } from "../check/rules/index.ts";
import type { Finding } from "../check/types.ts";
import type { KubeObject } from "../k8s/object.ts";

const KNOWN: ReadonlySet<string> = new Set(allRules.map((rule) => rule.id));

function sameObject(object: KubeObject, identity: Finding["object"]): boolean {
  return (
    object.apiVersion === identity.apiVersion &&
    object.kind === identity.kind &&
    object.metadata.namespace === identity.namespace &&
    object.metadata.name === identity.name
  );
}

/** Whether the finding's object opts out of its rule. An annotation naming an unknown rule, which
 * `check` refuses, honours nothing here: the run is over, and its verdict is still worth having. */
export function optedOut(finding: Finding, objects: readonly KubeObject[]): boolean {
  const object = objects.find((o) => sameObject(o, finding.object));
  if (!object) return false;
  try {
    return ignoredRules(liveSource(object), KNOWN).has(finding.rule);
  } catch {
    return false;
  }
}
