import type { Container } from "kubernetes-types/core/v1.js";
import { tryParseQuantity } from "../../k8s/quantity.ts";
import { defaultedRequests } from "../facts/qos.ts";
import type { Path } from "../object-index.ts";
import { int, list, record, text } from "../shape.ts";
import { defineRule } from "../types.ts";
import { containerName, describe } from "./helpers.ts";

interface UtilizationTarget {
  resource: string;
  /** Only this container's request matters (ContainerResource metrics); all containers otherwise. */
  container?: string;
  path: Path;
}

/** Resource metrics that HPA computes as a percentage of the pods' requests. */
function utilizationTargets(hpa: Record<string, unknown>, apiVersion: string): UtilizationTarget[] {
  const spec = record(hpa.spec);
  if (apiVersion === "autoscaling/v1") {
    // v1 defaults to an 80% CPU target when none is given.
    const path =
      spec.targetCPUUtilizationPercentage !== undefined
        ? ["spec", "targetCPUUtilizationPercentage"]
        : ["spec"];
    return [{ resource: "cpu", path }];
  }
  const metrics = list(spec.metrics);
  // v2 without metrics also defaults to 80% average CPU utilization.
  if (metrics.length === 0) return [{ resource: "cpu", path: ["spec"] }];
  const out: UtilizationTarget[] = [];
  metrics.forEach((metric, i) => {
    const type = text(metric.type);
    const source = record(type === "ContainerResource" ? metric.containerResource : metric.resource);
    if (type !== "Resource" && type !== "ContainerResource") return;
    const name = text(source.name);
    // v2/v2beta2: target.type Utilization; v2beta1: targetAverageUtilization.
    const utilization =
      text(record(source.target).type) === "Utilization" ||
      int(source.targetAverageUtilization) !== undefined;
    if (!name || !utilization) return;
    const container = type === "ContainerResource" ? text(source.container) : undefined;
    out.push({ resource: name, ...(container ? { container } : {}), path: ["spec", "metrics", i] });
  });
  return out;
}

function requests(container: Container, resource: string): boolean {
  const value = tryParseQuantity(
    defaultedRequests(container.resources)[resource] as string | number | undefined,
  );
  return value !== undefined && value > 0;
}

export const hpaWithoutRequests = defineRule({
  id: "hpa-without-requests",
  title: "Pods scaled on CPU/memory utilization declare those requests",
  severity: "warning",
  category: "scaling",
  targets: { kinds: ["HorizontalPodAutoscaler"] },
  explain: `What breaks: a Utilization target is a percentage of the pods' resource requests. If any container
of the target pods has no request for that resource, the HPA cannot compute utilization at all: it reports
FailedGetResourceMetric ("missing request for cpu") and never scales — the autoscaler silently does
nothing during exactly the peak it was added for.

Why: the seed's HPA (--cpu-percent=20) only works because its WordPress pods request cpu: 200m; 20% means
40m per pod on average. An HPA without metrics defaults to 80% CPU utilization, which needs the same.

Fix: set resources.requests.cpu (and memory, if you scale on memory) on every container of the target
pods, sidecars included — or use an AverageValue target, which needs no requests.`,
  check(subject, index) {
    if (subject.object.kind !== "HorizontalPodAutoscaler") return [];
    const w = index.hpaTarget(subject);
    if (!w) return [];
    const sidecars = w.initContainers.filter((c) => c.restartPolicy === "Always");
    const containers = [...w.containers, ...sidecars];
    return utilizationTargets(subject.object, subject.object.apiVersion).flatMap((target) => {
      const missing = containers
        .filter((c) => target.container === undefined || c.name === target.container)
        .filter((c) => !requests(c, target.resource));
      if (missing.length === 0) return [];
      const names = missing.map((c) => `"${containerName(c)}"`).join(", ");
      return [
        {
          message: `${describe(subject)} scales ${describe(w.source)} on ${target.resource} utilization, but container ${names} requests no ${target.resource}: the HPA cannot compute utilization and will not scale`,
          fix: `Set resources.requests.${target.resource} on ${names} (every container of the pod), or use an AverageValue target.`,
          path: target.path,
        },
      ];
    });
  },
});
