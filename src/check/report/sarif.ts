// SARIF 2.1.0 for code-scanning UIs (GitHub, GitLab, Azure DevOps): every rule that ran with its title,
// explanation and help link; every finding as a result at its file and line:col, naming the object.
import { relative, sep } from "node:path";
import { pathToFileURL } from "node:url";
import pkg from "../../../package.json" with { type: "json" };
import { type CheckResult, type CheckRun, rerun } from "../engine.ts";
import { isLive } from "../live.ts";
import type { Finding, Severity } from "../types.ts";
import { jsonArray } from "./json-array.ts";

/** Where each rule's documentation lives; `#<rule id>` is appended. */
export const RULES_DOC_URL = "https://shipshape.dev/docs/rules";

const LEVEL: Record<Severity, "error" | "warning" | "note"> = {
  error: "error",
  warning: "warning",
  info: "note",
};

export function formatSarif(result: CheckResult, cwd = process.cwd()): string {
  return [...sarifReport(rerun(result), cwd)].join("");
}

/** The SARIF log in chunks, each result written as its finding is made. */
export function* sarifReport(run: CheckRun, cwd = process.cwd()): Generator<string> {
  const ruleIndex = new Map(run.rules.map((rule, i) => [rule.id, i]));
  const rules = run.rules.map((rule) => ({
    id: rule.id,
    name: rule.id,
    shortDescription: { text: rule.title },
    fullDescription: { text: firstParagraph(rule.explain) },
    help: { text: rule.explain, markdown: rule.explain },
    helpUri: `${RULES_DOC_URL}#${rule.id}`,
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: { category: rule.category, tags: [rule.category] },
  }));
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
      },
    ],
  };
  // The log without results ends by closing the run, runs and the log; results go in before that.
  const close = "\n    }\n  ]\n}";
  const head = JSON.stringify(log, null, 2);
  yield `${head.slice(0, -close.length)},\n`;
  const results = jsonArray("results", 3);
  for (const { findings } of run) {
    for (const f of findings) yield results.item(sarifResult(f, ruleIndex, cwd));
  }
  yield `${results.end()}${close}\n`;
}

function sarifResult(f: Finding, ruleIndex: ReadonlyMap<string, number>, cwd: string) {
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
      "shipshapeFinding/v1": sha256()
        .update([f.rule, f.object.apiVersion, object, f.message].join("\0"))
        .digest("hex")
        .slice(0, 32),
    },
    properties: { fix: f.fix, apiVersion: f.object.apiVersion },
  };
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

// node:crypto is loaded by the SARIF report alone, not by every check that registers the formats.
const sha256 = () => process.getBuiltinModule("node:crypto").createHash("sha256");
