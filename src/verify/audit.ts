// Runs the check rules that can explain a failed verification over the LIVE objects recorded in the
// timeline (the workload as the cluster holds it, its Services, PDBs, HPA), so the verdict can say
// "no preStop" with the same words and fix as `shipshape check`.
import { checkObjects } from "../check/engine.ts";
import { antiAffinityMissing } from "../check/rules/anti-affinity-missing.ts";
import { gracePeriodTooShort } from "../check/rules/grace-period-too-short.ts";
import { hpaWithoutRequests } from "../check/rules/hpa-without-requests.ts";
import { pdbBlocksDrain } from "../check/rules/pdb-blocks-drain.ts";
import { pdbMissing } from "../check/rules/pdb-missing.ts";
import { prestopMissing } from "../check/rules/prestop-missing.ts";
import { readinessProbeMissing } from "../check/rules/readiness-probe-missing.ts";
import { replicasSingle } from "../check/rules/replicas-single.ts";
import { rollingUpdateUnsafe } from "../check/rules/rolling-update-unsafe.ts";
import type { Finding, Rule } from "../check/types.ts";
import type { KubeObject } from "../k8s/object.ts";
import type { SourceObject } from "../manifest/types.ts";

/** The rules a verification consults; CAUSES and GOAL_RULES name them by id. Only rules that hold
 * for live objects: hpa-replicas-conflict, for one, is about manifests (the live Deployment always
 * carries the replicas the HPA set). */
const RULES: Rule[] = [
  prestopMissing,
  gracePeriodTooShort,
  readinessProbeMissing,
  rollingUpdateUnsafe,
  pdbMissing,
  replicasSingle,
  antiAffinityMissing,
  pdbBlocksDrain,
  hpaWithoutRequests,
];

/** Where a live object "is": the cluster, not a file. */
export const LIVE = "(cluster)";

function live(object: KubeObject): SourceObject {
  const position = { line: 1, col: 1 };
  return { object, file: LIVE, position, positionOf: () => position };
}

/** The findings of the verification's rules on the live objects (opt-out annotations not honoured). */
export function auditObjects(objects: readonly KubeObject[]): Finding[] {
  return checkObjects(objects.map(live), { rules: RULES, optOuts: false }).findings;
}
