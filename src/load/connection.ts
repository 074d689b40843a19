// One connection of a load run: one keep-alive HTTP/1.1 socket (TCP or TLS) and the loop that
// sends each request when the schedule says it is due. The request bytes are encoded once;
// responses are parsed as they stream in (http1.ts) and never buffered. A socket the server
// closes, or that fails, is replaced by a new one for the next request (counted in `sockets`).
import { connect as connectTcp, isIP, type Socket } from "node:net";
import { connect as connectTls } from "node:tls";
import { RequestError } from "./failure.ts";
import { encodeRequest, ResponseParser } from "./http1.ts";
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

/** A request on the wire: when it was due and when it went. Reused for later requests. */
interface InFlight {
  dueMs: number;
  sentMs: number;
  retried: boolean;
}

/**
 * Methods a client may send again when a kept-alive connection turns out to be closed before any
 * answer came (RFC 9110 §9.2.2): browsers and HTTP libraries do so silently, so a server closing
 * an idle connection at the wrong moment is not a failed request for its users either.
 */
const IDEMPOTENT = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"]);

const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);
const NOT_TAKEN = -2;
const NONE_LEFT = -1;
const ABANDONED = "ABANDONED";

export class Connection {
  /** Requests put on the wire. */
  sent = 0;
  /** Requests abandoned in flight when the run was stopped (neither answered nor failed). */
  interrupted = 0;
  /** Requests sent again on a new socket after a kept-alive one was closed under them. */
  retried = 0;
  private readonly index: number;
  private readonly options: ResolvedLoadOptions;
  private readonly request: Buffer;
  private readonly isHead: boolean;
  private readonly schedule: Schedule;
  private readonly recorder: ConnectionRecorder;
  private readonly sockets: SocketMeter;
  private readonly now: () => number;
  /** In send order: HTTP/1.1 answers in that order. */
  private readonly inflight: InFlight[] = [];
  private readonly spare: InFlight[] = [];
  /** Requests to send again (first, before any new one) on a fresh socket. */
  private readonly again: InFlight[] = [];
  private socket: Socket | undefined;
  private parser: ResponseParser | undefined;
  private connected = false;
  /** Answers received on the current socket. */
  private served = 0;
  private nextDue = NOT_TAKEN;
  private timer: NodeJS.Timeout | undefined;
  private watchdog: NodeJS.Timeout | undefined;
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
    this.options = options;
    this.request = encodeRequest(options.url, options.method, options.headers, options.body);
    this.isHead = options.method === "HEAD";
    this.schedule = schedule;
    this.recorder = recorder;
    this.sockets = sockets;
    this.now = now;
    this.finished = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  start(): void {
    this.pump();
  }

