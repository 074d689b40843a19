// What a run counted, in mergeable form: the whole-run window and histograms, the causes, the failed
// requests kept, and the counters. A local run builds one and turns it into its LoadResult; a run
// split over workers merges theirs first (workers/), so both results come from the same code.
import { ErrorCauses, type FailureEvent } from "./failure.ts";
import { LatencyHistogram } from "./histogram.ts";
import { type LoadResult, latencyBins, percentileCurve, summarizeLatency } from "./result.ts";
import type { TimelineSecond } from "./seconds-assembler.ts";
import { WindowStats } from "./window.ts";

/** Precision of the whole-run histograms: 3 significant digits. */
export const RUN_SUB_BITS = 11;

export interface RunTally {
  /** Every call; its latency from the intended send time, unsent and abandoned requests charged. */
  total: WindowStats;
  /** From the actual send. */
  service: LatencyHistogram;
  /** The corrected latency of the failed requests alone. */
  failed: LatencyHistogram;
  causes: ErrorCauses;
  failures: FailureEvent[];
  failuresDropped: number;
  /** Requests put on the wire, and those planned but never sent. */
  sent: number;
  unsent: number;
  interrupted: number;
  retried: number;
  sockets: number;
  bytes: { sent: number; received: number };
  /** From the start to the last answer (ms). */
  runMs: number;
  stopped: boolean;
  clientError?: string;
}

export function emptyTally(): RunTally {
  return {
    total: new WindowStats(RUN_SUB_BITS),
    service: new LatencyHistogram(RUN_SUB_BITS),
    failed: new LatencyHistogram(RUN_SUB_BITS),
    causes: new ErrorCauses(),
    failures: [],
    failuresDropped: 0,
    sent: 0,
    unsent: 0,
    interrupted: 0,
    retried: 0,
    sockets: 0,
    bytes: { sent: 0, received: 0 },
    runMs: 0,
    stopped: false,
  };
}

/**
 * Adds `from` into `into`. The failed requests stay in time order and at most `maxFailures` are kept
 * (the earliest, as one run keeps them); the rest are counted as dropped. The run lasted as long as
 * its longest part.
 */
export function mergeTally(into: RunTally, from: RunTally, maxFailures: number): void {
  into.total.merge(from.total);
  into.service.merge(from.service);
  into.failed.merge(from.failed);
  into.causes.merge(from.causes);
  const failures = [...into.failures, ...from.failures].sort((a, b) => a.atMs - b.atMs);
  into.failuresDropped += from.failuresDropped + Math.max(0, failures.length - maxFailures);
  into.failures = failures.slice(0, maxFailures);
  into.sent += from.sent;
  into.unsent += from.unsent;
  into.interrupted += from.interrupted;
  into.retried += from.retried;
  into.sockets += from.sockets;
  into.bytes = {
    sent: into.bytes.sent + from.bytes.sent,
    received: into.bytes.received + from.bytes.received,
  };
  into.runMs = Math.max(into.runMs, from.runMs);
  into.stopped ||= from.stopped;
  if (from.clientError) into.clientError ??= from.clientError;
}

/** What the result says the run was asked to do. */
export interface RunIdentity {
  url: string;
  method: string;
  model: "open" | "closed";
  targetQps: number;
  connections: number;
  pipelining: number;
  /** Wall-clock start, ms since the epoch. */
  startedAt: number;
}

export function loadResultOf(run: RunIdentity, tally: RunTally, timeline: TimelineSecond[]): LoadResult {
  const { total } = tally;
  const durationSeconds = tally.runMs / 1000;
  return {
    url: run.url,
    method: run.method,
    model: run.model,
    targetQps: run.targetQps,
    connections: run.connections,
    pipelining: run.pipelining,
    startedAt: new Date(run.startedAt).toISOString(),
    durationSeconds,
    calls: total.calls,
    qps: durationSeconds > 0 ? total.calls / durationSeconds : 0,
    unsent: tally.unsent,
    interrupted: tally.interrupted,
    retried: tally.retried,
    stopped: tally.stopped,
    ...(tally.clientError ? { clientError: tally.clientError } : {}),
    latencyMs: summarizeLatency(total.latency),
    serviceTimeMs: summarizeLatency(tally.service),
    codes: total.codesObject(),
    errors: { ...total.errors },
    errorCauses: tally.causes.list(),
    failures: tally.failures,
    failuresDropped: tally.failuresDropped,
    sockets: tally.sockets,
    bytes: tally.bytes,
    percentiles: percentileCurve(total.latency),
    histogram: latencyBins(total.latency),
    failureLatencyMs: summarizeLatency(tally.failed),
    failureHistogram: latencyBins(tally.failed),
    timeline,
  };
}
