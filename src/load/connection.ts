// One connection of a load run: an undici Client (one keep-alive HTTP/1.1 socket) and the loop that
// sends each request when the schedule says it is due. Responses are drained without buffering;
// what a request costs is counted on the socket (bytes) and in the connection's recorder.
import type { Socket } from "node:net";
import { buildConnector, Client, type Dispatcher } from "undici";
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

/** Sockets opened by all connections of a run, and their bytes on the wire. */
export class SocketMeter {
  opened = 0;
  private closedRead = 0;
  private closedWritten = 0;
  private readonly live = new Set<Socket>();

  track(socket: Socket): void {
    this.opened += 1;
    this.live.add(socket);
    socket.once("close", () => {
      this.closedRead += socket.bytesRead;
      this.closedWritten += socket.bytesWritten;
      this.live.delete(socket);
    });
  }

  bytes(): { sent: number; received: number } {
    let sent = this.closedWritten;
    let received = this.closedRead;
    for (const socket of this.live) {
      sent += socket.bytesWritten;
      received += socket.bytesRead;
    }
    return { sent, received };
  }
}

/** A request that took longer than the run's timeout, from its send to the end of its answer. */
export class RequestTimeoutError extends Error {
  readonly code = "REQUEST_TIMEOUT";
  constructor(timeoutMs: number) {
    super(`no complete answer within ${timeoutMs} ms`);
  }
}

/** One request on the wire; the object is reused for the connection's next request. */
class Exchange implements Dispatcher.DispatchHandler {
  dueMs = 0;
  sentMs = 0;
  status = 0;
  controller: Dispatcher.DispatchController | undefined;
  private readonly connection: Connection;
  constructor(connection: Connection) {
    this.connection = connection;
  }
  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
  }
  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number): void {
    this.status = statusCode;
  }
  onResponseData(): void {}
  onResponseEnd(): void {
    this.connection.done(this, undefined);
  }
  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.connection.done(this, error);
  }
}

const NOT_TAKEN = -2;
const NONE_LEFT = -1;

export class Connection {
  /** Requests put on the wire. */
  sent = 0;
  /** Requests abandoned in flight when the run was stopped (neither answered nor failed). */
  interrupted = 0;
  private readonly index: number;
  private readonly client: Client;
  private readonly request: Dispatcher.DispatchOptions;
  private readonly schedule: Schedule;
  private readonly recorder: ConnectionRecorder;
  private readonly now: () => number;
  private readonly pipelining: number;
  private readonly inflight: Exchange[] = [];
  private readonly spare: Exchange[] = [];
  private nextDue = NOT_TAKEN;
  private timer: NodeJS.Timeout | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private readonly timeoutMs: number;
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
  ) {
    this.index = index;
    this.schedule = schedule;
    this.recorder = recorder;
    this.now = now;
    this.pipelining = options.pipelining;
    this.timeoutMs = options.timeoutMs;
    this.finished = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
    const connector = buildConnector({ rejectUnauthorized: !options.insecure, timeout: options.timeoutMs });
    this.client = new Client(options.url.origin, {
      pipelining: options.pipelining,
      allowH2: false,
      // undici's own timeouts tick at up to a second or more; the watchdog below keeps ours exact
      headersTimeout: 0,
      bodyTimeout: 0,
      connect: (connectOptions, callback) =>
        connector(connectOptions, (error, socket) => {
          if (socket) sockets.track(socket as Socket);
          if (error) callback(error, null);
          else callback(null, socket!);
        }),
    });
    this.request = {
      path: options.url.pathname + options.url.search,
      method: options.method as Dispatcher.HttpMethod,
      headers: { "user-agent": "shipshape-load", ...options.headers },
      body: options.body ?? null,
    };
  }

  start(): void {
    this.pump();
  }

  /** Sends nothing more; requests in flight may still finish (see abandon). */
  stop(): void {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.nextDue >= 0) this.nextDue = NONE_LEFT;
    this.pump();
  }

  /** Drops whatever is still in flight (after stop) and closes the socket. */
  abandon(): Promise<void> {
    return this.client.destroy();
  }

  close(): Promise<void> {
    return this.client.close();
  }

  done(exchange: Exchange, error: Error | undefined): void {
    const endMs = this.now();
    exchange.controller = undefined;
    const at = this.inflight.indexOf(exchange);
    if (at >= 0) this.inflight.splice(at, 1);
    this.spare.push(exchange);
    if (this.stopping && error && (error as { code?: string }).code === "UND_ERR_DESTROYED") {
      this.interrupted += 1;
    } else {
      this.recorder.record(exchange.dueMs, exchange.sentMs, endMs, exchange.status, error);
    }
    // after an error undici is still failing the rest of its queue: send the next one once it is done
    if (error) queueMicrotask(this.onError);
    else this.pump();
  }

  private readonly onTimer = (): void => {
    this.timer = undefined;
    this.pump();
  };

  private readonly onError = (): void => this.pump();

  private pump(): void {
    const now = this.now();
    while (!this.stopping && this.inflight.length < this.pipelining) {
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
      this.send(this.nextDue, now);
      this.nextDue = NOT_TAKEN;
    }
    this.recorder.advance(this.watermark(now));
    if (this.inflight.length > 0) this.watchdog ??= setTimeout(this.onWatchdog, this.timeoutMs);
    if (this.inflight.length === 0 && (this.nextDue === NONE_LEFT || this.stopping)) {
      if (this.watchdog) clearTimeout(this.watchdog);
      this.watchdog = undefined;
      this.resolveDone();
    }
  }

  /**
   * One timer per connection, not one per request: when it fires it aborts whatever has been on
   * the wire for the timeout, and sleeps until the oldest remaining request's deadline.
   */
  private readonly onWatchdog = (): void => {
    this.watchdog = undefined;
    const now = this.now();
    for (const exchange of [...this.inflight]) {
      if (now - exchange.sentMs >= this.timeoutMs)
        exchange.controller?.abort(new RequestTimeoutError(this.timeoutMs));
    }
    if (this.inflight.length === 0) return;
    let oldest = this.inflight[0]!.sentMs;
    for (const exchange of this.inflight) if (exchange.sentMs < oldest) oldest = exchange.sentMs;
    this.watchdog ??= setTimeout(this.onWatchdog, Math.max(1, oldest + this.timeoutMs - now));
  };

  /** The earliest due time this connection may still record. */
  private watermark(now: number): number {
    if (this.inflight.length > 0) {
      let low = this.inflight[0]!.dueMs;
      for (const exchange of this.inflight) if (exchange.dueMs < low) low = exchange.dueMs;
      return low;
    }
    if (this.nextDue >= 0) return this.nextDue;
    return this.nextDue === NONE_LEFT || this.stopping ? Number.POSITIVE_INFINITY : now;
  }

  private send(dueMs: number, now: number): void {
    const exchange = this.spare.pop() ?? new Exchange(this);
    exchange.dueMs = dueMs;
    exchange.sentMs = now;
    exchange.status = 0;
    this.inflight.push(exchange);
    this.sent += 1;
    this.client.dispatch(this.request, exchange);
  }
}
