import { record, text } from "../shape.ts";
import { defineRule } from "../types.ts";
import { describe, isDatabase, mountsExclusiveClaim } from "./helpers.ts";

export const hpaMissing = defineRule({
  id: "hpa-missing",
  title: "A stateless web tier is scaled by a HorizontalPodAutoscaler",
  severity: "warning",
  category: "scaling",
  targets: "workloads",
  explain: `What breaks: a fixed replica count is sized for yesterday's traffic. A campaign, a crawler or a
front-page link multiplies requests, the pods saturate their CPU, latency climbs and requests time out —
while the cluster has idle capacity nobody asks for.

Why: the seed (HPA): "traffic in production is not controllable; one event can bring a flood, and 3
replicas may not hold". It adds an HPA (kubectl autoscale --cpu-percent=20 --min=3 --max=6), and under
Fortio load the Deployment grows to 6 pods, shrinking back about 5 minutes after the load stops.

Fix: add an autoscaling/v2 HorizontalPodAutoscaler for the Deployment: minReplicas 3, maxReplicas 6 (or
what load tests show), a CPU Utilization target, and a scale-down stabilizationWindowSeconds; the pods
need cpu requests (see hpa-without-requests). Reported for Deployments that take outside traffic — behind
an Ingress/IngressRoute or a NodePort/LoadBalancer Service — and are not databases; internal services are
left alone, and so are pods that mount a ReadWriteOnce claim (or one not in the input): their replicas
cannot run on several nodes, so an autoscaler could not add capacity (see rwo-volume-shared).`,
  check(subject, index) {
    const w = index.workloadOf(subject);
    if (w?.kind !== "Deployment" || w.hpas.length > 0 || w.trafficServices.length === 0) return [];
    if (w.replicas === 0 || isDatabase(w) || mountsExclusiveClaim(w, index)) return [];
    // A web tier takes outside traffic: routed by an Ingress, or exposed as NodePort/LoadBalancer.
    const exposed = w.trafficServices.find(
      (s) =>
        index.routedBy(s).length > 0 ||
        ["NodePort", "LoadBalancer"].includes(text(record(s.object.spec).type) ?? ""),
    );
    if (!exposed) return [];
    return [
      {
        message: `${describe(subject)} serves ${describe(exposed)} with a fixed replica count and no HorizontalPodAutoscaler: a traffic peak saturates it`,
        fix: `Add an autoscaling/v2 HorizontalPodAutoscaler with scaleTargetRef {apiVersion: apps/v1, kind: Deployment, name: ${w.name}}, minReplicas: 3, maxReplicas: 6 and a cpu Utilization target.`,
        path: ["metadata", "name"],
      },
    ];
  },
});
