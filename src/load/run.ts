// startLoad: the library face of `shipshape load`. It wires the scheduler, one Connection per
// socket and one recorder per connection, announces each finished second as it happens, and merges
// the per-connection recorders into a LoadResult at the end.
import { SocketMeter } from "./client.ts";
import { Connection } from "./connection.ts";
import { addErrors, ErrorCauses, noErrors, totalErrors } from "./failure.ts";
import { LatencyHistogram } from "./histogram.ts";
import { type LoadOptions, type ResolvedLoadOptions, resolveLoadOptions } from "./options.ts";
import { ConnectionRecorder, FailureLog } from "./recorder.ts";
import { type LoadResult, latencyBins, percentileCurve, summarizeLatency } from "./result.ts";
import { closedSchedule, type DueSeries, openSchedule } from "./schedule.ts";
import { SecondsAssembler, type TimelineSecond } from "./seconds-assembler.ts";
import { batchWindowMs, SendClock } from "./send-clock.ts";
import { WindowStats } from "./window.ts";

/** A snapshot while the run goes: cheap enough to take several times a second. */
export interface LoadProgress {
  elapsedMs: number;
  /** Requests answered or failed so far. */
  calls: number;
  errors: number;
  /** Responses with status >= 400 so far. */
  badStatus: number;
  /** qps over the last finished second (0 until one has finished). */
  lastSecondQps: number;
}

export interface LoadRun {
  readonly options: ResolvedLoadOptions;
  /** Wall-clock start (ms since the epoch); timeline seconds and failure times count from here. */
  readonly startedAt: number;
  /** Called once per second of the run, in order, as soon as that second is final. */
  onSecond(listener: (second: TimelineSecond) => void): void;
  progress(): LoadProgress;
  /** Sends nothing more; in-flight requests get up to `graceMs` (default 1 s) to finish. */
  stop(graceMs?: number): void;
  /** Settles when the run is over (its bound reached, or stopped) with everything measured. */
  result(): Promise<LoadResult>;
}

/** Groups per connection when charging requests never sent: enough for the histogram's 3 digits. */
const UNSENT_GROUPS = 1000;

/**
 * Requests planned but never sent still waited, from their due time at least until the run gave up
 * on them (its end, or the stop): a server that stalls at the end must not shorten the tail by
 * leaving them unsent. Each is charged that wait in the corrected latency, in groups recorded at
 * their middle due time.
 */
function chargeUnsent(latency: LatencyHistogram, due: DueSeries, endMs: number): void {
  const groups = Math.min(due.count, UNSENT_GROUPS);
  for (let g = 0; g < groups; g++) {
    const from = Math.floor((g * due.count) / groups);
    const to = Math.floor(((g + 1) * due.count) / groups);
    const middleMs = due.firstMs + ((from + to - 1) / 2) * due.stepMs;
    latency.record((endMs - middleMs) * 1000, to - from);
  }
}

/** How long past --duration requests in flight may still finish. */
const DURATION_GRACE_MS = 1000;

