// The scheduler says when each request SHOULD go; it never sends anything. Latency is then
// measured from that intended time, so a server that stalls is charged for every request it
// delayed, not just the one it was serving (coordinated omission, as wrk2 and Fortio correct it).
import { type ScheduleShare, shareCount, WHOLE } from "./split.ts";

export interface Schedule {
  /** "open": fixed rate, requests due at planned times; "closed": the next one goes when one finishes. */
  readonly model: "open" | "closed";
  /**
   * Takes connection `conn`'s next request: its due time in ms after the start, or -1 when the
   * run has none left for it. The closed model hands out "now" while requests remain.
   */
  take(conn: number, nowMs: number): number;
  /** True once no request may be sent any more (the duration, plus any catch-up, has run out). */
  lapsed(nowMs: number): boolean;
  /** How many requests the run plans in all (undefined: as many as fit in the duration). */
  readonly planned: number | undefined;
  /** The span (ms from the start) over which requests are due, when the schedule fixes it. */
  readonly spanMs: number | undefined;
  /**
   * Connection `conn`'s requests after the `sent` it sent that were due before `untilMs`: the ones
   * the run planned but never sent, as an arithmetic series of due times (none in the closed model,
   * which plans no times).
   */
  unsentDue(conn: number, sent: number, untilMs: number): DueSeries;
}

/** `count` due times: firstMs, firstMs + stepMs, … */
export interface DueSeries {
  firstMs: number;
  stepMs: number;
  count: number;
}

/**
 * An open-model request due inside the duration may still go this long after the duration ends
 * (a timer fired late, the server lagged); later than that it counts as not sent.
 */
export const CATCH_UP_MS = 1000;

export interface ScheduleBounds {
  durationMs: number | undefined;
  count: number | undefined;
}

/**
 * Open model: `qps` requests per second spread evenly over `connections`. Request number g
 * (counting over all connections) is due at g / qps seconds and goes on connection g mod C, so
 * the connections interleave: with 8 connections at 1000 qps each sends every 8 ms, 1 ms apart.
 * With a `share` of a run split over workers (split.ts), the numbering is the whole run's: this run
 * sends only its share's requests, at the times they have in the whole run, numbered locally
 * m = 0, 1, … (request index + m·of overall) and spread over its connections the same way.
 */
export function openSchedule(
  qps: number,
  connections: number,
  bounds: ScheduleBounds,
  share: ScheduleShare = WHOLE,
): Schedule {
  if (!(qps > 0)) throw new RangeError("open schedule needs qps > 0");
  const intervalMs = 1000 / qps;
  const taken = new Array<number>(connections).fill(0);
  const { durationMs, count } = bounds;
  const inDuration = durationMs === undefined ? Number.POSITIVE_INFINITY : Math.ceil(durationMs / intervalMs);
  const whole = Math.min(count ?? Number.POSITIVE_INFINITY, inDuration);
  const planned = shareCount(whole, share);
  const dueOf = (m: number) => (share.index + m * share.of) * intervalMs;
  return {
    model: "open",
    planned: Number.isFinite(planned) ? planned : undefined,
    // the whole run's span: every share's last second then has the same length
    spanMs: Number.isFinite(whole) ? whole * intervalMs : undefined,
    take(conn) {
      const m = conn + taken[conn]! * connections;
      if (m >= planned) return -1;
      taken[conn]! += 1;
      return dueOf(m);
    },
    lapsed: (nowMs) => durationMs !== undefined && nowMs >= durationMs + CATCH_UP_MS,
    unsentDue(conn, sent, untilMs) {
      // its k-th request is number conn + k·C locally; the first it did not send is k = sent
      const first = conn + sent * connections;
      // local numbers due before untilMs: of the whole run's numbers below it, this share's
      const end = shareCount(Math.min(whole, Math.ceil(untilMs / intervalMs)), share);
      const count = first < end ? Math.ceil((end - first) / connections) : 0;
      return { firstMs: dueOf(first), stepMs: connections * share.of * intervalMs, count };
    },
  };
}

/** Closed model: every connection sends its next request as soon as the previous one is done. */
export function closedSchedule(bounds: ScheduleBounds): Schedule {
  const { durationMs, count } = bounds;
  let issued = 0;
  const lapsed = (nowMs: number) => durationMs !== undefined && nowMs >= durationMs;
  return {
    model: "closed",
    planned: count,
    spanMs: count === undefined ? durationMs : undefined,
    take(_conn, nowMs) {
      if ((count !== undefined && issued >= count) || lapsed(nowMs)) return -1;
      issued += 1;
      return nowMs;
    },
    lapsed,
    unsentDue: () => ({ firstMs: 0, stepMs: 0, count: 0 }),
  };
}
