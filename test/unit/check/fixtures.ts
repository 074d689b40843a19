// Reading check fixtures into SourceObjects and running rules on them.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { LineCounter, parseAllDocuments } from "yaml";
import { buildObjectIndex } from "../../../src/check/object-index.ts";
import type { FindingDraft, Rule } from "../../../src/check/types.ts";
import type { KubeObject } from "../../../src/k8s/object.ts";
import type { SourceObject } from "../../../src/manifest/types.ts";

export const FIXTURES = join(import.meta.dirname, "../../fixtures/check");

// A minimal reader until the manifest reader lands: positions come from the yaml package's nodes.
export function load(file: string): SourceObject[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(readFileSync(file, "utf8"), { lineCounter });
  const sources: SourceObject[] = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    assert.equal(doc.errors.length, 0, `${file}: ${doc.errors[0]?.message}`);
    const object = doc.toJS() as KubeObject | null;
    if (!object) continue;
    const where = (offset: number) => lineCounter.linePos(offset);
    sources.push({
      object,
      file,
      position: where(doc.contents?.range?.[0] ?? 0),
      positionOf(path) {
        for (let n = path.length; n > 0; n--) {
          const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number] } | undefined;
          if (node?.range) return where(node.range[0]);
        }
        return where(doc.contents?.range?.[0] ?? 0);
      },
    });
  }
  return sources;
}

export type RanFinding = FindingDraft & { rule: string; subject: SourceObject };

/** Every finding of `rules` on the objects of `file`. */
export function runRules(rules: readonly Rule[], file: string): RanFinding[] {
  const sources = load(file);
  const index = buildObjectIndex(sources);
  return rules.flatMap((rule) =>
    sources.flatMap((subject) => rule.check(subject, index).map((f) => ({ ...f, rule: rule.id, subject }))),
  );
}

export function runRule(rule: Rule, file: string): RanFinding[] {
  return runRules([rule], file);
}
