import { namespaceOf } from "../object-index.ts";
import { record, text } from "../shape.ts";
import { defineRule } from "../types.ts";
import { describe } from "./helpers.ts";

/** Built-in kinds the HPA can scale through their scale subresource, and built-in workloads it cannot. */
const SCALABLE = new Set(["Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"]);
const NOT_SCALABLE = new Set(["DaemonSet", "Job", "CronJob", "Pod"]);

export const hpaTargetMissing = defineRule({
  id: "hpa-target-missing",
  title: "A HorizontalPodAutoscaler targets a scalable workload that exists",
  severity: "warning",
  category: "scaling",
  targets: { kinds: ["HorizontalPodAutoscaler"] },
  explain: `What breaks: an HPA whose scaleTargetRef names a workload that does not exist (a renamed
Deployment, a wrong kind) reports FailedGetScale and scales nothing: the web tier stays at its fixed
replica count during the very traffic peak the autoscaler was added for. A DaemonSet, Job or Pod has no
scale subresource and cannot be autoscaled at all.

Why: the seed creates its HPA with \`kubectl autoscale deployment wordpress\`, which fills scaleTargetRef
{kind: Deployment, name: wordpress} from the live object; written by hand, kind and name must match
exactly.

Fix: set scaleTargetRef to {apiVersion: apps/v1, kind: Deployment (or StatefulSet), name: <workload>} in
the HPA's namespace. A target absent from the input is reported as info (it may be deployed
separately); a target kind that cannot scale is a warning.`,
  check(subject, index) {
    if (subject.object.kind !== "HorizontalPodAutoscaler") return [];
    const ref = record(record(subject.object.spec).scaleTargetRef);
    const kind = text(ref.kind) ?? "";
    const name = text(ref.name) ?? "";
    const path = ["spec", "scaleTargetRef"];
    if (NOT_SCALABLE.has(kind)) {
      return [
        {
          message: `${describe(subject)} targets a ${kind}, which has no scale subresource: it can never scale it`,
          fix: "Autoscale a Deployment or StatefulSet instead.",
          path,
        },
      ];
    }
    // Custom kinds (an Argo Rollout…) may have a scale subresource: not judged.
    if (index.hpaTarget(subject) || !SCALABLE.has(kind)) return [];
    return [
      {
        message: `${describe(subject)} targets ${kind} ${name}, which is not in the input: it must exist in namespace ${namespaceOf(subject)} or the HPA scales nothing`,
        fix: `Check scaleTargetRef (kind ${kind}, name ${name}) against the workload it should scale.`,
        path,
        severity: "info",
      },
    ];
  },
});
