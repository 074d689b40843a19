// The pod-bearing kinds as the apiserver validates them in code (pkg/apis/apps/validation,
// pkg/apis/batch/validation): the selector must be non-empty and select the template's labels, the update
// strategy must be one the controller knows, counts must not be negative, and the pod template is a pod spec
// with the restart policy the kind allows.

import { type PodContext, type RestartRule, validatePodSpec } from "./schema-pod.ts";
import {
  type At,
  intOrPercent,
  items,
  type Json,
  labelMap,
  labelSelector,
  nonNegative,
  num,
  obj,
  oneOf,
  str,
  type Violations,
} from "./schema-values.ts";
import { matchesSelector } from "./selector.ts";

const DEPLOYMENT_STRATEGIES = ["Recreate", "RollingUpdate"] as const;
const UPDATE_STRATEGIES = ["RollingUpdate", "OnDelete"] as const;
const POD_MANAGEMENT = ["OrderedReady", "Parallel"] as const;
const CONCURRENCY = ["Allow", "Forbid", "Replace"] as const;

type SpecCheck = (out: Violations, spec: Json, kind: string) => void;

/** Kind → what its spec must satisfy beyond the schema. */
export const WORKLOAD_SPECS: Readonly<Record<string, SpecCheck>> = {
  Deployment: (out, spec, kind) => {
    replicated(out, spec, kind, "always");
    deploymentStrategy(out, ["spec", "strategy"], spec.strategy);
    nonNegative(out, ["spec", "revisionHistoryLimit"], spec.revisionHistoryLimit);
    const deadline = num(spec.progressDeadlineSeconds);
    if (deadline !== undefined && deadline <= (num(spec.minReadySeconds) ?? 0)) {
      out.add(["spec", "progressDeadlineSeconds"], `must be greater than minReadySeconds, got ${deadline}`);
    }
  },
  ReplicaSet: (out, spec, kind) => replicated(out, spec, kind, "always"),
  StatefulSet: (out, spec, kind) => {
    const claims = items(spec.volumeClaimTemplates)
      .map((claim) => str(obj(obj(claim)?.metadata)?.name))
      .filter((name) => name !== undefined);
    replicated(out, spec, kind, "always", claims);
    oneOf(out, ["spec", "podManagementPolicy"], spec.podManagementPolicy, POD_MANAGEMENT);
    statefulSetStrategy(out, ["spec", "updateStrategy"], spec.updateStrategy);
  },
  DaemonSet: (out, spec, kind) => {
    replicated(out, spec, kind, "always");
    daemonSetStrategy(out, ["spec", "updateStrategy"], spec.updateStrategy);
  },
  ReplicationController: (out, spec, kind) => {
    nonNegative(out, ["spec", "replicas"], spec.replicas);
    const template = obj(spec.template);
    labelMap(out, ["spec", "template", "metadata", "labels"], obj(template?.metadata)?.labels);
    validatePodSpec(out, ["spec", "template", "spec"], template?.spec, { restart: "always", kind });
  },
  Job: (out, spec, kind) => jobSpec(out, ["spec"], spec, kind),
  CronJob: (out, spec, kind) => {
    oneOf(out, ["spec", "concurrencyPolicy"], spec.concurrencyPolicy, CONCURRENCY);
    nonNegative(out, ["spec", "startingDeadlineSeconds"], spec.startingDeadlineSeconds);
    nonNegative(out, ["spec", "successfulJobsHistoryLimit"], spec.successfulJobsHistoryLimit);
    nonNegative(out, ["spec", "failedJobsHistoryLimit"], spec.failedJobsHistoryLimit);
    const job = obj(spec.jobTemplate);
    labelMap(out, ["spec", "jobTemplate", "metadata", "labels"], obj(job?.metadata)?.labels);
    const jobSpecValue = obj(job?.spec);
    if (jobSpecValue) jobSpec(out, ["spec", "jobTemplate", "spec"], jobSpecValue, kind);
  },
};

