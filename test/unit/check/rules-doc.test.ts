import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { allRules } from "../../../src/check/rules/index.ts";
import { RULES_DOC, rulesMarkdown } from "../../../src/check/rules-doc.ts";

describe("docs/rules.md", () => {
  it("is what the registry generates (run `npm run docs:rules` after changing a rule)", () => {
    assert.equal(readFileSync(RULES_DOC, "utf8"), rulesMarkdown(allRules));
  });

  it("has a table row and an anchored section for every rule", () => {
    const doc = rulesMarkdown(allRules);
    for (const rule of allRules) {
      assert.match(
        doc,
        new RegExp(`^\\| \\[\`${rule.id}\`\\]\\(#${rule.id}\\) \\| ${rule.severity} \\|`, "m"),
      );
      assert.match(doc, new RegExp(`^## ${rule.id}$`, "m"));
    }
  });
});
