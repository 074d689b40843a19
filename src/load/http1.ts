// HTTP/1.1 on the wire, reduced to what a load generator needs: the request encoded once into
// bytes that every send reuses, and a parser for the stream of responses coming back on a
// keep-alive connection (in order, so pipelining works too). It reads the status, finds where
// each response ends (content-length, chunked, or the connection closing) and counts body bytes
// without copying them. Measured per request it costs about half of a general client
// (see bench/load.ts); the tests feed it responses split at every byte.

/** The request every send of a run writes: method, path, headers and body in one buffer. */
export function encodeRequest(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | Uint8Array | undefined,
): Buffer {
  const payload =
    body === undefined ? undefined : typeof body === "string" ? Buffer.from(body) : Buffer.from(body);
  const lines = [`${method} ${url.pathname}${url.search} HTTP/1.1`];
  const given = new Set(Object.keys(headers).map((name) => name.toLowerCase()));
  if (!given.has("host")) lines.push(`host: ${url.host}`);
  if (!given.has("user-agent")) lines.push("user-agent: shipshape-load");
  for (const [name, value] of Object.entries(headers)) {
    if (/[\r\n]/.test(name) || /[\r\n]/.test(value))
      throw new RangeError(`header ${name} holds a line break`);
    if (name.toLowerCase() === "content-length") continue; // always computed from the body
    lines.push(`${name}: ${value}`);
  }
  if (payload !== undefined || method === "POST" || method === "PUT" || method === "PATCH") {
    lines.push(`content-length: ${payload?.length ?? 0}`);
  }
  const head = Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1");
  return payload === undefined ? head : Buffer.concat([head, payload]);
}

/** The server sent something that is not HTTP/1.x. */
export class BadResponseError extends Error {
  readonly code = "BAD_RESPONSE";
}

const CRLF = Buffer.from("\r\n");
const CRLFCRLF = Buffer.from("\r\n\r\n");
/** A response head larger than this is refused rather than buffered without end. */
const MAX_HEAD = 64 * 1024;

// parser states: where in a response the next byte belongs
const HEAD = 0;
const LENGTH = 1;
const CHUNK_SIZE = 2;
const CHUNK_DATA = 3;
const TRAILER = 4;
const UNTIL_CLOSE = 5;

export class ResponseParser {
  /**
   * Called once per complete final (non-1xx) response, in order; `closes`: the server will close
   * the connection after it.
   */
  onResponse: (status: number, bodyBytes: number, closes: boolean) => void = () => {};
  /** Asked at each response head: was the request it answers a HEAD (so no body follows)? */
  answersHead: () => boolean = () => false;
  private state = HEAD;
  private pending: Buffer | undefined;
  private remaining = 0;
  private status = 0;
  private bodyBytes = 0;
  private closes = false;

  /** True while a response has begun and not ended (the connection closing now would cut it). */
  get midResponse(): boolean {
    return this.state !== HEAD || this.pending !== undefined;
  }

  /** Feeds bytes as they arrive. Throws BadResponseError on anything that is not HTTP. */
  feed(chunk: Buffer): void {
    let buf = chunk;
    if (this.pending) {
      buf = Buffer.concat([this.pending, chunk]);
      this.pending = undefined;
    }
    let at = 0;
    while (at < buf.length) {
      switch (this.state) {
        case HEAD: {
          const end = buf.indexOf(CRLFCRLF, at);
          if (end < 0) {
            this.keep(buf, at);
            return;
          }
          this.head(buf.toString("latin1", at, end + 2));
          at = end + 4;
          break;
        }
        case LENGTH: {
          const take = Math.min(this.remaining, buf.length - at);
          this.bodyBytes += take;
          this.remaining -= take;
          at += take;
          if (this.remaining === 0) this.finish();
          break;
        }
        case CHUNK_SIZE: {
          const end = buf.indexOf(CRLF, at);
          if (end < 0) {
            this.keep(buf, at);
            return;
          }
          const size = Number.parseInt(buf.toString("latin1", at, end).split(";")[0]!.trim(), 16);
          if (!Number.isFinite(size) || size < 0) throw new BadResponseError("bad chunk size");
          at = end + 2;
          if (size === 0) this.state = TRAILER;
          else {
            this.remaining = size + 2; // the data, then its CRLF
            this.state = CHUNK_DATA;
          }
          break;
        }
        case CHUNK_DATA: {
          const take = Math.min(this.remaining, buf.length - at);
          this.bodyBytes += Math.max(0, Math.min(take, this.remaining - 2));
          this.remaining -= take;
          at += take;
          if (this.remaining === 0) this.state = CHUNK_SIZE;
          break;
        }
        case TRAILER: {
          const end = buf.indexOf(CRLF, at);
          if (end < 0) {
            this.keep(buf, at);
            return;
          }
          const empty = end === at;
          at = end + 2;
          if (empty) this.finish();
          break;
        }
        case UNTIL_CLOSE:
          this.bodyBytes += buf.length - at;
          at = buf.length;
          break;
      }
    }
  }

  /** The connection closed: ends a response whose body runs until the close. */
  close(): void {
    if (this.state === UNTIL_CLOSE) this.finish();
  }

  private keep(buf: Buffer, at: number): void {
    if (this.state === HEAD && buf.length - at > MAX_HEAD)
      throw new BadResponseError("response head too large");
    this.pending = Buffer.from(buf.subarray(at));
  }

  private head(text: string): void {
    // "HTTP/1.1 200 OK\r\n" then "name: value\r\n" lines
    if (!text.startsWith("HTTP/1."))
      throw new BadResponseError(`not an HTTP/1.x response: ${JSON.stringify(text.slice(0, 20))}`);
    const status = Number(text.slice(9, 12));
    if (!(status >= 100 && status <= 999))
      throw new BadResponseError(`bad status line: ${JSON.stringify(text.slice(0, 30))}`);
    if (status < 200 && status !== 101) return; // 100 Continue, 103 Early Hints: the real answer follows
    const lower = text.toLowerCase();
    this.status = status;
    this.bodyBytes = 0;
    this.closes =
      /\r\nconnection:[^\r]*close/.test(lower) ||
      (text[7] === "0" && !/\r\nconnection:[^\r]*keep-alive/.test(lower));
    const noBody = this.answersHead() || status === 204 || status === 304 || status === 101;
    if (noBody) {
      this.finish();
      return;
    }
    if (/\r\ntransfer-encoding:[^\r]*chunked/.test(lower)) {
      this.state = CHUNK_SIZE;
      return;
    }
    const length = /\r\ncontent-length:[ \t]*(\d+)/.exec(lower);
    if (length) {
      this.remaining = Number(length[1]);
      if (this.remaining === 0) {
        this.finish();
        return;
      }
      this.state = LENGTH;
      return;
    }
    this.closes = true;
    this.state = UNTIL_CLOSE;
  }

  private finish(): void {
    this.state = HEAD;
    this.onResponse(this.status, this.bodyBytes, this.closes);
  }
}