/** Starts a load run now. Throws InputError (synchronously) for options that fail the guard rails. */
export function startLoad(input: LoadOptions): LoadRun {
  const options = resolveLoadOptions(input);
  const bounds = { durationMs: options.durationMs, count: options.count };
  const schedule =
    options.qps > 0 ? openSchedule(options.qps, options.connections, bounds) : closedSchedule(bounds);
  const timeline = new SecondsAssembler(options.connections);
  const failures = new FailureLog(options.maxFailureEvents);
  const sockets = new SocketMeter();
  const t0 = performance.now();
  const startedAt = performance.timeOrigin + t0;
  const now = () => performance.now() - t0;
  const clock = new SendClock(now, batchWindowMs(options.qps, options.connections));
  const recorders = Array.from(
    { length: options.connections },
    (_, i) => new ConnectionRecorder(i, timeline, failures),
  );
  const connections = recorders.map(
    (recorder, i) => new Connection(i, options, schedule, clock, recorder, sockets, now, onClientLimit),
  );
  let stopped = false;
  let clientError: string | undefined;
  // Out of file descriptors: every further request would fail before reaching the server, and count as
  // the server's connect errors. The run stops and says it was the client.
  function onClientLimit(code: string): void {
    if (clientError) return;
    clientError = `the client ran out of file descriptors (${code}): raise the limit (ulimit -n) or use fewer connections`;
    run.stop(0);
  }
  /** When stop() was called: requests due later were never going to be sent. */
  let stoppedAtMs: number | undefined;
  let graceTimer: NodeJS.Timeout | undefined;
  // --duration is a hard bound: requests still in flight a grace after it are abandoned, not waited
  // out for their whole timeout.
  const hardStop =
    options.durationMs === undefined
      ? undefined
      : setTimeout(() => {
          for (const c of connections) void c.abandon();
        }, options.durationMs + DURATION_GRACE_MS);

  const finished = (async () => {
    await Promise.all(connections.map((c) => c.finished));
    const runMs = now();
    clock.stop();
    if (graceTimer) clearTimeout(graceTimer);
    if (hardStop) clearTimeout(hardStop);
    await Promise.all(connections.map((c) => c.close().catch(() => {})));
    // the last second's qps is scaled to the part of it that was scheduled (or ran, if stopped)
    timeline.finish(stopped ? runMs : (schedule.spanMs ?? runMs));
    return buildResult(runMs);
  })();

  function buildResult(runMs: number): LoadResult {
    const total = new WindowStats(11);
    const service = new LatencyHistogram(11);
    const failed = new LatencyHistogram(11);
    const causes = new ErrorCauses();
    for (const r of recorders) {
      r.flush();
      total.merge(r.total);
      service.merge(r.service);
      failed.merge(r.failed);
      causes.merge(r.causes);
    }
    const gaveUpMs = stoppedAtMs ?? runMs;
    for (const [i, c] of connections.entries()) {
      chargeUnsent(total.latency, schedule.unsentDue(i, c.sent, gaveUpMs), gaveUpMs);
    }
    const sent = connections.reduce((n, c) => n + c.sent, 0);
    const durationSeconds = runMs / 1000;
    return {
      url: options.url.href,
      method: options.method,
      model: schedule.model,
      targetQps: options.qps,
      connections: options.connections,
      pipelining: options.pipelining,
      startedAt: new Date(startedAt).toISOString(),
      durationSeconds,
      calls: total.calls,
      qps: durationSeconds > 0 ? total.calls / durationSeconds : 0,
      unsent: schedule.planned === undefined ? 0 : Math.max(0, schedule.planned - sent),
      interrupted: connections.reduce((n, c) => n + c.interrupted, 0),
      retried: connections.reduce((n, c) => n + c.retried, 0),
      stopped,
      ...(clientError ? { clientError } : {}),
      latencyMs: summarizeLatency(total.latency),
      serviceTimeMs: summarizeLatency(service),
      codes: total.codesObject(),
      errors: { ...total.errors },
      errorCauses: causes.list(),
      failures: failures.events,
      failuresDropped: failures.dropped,
      sockets: sockets.opened,
      bytes: sockets.bytes(),
      percentiles: percentileCurve(total.latency),
      histogram: latencyBins(total.latency),
      failureLatencyMs: summarizeLatency(failed),
      failureHistogram: latencyBins(failed),
      timeline: timeline.seconds,
    };
  }

  for (const c of connections) c.start();

  const run: LoadRun = {
    options,
    startedAt,
    onSecond: (listener) => timeline.onSecond(listener),
    progress() {
      let calls = 0;
      let badStatus = 0;
      const errors = noErrors();
      for (const r of recorders) {
        r.flush();
        calls += r.total.calls;
        addErrors(errors, r.total.errors);
        for (const [status, n] of r.total.codes) if (status >= 400) badStatus += n;
      }
      const last = timeline.seconds.at(-1);
      return {
        elapsedMs: now(),
        calls,
        errors: totalErrors(errors),
        badStatus,
        lastSecondQps: last?.qps ?? 0,
      };
    },
    stop(graceMs = 1000) {
      if (stopped) return;
      stopped = true;
      stoppedAtMs = now();
      clock.stop();
      for (const c of connections) c.stop();
      graceTimer = setTimeout(() => {
        for (const c of connections) void c.abandon();
      }, graceMs);
      graceTimer.unref();
    },
    result: () => finished,
  };
  return run;
}
