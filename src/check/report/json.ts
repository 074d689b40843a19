// The machine report, in the documented contract:
// {"findings":[{rule,severity,object,file,line,col,message,fix}],"objects":[{apiVersion,kind,namespace,name,qosClass,…}],
//  "summary":{objects,errors,warnings,infos}}
// Written as the check runs: findings as they come, the (small) object facts kept until the end.
// Live objects (`check --cluster`) have no file, line or col: their object names them.
import { type CheckResult, type CheckRun, rerun } from "../engine.ts";
import { isLive } from "../live.ts";
import { jsonArray } from "./json-array.ts";

export function formatJson(result: CheckResult): string {
  return [...jsonReport(rerun(result))].join("");
}

/** The same text JSON.stringify(report, null, 2) gives, in chunks. */
export function* jsonReport(run: CheckRun): Generator<string> {
  // The facts objects, not their text: the strings they hold are the input's own, the indented JSON of
  // each would be new (twice the memory, at 100,000 objects).
  const objects: object[] = [];
  const findings = jsonArray("findings", 1);
  yield "{\n";
  for (const result of run) {
    for (const finding of result.findings) yield findings.item(placed(finding));
    objects.push(placed(result.facts));
  }
  yield `${findings.end()},\n`;
  const facts = jsonArray("objects", 1);
  for (const object of objects) yield facts.item(object);
  yield `${facts.end()},\n  "summary": ${indent(JSON.stringify(run.summary, null, 2), 1)}\n}\n`;
}

function indent(json: string, depth: number): string {
  return json.replaceAll("\n", `\n${"  ".repeat(depth)}`);
}

function placed<T extends { file: string; line: number; col: number }>(item: T) {
  if (!isLive(item)) return item;
  const { file: _file, line: _line, col: _col, ...rest } = item;
  return rest;
}
