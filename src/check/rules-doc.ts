// The rules reference (docs/rules.md), generated from the registry so the docs cannot drift from the
// code: a table of every rule, then each rule's explanation under an anchor named by its id.
import type { Rule, RuleTarget } from "./types.ts";

export const RULES_DOC = "docs/rules.md";

export function rulesMarkdown(rules: readonly Rule[]): string {
  const out = [
    "# shipshape check — rules",
    "",
    "<!-- Generated from src/check/rules/index.ts by `npm run docs:rules`; do not edit by hand. -->",
    "",
    `${rules.length} rules. Switch one off for an object with the annotation`,
    '`shipshape.dev/ignore: "rule-id"`, or for a repository in `.shipshape.yaml`',
    "(`rules: {rule-id: off}`; a severity there changes its level). `shipshape check --explain RULE` prints",
    "the explanation below.",
    "",
    "| Rule | Severity | Category | Looks at | Checks that |",
    "|---|---|---|---|---|",
    ...rules.map(
      (r) =>
        `| [\`${r.id}\`](#${r.id}) | ${r.severity} | ${r.category} | ${targetText(r.targets)} | ${cell(r.title)} |`,
    ),
  ];
  for (const rule of rules) {
    out.push(
      "",
      `## ${rule.id}`,
      "",
      `**${rule.title}** — ${rule.severity}, ${rule.category}; looks at ${targetText(rule.targets)}`,
      "",
      rule.explain.trim(),
    );
  }
  return `${out.join("\n")}\n`;
}

/** "workloads", "any object", or the kinds: "Service", "Ingress, IngressRoute". */
export function targetText(targets: RuleTarget): string {
  if (targets === "any") return "any object";
  return targets === "workloads" ? "workloads" : targets.kinds.join(", ");
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}
