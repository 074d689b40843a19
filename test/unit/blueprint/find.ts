// Lookups over synthesized objects, typed with the kubernetes-types interface of the kind asked for, and
// the setting combinations that change the shape of the output.
import type { Deployment, StatefulSet } from "kubernetes-types/apps/v1.js";
import type { HorizontalPodAutoscaler } from "kubernetes-types/autoscaling/v2.js";
import type { Container, PodSpec } from "kubernetes-types/core/v1.js";
import type { WordPressProps } from "../../../src/blueprint/blueprints/wordpress.ts";
import type { KubeObject } from "../../../src/k8s/object.ts";

export function find<T = KubeObject>(objects: readonly KubeObject[], kind: string, name?: string): T {
  const found = objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (!found) throw new Error(`no ${kind} ${name ?? ""} in ${objects.map((o) => o.kind).join(", ")}`);
  return found as unknown as T;
}

export const deployment = (objects: readonly KubeObject[]) =>
  find<Deployment>(objects, "Deployment", "wordpress");
export const statefulSet = (objects: readonly KubeObject[]) => find<StatefulSet>(objects, "StatefulSet");
export const hpa = (objects: readonly KubeObject[]) =>
  find<HorizontalPodAutoscaler>(objects, "HorizontalPodAutoscaler");

export function podSpec(workload: Deployment | StatefulSet): PodSpec {
  return workload.spec!.template.spec!;
}

export function container(workload: Deployment | StatefulSet): Container {
  return podSpec(workload).containers[0]!;
}
export function* combinations(): Generator<WordPressProps> {
  for (const antiAffinity of ["soft", "hard", "spread"] as const)
    for (const ingress of ["standard", "traefik", "none"] as const)
      for (const autoscale of [true, false])
        for (const flags of [{}, { liveness: true, nodePort: true, rook: true, withSecrets: true }])
          yield { antiAffinity, ingress, autoscale, ...flags };
}