/** The common part of Deployment, ReplicaSet, StatefulSet and DaemonSet: counts, selector, template. */
function replicated(
  out: Violations,
  spec: Json,
  kind: string,
  restart: RestartRule,
  extraVolumes?: string[],
) {
  nonNegative(out, ["spec", "replicas"], spec.replicas);
  nonNegative(out, ["spec", "minReadySeconds"], spec.minReadySeconds);
  const selector = obj(spec.selector);
  const template = obj(spec.template);
  const rawLabels = obj(template?.metadata)?.labels;
  const labels = obj(rawLabels);
  // Labels of the wrong type are the schema's finding; whether they match cannot be said.
  if (selector && (rawLabels === undefined || labels)) {
    labelSelector(out, ["spec", "selector"], selector);
    const terms =
      Object.keys(obj(selector.matchLabels) ?? {}).length + items(selector.matchExpressions).length;
    if (terms === 0)
      out.add(["spec", "selector"], `must not be empty: an empty selector is invalid for a ${kind}`);
    else if (!matchesSelector(selector, labels as Record<string, string> | undefined)) {
      out.add(
        ["spec", "template", "metadata", "labels"],
        "must match spec.selector: the selector does not select the template's labels",
      );
    }
  }
  labelMap(out, ["spec", "template", "metadata", "labels"], labels);
  const context: PodContext = { restart, kind, extraVolumes };
  validatePodSpec(out, ["spec", "template", "spec"], template?.spec, context);
}

/** An update strategy's type (RollingUpdate when unset, as defaulted), checked, and its rollingUpdate. */
function strategyOf(out: Violations, at: At, value: unknown, types: readonly string[]) {
  const strategy = obj(value);
  if (!strategy) return undefined;
  const type = str(strategy.type) ?? "RollingUpdate";
  oneOf(out, [...at, "type"], type, types);
  return { type, rolling: obj(strategy.rollingUpdate) };
}

/** ValidateDeploymentStrategy, with the defaults the apiserver fills in first (25% surge and unavailable). */
function deploymentStrategy(out: Violations, at: At, value: unknown): void {
  const { type, rolling } = strategyOf(out, at, value, DEPLOYMENT_STRATEGIES) ?? {};
  if (type === "Recreate" && rolling) {
    out.add([...at, "rollingUpdate"], "may not be set when strategy type is Recreate");
  }
  if (type !== "RollingUpdate" || !rolling) return;
  const surge = intOrPercent(out, [...at, "rollingUpdate", "maxSurge"], rolling.maxSurge ?? "25%", false);
  const unavailable = intOrPercent(
    out,
    [...at, "rollingUpdate", "maxUnavailable"],
    rolling.maxUnavailable ?? "25%",
    true,
  );
  if (surge === 0 && unavailable === 0) {
    out.add(
      [...at, "rollingUpdate", "maxUnavailable"],
      "may not be 0 when maxSurge is 0: the rollout could never progress",
    );
  }
}

function statefulSetStrategy(out: Violations, at: At, value: unknown): void {
  const { type, rolling } = strategyOf(out, at, value, UPDATE_STRATEGIES) ?? {};
  if (!rolling) return;
  if (type === "OnDelete") {
    out.add([...at, "rollingUpdate"], "may only be set when updateStrategy type is RollingUpdate");
    return;
  }
  // maxUnavailable is not checked: the pinned apiserver with its default feature gates accepts even 0.
  nonNegative(out, [...at, "rollingUpdate", "partition"], rolling.partition);
}

/** ValidateDaemonSetUpdateStrategy, after the defaults (maxUnavailable 1, maxSurge 0): exactly one non-zero. */
function daemonSetStrategy(out: Violations, at: At, value: unknown): void {
  const { type, rolling } = strategyOf(out, at, value, UPDATE_STRATEGIES) ?? {};
  if (type !== "RollingUpdate" || !rolling) return;
  const here = [...at, "rollingUpdate"];
  const unavailable = intOrPercent(out, [...here, "maxUnavailable"], rolling.maxUnavailable ?? 1, true);
  const surge = intOrPercent(out, [...here, "maxSurge"], rolling.maxSurge ?? 0, true);
  if (unavailable === undefined || surge === undefined) return;
  if (unavailable !== 0 && surge !== 0) {
    out.add(
      [...here, "maxSurge"],
      `may not be set when maxUnavailable is non-zero${rolling.maxUnavailable === undefined ? " (it defaults to 1)" : ""}`,
    );
  } else if (unavailable === 0 && surge === 0) {
    out.add([...here, "maxUnavailable"], "may not be 0 when maxSurge is 0");
  }
}

/** ValidateJobSpec: non-negative counts, and a pod template that restarts OnFailure or Never. */
function jobSpec(out: Violations, at: At, spec: Json, kind: string): void {
  for (const count of ["parallelism", "completions", "backoffLimit", "activeDeadlineSeconds"] as const) {
    nonNegative(out, [...at, count], spec[count]);
  }
  const template = obj(spec.template);
  const labels = obj(obj(template?.metadata)?.labels);
  labelMap(out, [...at, "template", "metadata", "labels"], labels);
  validatePodSpec(out, [...at, "template", "spec"], template?.spec, { restart: "job", kind });
}
