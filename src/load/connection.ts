// One connection of a load run: the loop that hands the client (client.ts) each request when the
// schedule (schedule.ts) says it is due, and gives every answer and failure to the connection's
// recorder (recorder.ts), with the times that make its latency.
import { type ClientListener, HttpClient, type InFlight, type SocketMeter } from "./client.ts";
import type { ResolvedLoadOptions } from "./options.ts";
import type { ConnectionRecorder } from "./recorder.ts";
import type { Schedule } from "./schedule.ts";
import { BATCH_MS, type SendClock, type Waiter } from "./send-clock.ts";

const NOT_TAKEN = -2;
const NONE_LEFT = -1;

export class Connection implements Waiter {
  /** Requests put on the wire (a request sent again counts once). */
  sent = 0;
  private readonly index: number;
  private readonly pipelining: number;
  private readonly schedule: Schedule;
  private readonly recorder: ConnectionRecorder;
  private readonly now: () => number;
  private readonly client: HttpClient;
  private readonly spare: InFlight[] = [];
  private readonly clock: SendClock;
  private nextDue = NOT_TAKEN;
  /** Waiting on the clock for nextDue. */
  private waiting = false;
  private stopping = false;
  private resolveDone: () => void = () => {};
  /** Settles once the connection has nothing in flight and nothing left to send. */
  readonly finished: Promise<void>;

  constructor(
    index: number,
    options: ResolvedLoadOptions,
    schedule: Schedule,
    clock: SendClock,
    recorder: ConnectionRecorder,
    sockets: SocketMeter,
    now: () => number,
    onClientLimit: (code: string) => void,
  ) {
    this.index = index;
    this.pipelining = options.pipelining;
    this.schedule = schedule;
    this.clock = clock;
    this.recorder = recorder;
    this.now = now;
    this.finished = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
    const listener: ClientListener = {
      answered: (request, status, endMs) => {
        this.recorder.record(request.dueMs, request.sentMs, endMs, status, undefined);
        this.spare.push(request);
      },
      failed: (request, error, endMs) => {
        this.recorder.record(request.dueMs, request.sentMs, endMs, 0, error);
        this.spare.push(request);
      },
      abandoned: (request, endMs) => {
        this.recorder.abandoned(request.dueMs, endMs);
        this.spare.push(request);
      },
      clientLimit: onClientLimit,
      settled: () => this.pump(),
    };
    this.client = new HttpClient(options, sockets, now, listener);
  }

  /** Requests abandoned in flight when the run was stopped (neither answered nor failed). */
  get interrupted(): number {
    return this.client.interrupted;
  }

  /** Requests sent a second time after the server closed a kept-alive socket under them. */
  get retried(): number {
    return this.client.retried;
  }

  start(): void {
    this.pump();
  }

  /** Sends nothing more; requests in flight may still finish (see abandon). */
  stop(): void {
    this.stopping = true;
    this.client.stop();
    if (this.nextDue >= 0) this.nextDue = NONE_LEFT;
    this.pump();
  }

  /** Drops whatever is still in flight (after stop). */
  abandon(): void {
    this.client.abandon();
  }

  close(): Promise<void> {
    return this.client.close();
  }

  /** The clock says nextDue is near. */
  wake(): void {
    this.waiting = false;
    this.pump();
  }

  private pump(): void {
    const now = this.now();
    while (!this.stopping && this.client.size < this.pipelining) {
      if (this.nextDue === NOT_TAKEN) this.nextDue = this.schedule.take(this.index, now);
      if (this.nextDue === NONE_LEFT) break;
      if (this.schedule.lapsed(now)) {
        this.nextDue = NONE_LEFT;
        break;
      }
      if (this.nextDue - now > BATCH_MS) {
        if (!this.waiting) {
          this.waiting = true;
          this.clock.at(this.nextDue, this);
        }
        break;
      }
      const request = this.spare.pop() ?? { dueMs: 0, sentMs: 0, retried: false };
      request.dueMs = this.nextDue;
      request.sentMs = now;
      request.retried = false;
      this.sent += 1;
      this.nextDue = NOT_TAKEN;
      this.client.send(request);
    }
    this.recorder.advance(this.watermark(now));
    if (this.client.size === 0 && (this.nextDue === NONE_LEFT || this.stopping)) this.resolveDone();
  }

  /** The earliest due time this connection may still record. */
  private watermark(now: number): number {
    const oldest = this.client.oldestDueMs;
    if (oldest !== undefined) return oldest;
    if (this.nextDue >= 0) return this.nextDue;
    return this.nextDue === NONE_LEFT || this.stopping ? Number.POSITIVE_INFINITY : now;
  }
}
