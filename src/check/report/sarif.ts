// SARIF 2.1.0 for code-scanning UIs (GitHub, GitLab, Azure DevOps): every rule that ran with its title,
// explanation and help link; every finding as a result at its file and line:col, naming the object.
import { createHash } from "node:crypto";
import { relative, sep } from "node:path";
import { pathToFileURL } from "node:url";
import pkg from "../../../package.json" with { type: "json" };
import type { CheckResult } from "../engine.ts";
import { isLive } from "../live.ts";
import type { Severity } from "../types.ts";

/** Where each rule's documentation lives; `#<rule id>` is appended. */
export const RULES_DOC_URL = "https://shipshape.dev/docs/rules";

const LEVEL: Record<Severity, "error" | "warning" | "note"> = {
  error: "error",
  warning: "warning",
  info: "note",
};

export function formatSarif(result: CheckResult, cwd = process.cwd()): string {
  const ruleIndex = new Map(result.rules.map((rule, i) => [rule.id, i]));
  const rules = result.rules.map((rule) => ({
    id: rule.id,
    name: rule.id,
    shortDescription: { text: rule.title },
    fullDescription: { text: firstParagraph(rule.explain) },
    help: { text: rule.explain, markdown: rule.explain },
    helpUri: `${RULES_DOC_URL}#${rule.id}`,
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: { category: rule.category, tags: [rule.category] },
  }));
  const results = result.findings.map((f) => {
    const object = `${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ""}${f.object.name ?? ""}`;
    return {
      ruleId: f.rule,
      ...(ruleIndex.has(f.rule) ? { ruleIndex: ruleIndex.get(f.rule) } : {}),
      level: LEVEL[f.severity],
      message: { text: `${f.message}\nFix: ${f.fix}` },
      locations: [
        {
          // A live object has no file: the object is its only location.
          ...(!isLive(f) && {
            physicalLocation: {
              artifactLocation: { uri: fileUri(f.file, cwd) },
              region: { startLine: f.line, startColumn: f.col },
            },
          }),
          logicalLocations: [
            { name: f.object.name ?? f.object.kind, fullyQualifiedName: object, kind: "object" },
          ],
        },
      ],
      // Identifies the finding by object and message, not line: code-scanning UIs keep an alert's
      // history across edits that move it.
      partialFingerprints: {
        "shipshapeFinding/v1": createHash("sha256")
          .update([f.rule, f.object.apiVersion, object, f.message].join("\0"))
          .digest("hex")
          .slice(0, 32),
      },
      properties: { fix: f.fix, apiVersion: f.object.apiVersion },
    };
  });
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "shipshape",
            version: pkg.version,
            informationUri: RULES_DOC_URL,
            rules,
          },
        },
        invocations: [{ executionSuccessful: true }],
        columnKind: "utf16CodeUnits",
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function firstParagraph(text: string): string {
  return text
    .split(/\n\s*\n/)[0]!
    .replace(/\s*\n\s*/g, " ")
    .trim();
}

/** Paths under the working directory stay relative (what code-scanning UIs match against the repo). */
function fileUri(file: string, cwd: string): string {
  if (file === "-") return "stdin";
  const rel = relative(cwd, file);
  if (rel.startsWith("..") || rel.startsWith(sep) || /^[a-zA-Z]:/.test(rel)) return pathToFileURL(file).href;
  return rel.split(sep).map(encodeURIComponent).join("/");
}
