// How many pods a PodDisruptionBudget lets the Eviction API take at once, as the disruption controller
// computes `status.disruptionsAllowed` when all `replicas` pods are healthy:
// - maxUnavailable (int or %, a percentage rounds UP): desiredHealthy = replicas - maxUnavailable;
// - minAvailable (int, or % of replicas rounding UP): desiredHealthy = minAvailable;
// - maxUnavailable wins when both are set; policy/v1beta1 defaults an empty budget to minAvailable 1,
//   policy/v1 leaves it empty (nothing is protected).
// disruptionsAllowed = max(0, healthy - desiredHealthy). Zero means `kubectl drain` waits forever.

export interface DisruptionBudget {
  minAvailable?: number | string;
  maxUnavailable?: number | string;
}

/** An int-or-percent scaled against `total` (intstr.GetScaledValueFromIntOrPercent); undefined if malformed. */
export function scaledValue(value: number | string, total: number, roundUp: boolean): number | undefined {
  if (typeof value === "number") return Number.isInteger(value) ? value : undefined;
  const match = /^(\d+)%$/.exec(value);
  if (!match) return undefined;
  const scaled = (Number(match[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/** The number of pods that must stay healthy; undefined when the budget is malformed. */
export function desiredHealthy(
  budget: DisruptionBudget,
  replicas: number,
  apiVersion = "policy/v1",
): number | undefined {
  if (budget.maxUnavailable !== undefined && budget.maxUnavailable !== null) {
    const maxUnavailable = scaledValue(budget.maxUnavailable, replicas, true);
    return maxUnavailable === undefined ? undefined : Math.max(0, replicas - maxUnavailable);
  }
  if (budget.minAvailable !== undefined && budget.minAvailable !== null) {
    return scaledValue(budget.minAvailable, replicas, true);
  }
  return apiVersion === "policy/v1beta1" ? 1 : 0;
}

/** `status.disruptionsAllowed` with `replicas` healthy pods; undefined when the budget is malformed. */
export function allowedDisruptions(
  budget: DisruptionBudget,
  replicas: number,
  apiVersion = "policy/v1",
): number | undefined {
  const desired = desiredHealthy(budget, replicas, apiVersion);
  return desired === undefined ? undefined : Math.max(0, replicas - desired);
}