  /** Sends nothing more; requests in flight may still finish (see abandon). */
  stop(): void {
    this.stopping = true;
    this.interrupted += this.again.length; // failed once, not sent again: neither answered nor failed
    this.again.length = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.nextDue >= 0) this.nextDue = NONE_LEFT;
    this.pump();
  }

  /** Drops whatever is still in flight (after stop) and closes the socket. */
  abandon(): void {
    this.socket?.destroy(new RequestError("other", ABANDONED, "abandoned at the stop"));
  }

  /** Closes the (idle) socket at the end of the run. */
  close(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (!socket || socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      socket.once("close", () => resolve());
      socket.destroy();
    });
  }

  private readonly onTimer = (): void => {
    this.timer = undefined;
    this.pump();
  };

  private pump(): void {
    const now = this.now();
    while (this.again.length > 0 && !this.stopping && this.inflight.length < this.options.pipelining) {
      const request = this.again.shift()!;
      this.inflight.push(request);
      (this.socket ?? this.open()).write(this.request);
    }
    while (!this.stopping && this.inflight.length < this.options.pipelining) {
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
    if (this.inflight.length > 0) this.watchdog ??= setTimeout(this.onWatchdog, this.options.timeoutMs);
    // (requests to send again are on the wire by now, unless stopping dropped them)
    if (this.inflight.length === 0 && (this.nextDue === NONE_LEFT || this.stopping)) {
      if (this.watchdog) clearTimeout(this.watchdog);
      this.watchdog = undefined;
      this.resolveDone();
    }
  }

  /** The earliest due time this connection may still record. */
  private watermark(now: number): number {
    if (this.again.length > 0) return this.again[0]!.dueMs;
    if (this.inflight.length > 0) return this.inflight[0]!.dueMs; // sent in due order
    if (this.nextDue >= 0) return this.nextDue;
    return this.nextDue === NONE_LEFT || this.stopping ? Number.POSITIVE_INFINITY : now;
  }

  private send(dueMs: number, now: number): void {
    const request = this.spare.pop() ?? { dueMs: 0, sentMs: 0, retried: false };
    request.dueMs = dueMs;
    request.sentMs = now;
    request.retried = false;
    this.inflight.push(request);
    this.sent += 1;
    (this.socket ?? this.open()).write(this.request);
  }

  private open(): Socket {
    const { url, insecure } = this.options;
    const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
    const port = Number(url.port) || (url.protocol === "https:" ? 443 : 80);
    const parser = new ResponseParser();
    let socket: Socket;
    const feed = (chunk: Buffer): void => {
      try {
        parser.feed(chunk);
      } catch (error) {
        socket.destroy(error as Error);
      }
    };
    if (url.protocol === "https:") {
      socket = connectTls({
        host,
        port,
        servername: isIP(host) ? undefined : host,
        rejectUnauthorized: !insecure,
        ALPNProtocols: ["http/1.1"],
      });
      socket.on("data", feed);
    } else {
      // plain TCP reads land in one reused buffer: no Buffer and no stream event per read. One
      // buffer serves every socket: each read is parsed before the next one is made, and the
      // parser copies only the bytes it must keep across reads.
      const buffer = READ_BUFFER;
      const callback = (n: number): boolean => {
        feed(buffer.subarray(0, n));
        return true;
      };
      socket = connectTcp({ host, port, onread: { buffer, callback } });
    }
    socket.setNoDelay(true);
    this.socket = socket;
    this.connected = false;
    this.served = 0;
    this.parser = parser;
    parser.answersHead = () => this.isHead;
    parser.onResponse = (status, _bodyBytes, closes) => {
      if (this.socket !== socket) return; // a retired socket has no requests of ours left
      this.answered(status);
      if (closes) this.retire(socket);
      this.pump();
    };
    socket.once(url.protocol === "https:" ? "secureConnect" : "connect", () => {
      this.connected = true;
      this.sockets.track(socket);
    });
    socket.on("error", (error) => this.failed(socket, error));
    socket.on("close", () => {
      parser.close();
      this.failed(socket, new RequestError("reset", "SOCKET_CLOSED", "the server closed the connection"));
    });
    return socket;
  }

  /** The oldest request in flight got its complete answer. */
  private answered(status: number): void {
    const request = this.inflight.shift();
    if (!request) return; // an answer nobody asked for: ignored
    this.served += 1;
    this.recorder.record(request.dueMs, request.sentMs, this.now(), status, undefined);
    this.spare.push(request);
  }

  /** The server said it closes after this answer: requests still queued on it cannot be answered. */
  private retire(socket: Socket): void {
    this.socket = undefined;
    socket.end();
    const error = new RequestError("reset", "SOCKET_CLOSED", "the server closed the connection");
    this.retryUnanswered(error);
    this.failInflight(error);
  }

  /** The socket failed or closed: every request still on it fails with the error. */
  private failed(socket: Socket, error: Error): void {
    if (this.socket !== socket) return;
    this.socket = undefined;
    socket.destroy();
    const kind = (error as { code?: string }).code;
    if (kind === ABANDONED) {
      this.interrupted += this.inflight.length;
      this.inflight.length = 0;
    } else if (!this.connected && !(error instanceof RequestError && error.kind === "timeout")) {
      const code = (error as { code?: string }).code ?? "CONNECT_FAILED";
      this.failInflight(new RequestError("connect", code, error.message));
    } else if (!this.connected) {
      this.failInflight(new RequestError("connect", "CONNECT_TIMEOUT", "no connection within the timeout"));
    } else {
      this.retryUnanswered(error);
      this.failInflight(error);
    }
    this.pump();
  }

  /**
   * A kept-alive socket (it has answered before) was closed or reset: requests on it that saw no
   * byte of their answer are moved to be sent again once, if their method allows it.
   */
  private retryUnanswered(error: Error): void {
    const code = (error as { code?: string }).code;
    const closed = code === "SOCKET_CLOSED" || code === "ECONNRESET" || code === "EPIPE";
    if (!closed || this.served === 0 || this.stopping || !IDEMPOTENT.has(this.options.method)) return;
    const firstHasBytes = this.parser?.midResponse ?? false;
    const keep: InFlight[] = [];
    this.inflight.forEach((request, i) => {
      if (request.retried || (i === 0 && firstHasBytes)) keep.push(request);
      else {
        request.retried = true;
        this.retried += 1;
        this.again.push(request);
      }
    });
    this.inflight.splice(0, this.inflight.length, ...keep);
  }

  private failInflight(error: Error): void {
    const endMs = this.now();
    for (const request of this.inflight.splice(0)) {
      this.recorder.record(request.dueMs, request.sentMs, endMs, 0, error);
      this.spare.push(request);
    }
  }

  /**
   * One timer per connection, not one per request: when it fires it fails whatever has been on
   * the wire for the timeout (closing the socket), else sleeps until the oldest one's deadline.
   */
  private readonly onWatchdog = (): void => {
    this.watchdog = undefined;
    if (this.inflight.length === 0) return;
    const oldest = this.inflight[0]!.sentMs;
    const left = oldest + this.options.timeoutMs - this.now();
    if (left <= 0) {
      const error = new RequestError(
        "timeout",
        "REQUEST_TIMEOUT",
        `no complete answer within ${this.options.timeoutMs} ms`,
      );
      if (this.socket) this.failed(this.socket, error);
      return;
    }
    this.watchdog = setTimeout(this.onWatchdog, Math.max(1, left));
  };
}
