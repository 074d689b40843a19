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
const HTTP1 = "HTTP/1.";

function startsWith(buf: Buffer, at: number, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (buf[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** The decimal number in buf[from, to), spaces and tabs around it allowed; NaN if none. */
function decimal(buf: Buffer, from: number, to: number): number {
  let i = from;
  while (i < to && (buf[i] === 0x20 || buf[i] === 0x09)) i++;
  let value = 0;
  let digits = 0;
  for (; i < to && buf[i]! >= 0x30 && buf[i]! <= 0x39; i++, digits++) value = value * 10 + buf[i]! - 0x30;
  while (i < to && (buf[i] === 0x20 || buf[i] === 0x09)) i++;
  return digits > 0 && i === to ? value : Number.NaN;
}

// Short scans in plain JS beat Buffer#indexOf here: a response head is ~100-300 bytes, and a
// native call per line costs more than the bytes it looks at.

/** Where the blank line ending the head at `from` begins ("\r\n\r\n") before `end`, or -1. */
function headEnd(buf: Buffer, from: number, end: number): number {
  for (let i = from + 3; i < end; i++) {
    if (buf[i] === 0x0a && buf[i - 1] === 0x0d && buf[i - 2] === 0x0a && buf[i - 3] === 0x0d) return i - 3;
  }
  return -1;
}

/** Where the line at `from` ends (its "\r\n") if it does before `end`, else -1. */
function lineIn(buf: Buffer, from: number, end: number): number {
  const i = buf.indexOf(CRLF, from);
  return i >= 0 && i + 2 <= end ? i : -1;
}

/** Where the line at `from` ends (its "\r\n"); the head is known to hold one. */
function lineEnd(buf: Buffer, from: number): number {
  let i = from;
  while (buf[i] !== 0x0d || buf[i + 1] !== 0x0a) i++;
  return i;
}

/** The value of an ASCII digit byte, NaN for anything else. */
function digit(byte: number): number {
  return byte >= 0x30 && byte <= 0x39 ? byte - 0x30 : Number.NaN;
}

/** Whether the header line at buf[line, eol) is named `name` (ASCII, any case), then a colon. */
function isName(buf: Buffer, line: number, eol: number, name: string): boolean {
  if (eol - line <= name.length || buf[line + name.length] !== 0x3a) return false;
  for (let i = 0; i < name.length; i++) if ((buf[line + i]! | 0x20) !== name.charCodeAt(i)) return false;
  return true;
}

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

  /**
   * Feeds the bytes chunk[0, length) as they arrive (the client reads into one reused buffer, so no
   * view of it is made per read). Throws BadResponseError on anything that is not HTTP.
   */
  feed(chunk: Buffer, length = chunk.length): void {
    let buf = chunk;
    let limit = length;
    if (this.pending) {
      buf = Buffer.concat([this.pending, chunk.subarray(0, length)]);
      limit = buf.length;
      this.pending = undefined;
    }
    let at = 0;
    while (at < limit) {
      switch (this.state) {
        case HEAD: {
          const end = headEnd(buf, at, limit);
          if (end < 0) {
            this.keep(buf, at, limit);
            return;
          }
          this.head(buf, at, end + 2);
          at = end + 4;
          break;
        }
        case LENGTH: {
          const take = Math.min(this.remaining, limit - at);
          this.bodyBytes += take;
          this.remaining -= take;
          at += take;
          if (this.remaining === 0) this.finish();
          break;
        }
        case CHUNK_SIZE: {
          const end = lineIn(buf, at, limit);
          if (end < 0) {
            this.keep(buf, at, limit);
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
          const take = Math.min(this.remaining, limit - at);
          this.bodyBytes += Math.max(0, Math.min(take, this.remaining - 2));
          this.remaining -= take;
          at += take;
          if (this.remaining === 0) this.state = CHUNK_SIZE;
          break;
        }
        case TRAILER: {
          const end = lineIn(buf, at, limit);
          if (end < 0) {
            this.keep(buf, at, limit);
            return;
          }
          const empty = end === at;
          at = end + 2;
          if (empty) this.finish();
          break;
        }
        case UNTIL_CLOSE:
          this.bodyBytes += limit - at;
          at = limit;
          break;
      }
    }
  }

  /** The connection closed: ends a response whose body runs until the close. */
  close(): void {
    if (this.state === UNTIL_CLOSE) this.finish();
  }

  private keep(buf: Buffer, at: number, size: number): void {
    if (this.state === HEAD && size - at > MAX_HEAD) throw new BadResponseError("response head too large");
    this.pending = Buffer.from(buf.subarray(at, size));
  }

  /** The response head in buf[start, end) (`end` is where its blank line begins). */
  private head(buf: Buffer, start: number, end: number): void {
    // "HTTP/1.1 200 OK\r\n" then "name: value\r\n" lines, read from the bytes: no string per response
    if (end - start < 12 || !startsWith(buf, start, HTTP1)) {
      throw new BadResponseError(
        `not an HTTP/1.x response: ${JSON.stringify(buf.toString("latin1", start, start + 20))}`,
      );
    }
    const status = digit(buf[start + 9]!) * 100 + digit(buf[start + 10]!) * 10 + digit(buf[start + 11]!);
    if (!(status >= 100)) {
      throw new BadResponseError(
        `bad status line: ${JSON.stringify(buf.toString("latin1", start, start + 30))}`,
      );
    }
    if (status < 200 && status !== 101) return; // 100 Continue, 103 Early Hints: the real answer follows
    let length = -1;
    let chunked = false;
    let connection = "";
    for (let line = lineEnd(buf, start) + 2; line < end; ) {
      const eol = lineEnd(buf, line);
      const first = buf[line]! | 0x20;
      if (first === 0x63 /* c */ && isName(buf, line, eol, "content-length")) {
        const value = decimal(buf, line + 15, eol);
        if (Number.isNaN(value)) throw new BadResponseError("bad content-length");
        // RFC 9112 6.3: differing lengths make the framing unknowable; never guess which one holds.
        if (length !== -1 && value !== length)
          throw new BadResponseError("conflicting content-length headers");
        length = value;
      } else if (first === 0x63 && isName(buf, line, eol, "connection")) {
        connection = buf.toString("latin1", line + 11, eol).toLowerCase();
      } else if (first === 0x74 /* t */ && isName(buf, line, eol, "transfer-encoding")) {
        chunked = buf
          .toString("latin1", line + 18, eol)
          .toLowerCase()
          .includes("chunked");
      }
      line = eol + 2;
    }
    this.status = status;
    this.bodyBytes = 0;
    // HTTP/1.0 closes unless asked to keep alive; 1.1 keeps alive unless told it closes
    this.closes =
      connection.includes("close") || (buf[start + 7] === 0x30 && !connection.includes("keep-alive"));
    if (this.answersHead() || status === 204 || status === 304 || status === 101) {
      this.finish();
    } else if (chunked) {
      this.state = CHUNK_SIZE;
    } else if (length > 0) {
      this.remaining = length;
      this.state = LENGTH;
    } else if (length === 0) {
      this.finish();
    } else {
      this.closes = true;
      this.state = UNTIL_CLOSE;
    }
  }

  private finish(): void {
    this.state = HEAD;
    this.onResponse(this.status, this.bodyBytes, this.closes);
  }
}
