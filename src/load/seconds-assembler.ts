// The per-second timeline, assembled live. Requests are placed in the second they were DUE
// (their intended send time), so a stall shows up in the seconds it hurt. Each connection hands
// over a second once it has moved past it; a second is final — and announced — once every
// connection has. A stalled connection therefore delays the announcement, never falsifies it.
import type { ErrorCounts } from "./failure.ts";
import { WindowStats } from "./window.ts";

/** One second of a run. Latencies in ms, measured from the intended send time. */
export interface TimelineSecond {
  /** Seconds after the start: this entry covers [second, second + 1). */
  second: number;
  calls: number;
  /** Calls per second (the last, partial second is scaled to its length). */
  qps: number;
  codes: Record<string, number>;
  errors: ErrorCounts;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Precision of the per-second histograms: about 2 significant digits is plenty for a chart. */
export const SECOND_SUB_BITS = 8;

export class SecondsAssembler {
  readonly seconds: TimelineSecond[] = [];
  private readonly passed: Float64Array;
  private readonly pending = new Map<number, WindowStats>();
  private readonly listeners: SecondListener[] = [];
  private lastWithData = -1;

  constructor(connections: number) {
    this.passed = new Float64Array(connections);
  }

  onSecond(listener: SecondListener): void {
    this.listeners.push(listener);
  }

  /** Connection adds its counts for `second` (it may hand over the same second more than once). */
  handOver(second: number, stats: WindowStats): void {
    let into = this.pending.get(second);
    if (!into) {
      into = new WindowStats(SECOND_SUB_BITS);
      this.pending.set(second, into);
    }
    into.merge(stats);
    if (second > this.lastWithData) this.lastWithData = second;
  }

  /** Connection `conn` will record nothing more before `second` (Infinity: it is done). */
  advance(conn: number, second: number): void {
    const before = this.passed[conn]!;
    if (second <= before) return;
    this.passed[conn] = second;
    let low = Number.POSITIVE_INFINITY;
    for (const s of this.passed) if (s < low) low = s;
    // every connection finished: the run's end (finish) emits the rest, with the right length
    if (low === Number.POSITIVE_INFINITY) return;
    while (this.seconds.length < low) this.emit(1);
  }

  /** The run is over; requests were due until `endMs`: announce every second still open. */
  finish(endMs: number): void {
    while (this.seconds.length <= this.lastWithData) {
      const s = this.seconds.length;
      this.emit(secondWidth(s, endMs));
    }
  }

  private emit(widthSeconds: number): void {
    const second = this.seconds.length;
    const stats = this.pending.get(second) ?? new WindowStats(SECOND_SUB_BITS);
    this.pending.delete(second);
    const entry = timelineSecond(second, stats, widthSeconds);
    this.seconds.push(entry);
    for (const listener of this.listeners) listener(entry, stats, widthSeconds);
  }
}

/** Told each second once it is final: its summary, its counts (which a worker streams on) and how much of it the run covered. */
export type SecondListener = (second: TimelineSecond, stats: WindowStats, widthSeconds: number) => void;

/** How much of second `second` a run whose requests were due until `endMs` covers (the last is partial). */
export function secondWidth(second: number, endMs: number): number {
  return Math.min(1, Math.max(0.001, endMs / 1000 - second));
}

/** The timeline entry of one second's counts, `widthSeconds` of it covered. */
export function timelineSecond(second: number, stats: WindowStats, widthSeconds: number): TimelineSecond {
  const [p50, p99] = stats.latency.percentiles([50, 99]);
  return {
    second,
    calls: stats.calls,
    qps: stats.calls / widthSeconds,
    codes: stats.codesObject(),
    errors: { ...stats.errors },
    p50Ms: p50! / 1000,
    p99Ms: p99! / 1000,
    maxMs: stats.latency.max / 1000,
  };
}
