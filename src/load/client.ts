// The client: one keep-alive HTTP/1.1 connection (TCP or TLS) that sends the run's request bytes
// and reports each answer or failure, in send order. It owns the socket's life — opening it,
// replacing it when the server closes it or it fails, resending an idempotent request the server
// dropped unanswered on a kept-alive socket — and the request timeout. When a request should go
// is not its business (connection.ts), nor what its latency means (recorder.ts).
import { connect as connectTcp, isIP, type Socket } from "node:net";
import { connect as connectTls } from "node:tls";
import { CLIENT_LIMITS, RequestError } from "./failure.ts";
import { BadResponseError, encodeRequest, ResponseParser } from "./http1.ts";
import type { ResolvedLoadOptions } from "./options.ts";

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

/** A request on the wire: when it was due and when it went. The sender reuses these objects. */
export interface InFlight {
  dueMs: number;
  sentMs: number;
  retried: boolean;
}

export interface ClientListener {
  /** `request` got its complete answer at `endMs`. */
  answered(request: InFlight, status: number, endMs: number): void;
  /** `request` failed for good at `endMs`. */
  failed(request: InFlight, error: Error, endMs: number): void;
  /** `request` was dropped in flight at `endMs` by abandon(), or by the client's own limits. */
  abandoned(request: InFlight, endMs: number): void;
  /** The client ran out of a resource of its own (EMFILE): no request it makes now says anything. */
  clientLimit(code: string): void;
  /** Requests left the client (answered, failed or dropped): there may be room to send. */
  settled(): void;
}

/**
 * Methods a client may send again when a kept-alive connection turns out to be closed before any
 * answer came (RFC 9110 §9.2.2): browsers and HTTP libraries do so silently, so a server closing
 * an idle connection at the wrong moment is not a failed request for its users either.
 */
const IDEMPOTENT = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"]);

