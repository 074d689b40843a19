// Records one connection's requests: its own whole-run window (3 significant digits), the service
// time (from the ACTUAL send, i.e. what an uncorrected tool would report), and the open seconds it
// hands to the timeline once it has moved past them. Nothing here is shared between connections
// except the bounded failure log.
//
// A passing answer (the common case) is only written down as it comes — four numbers in a reused
// array — and counted into the histograms in bulk (flush): at a fixed rate the answers arrive a
// few per wake-up, into cold caches and code not yet optimised, where three histogram updates
// and two map updates per answer cost more than the bulk loop that does them for hundreds.
import { classifyError, ErrorCauses, errorCode, type FailureEvent } from "./failure.ts";
import { LatencyHistogram } from "./histogram.ts";
import { SECOND_SUB_BITS, type SecondsAssembler } from "./seconds-assembler.ts";
import { WindowStats } from "./window.ts";

/** The failed requests kept one by one, first come first kept, up to a cap; the rest are counted. */
export class FailureLog {
  readonly events: FailureEvent[] = [];
  dropped = 0;
  readonly cap: number;
  constructor(cap: number) {
    this.cap = cap;
  }

  add(event: FailureEvent): void {
    if (this.events.length < this.cap) this.events.push(event);
    else this.dropped += 1;
  }
}

/** Passing answers held before they are counted (8 kB a connection; ~4 s of answers at 1000 qps on 16). */
const HELD = 256;
/** Numbers kept per held answer: due, sent, end (ms), status. */
const FIELDS = 4;

export class ConnectionRecorder {
  readonly total = new WindowStats(11);
  readonly service = new LatencyHistogram(11);
  /** The corrected latency of the failed requests (errors and statuses >= 400) alone. */
  readonly failed = new LatencyHistogram(11);
  readonly causes = new ErrorCauses();
  private readonly open = new Map<number, WindowStats>();
  private readonly spare: WindowStats[] = [];
  private passed = 0;
  private readonly conn: number;
  private readonly timeline: SecondsAssembler;
  private readonly failures: FailureLog;
  private readonly held = new Float64Array(HELD * FIELDS);
  private heldCount = 0;

  constructor(conn: number, timeline: SecondsAssembler, failures: FailureLog) {
    this.conn = conn;
    this.timeline = timeline;
    this.failures = failures;
  }

  /**
   * One finished request. Times in ms after the start: `dueMs` intended, `sentMs` actual send,
   * `endMs` response complete (or error). Latency counts from the earlier of due and sent: a late
   * send is charged to the server's backlog (corrected), an early one never shortens the wait.
   * A request that never connected reached no server: it counts as an error, with no latency.
   */
  record(dueMs: number, sentMs: number, endMs: number, status: number, error: unknown): void {
    if (error === undefined && status < 400) {
      const at = this.heldCount * FIELDS;
      this.held[at] = dueMs;
      this.held[at + 1] = sentMs;
      this.held[at + 2] = endMs;
      this.held[at + 3] = status;
      if (++this.heldCount === HELD) this.flush();
      return;
    }
    const fromMs = Math.min(sentMs, dueMs);
    const us = (endMs - fromMs) * 1000;
    const slot = this.slot(Math.floor(dueMs / 1000));
    if (error === undefined) {
      this.total.recordStatus(status, us);
      slot.recordStatus(status, us);
      this.failed.record(us);
      this.failures.add({ atMs: dueMs, latencyMs: us / 1000, kind: "status", status });
    } else {
      const kind = classifyError(error);
      const code = errorCode(error);
      const latency = kind === "connect" ? undefined : us;
      this.total.recordError(kind, latency);
      slot.recordError(kind, latency);
      this.causes.add(kind, code);
      this.failures.add({ atMs: dueMs, latencyMs: us / 1000, kind, detail: code });
      if (latency === undefined) return;
      this.failed.record(us);
    }
    this.service.record((endMs - sentMs) * 1000);
  }

  /** Counts the passing answers held so far (the totals and open seconds are then up to date). */
  flush(): void {
    const { held, heldCount } = this;
    this.heldCount = 0;
    let second = -1;
    let slot: WindowStats | undefined;
    for (let at = 0; at < heldCount * FIELDS; at += FIELDS) {
      const dueMs = held[at]!;
      const sentMs = held[at + 1]!;
      const endMs = held[at + 2]!;
      const status = held[at + 3]!;
      const us = (endMs - Math.min(sentMs, dueMs)) * 1000;
      const s = Math.floor(dueMs / 1000);
      if (s !== second || !slot) {
        second = s;
        slot = this.slot(s);
      }
      this.total.recordStatus(status, us);
      slot.recordStatus(status, us);
      this.service.record((endMs - sentMs) * 1000);
    }
  }

  /** A request dropped in flight at `endMs` (the run's end or stop): no call, but its wait from when it was
   * due counts in the corrected latency, as an unsent one's does. */
  abandoned(dueMs: number, endMs: number): void {
    this.total.latency.record((endMs - dueMs) * 1000);
  }

  /** Nothing more will be recorded as due before `ms` (Infinity: the connection is done). */
  advance(ms: number): void {
    const second = ms === Number.POSITIVE_INFINITY ? ms : Math.floor(ms / 1000);
    if (second <= this.passed) return;
    this.passed = second;
    this.flush();
    for (const [s, stats] of this.open) {
      if (s >= second) continue;
      this.timeline.handOver(s, stats);
      this.open.delete(s);
      stats.reset();
      this.spare.push(stats);
    }
    this.timeline.advance(this.conn, second);
  }

  private slot(second: number): WindowStats {
    let stats = this.open.get(second);
    if (!stats) {
      stats = this.spare.pop() ?? new WindowStats(SECOND_SUB_BITS);
      this.open.set(second, stats);
    }
    return stats;
  }
}
