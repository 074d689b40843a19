import type { SourceObject } from "../../manifest/types.ts";
import { removeField } from "../fix/patch.ts";
import { list, record } from "../shape.ts";
import { defineRule } from "../types.ts";
import { describe, hpaBounds } from "./helpers.ts";

export const hpaReplicasConflict = defineRule({
  id: "hpa-replicas-conflict",
  title: "A workload scaled by an HPA does not also set spec.replicas",
  severity: "warning",
  category: "scaling",
  targets: "workloads",
  explain: `What breaks: when both the manifest and an HPA own spec.replicas, every \`kubectl apply\` (or
GitOps sync) resets the replica count to the manifest's number — during a traffic peak that scales 6 pods
back to 3, and the HPA needs minutes to climb again. Two HPAs on one workload are worse: the controller
refuses to act on either (AmbiguousSelector).

Why: the seed sets replicas: 3 and then adds an HPA with min 3 max 6; once the HPA exists it alone should
decide the count. Kubernetes documents this: remove spec.replicas from manifests of HPA-scaled workloads.

Fix: delete spec.replicas from the workload (the HPA's minReplicas takes over; on first creation the
Deployment starts at 1 and the HPA raises it immediately), and keep exactly one HPA per workload.

Objects read back from a cluster (kubectl get -o yaml | shipshape check -) always carry spec.replicas: the
apiserver fills it in and the HPA rewrites it. There the finding stands only when the author's own apply
wrote it: the kubectl last-applied-configuration annotation holds it, or managedFields name a manager
other than the HPA's (kube-controller-manager, through the scale subresource) as its owner.`,
  check(subject, index) {
    const w = index.workloadOf(subject);
    if (!w || w.hpas.length === 0) return [];
    if (w.hpas.length > 1) {
      return [
        {
          message: `${describe(subject)} is targeted by ${w.hpas.length} HorizontalPodAutoscalers (${w.hpas.map(describe).join(", ")}): the controller refuses to scale it (AmbiguousSelector)`,
          fix: "Keep exactly one HorizontalPodAutoscaler per workload.",
          path: ["metadata", "name"],
        },
      ];
    }
    if (w.declaredReplicas === undefined || !authorWroteReplicas(subject)) return [];
    const bounds = hpaBounds(w)!;
    return [
      {
        message: `${describe(subject)} sets spec.replicas: ${w.declaredReplicas} while ${describe(w.hpas[0]!)} scales it (${bounds.min}..${bounds.max}): every apply resets the replica count`,
        fix: "Remove spec.replicas from the workload and let the HorizontalPodAutoscaler's minReplicas set the floor.",
        path: ["spec", "replicas"],
        autofix: {
          ops: [removeField(["spec", "replicas"])],
          comment: "the HorizontalPodAutoscaler owns the replica count (hpa-replicas-conflict)",
        },
      },
    ];
  },
});

const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

/** Whether spec.replicas comes from the author's manifest rather than from the cluster (its defaulting,
 * or the HPA writing through the scale subresource). */
function authorWroteReplicas(subject: SourceObject): boolean {
  const metadata = record(subject.object.metadata);
  const lastApplied = record(metadata.annotations)[LAST_APPLIED];
  if (typeof lastApplied === "string") {
    try {
      return record(record(JSON.parse(lastApplied)).spec).replicas !== undefined;
    } catch {
      // an unreadable annotation says nothing; fall through to the field owners
    }
  }
  const owners = list(metadata.managedFields).filter(
    (entry) => "f:replicas" in record(record(record(entry.fieldsV1))["f:spec"]),
  );
  if (owners.length > 0) {
    return owners.some((o) => o.subresource !== "scale" && o.manager !== "kube-controller-manager");
  }
  // Read back from a cluster without its field owners: spec.replicas is there whoever wrote it.
  return metadata.uid === undefined && metadata.resourceVersion === undefined;
}
