// Every rule in the registry against its fixtures: each fail-*.yaml must raise the rule on the objects and
// paths its `# expect:` lines state, each pass-*.yaml must not. A rule without fixtures or without an
// explain text fails here, and so does one that reports on an object outside its declared targets.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { buildObjectIndex } from "../../../src/check/object-index.ts";
import { allRules } from "../../../src/check/rules/index.ts";
import { expectedFindings, findingLine } from "./expectations.ts";
import { FIXTURES, load, runRule } from "./fixtures.ts";

function hasPath(object: unknown, path: ReadonlyArray<string | number>): boolean {
  let node: unknown = object;
  for (const step of path) {
    if (node === null || typeof node !== "object" || !(step in node)) return false;
    node = (node as Record<string | number, unknown>)[step];
  }
  return true;
}

test("rule ids are unique", () => {
  const ids = allRules.map((r) => r.id);
  assert.deepEqual(ids, [...new Set(ids)]);
});

for (const rule of allRules) {
  test(`${rule.id}: has an explain text saying what breaks, why, and the fix`, () => {
    assert.ok(rule.title.length > 10, "title");
    assert.ok(rule.explain.length > 200, "explain is too short to teach anything");
  });

  const dir = join(FIXTURES, rule.id);
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(".yaml"));
  } catch {}
  const fails = files.filter((f) => f.startsWith("fail-"));
  const passes = files.filter((f) => f.startsWith("pass-"));

  test(`${rule.id}: has pass and fail fixtures`, () => {
    assert.ok(fails.length > 0, `no test/fixtures/check/${rule.id}/fail-*.yaml`);
    assert.ok(passes.length > 0, `no test/fixtures/check/${rule.id}/pass-*.yaml`);
  });

  for (const file of fails) {
    test(`${rule.id} fires on ${file}`, () => {
      const findings = runRule(rule, join(dir, file));
      assert.ok(findings.length > 0, `${rule.id} raised nothing on ${file}`);
      const expected = expectedFindings(join(dir, file));
      assert.ok(expected.length > 0, `${file} states no "# expect: Kind namespace/name path" line`);
      assert.deepEqual(findings.map(findingLine).sort(), expected);
      for (const finding of findings) {
        assert.ok(finding.message.length > 0 && finding.fix.length > 0, "message and fix");
        if (finding.path) {
          assert.ok(
            hasPath(finding.subject.object, finding.path),
            `path ${finding.path.join(".")} is not in the object`,
          );
        }
      }
    });
  }
  for (const file of passes) {
    test(`${rule.id} stays quiet on ${file}`, () => {
      const findings = runRule(rule, join(dir, file));
      assert.deepEqual(
        findings.map((f) => f.message),
        [],
      );
    });
  }
}

test("every rule reports only on the objects it declares as targets (kinds, workloads or any)", () => {
  const files = readdirSync(FIXTURES, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => join(FIXTURES, f));
  for (const file of files) {
    const sources = load(file);
    const index = buildObjectIndex(sources);
    for (const rule of allRules) {
      for (const subject of sources) {
        if (rule.check(subject, index).length === 0) continue;
        const { targets } = rule;
        const kind = subject.object.kind;
        const targeted =
          targets === "any" ||
          (targets === "workloads" ? index.workloadOf(subject) !== undefined : targets.kinds.includes(kind));
        assert.ok(targeted, `${rule.id} reports on ${kind} in ${file}, outside its targets`);
      }
    }
  }
});
