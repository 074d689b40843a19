// The machine report, in the documented contract:
// {"findings":[{rule,severity,object,file,line,col,message,fix}],"objects":[{apiVersion,kind,namespace,name,qosClass,…}],
//  "summary":{objects,errors,warnings,infos}}
import type { CheckResult } from "../engine.ts";

export function formatJson(result: CheckResult): string {
  const { findings, objects, summary } = result;
  return `${JSON.stringify({ findings, objects, summary }, null, 2)}\n`;
}
