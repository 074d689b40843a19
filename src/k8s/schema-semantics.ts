// What the apiserver refuses beyond the OpenAPI schema, checked in code by its validation (names, enums,
// ranges, selectors): one table per kind of built-in object, each entry a check of its spec, and the
// metadata every object shares. Each rule here was confirmed against the pinned apiserver's strict
// server-side dry-run (test/integration/schema-oracle.test.ts).

import type { SchemaViolation } from "./schema.ts";
import { validateAutoscalerSpec, validateBudgetSpec } from "./schema-budgets.ts";
import { validateDataKeys } from "./schema-data-keys.ts";
import { validateIngressSpec } from "./schema-ingress.ts";
import { dns1123Label, dns1123Subdomain, pathSegmentName, qualifiedName } from "./schema-names.ts";
import { validatePodSpec } from "./schema-pod.ts";
import { validateServiceSpec } from "./schema-service.ts";
import { type Json, labelMap, obj, str, Violations } from "./schema-values.ts";
import { WORKLOAD_SPECS } from "./schema-workloads.ts";

type NameRule = (name: string) => string | undefined;

const atMost =
  (limit: number, why: string): NameRule =>
  (name) =>
    dns1123Subdomain(name) ??
    (name.length > limit ? `must be no more than ${limit} characters (${why})` : undefined);

/**
 * How each kind's name is validated. Kinds not listed are not checked: the apiserver is not uniform (a
 * PodDisruptionBudget's name is not validated at all, an RBAC name is a path segment).
 */
const NAME_RULES: Readonly<Record<string, NameRule>> = {
  Namespace: dns1123Label,
  StatefulSet: dns1123Label,
  Service: dns1123Label,
  Job: atMost(63, "its pods carry it as a label value"),
  CronJob: atMost(52, "its Jobs append an 11-character suffix"),
  Role: pathSegmentName,
  ClusterRole: pathSegmentName,
  RoleBinding: pathSegmentName,
  ClusterRoleBinding: pathSegmentName,
  ...Object.fromEntries(
    [
      "Pod",
      "Deployment",
      "ReplicaSet",
      "DaemonSet",
      "ReplicationController",
      "PodTemplate",
      "ConfigMap",
      "Secret",
      "ServiceAccount",
      "PersistentVolumeClaim",
      "PersistentVolume",
      "HorizontalPodAutoscaler",
      "Ingress",
      "IngressClass",
      "NetworkPolicy",
      "StorageClass",
      "PriorityClass",
      "LimitRange",
      "ResourceQuota",
    ].map((kind) => [kind, dns1123Subdomain]),
  ),
};

type SpecCheck = (out: Violations, spec: Json, kind: string) => void;

const SPEC_CHECKS: Readonly<Record<string, SpecCheck>> = {
  ...WORKLOAD_SPECS,
  Pod: (out, spec, kind) => validatePodSpec(out, ["spec"], spec, { restart: "any", kind }),
  Service: (out, spec) => validateServiceSpec(out, spec),
  PodDisruptionBudget: (out, spec) => validateBudgetSpec(out, spec),
  HorizontalPodAutoscaler: (out, spec) => validateAutoscalerSpec(out, spec),
  Ingress: (out, spec) => validateIngressSpec(out, spec),
};

/**
 * Kinds whose data maps hold keys that become file names, grouped as the maps a key may not repeat across:
 * a Secret's stringData is merged over its data, so one key in both is fine.
 */
const DATA_MAPS: Readonly<Record<string, readonly (readonly string[])[]>> = {
  ConfigMap: [["data", "binaryData"]],
  Secret: [["data"], ["stringData"]],
};

/** The violations of a built-in object the apiserver would refuse in its validation code. */
export function semanticViolations(object: Json, kind: string): SchemaViolation[] {
  const out = new Violations();
  metadata(out, object, kind);
  const spec = obj(object.spec);
  const check = Object.hasOwn(SPEC_CHECKS, kind) ? SPEC_CHECKS[kind] : undefined;
  if (spec && check) check(out, spec, kind);
  if (Object.hasOwn(DATA_MAPS, kind)) {
    for (const maps of DATA_MAPS[kind]!) validateDataKeys(out, object, maps);
  }
  if (kind === "PodTemplate") {
    const template = obj(object.template);
    labelMap(out, ["template", "metadata", "labels"], obj(template?.metadata)?.labels);
    validatePodSpec(out, ["template", "spec"], template?.spec, { restart: "any", kind });
  }
  return out.list;
}

function metadata(out: Violations, object: Json, kind: string): void {
  const meta = obj(object.metadata);
  if (!meta) return;
  const name = str(meta.name);
  const rule = Object.hasOwn(NAME_RULES, kind) ? NAME_RULES[kind] : undefined;
  const badName = name && rule ? rule(name) : undefined;
  if (badName) out.add(["metadata", "name"], `${JSON.stringify(name)} ${badName}`);
  const namespace = str(meta.namespace);
  const badNamespace = namespace ? dns1123Label(namespace) : undefined;
  if (badNamespace) out.add(["metadata", "namespace"], `${JSON.stringify(namespace)} ${badNamespace}`);
  labelMap(out, ["metadata", "labels"], meta.labels);
  // Annotation keys are qualified names compared in lower case; their values are free text.
  for (const key of Object.keys(obj(meta.annotations) ?? {})) {
    const bad = qualifiedName(key.toLowerCase());
    if (bad) out.add(["metadata", "annotations", key], `annotation key ${JSON.stringify(key)}: ${bad}`);
  }
}
