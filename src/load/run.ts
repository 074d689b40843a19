// startLoad: the library face of `shipshape load`. It wires the scheduler, one Connection per
// socket and one recorder per connection, announces each finished second as it happens, and merges
// the per-connection recorders into a LoadResult at the end.
import { SocketMeter } from "./client.ts";
import { Connection } from "./connection.ts";
import { addErrors, noErrors, totalErrors } from "./failure.ts";
import type { LatencyHistogram } from "./histogram.ts";
import { type LoadOptions, type ResolvedLoadOptions, resolveLoadOptions } from "./options.ts";
import { ConnectionRecorder, FailureLog } from "./recorder.ts";
import type { LoadResult } from "./result.ts";
import { closedSchedule, type DueSeries, openSchedule } from "./schedule.ts";
import { type SecondListener, SecondsAssembler } from "./seconds-assembler.ts";
import { batchWindowMs, SendClock } from "./send-clock.ts";
import { shareCount } from "./split.ts";
import { emptyTally, loadResultOf, type RunTally } from "./tally.ts";

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

/** A run under way, here or on worker pods (workers/): what progress, a stop and the result need. */
export interface RunningLoad {
  /** Wall-clock start (ms since the epoch); timeline seconds and failure times count from here. */
  readonly startedAt: number;
  progress(): LoadProgress;
  /** Sends nothing more; in-flight requests get up to `graceMs` (default 1 s) to finish. */
  stop(graceMs?: number): void;
  /** Settles when the run is over (its bound reached, or stopped) with everything measured. */
  result(): Promise<LoadResult>;
}

export interface LoadRun extends RunningLoad {
  readonly options: ResolvedLoadOptions;
  /** Called once per second of the run, in order, as soon as that second is final. */
  onSecond(listener: SecondListener): void;
  /** The same, in mergeable form (what a worker of a split run sends back). */
  tally(): Promise<RunTally>;
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

/**
 * Starts a load run now, or at `startAt`. Throws InputError (synchronously) for options that fail
 * the guard rails.
 */
export function startLoad(input: LoadOptions): LoadRun {
  const options = resolveLoadOptions(input);
  const { share } = options;
  const schedule =
    options.qps > 0
      ? openSchedule(options.qps, options.connections, options, share)
      : closedSchedule({
          durationMs: options.durationMs,
          count: options.count === undefined ? undefined : shareCount(options.count, share),
        });
  const timeline = new SecondsAssembler(options.connections);
  const failures = new FailureLog(options.maxFailureEvents);
  const sockets = new SocketMeter();
  // the clock's zero: now, or the common start of a split run (until then now() is negative)
  const t0 = options.startAt === undefined ? performance.now() : options.startAt - performance.timeOrigin;
  const startInMs = Math.max(0, -(performance.now() - t0));
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
      : setTimeout(
          () => {
            for (const c of connections) void c.abandon();
          },
          startInMs + options.durationMs + DURATION_GRACE_MS,
        );

  const finished = (async () => {
    await Promise.all(connections.map((c) => c.finished));
    const runMs = Math.max(0, now());
    clock.stop();
    if (graceTimer) clearTimeout(graceTimer);
    if (hardStop) clearTimeout(hardStop);
    await Promise.all(connections.map((c) => c.close().catch(() => {})));
    // the last second's qps is scaled to the part of it that was scheduled (or ran, if stopped)
    timeline.finish(stopped ? runMs : (schedule.spanMs ?? runMs));
    const tally = tallyOf(runMs);
    const identity = {
      url: options.url.href,
      method: options.method,
      model: schedule.model,
      targetQps: options.qps,
      connections: options.connections,
      pipelining: options.pipelining,
      startedAt,
    };
    return { tally, result: loadResultOf(identity, tally, timeline.seconds) };
  })();

  function tallyOf(runMs: number): RunTally {
    const tally = emptyTally();
    for (const r of recorders) {
      r.flush();
      tally.total.merge(r.total);
      tally.service.merge(r.service);
      tally.failed.merge(r.failed);
      tally.causes.merge(r.causes);
    }
    const gaveUpMs = stoppedAtMs ?? runMs;
    for (const [i, c] of connections.entries()) {
      chargeUnsent(tally.total.latency, schedule.unsentDue(i, c.sent, gaveUpMs), gaveUpMs);
    }
    tally.sent = connections.reduce((n, c) => n + c.sent, 0);
    tally.unsent = schedule.planned === undefined ? 0 : Math.max(0, schedule.planned - tally.sent);
    tally.interrupted = connections.reduce((n, c) => n + c.interrupted, 0);
    tally.retried = connections.reduce((n, c) => n + c.retried, 0);
    tally.failures = failures.events;
    tally.failuresDropped = failures.dropped;
    tally.sockets = sockets.opened;
    tally.bytes = sockets.bytes();
    tally.runMs = runMs;
    tally.stopped = stopped;
    if (clientError) tally.clientError = clientError;
    return tally;
  }

  const begin = () => {
    for (const c of connections) c.start();
  };
  const startTimer = startInMs > 0 ? setTimeout(begin, startInMs) : undefined;
  if (!startTimer) begin();

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
      stoppedAtMs = Math.max(0, now());
      // stopped before the start: the connections' stop() below winds them down, nothing sent
      if (startTimer) clearTimeout(startTimer);
      clock.stop();
      for (const c of connections) c.stop();
      graceTimer = setTimeout(() => {
        for (const c of connections) void c.abandon();
      }, graceMs);
      graceTimer.unref();
    },
    result: () => finished.then((f) => f.result),
    tally: () => finished.then((f) => f.tally),
  };
  return run;
}
