// The bounds a PodDisruptionBudget and a HorizontalPodAutoscaler must keep, as the apiserver validates them
// in code (pkg/apis/policy/validation, pkg/apis/autoscaling/validation).
import { intOrPercent, type Json, labelSelector, num, positive, type Violations } from "./schema-values.ts";

export function validateBudgetSpec(out: Violations, spec: Json): void {
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    out.add(["spec"], "minAvailable and maxUnavailable cannot both be set");
  }
  intOrPercent(out, ["spec", "minAvailable"], spec.minAvailable, true);
  intOrPercent(out, ["spec", "maxUnavailable"], spec.maxUnavailable, true);
  labelSelector(out, ["spec", "selector"], spec.selector);
}

export function validateAutoscalerSpec(out: Violations, spec: Json): void {
  const min = num(spec.minReplicas);
  // Scaling to zero needs the HPAScaleToZero feature gate, off by default.
  if (min !== undefined && min < 1)
    out.add(["spec", "minReplicas"], `must be greater than or equal to 1, got ${min}`);
  positive(out, ["spec", "maxReplicas"], spec.maxReplicas);
  const max = num(spec.maxReplicas);
  if (max !== undefined && max < (min ?? 1)) {
    out.add(
      ["spec", "maxReplicas"],
      `must be greater than or equal to minReplicas (${min ?? 1}), got ${max}`,
    );
  }
}
