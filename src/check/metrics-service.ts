// A Service that only exposes metrics (a Prometheus scrape target) sends the pods no user traffic:
// a single replica behind it, or a missing readiness probe, drops no request.
import type { SourceObject } from "../manifest/types.ts";
import { list, record, text } from "./shape.ts";

// Port names by convention: metrics, http-metrics, prometheus, exporter, monitoring.
const METRICS_NAME = /(^|[-_.])(metrics?|prometheus|prom|exporter|monitoring)($|[-_.])/i;
const SERVICE_NAME = /[-_](metrics|exporter|monitoring)$/i;

/** Whether every port of the Service is a metrics port (or the Service is named as a metrics endpoint). */
export function exposesOnlyMetrics(service: SourceObject): boolean {
  const ports = list(record(service.object.spec).ports);
  if (ports.length === 0) return false;
  if (SERVICE_NAME.test(text(record(service.object.metadata).name) ?? "")) return true;
  return ports.every((port) => {
    const target = text(port.targetPort);
    return METRICS_NAME.test(text(port.name) ?? "") || (target !== undefined && METRICS_NAME.test(target));
  });
}
