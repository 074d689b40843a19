// The open model's one timer. Every connection waiting for its next request's due time waits on
// this clock instead of a timer of its own: a timer per connection wakes the process once per
// request, and at a fixed rate a wake-up (epoll, the timer list, the call into JS, the caches
// refilled after the switch) costs more than sending the request. The clock wakes once for every
// request due within its window (batchWindowMs): at 1000 qps on 16 connections the process wakes
// about 60 times a second to send instead of 1000, and the answers to a batch tend to arrive in
// one poll of the event loop.

/**
 * How long before its due time a request may go, at `qps` over `connections`: the first wake-up
 * within this window sends it. Sending early never shortens a measured latency (see
 * ConnectionRecorder.record) and keeps the rate exact per second; it groups sends, so a wake-up
 * serves many. The window is one connection's period (connections / qps), so each wake-up sends
 * once on every connection — Fortio's default pattern, which starts all its connections together:
 * at 1000 qps on 16 connections, 16 requests every 16 ms. It is at least 10 ms (high rates: a
 * wake-up per few requests would cost more than the requests) and at most 50 ms (low rates: the
 * server sees requests come no more than 50 ms ahead of their time).
 */
export function batchWindowMs(qps: number, connections: number): number {
  return Math.min(MAX_BATCH_MS, Math.max(MIN_BATCH_MS, (connections * 1000) / qps));
}

const MIN_BATCH_MS = 10;
const MAX_BATCH_MS = 50;

/**
 * Node timers fire on a whole-millisecond clock, up to about a millisecond late: the clock is set
 * this much before the earliest due time so that one is not sent late.
 */
const TIMER_SLACK_MS = 1;

/** Something that sends when its time comes: a connection's pump. */
export interface Waiter {
  wake(nowMs: number): void;
}

export class SendClock {
  // a binary min-heap of (due time, waiter), as two parallel arrays
  private readonly dues: number[] = [];
  private readonly waiters: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** When the armed timer is meant to fire (ms after the start). */
  private armedFor = Number.POSITIVE_INFINITY;
  private readonly now: () => number;
  /** A request goes at the first wake-up up to this long before its due time. */
  readonly batchMs: number;
  private stopped = false;
  /** Inside tick(): waiters asking for a time are only queued. */
  private ticking = false;

  constructor(now: () => number, batchMs: number) {
    this.now = now;
    this.batchMs = batchMs;
  }

  /** `waiter` wants to be woken once, at `dueMs` or up to batchMs before it. */
  at(dueMs: number, waiter: Waiter): void {
    if (this.stopped) return;
    this.push(dueMs, waiter);
    // the armed wake-up serves whatever is due up to batchMs after it; only an earlier due re-arms
    // (and a tick under way arms once, when it is done)
    if (!this.ticking && dueMs < this.armedFor) this.arm(dueMs);
  }

  /** Wakes no one any more (the run stopped or ended). */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.dues.length = 0;
    this.waiters.length = 0;
  }

  private arm(dueMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    const fireAt = dueMs - TIMER_SLACK_MS;
    this.armedFor = fireAt;
    this.timer = setTimeout(this.tick, Math.max(1, Math.round(fireAt - this.now())));
  }

  private readonly tick = (): void => {
    this.timer = undefined;
    this.armedFor = Number.POSITIVE_INFINITY;
    const now = this.now();
    this.ticking = true;
    // a waiter woken may ask again for a time inside this window: the loop serves it too
    while (this.dues.length > 0 && this.dues[0]! <= now + this.batchMs) this.pop().wake(now);
    this.ticking = false;
    if (this.dues.length > 0 && !this.stopped) this.arm(this.dues[0]!);
  };

  private push(due: number, waiter: Waiter): void {
    const { dues, waiters } = this;
    let i = dues.length;
    dues.push(due);
    waiters.push(waiter);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (dues[parent]! <= due) break;
      dues[i] = dues[parent]!;
      waiters[i] = waiters[parent]!;
      i = parent;
    }
    dues[i] = due;
    waiters[i] = waiter;
  }

  private pop(): Waiter {
    const { dues, waiters } = this;
    const top = waiters[0]!;
    const lastDue = dues.pop()!;
    const lastWaiter = waiters.pop()!;
    const n = dues.length;
    if (n === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && dues[right]! < dues[left]! ? right : left;
      if (dues[child]! >= lastDue) break;
      dues[i] = dues[child]!;
      waiters[i] = waiters[child]!;
      i = child;
    }
    dues[i] = lastDue;
    waiters[i] = lastWaiter;
    return top;
  }
}
