// JUnit XML, the report every CI can show: one <testsuite> per file, one <testcase> per object × rule
// that ran (classname = the object, so CI groups them), a <failure> for error-level findings; warnings
// and infos ride along as <system-out> of a passing case.
import type { CheckResult } from "../engine.ts";
import { isLive } from "../live.ts";
import type { Finding } from "../types.ts";

export function formatJunit(result: CheckResult): string {
  const findingsBy = new Map<string, Finding[]>();
  for (const f of result.findings) {
    const key = caseKey(f.file, f.object, f.rule);
    const list = findingsBy.get(key);
    if (list) list.push(f);
    else findingsBy.set(key, [f]);
  }
  const suites = new Map<string, string[]>();
  const counts = new Map<string, { tests: number; failures: number }>();
  for (const object of result.objects) {
    const cases = suites.get(object.file) ?? [];
    const count = counts.get(object.file) ?? { tests: 0, failures: 0 };
    const classname = `${object.kind} ${object.namespace ? `${object.namespace}/` : ""}${object.name ?? "(unnamed)"}`;
    for (const rule of result.rules) {
      const findings = findingsBy.get(caseKey(object.file, object, rule.id)) ?? [];
      const errors = findings.filter((f) => f.severity === "error");
      const others = findings.filter((f) => f.severity !== "error");
      // A live object has no file or line: classname (the object) is its place.
      const place = isLive(object) ? "" : ` file="${xml(object.file)}" line="${object.line}"`;
      const open = `    <testcase name="${xml(rule.id)}" classname="${xml(classname)}"${place}`;
      const body: string[] = [];
      if (errors.length > 0) {
        body.push(
          `      <failure type="error" message="${xml(errors[0]!.message)}">${xml(describeAll(errors))}</failure>`,
        );
        count.failures++;
      }
      if (others.length > 0) body.push(`      <system-out>${xml(describeAll(others))}</system-out>`);
      cases.push(body.length === 0 ? `${open}/>` : `${open}>\n${body.join("\n")}\n    </testcase>`);
      count.tests++;
    }
    suites.set(object.file, cases);
    counts.set(object.file, count);
  }
  let tests = 0;
  let failures = 0;
  const out: string[] = [];
  for (const [file, cases] of suites) {
    const count = counts.get(file)!;
    tests += count.tests;
    failures += count.failures;
    out.push(
      `  <testsuite name="${xml(file)}" tests="${count.tests}" failures="${count.failures}" errors="0" skipped="0">`,
    );
    out.push(...cases, "  </testsuite>");
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="shipshape check" tests="${tests}" failures="${failures}" errors="0">`,
    ...out,
    "</testsuites>",
    "",
  ].join("\n");
}

function caseKey(
  file: string,
  o: { apiVersion: string; kind: string; namespace?: string; name?: string },
  rule: string,
) {
  return `${file}\0${o.apiVersion}\0${o.kind}\0${o.namespace ?? ""}\0${o.name ?? ""}\0${rule}`;
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
