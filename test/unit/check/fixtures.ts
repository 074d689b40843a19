// Reading check fixtures with the manifest reader and running rules on them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildObjectIndex } from "../../../src/check/object-index.ts";
import type { FindingDraft, Rule } from "../../../src/check/types.ts";
import type { KubeObject } from "../../../src/k8s/object.ts";
import { parseManifests } from "../../../src/manifest/parse.ts";
import type { SourceObject } from "../../../src/manifest/types.ts";

export const FIXTURES = join(import.meta.dirname, "../../fixtures/check");

/** An object built in a test, as if read from a file (every position is 1:1). */
export function asSource(object: unknown, file = "test.yaml"): SourceObject {
  return {
    object: object as KubeObject,
    file,
    position: { line: 1, col: 1 },
    positionOf: () => ({ line: 1, col: 1 }),
  };
}

export function load(file: string): SourceObject[] {
  return parseManifests(readFileSync(file, "utf8"), file);
}

export type RanFinding = FindingDraft & { rule: string; subject: SourceObject };

/** Every finding of `rules` on `sources` (or the objects of a fixture file). */
export function runRules(rules: readonly Rule[], input: string | readonly SourceObject[]): RanFinding[] {
  const sources = typeof input === "string" ? load(input) : input;
  const index = buildObjectIndex(sources);
  return rules.flatMap((rule) =>
    sources.flatMap((subject) => rule.check(subject, index).map((f) => ({ ...f, rule: rule.id, subject }))),
  );
}

export function runRule(rule: Rule, file: string): RanFinding[] {
  return runRules([rule], file);
}