/**
 * Plain TCP reads land in this one buffer: no Buffer and no stream event per read. It serves every
 * socket: each read is parsed before the next one is made, and the parser copies only the bytes
 * it must keep across reads.
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);
const ABANDONED = "ABANDONED";

export class HttpClient {
  /** Requests dropped in flight by abandon() (neither answered nor failed). */
  interrupted = 0;
  /** Requests sent again on a new socket after a kept-alive one was closed under them. */
  retried = 0;
  private readonly options: ResolvedLoadOptions;
  private readonly request: Buffer;
  private readonly isHead: boolean;
  private readonly sockets: SocketMeter;
  private readonly now: () => number;
  private readonly listener: ClientListener;
  /** In send order: HTTP/1.1 answers in that order. */
  private readonly inflight: InFlight[] = [];
  private socket: Socket | undefined;
  private parser: ResponseParser | undefined;
  private connected = false;
  /** Answers received on the current socket. */
  private served = 0;
  private watchdog: NodeJS.Timeout | undefined;
  private stopping = false;
  /** Answers parsed from the chunk being fed, not yet told to the listener (settled). */
  private answeredUnsettled = false;

  constructor(
    options: ResolvedLoadOptions,
    sockets: SocketMeter,
    now: () => number,
    listener: ClientListener,
  ) {
    this.options = options;
    this.request = encodeRequest(options.url, options.method, options.headers, options.body);
    this.isHead = options.method === "HEAD";
    this.sockets = sockets;
    this.now = now;
    this.listener = listener;
  }

  /** Requests on the wire (sent or being sent again), not yet answered or failed. */
  get size(): number {
    return this.inflight.length;
  }

  /** The due time of the oldest request in flight (they are sent in due order). */
  get oldestDueMs(): number | undefined {
    return this.inflight[0]?.dueMs;
  }

  send(request: InFlight): void {
    this.inflight.push(request);
    (this.socket ?? this.open()).write(this.request);
    this.watchdog ??= setTimeout(this.onWatchdog, this.options.timeoutMs);
  }

  /** The run stops: nothing is sent again from now on. */
  stop(): void {
    this.stopping = true;
  }

  /** Drops whatever is still in flight and closes the socket. */
  abandon(): void {
    this.socket?.destroy(new RequestError("other", ABANDONED, "abandoned at the stop"));
  }

  /** Closes the (idle) socket at the end of the run. */
  close(): Promise<void> {
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdog = undefined;
    const socket = this.socket;
    this.socket = undefined;
    if (!socket || socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      socket.once("close", () => resolve());
      socket.destroy();
    });
  }

  private open(): Socket {
    const { url, insecure, ca } = this.options;
    const { host, port } = this.options.connectTo;
    const parser = new ResponseParser();
    let socket: Socket;
    // The next request goes out once the whole chunk is parsed: an extra answer in the same chunk
    // then finds no request in flight, instead of being taken for the next one's. One call per
    // chunk, not one per answer.
    const feed = (chunk: Buffer, length: number): void => {
      try {
        parser.feed(chunk, length);
      } catch (error) {
        socket.destroy(error as Error);
      }
      if (this.answeredUnsettled) {
        this.answeredUnsettled = false;
        this.listener.settled();
      }
    };
    if (url.protocol === "https:") {
      // TLS names the server as the Host header does (an ingress reached by IP routes on it)
      const named = Object.entries(this.options.headers).find(([k]) => k.toLowerCase() === "host")?.[1];
      const servername = (named ?? url.hostname).replace(/:\d+$/, "").replace(/^\[(.*)\]$/, "$1");
      socket = connectTls({
        host,
        port,
        servername: isIP(servername) ? undefined : servername,
        rejectUnauthorized: !insecure,
        ...(ca !== undefined && { ca }),
        ALPNProtocols: ["http/1.1"],
      });
      socket.on("data", (chunk: Buffer) => feed(chunk, chunk.length));
    } else {
      const buffer = READ_BUFFER;
      const callback = (n: number): boolean => {
        feed(buffer, n);
        return true;
      };
      socket = connectTcp({ host, port, onread: { buffer, callback } });
    }
    socket.setNoDelay(true);
    this.socket = socket;
    this.parser = parser;
    this.connected = false;
    this.served = 0;
    parser.answersHead = () => this.isHead;
    parser.onResponse = (status, _bodyBytes, closes) => {
      if (this.socket !== socket) return; // a retired socket has no requests of ours left
      if (this.inflight.length === 0) {
        // An answer to no request: matched to the next one, it would be a lie. The socket goes.
        this.broken(socket, new BadResponseError("an answer to no request (an unsolicited response)"));
        return;
      }
      this.answered(status);
      if (closes) this.retire(socket);
      this.answeredUnsettled = true;
    };
    socket.once(url.protocol === "https:" ? "secureConnect" : "connect", () => {
      this.connected = true;
      this.sockets.track(socket);
    });
    socket.on("error", (error) => this.broken(socket, error));
    socket.on("close", () => {
      parser.close();
      this.broken(socket, new RequestError("reset", "SOCKET_CLOSED", "the server closed the connection"));
    });
    return socket;
  }

  /** The oldest request in flight got its complete answer. */
  private answered(status: number): void {
    // pop when it is the only one: shift() took V8's slow (runtime) path for it, once per answer
    const request = (this.inflight.length === 1 ? this.inflight.pop() : this.inflight.shift())!;
    this.served += 1;
    this.listener.answered(request, status, this.now());
  }

  /** The server said it closes after this answer: requests still queued on it cannot be answered. */
  private retire(socket: Socket): void {
    this.socket = undefined;
    socket.end();
    this.failAll(new RequestError("reset", "SOCKET_CLOSED", "the server closed the connection"));
  }

  /** The socket failed or closed: every request still on it fails (or is sent again). */
  private broken(socket: Socket, error: Error): void {
    if (this.socket !== socket) return;
    this.socket = undefined;
    socket.destroy();
    const code = (error as { code?: string }).code;
    if (code === ABANDONED || (!this.connected && CLIENT_LIMITS.has(code ?? ""))) {
      if (code !== ABANDONED) this.listener.clientLimit(code!);
      this.interrupted += this.inflight.length;
      const endMs = this.now();
      for (const request of this.inflight.splice(0)) this.listener.abandoned(request, endMs);
    } else if (this.connected) {
      this.failAll(error);
    } else if (error instanceof RequestError && error.kind === "timeout") {
      this.failAll(new RequestError("connect", "CONNECT_TIMEOUT", "no connection within the timeout"));
    } else {
      this.failAll(new RequestError("connect", code ?? "CONNECT_FAILED", error.message));
    }
    this.listener.settled();
  }

  /**
   * Fails every request in flight with `error` — except, when a kept-alive socket (it has answered
   * before) was closed or reset, the idempotent ones that saw no byte of their answer: those are
   * sent once more, on a new socket.
   */
  private failAll(error: Error): void {
    const code = (error as { code?: string }).code;
    const closed = code === "SOCKET_CLOSED" || code === "ECONNRESET" || code === "EPIPE";
    const mayRetry = closed && this.served > 0 && !this.stopping && IDEMPOTENT.has(this.options.method);
    const firstHasBytes = this.parser?.midResponse ?? false;
    const endMs = this.now();
    const again: InFlight[] = [];
    this.inflight.splice(0).forEach((request, i) => {
      if (mayRetry && !request.retried && !(i === 0 && firstHasBytes)) {
        request.retried = true;
        this.retried += 1;
        again.push(request);
      } else {
        this.listener.failed(request, error, endMs);
      }
    });
    for (const request of again) this.send(request);
  }

  /**
   * One timer per connection, not one per request: when it fires it fails whatever has been on
   * the wire for the timeout (closing the socket), else sleeps until the oldest one's deadline.
   */
  private readonly onWatchdog = (): void => {
    this.watchdog = undefined;
    if (this.inflight.length === 0) return;
    const left = this.inflight[0]!.sentMs + this.options.timeoutMs - this.now();
    if (left > 0) {
      this.watchdog = setTimeout(this.onWatchdog, Math.max(1, left));
      return;
    }
    const timeout = `no complete answer within ${this.options.timeoutMs} ms`;
    if (this.socket) this.broken(this.socket, new RequestError("timeout", "REQUEST_TIMEOUT", timeout));
  };
}
