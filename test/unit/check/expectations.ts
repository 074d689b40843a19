// What a fail fixture says it expects: one `# expect: Kind namespace/name path.to.field` line per
// finding (no path: the object itself), so a reader sees what a rule rejects and where without running it.
import { readFileSync } from "node:fs";
import type { RanFinding } from "./fixtures.ts";

const EXPECT = /^# expect: (.+)$/gm;

/** The `# expect:` lines of a fixture file, sorted. */
export function expectedFindings(file: string): string[] {
  return [...readFileSync(file, "utf8").matchAll(EXPECT)].map((m) => m[1]!.trim()).sort();
}

/** A finding as an expect line states it: "Deployment kube-example/wordpress spec.replicas". */
export function findingLine(finding: RanFinding): string {
  const { kind, metadata } = finding.subject.object;
  const name = metadata.namespace ? `${metadata.namespace}/${metadata.name}` : `${metadata.name}`;
  const path = finding.path?.length ? ` ${finding.path.join(".")}` : "";
  return `${kind} ${name}${path}`;
}
