// What a load run found, as plain JSON-ready data: the numbers a summary prints, the timeline a
// chart draws, and each failed request with its time so `verify` can line failures up with pod events.
import type { ErrorCause, ErrorCounts, FailureEvent } from "./failure.ts";
import type { LatencyHistogram } from "./histogram.ts";
import type { TimelineSecond } from "./seconds-assembler.ts";

export interface LatencySummary {
  min: number;
  mean: number;
  p50: number;
  p75: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
  /** Standard deviation, from the histogram (to its precision). */
  stdDev: number;
}

/** `count` latencies in [fromMs, toMs]. */
export interface LatencyBin {
  fromMs: number;
  toMs: number;
  count: number;
}

export interface LoadResult {
  url: string;
  method: string;
  /** "open": fixed rate (`targetQps`); "closed": as fast as the connections go. */
  model: "open" | "closed";
  targetQps: number;
  connections: number;
  pipelining: number;
  /** Wall-clock time of the start (ISO 8601); every `…Ms` and `second` below counts from here. */
  startedAt: string;
  /** From the start to the last answer. */
  durationSeconds: number;
  /** Set when the run stopped because the client itself failed (out of file descriptors): the counts
   * say nothing about the server. */
  clientError?: string;
  /** Requests answered or failed. */
  calls: number;
  /** calls / durationSeconds. */
  qps: number;
  /**
   * Planned but never sent: the run fell behind its schedule, or was stopped. Those due before the
   * end are in `latencyMs`, as waiting from their due time until the end.
   */
  unsent: number;
  /** In flight when the run was stopped, and abandoned. */
  interrupted: number;
  /**
   * Sent a second time because the server closed a kept-alive connection before answering them
   * (as browsers do for idempotent methods); each is counted once, by its final outcome.
   */
  retried: number;
  stopped: boolean;
  /**
   * From each request's INTENDED send time to its answer (coordinated omission corrected), and for
   * requests due but never sent, until the end of the run; requests that never connected have none.
   */
  latencyMs: LatencySummary;
  /** From each request's ACTUAL send to its answer: what an uncorrected tool reports. */
  serviceTimeMs: LatencySummary;
  codes: Record<string, number>;
  errors: ErrorCounts;
  /** The errors by cause (ECONNREFUSED, EPROTO, REQUEST_TIMEOUT…), the most frequent first. */
  errorCauses: ErrorCause[];
  /** Failed requests (errors, and statuses >= 400), in order of completion, at most the cap kept. */
  failures: FailureEvent[];
  failuresDropped: number;
  /** Sockets opened: `connections` when keep-alive held, more when connections were re-made. */
  sockets: number;
  bytes: { sent: number; received: number };
  /** The latency curve: percentile → ms. */
  percentiles: { percentile: number; ms: number }[];
  /** Latency distribution in log-spaced bins (ms). */
  histogram: LatencyBin[];
  /** The corrected latency of the failed requests alone (errors that reached a server, statuses >= 400). */
  failureLatencyMs: LatencySummary;
  failureHistogram: LatencyBin[];
  timeline: TimelineSecond[];
  /** Set when the run was split over worker pods (`--workers`): each one, and what became of it. */
  workers?: WorkerSummary[];
}

/**
 * One worker of a split run. "ran": it ran its share to the end; "stopped": it was stopped early with
 * the run (Ctrl-C); "died": it ended before its share was done (its seconds until then are counted);
 * "never-started": it never ran (its share was not sent).
 */
export type WorkerState = "ran" | "stopped" | "died" | "never-started";

export interface WorkerSummary {
  /** The pod's name. */
  name: string;
  index: number;
  state: WorkerState;
  /** Why it died or never started, in the cluster's words. */
  detail?: string;
  calls: number;
}

const CURVE = [0, 10, 20, 30, 40, 50, 60, 70, 75, 80, 90, 95, 97.5, 99, 99.5, 99.9, 99.95, 99.99, 100];

/** The standard deviation of what `h` holds, each bucket taken at its middle (within min and max), in µs. */
function stdDevOf(h: LatencyHistogram): number {
  if (h.total === 0) return 0;
  const mean = h.mean();
  let squares = 0;
  for (const [low, high, count] of h.buckets())
    squares += count * ((Math.max(low, h.min) + high) / 2 - mean) ** 2;
  return Math.sqrt(squares / h.total);
}

export function summarizeLatency(h: LatencyHistogram): LatencySummary {
  const ms = (us: number) => us / 1000;
  const [p50, p75, p90, p95, p99, p999] = h.percentiles([50, 75, 90, 95, 99, 99.9]).map(ms);
  return {
    min: ms(h.total === 0 ? 0 : h.min),
    mean: ms(h.mean()),
    p50: p50!,
    p75: p75!,
    p90: p90!,
    p95: p95!,
    p99: p99!,
    p999: p999!,
    max: ms(h.max),
    stdDev: ms(stdDevOf(h)),
  };
}

export function percentileCurve(h: LatencyHistogram): LoadResult["percentiles"] {
  if (h.total === 0) return [];
  const values = h.percentiles(CURVE);
  return CURVE.map((percentile, i) => ({ percentile, ms: values[i]! / 1000 }));
}

/** Re-bins the histogram into about `bins` log-spaced bins between its min and max. */
export function latencyBins(h: LatencyHistogram, bins = 40): LatencyBin[] {
  if (h.total === 0) return [];
  const low = Math.max(1, h.min);
  const high = Math.max(low + 1, h.max);
  const step = Math.log(high / low) / bins;
  const out = Array.from({ length: bins }, (_, i) => ({
    fromMs: (low * Math.exp(step * i)) / 1000,
    toMs: (low * Math.exp(step * (i + 1))) / 1000,
    count: 0,
  }));
  for (const [from, , count] of h.buckets()) {
    const i = Math.min(bins - 1, Math.max(0, Math.floor(Math.log(Math.max(from, low) / low) / step)));
    out[i]!.count += count;
  }
  return out;
}
