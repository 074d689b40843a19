// One connection of a load run: the loop that hands the client (client.ts) each request when the
// schedule (schedule.ts) says it is due, and gives every answer and failure to the connection's
// recorder (recorder.ts), with the times that make its latency.
import { type ClientListener, HttpClient, type InFlight, type SocketMeter } from "./client.ts";
import type { ResolvedLoadOptions } from "./options.ts";
import type { ConnectionRecorder } from "./recorder.ts";
import type { Schedule } from "./schedule.ts";

/**
 * Node timers fire on a millisecond clock, up to about a millisecond either side of the moment
 * asked for, and a late send would be charged to the server as latency. So a request goes as soon
 * as it is within SEND_SLACK_MS of its due time: sending early never shortens a measured latency
 * (see ConnectionRecorder.record) and leaves the rate exact, it only jitters single sends by up to
 * the slack. Measured at 1000 qps on a loaded 2-core machine: scheduling adds about 0.01-0.05 ms
 * to p50. (Spinning on setImmediate for the last stretch instead did no better and cost twice
 * the CPU.)
 */
export const SEND_SLACK_MS = 1;

const NOT_TAKEN = -2;
const NONE_LEFT = -1;

export class Connection {
  /** Requests put on the wire (a request sent again counts once). */
  sent = 0;
  private readonly index: number;
  private readonly pipelining: number;
  private readonly schedule: Schedule;
  private readonly recorder: ConnectionRecorder;
  private readonly now: () => number;
  private readonly client: HttpClient;
  private readonly spare: InFlight[] = [];
  private nextDue = NOT_TAKEN;
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;
  private resolveDone: () => void = () => {};
  /** Settles once the connection has nothing in flight and nothing left to send. */
  readonly finished: Promise<void>;

  constructor(
    index: number,
    options: ResolvedLoadOptions,
    schedule: Schedule,
    recorder: ConnectionRecorder,
    sockets: SocketMeter,
    now: () => number,
    onClientLimit: (code: string) => void,
  ) {
    this.index = index;
    this.pipelining = options.pipelining;
    this.schedule = schedule;
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
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
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

  private readonly onTimer = (): void => {
    this.timer = undefined;
    this.pump();
  };

  private pump(): void {
    const now = this.now();
    while (!this.stopping && this.client.size < this.pipelining) {
      if (this.nextDue === NOT_TAKEN) this.nextDue = this.schedule.take(this.index, now);
      if (this.nextDue === NONE_LEFT) break;
      if (this.schedule.lapsed(now)) {
        this.nextDue = NONE_LEFT;
        break;
      }
      const wait = this.nextDue - now;
      if (wait > SEND_SLACK_MS) {
        this.timer ??= setTimeout(this.onTimer, wait);
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
