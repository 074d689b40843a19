// Writes docs/rules.md from the rule registry (`npm run docs:rules`); a unit test fails when it is stale.
import { writeFileSync } from "node:fs";
import { allRules } from "../src/check/rules/index.ts";
import { RULES_DOC, rulesMarkdown } from "../src/check/rules-doc.ts";

writeFileSync(RULES_DOC, rulesMarkdown(allRules));
process.stdout.write(`wrote ${RULES_DOC} (${allRules.length} rules)\n`);
