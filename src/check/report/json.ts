// The machine report, in the documented contract:
// {"findings":[{rule,severity,object,file,line,col,message,fix}],"objects":[{apiVersion,kind,namespace,name,qosClass,…}],
//  "summary":{objects,errors,warnings,infos}}
// Live objects (`check --cluster`) have no file, line or col: their object names them.
import type { CheckResult } from "../engine.ts";
import { isLive } from "../live.ts";

export function formatJson(result: CheckResult): string {
  const { summary } = result;
  const findings = result.findings.map(placed);
  const objects = result.objects.map(placed);
  return `${JSON.stringify({ findings, objects, summary }, null, 2)}\n`;
}

function placed<T extends { file: string; line: number; col: number }>(item: T) {
  if (!isLive(item)) return item;
  const { file: _file, line: _line, col: _col, ...rest } = item;
  return rest;
}
