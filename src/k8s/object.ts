// The shape every Kubernetes object shares; kinds are narrowed with the interfaces of `kubernetes-types`.
import type { ObjectMeta } from "kubernetes-types/meta/v1.js";

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** "Deployment kube-example/wordpress" — how an object is named in messages. */
export function describeObject(object: Pick<KubeObject, "kind" | "metadata">): string {
  const { namespace, name } = object.metadata ?? {};
  return `${asText(object.kind)} ${namespace ? `${asText(namespace)}/` : ""}${name == null ? "(unnamed)" : asText(name)}`;
}

/** A field of unchecked input as text: a mapping where a name belongs (`name: {toString: false}`)
 * cannot be put in a template string, it has no usable toString. */
function asText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}
