// Service-level thresholds a run must hold, written as k6 writes its thresholds and Fortio its
// percentiles: `success>=99.9%,p99<500ms`. A broken one is named with what was measured, so
// `load`, `verify` and `deploy --verify` can gate a pipeline (exit 1) the way a canary analysis
// would, and `size` judges each of its steps. One grammar and one checker for all of them.
import { InputError } from "../errors.ts";
import { totalErrors } from "./failure.ts";
import type { LatencySummary, LoadResult } from "./result.ts";

const LATENCY = {
  p50: "p50",
  p75: "p75",
  p90: "p90",
  p95: "p95",
  p99: "p99",
  "p99.9": "p999",
  max: "max",
  mean: "mean",
} as const;
type LatencyMetric = keyof typeof LATENCY;
export type SloMetric = "success" | "errors" | "qps" | LatencyMetric;
type Op = "<" | "<=" | ">" | ">=";

export interface SloThreshold {
  /** As written: "p99<500ms". */
  text: string;
  metric: SloMetric;
  op: Op;
  /** Percent for success and errors, ms for latencies, requests per second for qps — or, for
   * `qps>=95%`, percent of the target rate (an open-model run that fell behind was not served at
   * the rate asked for). */
  value: number;
  /** qps written with %: a share of the target rate, not requests per second. */
  ofTarget?: true;
}

/** What a threshold is checked against: a load result, or the load of a verify run. */
export interface SloInput {
  calls: number;
  /** Calls answered ≥ 400 or not answered (connect, timeout, reset, other). */
  failed: number;
  latencyMs?: LatencySummary;
  qps?: number;
  /** The rate asked for (0 or absent: as fast as possible, so no share of it is measured). */
  targetQps?: number;
}

/** Calls answered with a status ≥ 400 or not answered at all. */
export function failedCalls(result: Pick<LoadResult, "codes" | "errors">): number {
  const bad = Object.entries(result.codes).reduce(
    (n, [code, count]) => n + (Number(code) >= 400 ? count : 0),
    0,
  );
  return bad + totalErrors(result.errors);
}

export function sloInput(result: LoadResult): SloInput {
  return {
    calls: result.calls,
    failed: failedCalls(result),
    latencyMs: result.latencyMs,
    qps: result.qps,
    targetQps: result.targetQps,
  };
}

export interface SloCheck {
  threshold: SloThreshold;
  /** Undefined when the run did not measure it (no latency from a run that never connected). */
  actual: number | undefined;
  ok: boolean;
}

const TIME_UNITS: Record<string, number> = { ms: 1, s: 1000 };

function bad(text: string, why: string, field: string): InputError {
  return new InputError(`"${text}": ${why} (e.g. 'success>=99.9%,p99<500ms')`, { field });
}

export function parseSlo(text: string, field = "--slo"): SloThreshold[] {
  const parts = text.split(",").map((p) => p.trim());
  if (parts.some((p) => p === "")) throw bad(text, "an empty threshold", field);
  return parts.map((part) => {
    const match = /^([a-z0-9.]+)\s*(<=|>=|<|>)\s*(\d+(?:\.\d+)?)\s*(%|ms|s)?$/.exec(part);
    if (!match) throw bad(part, "expects METRIC OP VALUE", field);
    const [, name, op, number, unit] = match as unknown as [string, string, Op, string, string | undefined];
    const value = Number(number);
    if (name === "success" || name === "errors") {
      if (unit !== "%") throw bad(part, `${name} is a percentage: write it with %`, field);
      if (value > 100) throw bad(part, "a percentage above 100", field);
      return { text: part, metric: name, op, value };
    }
    if (name in LATENCY) {
      if (unit !== "ms" && unit !== "s")
        throw bad(part, `${name} is a latency: write it with ms or s`, field);
      return { text: part, metric: name as LatencyMetric, op, value: value * TIME_UNITS[unit]! };
    }
    if (name === "qps") {
      if (unit === "%") return { text: part, metric: "qps", op, value, ofTarget: true };
      if (unit !== undefined) throw bad(part, "qps is requests per second, or N% of the target rate", field);
      return { text: part, metric: "qps", op, value };
    }
    throw bad(part, `unknown metric "${name}" (success, errors, p50…p99.9, max, mean, qps)`, field);
  });
}

/** A latency threshold's field in the load result's summary: "p99.9" → "p999". */
export function latencyField(metric: SloMetric): keyof LatencySummary | undefined {
  return metric in LATENCY ? LATENCY[metric as LatencyMetric] : undefined;
}

function measured(threshold: SloThreshold, input: SloInput): number | undefined {
  const { metric } = threshold;
  if (metric === "success" || metric === "errors") {
    if (input.calls === 0) return undefined;
    const errors = (100 * input.failed) / input.calls;
    return metric === "errors" ? errors : 100 - errors;
  }
  if (metric === "qps") {
    if (!threshold.ofTarget) return input.qps;
    return input.qps === undefined || !input.targetQps ? undefined : (100 * input.qps) / input.targetQps;
  }
  return input.latencyMs?.[LATENCY[metric]];
}

const HOLDS: Record<Op, (a: number, b: number) => boolean> = {
  "<": (a, b) => a < b,
  "<=": (a, b) => a <= b,
  ">": (a, b) => a > b,
  ">=": (a, b) => a >= b,
};

/** Every threshold against the run; one not measured is broken (nothing proves it held). */
export function checkSlo(thresholds: readonly SloThreshold[], input: SloInput): SloCheck[] {
  return thresholds.map((threshold) => {
    const actual = measured(threshold, input);
    return { threshold, actual, ok: actual !== undefined && HOLDS[threshold.op](actual, threshold.value) };
  });
}

function shown(threshold: SloThreshold, value: number | undefined): string {
  const { metric } = threshold;
  if (value === undefined) return "not measured";
  if (metric === "success" || metric === "errors") return `${Number(value.toFixed(3))}%`;
  if (metric === "qps")
    return threshold.ofTarget ? `${Number(value.toFixed(1))}% of the target` : value.toFixed(1);
  return `${Number(value.toFixed(2))}ms`;
}

/** "SLO: success 99.95% (success>=99.9%) held; p99 612ms (p99<500ms) BROKEN". */
export function sloLine(checks: readonly SloCheck[]): string {
  const each = checks.map(
    ({ threshold, actual, ok }) =>
      `${threshold.metric} ${shown(threshold, actual)} (${threshold.text}) ${ok ? "held" : "BROKEN"}`,
  );
  return `SLO: ${each.join("; ")}`;
}

/** Each broken threshold with what was measured: "p99<500ms (measured 612ms)". */
export function brokenThresholds(checks: readonly SloCheck[]): string[] {
  return checks
    .filter((c) => !c.ok)
    .map((c) => `${c.threshold.text} (measured ${shown(c.threshold, c.actual)})`);
}

/** The one-line reason a run fails its SLO, or undefined when every threshold held. */
export function sloBroken(checks: readonly SloCheck[]): string | undefined {
  const broken = brokenThresholds(checks);
  return broken.length ? `SLO broken: ${broken.join(", ")}` : undefined;
}

/** A share of the target rate means nothing for a run at full speed: refused before it starts. */
export function requireTargetRate(
  thresholds: readonly SloThreshold[],
  targetQps: number,
  field = "--slo",
): void {
  const share = thresholds.find((t) => t.ofTarget);
  if (share && !(targetQps > 0))
    throw new InputError(`"${share.text}" is a share of the target rate, and --qps 0 sets none`, { field });
}
