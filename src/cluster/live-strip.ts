// A live object as the rules should see it: what its author wrote, without the fields the server
// sets. managedFields, status and the server's bookkeeping go; spec.replicas of a workload an HPA
// scales goes (the HPA wrote it, and hpa-replicas-conflict is about manifests); Secret values are
// never held, only their keys.
import type { KubeObject } from "../k8s/object.ts";

const SERVER_METADATA = [
  "managedFields",
  "resourceVersion",
  "uid",
  "generation",
  "creationTimestamp",
  "selfLink",
];
const SERVER_ANNOTATIONS = [
  "kubectl.kubernetes.io/last-applied-configuration",
  "deployment.kubernetes.io/revision",
];

/** A copy of `object` without server-set fields; `hpaScaled` says an HPA owns its spec.replicas. */
export function stripServerFields(object: KubeObject, hpaScaled = false): KubeObject {
  const { status: _status, ...rest } = object;
  const metadata: Record<string, unknown> = { ...object.metadata };
  for (const field of SERVER_METADATA) delete metadata[field];
  const annotations = { ...(object.metadata.annotations ?? {}) };
  for (const key of SERVER_ANNOTATIONS) delete annotations[key];
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  else delete metadata.annotations;
  const stripped: KubeObject = { ...rest, metadata };
  if (hpaScaled && isRecord(object.spec)) {
    const { replicas: _replicas, ...spec } = object.spec;
    stripped.spec = spec;
  }
  if (object.kind === "Secret" && isRecord(object.data))
    stripped.data = Object.fromEntries(Object.keys(object.data).map((key) => [key, ""]));
  return stripped;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
