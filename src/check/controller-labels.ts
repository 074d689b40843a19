// The labels a controller adds to the pods it creates, beyond those of the pod template: selectors in
// the input (a per-pod Service on statefulset.kubernetes.io/pod-name, a budget on pod-template-hash)
// match the running pods, so they must match here too.

/** Whether `kind`'s controller sets `key` to `value` on some pod of the workload named `name`.
 * Hash and uid values are computed in the cluster, so any value may match them. */
export function controllerSets(kind: string, name: string, key: string, value: string): boolean {
  switch (key) {
    case "pod-template-hash":
      return kind === "Deployment";
    case "controller-revision-hash":
      return kind === "StatefulSet" || kind === "DaemonSet";
    case "pod-template-generation":
      return kind === "DaemonSet";
    case "statefulset.kubernetes.io/pod-name":
      return (
        kind === "StatefulSet" && value.startsWith(`${name}-`) && isOrdinal(value.slice(name.length + 1))
      );
    case "apps.kubernetes.io/pod-index":
      return kind === "StatefulSet" && isOrdinal(value);
    case "job-name":
    case "batch.kubernetes.io/job-name":
      // A CronJob's Jobs are named <cronjob>-<scheduled time>; a Job's pods carry its own name.
      return kind === "Job" ? value === name : kind === "CronJob" && value.startsWith(`${name}-`);
    case "controller-uid":
    case "batch.kubernetes.io/controller-uid":
      return kind === "Job" || kind === "CronJob";
    case "batch.kubernetes.io/job-completion-index":
      return (kind === "Job" || kind === "CronJob") && isOrdinal(value);
    default:
      return false;
  }
}

/** Keys some controller sets: a selector on them cannot narrow the candidates by template labels. */
export const CONTROLLER_KEYS: ReadonlySet<string> = new Set([
  "pod-template-hash",
  "controller-revision-hash",
  "pod-template-generation",
  "statefulset.kubernetes.io/pod-name",
  "apps.kubernetes.io/pod-index",
  "job-name",
  "batch.kubernetes.io/job-name",
  "controller-uid",
  "batch.kubernetes.io/controller-uid",
  "batch.kubernetes.io/job-completion-index",
]);

function isOrdinal(text: string): boolean {
  return /^(0|[1-9]\d*)$/.test(text);
}
