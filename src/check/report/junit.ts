// JUnit XML, the report every CI can show: one <testsuite> per file, one <testcase> per object × rule
// that ran (classname = the object, so CI groups them), a <failure> for error-level findings; warnings
// and infos ride along as <system-out> of a passing case.
import { type CheckResult, type CheckRun, type ObjectFacts, rerun } from "../engine.ts";
import { isLive } from "../live.ts";
import type { Finding, Rule } from "../types.ts";

export function formatJunit(result: CheckResult): string {
  return [...junitReport(rerun(result))].join("");
}

/** The report in chunks. Suites open with their counts and the root with the totals, so the check runs
 * twice: once to count the failed cases per file, once to write them; nothing is held in between. */
export function* junitReport(run: CheckRun): Generator<string> {
  const counts = new Map<string, { tests: number; failures: number }>();
  for (const { facts, findings } of run) {
    const count = counts.get(facts.file) ?? { tests: 0, failures: 0 };
    count.tests += run.rules.length;
    count.failures += new Set(findings.filter((f) => f.severity === "error").map((f) => f.rule)).size;
    counts.set(facts.file, count);
  }
  let tests = 0;
  let failures = 0;
  for (const count of counts.values()) {
    tests += count.tests;
    failures += count.failures;
  }
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="shipshape check" tests="${tests}" failures="${failures}" errors="0">\n`;
  let file: string | undefined;
  for (const { facts: object, findings } of run) {
    if (object.file !== file) {
      if (file !== undefined) yield "  </testsuite>\n";
      file = object.file;
      const count = counts.get(file)!;
      yield `  <testsuite name="${xml(file)}" tests="${count.tests}" failures="${count.failures}" errors="0" skipped="0">\n`;
    }
    yield casesOf(object, findings, run.rules);
  }
  yield `${file !== undefined ? "  </testsuite>\n" : ""}</testsuites>\n`;
}

/** One <testcase> per rule that ran, for one object. */
function casesOf(object: ObjectFacts, findings: readonly Finding[], rules: readonly Rule[]): string {
  const classname = `${object.kind} ${object.namespace ? `${object.namespace}/` : ""}${object.name ?? "(unnamed)"}`;
  const cases: string[] = [];
  for (const rule of rules) {
    const mine = findings.filter((f) => f.rule === rule.id);
    const errors = mine.filter((f) => f.severity === "error");
    const others = mine.filter((f) => f.severity !== "error");
    // A live object has no file or line: classname (the object) is its place.
    const place = isLive(object) ? "" : ` file="${xml(object.file)}" line="${object.line}"`;
    const open = `    <testcase name="${xml(rule.id)}" classname="${xml(classname)}"${place}`;
    const body: string[] = [];
    if (errors.length > 0) {
      body.push(
        `      <failure type="error" message="${xml(errors[0]!.message)}">${xml(describeAll(errors))}</failure>`,
      );
    }
    if (others.length > 0) body.push(`      <system-out>${xml(describeAll(others))}</system-out>`);
    cases.push(body.length === 0 ? `${open}/>\n` : `${open}>\n${body.join("\n")}\n    </testcase>\n`);
  }
  return cases.join("");
}

function describeAll(findings: Finding[]): string {
  return findings
    .map(
      (f) => `${isLive(f) ? "" : `${f.file}:${f.line}:${f.col}: `}${f.severity}: ${f.message}\nfix: ${f.fix}`,
    )
    .join("\n\n");
}

/** Escapes text for XML 1.0, dropping the control characters it cannot carry at all. */
function xml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}
