// The service level a step must meet, in the one --slo grammar (src/load/slo.ts): a latency bound, an
// error budget, and the rate asked for actually reached (`qps>=95%`: an open-model run that fell
// behind was not served at that rate). What the user leaves out comes from size's defaults.
import type { LatencySummary } from "../load/result.ts";
import { brokenThresholds, checkSlo, latencyField, parseSlo, type SloThreshold } from "../load/slo.ts";

/** The latency bound the CPU recommendation keeps requests within (see cpuFloor). */
export type LatencyPercentile = "p50" | "p75" | "p90" | "p95" | "p99" | "p999";
export interface LatencyBound {
  percentile: LatencyPercentile;
  latencyMs: number;
}

export interface SloVerdict {
  met: boolean;
  /** Why not, one line per broken threshold ("p99<=500ms (measured 612ms)"); empty when met. */
  broken: string[];
}

export const DEFAULT_SLO_TEXT = "p99<=500ms,errors<=1%,qps>=95%";
export const DEFAULT_SLO: SloThreshold[] = parseSlo(DEFAULT_SLO_TEXT);

/** What a threshold bounds: a given one replaces the default of the same kind. */
function kind(threshold: SloThreshold): "latency" | "failures" | "rate" {
  if (threshold.metric === "qps") return "rate";
  return threshold.metric === "success" || threshold.metric === "errors" ? "failures" : "latency";
}

/** --slo for size: "p95<=250ms" keeps the default error budget and rate, and so on. */
export function sizeSlo(text: string | undefined): SloThreshold[] {
  if (text === undefined) return DEFAULT_SLO;
  const given = parseSlo(text);
  const kinds = new Set(given.map(kind));
  return [...DEFAULT_SLO.filter((t) => !kinds.has(kind(t))), ...given];
}

/** The first percentile upper bound (`p99<=500ms`); none when the SLO bounds only max or mean. */
export function latencyBound(slo: readonly SloThreshold[]): LatencyBound | undefined {
  for (const t of slo) {
    const field = latencyField(t.metric);
    if (field && field !== "max" && field !== "mean" && (t.op === "<" || t.op === "<="))
      return { percentile: field as LatencyPercentile, latencyMs: t.value };
  }
  return undefined;
}

export function describeSlo(slo: readonly SloThreshold[]): string {
  return slo.map((t) => (t.ofTarget ? `${t.text} of the target rate` : t.text)).join(", ");
}

export function judgeStep(
  slo: readonly SloThreshold[],
  step: { targetQps: number; achievedQps: number; calls: number; failed: number; latencyMs: LatencySummary },
): SloVerdict {
  const checks = checkSlo(slo, {
    calls: step.calls,
    failed: step.failed,
    latencyMs: step.latencyMs,
    qps: step.achievedQps,
    targetQps: step.targetQps,
  });
  const broken = brokenThresholds(checks);
  return { met: broken.length === 0, broken };
}
