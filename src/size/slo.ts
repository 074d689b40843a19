// The service level a step must meet: a latency percentile bound, an error budget, and the rate
// asked for actually reached (an open-model run that fell behind was not served at that rate).
import { InputError } from "../errors.ts";
import { parseDuration } from "../load/options.ts";
import type { LatencySummary } from "../load/result.ts";

export type LatencyPercentile = "p50" | "p90" | "p95" | "p99" | "p999";

export interface Slo {
  percentile: LatencyPercentile;
  latencyMs: number;
  /** The largest share of failed requests (errors and HTTP >= 400), 0..1. */
  errorRatio: number;
  /** The least share of the target qps the step must reach, 0..1. */
  minQpsRatio: number;
}

export interface SloVerdict {
  met: boolean;
  /** Why not, one line per broken bound; empty when met. */
  broken: string[];
}

export const DEFAULT_SLO: Slo = { percentile: "p99", latencyMs: 500, errorRatio: 0.01, minQpsRatio: 0.95 };

const PERCENTILES: LatencyPercentile[] = ["p50", "p90", "p95", "p99", "p999"];

function ratio(text: string, term: string): number {
  const match = /^(\d+(?:\.\d+)?)%$/.exec(text);
  if (!match) throw new InputError(`"${term}": expects a percentage like 1%`, { field: "--slo" });
  return Number(match[1]) / 100;
}

/** "p99<=500ms,errors<=1%,qps>=95%": every term optional, the rest from DEFAULT_SLO. */
export function parseSlo(text: string): Slo {
  const slo = { ...DEFAULT_SLO };
  for (const term of text.split(",").map((t) => t.trim())) {
    const match = /^([a-z0-9]+)\s*(<=|>=|<|>|=)\s*(.+)$/.exec(term);
    if (!match)
      throw new InputError(`"${term}": expects e.g. p99<=500ms, errors<=1% or qps>=95%`, { field: "--slo" });
    const [, key, , value] = match as unknown as [string, string, string, string];
    if ((PERCENTILES as string[]).includes(key)) {
      slo.percentile = key as LatencyPercentile;
      slo.latencyMs = parseDuration(value, "--slo");
    } else if (key === "errors") slo.errorRatio = ratio(value, term);
    else if (key === "qps") slo.minQpsRatio = ratio(value, term);
    else
      throw new InputError(`"${term}": unknown bound ${key} (know ${PERCENTILES.join(", ")}, errors, qps)`, {
        field: "--slo",
      });
  }
  return slo;
}

export function describeSlo(slo: Slo): string {
  const pct = (r: number) => `${Number((r * 100).toPrecision(3))}%`;
  return `${slo.percentile} <= ${slo.latencyMs} ms, errors <= ${pct(slo.errorRatio)}, qps >= ${pct(slo.minQpsRatio)} of target`;
}

export function judgeStep(
  slo: Slo,
  step: { targetQps: number; achievedQps: number; errorRatio: number; latencyMs: LatencySummary },
): SloVerdict {
  const broken: string[] = [];
  const latency = step.latencyMs[slo.percentile];
  if (latency > slo.latencyMs)
    broken.push(`${slo.percentile} ${latency.toFixed(1)} ms > ${slo.latencyMs} ms`);
  if (step.errorRatio > slo.errorRatio)
    broken.push(`errors ${(step.errorRatio * 100).toFixed(2)}% > ${(slo.errorRatio * 100).toFixed(2)}%`);
  if (step.achievedQps < step.targetQps * slo.minQpsRatio)
    broken.push(`reached ${step.achievedQps.toFixed(1)} of ${step.targetQps} qps`);
  return { met: broken.length === 0, broken };
}
