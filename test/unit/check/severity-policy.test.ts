// The severity policy in docs/check.md and the registry stay in step: every rule appears once in its
// table with the default severity it has in code, and every severity its fail fixtures produce is one
// the table lists for it. A rule whose severity changes without the policy saying why fails here.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { allRules } from "../../../src/check/rules/index.ts";
import { FIXTURES, runRules } from "./fixtures.ts";

const doc = readFileSync(join(import.meta.dirname, "../../../docs/check.md"), "utf8");
const section = doc.slice(
  doc.indexOf("## Severity policy"),
  doc.indexOf("\n## ", doc.indexOf("## Severity policy") + 1),
);
const rows = [
  ...section.matchAll(/^\| `([a-z0-9-]+)` *\| (error|warning|info) *\| ([a-z, —]+?) *\| (.+?) *\|$/gm),
].map(([, id, severity, also, why]) => ({
  id: id!,
  severity: severity!,
  also: also === "—" ? [] : also!.split(",").map((s) => s.trim()),
  why: why!,
}));

test("the severity policy lists every rule once, with the default severity the rule has", () => {
  assert.deepEqual(rows.map((r) => r.id).sort(), allRules.map((r) => r.id).sort());
  for (const rule of allRules) {
    const row = rows.find((r) => r.id === rule.id)!;
    assert.equal(row.severity, rule.severity, `${rule.id}: docs/check.md says ${row.severity}`);
    assert.ok(row.why.length > 20, `${rule.id}: say why`);
  }
});

test("every severity a rule's fail fixtures produce is one the policy lists for it", () => {
  for (const rule of allRules) {
    const row = rows.find((r) => r.id === rule.id)!;
    const allowed = new Set([row.severity, ...row.also]);
    const dir = join(FIXTURES, rule.id);
    for (const file of readdirSync(dir).filter((f) => f.startsWith("fail-"))) {
      for (const finding of runRules([rule], join(dir, file))) {
        const severity = finding.severity ?? rule.severity;
        assert.ok(
          allowed.has(severity),
          `${rule.id} ${file}: ${severity} is not in the policy's ${[...allowed]}`,
        );
      }
    }
  }
});
