// Runs the check rules that can explain a failed verification over the LIVE objects recorded in the
// timeline (the workload as the cluster holds it, its Services, PDBs, HPA), so the verdict can say
// "no preStop" with the same words and fix as `shipshape check`.
import { checkObjects } from "../check/engine.ts";
import { liveSource } from "../check/live.ts";
import { allRules } from "../check/rules/index.ts";
import type { Finding } from "../check/types.ts";
import type { KubeObject } from "../k8s/object.ts";
import { CAUSES } from "./causes.ts";
import { SCENARIOS } from "./scenarios/index.ts";

/** The rules a verification consults: those CAUSES and the scenarios' goals name. Only rules that hold
 * for live objects belong there: hpa-replicas-conflict, for one, is about manifests (the live
 * Deployment always carries the replicas the HPA set). */
const CONSULTED = new Set<string>([
  ...Object.values(CAUSES).flatMap((cause) => cause.rules),
  ...SCENARIOS.flatMap((scenario) => scenario.goalRules),
]);
const RULES = allRules.filter((rule) => CONSULTED.has(rule.id));

/** The findings of the verification's rules on the live objects (opt-out annotations not honoured). */
export function auditObjects(objects: readonly KubeObject[]): Finding[] {
  return checkObjects(objects.map(liveSource), { rules: RULES, optOuts: false }).findings;
}
