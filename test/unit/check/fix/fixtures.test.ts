// Every check fixture with a fixable finding, fixed: the re-check clears exactly the findings the fix
// claims (no other appears, none other goes), a second --fix changes nothing, and the diff removes
// only lines of the fields the fixes set or remove.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { findingKey, fixManifests } from "../../../../src/check/fix/fix-manifests.ts";
import type { Finding } from "../../../../src/check/types.ts";
import { FIXTURES } from "../fixtures.ts";

const files = readdirSync(FIXTURES, { recursive: true, encoding: "utf8" })
  .filter((file) => /\.(ya?ml|json)$/.test(file))
  .sort();

const key = findingKey;

/** `before` without one occurrence of each of `removed`, as sorted keys. */
function minus(before: readonly Finding[], removed: readonly Finding[]): string[] {
  const left = before.map(key);
  for (const f of removed) left.splice(left.indexOf(key(f)), 1);
  return left.sort();
}

const fixedRules = new Set<string>();

describe("check --fix on the rule fixtures", () => {
  for (const file of files) {
    const text = readFileSync(join(FIXTURES, file), "utf8");
    const result = fixManifests([{ file, text }]);
    if (result.before.fixable.length === 0) continue;
    for (const f of result.fixed) fixedRules.add(f.rule);

    it(`${file}: the re-check clears exactly the ${result.fixed.length} fixed findings (and those it says)`, () => {
      assert.deepEqual(result.refused, []);
      assert.ok(result.fixed.length > 0);
      const cleared = [...result.fixed, ...result.alsoCleared];
      assert.deepEqual(result.after.findings.map(key).sort(), minus(result.before.findings, cleared));
      // What a fix clears besides its own finding is about an object it changed.
      const objects = new Set(result.fixed.map((f) => JSON.stringify(f.object)));
      for (const f of result.alsoCleared) assert.ok(objects.has(JSON.stringify(f.object)), key(f));
    });

    it(`${file}: a second --fix changes nothing`, () => {
      const again = fixManifests(result.texts);
      assert.deepEqual(again.changed, []);
      assert.equal(again.diff, "");
      assert.equal(again.after.fixable.length, 0);
    });

    it(`${file}: only lines of the fields it changes are removed`, () => {
      const fields = result.fixed.flatMap((f) => f.autofix!.ops.map((op) => String(op.path.at(-1))));
      const removed = result.diff.split("\n").filter((line) => /^-(?!--)/.test(line));
      for (const line of removed)
        assert.ok(
          fields.some((field) => line.includes(`${field}:`)),
          `${line} is not one of ${fields.join(", ")}`,
        );
    });
  }

  it("every fix is proven on at least one fixture", () => {
    assert.deepEqual([...fixedRules].sort(), [
      "anti-affinity-missing",
      "grace-period-too-short",
      "hpa-replicas-conflict",
      "pdb-blocks-drain",
      "pdb-policy-missing",
      "prestop-missing",
      "rolling-update-unsafe",
      "storageclass-reclaim-delete",
    ]);
  });
});
