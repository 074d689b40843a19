// The contract between the check engine and its rules: a rule is a small self-describing unit,
// a pure function of (object, index).
import type { SourceObject } from "../manifest/types.ts";
import type { Autofix } from "./fix/patch.ts";
import type { ObjectIndex } from "./object-index.ts";

export type Severity = "error" | "warning" | "info";

export type Category =
  | "availability"
  | "health"
  | "rollout"
  | "scaling"
  | "security"
  | "data"
  | "network"
  | "api";

/** What a rule reports; the engine adds the rule id, default severity and the source position. */
export interface FindingDraft {
  message: string;
  /** What to change, concretely. */
  fix: string;
  /** The field the finding is about, for its line:col (defaults to the object itself). */
  path?: ReadonlyArray<string | number>;
  /** Overrides the rule's default severity for this one finding (e.g. info when it may live in-cluster). */
  severity?: Severity;
  /** The change that clears it, when a machine can make it safely (`check --fix`). */
  autofix?: Autofix;
}

/**
 * What a rule looks at: objects of these kinds, every pod-bearing workload (Deployment, StatefulSet,
 * DaemonSet, Job, CronJob, Pod…), or any object. The engine runs a rule only on its targets.
 */
export type RuleTarget = { kinds: readonly string[] } | "workloads" | "any";

export interface Rule<Id extends string = string> {
  /** Stable id, never changes: "prestop-missing". */
  id: Id;
  /** One sentence, display text: "Service-backed workloads sleep in preStop before SIGTERM". */
  title: string;
  severity: Severity;
  category: Category;
  targets: RuleTarget;
  /** For `--explain`: what breaks in production, why (the seed's reasoning), and the fix. Markdown-ish text. */
  explain: string;
  check(subject: SourceObject, index: ObjectIndex): FindingDraft[];
}

export interface Finding {
  rule: string;
  severity: Severity;
  object: { apiVersion: string; kind: string; namespace?: string; name?: string };
  file: string;
  line: number;
  col: number;
  message: string;
  fix: string;
  autofix?: Autofix;
}

/** A finding `check --fix` can apply, with the object it is on. */
export interface Fixable {
  finding: Finding;
  source: SourceObject;
}

/** A rule with its id kept as a literal type, so the registry can derive the RuleId union. */
export function defineRule<const Id extends string>(rule: Rule<Id>): Rule<Id> {
  return rule;
}
