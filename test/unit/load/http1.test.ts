import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { BadResponseError, encodeRequest, ResponseParser } from "../../../src/load/http1.ts";

interface Seen {
  status: number;
  bodyBytes: number;
  closes: boolean;
}

/**
 * Feeds `chunks` in order; `reused`: each one copied into the start of one read buffer and fed by
 * its length, as the client reads, the bytes of earlier reads lying stale after it.
 */
function parse(chunks: Buffer[], heads: boolean[] = [], close = false, reused = false): Seen[] {
  const parser = new ResponseParser();
  const seen: Seen[] = [];
  let asked = 0;
  parser.answersHead = () => heads[asked++] ?? false;
  parser.onResponse = (status, bodyBytes, closes) => seen.push({ status, bodyBytes, closes });
  const readBuffer = Buffer.alloc(64 * 1024, "HTTP/1.1 200 OK\r\n\r\n");
  for (const chunk of chunks) {
    if (!reused) parser.feed(chunk);
    else parser.feed(readBuffer, chunk.copy(readBuffer));
  }
  if (close) parser.close();
  return seen;
}

const STREAM = [
  "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello",
  "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\ncontent-length: 0\r\n\r\n",
  "HTTP/1.1 502 Bad Gateway\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nWiki\r\n6\r\npedia \r\nE\r\nin \r\n\r\nchunks.\r\n0\r\nX-Trailer: yes\r\n\r\n",
  "HTTP/1.1 204 No Content\r\nContent-Length: 99\r\n\r\n",
  "HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n", // answers a HEAD: no body follows
  "HTTP/1.1 304 Not Modified\r\n\r\n",
  "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 3\r\n\r\nbye",
].join("");
const HEADS = [false, false, false, false, true, false, false];
const EXPECTED: Seen[] = [
  { status: 200, bodyBytes: 5, closes: false },
  { status: 201, bodyBytes: 0, closes: false },
  { status: 502, bodyBytes: 4 + 6 + 14, closes: false },
  { status: 204, bodyBytes: 0, closes: false },
  { status: 200, bodyBytes: 0, closes: false },
  { status: 304, bodyBytes: 0, closes: false },
  { status: 503, bodyBytes: 3, closes: true },
];

test("a keep-alive stream of responses: lengths, chunks, 1xx, HEAD, 204/304 and close", () => {
  assert.deepEqual(parse([Buffer.from(STREAM, "latin1")], HEADS), EXPECTED);
});

test("the same stream split at any points parses the same, fed whole or from a reused read buffer", () => {
  const bytes = Buffer.from(STREAM, "latin1");
  fc.assert(
    fc.property(fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 40 }), (cuts) => {
      const points = [0, ...cuts.sort((a, b) => a - b), bytes.length];
      const chunks = points.slice(1).map((end, i) => bytes.subarray(points[i], end));
      assert.deepEqual(parse(chunks, HEADS), EXPECTED);
      assert.deepEqual(parse(chunks, HEADS, false, true), EXPECTED);
    }),
  );
  // and one byte at a time
  assert.deepEqual(
    parse(
      [...bytes].map((b) => Buffer.from([b])),
      HEADS,
    ),
    EXPECTED,
  );
});

test("a body without length runs until the connection closes; HTTP/1.0 closes unless kept alive", () => {
  const chunks = [Buffer.from("HTTP/1.0 200 OK\r\nServer: old\r\n\r\nsome "), Buffer.from("bytes")];
  assert.deepEqual(parse(chunks), [], "not complete before the close");
  assert.deepEqual(parse(chunks, [], true), [{ status: 200, bodyBytes: 10, closes: true }]);
  const kept = parse([
    Buffer.from("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok"),
  ]);
  assert.deepEqual(kept, [{ status: 200, bodyBytes: 2, closes: false }]);
});

test("what is not HTTP is refused, and a head without end is not buffered forever", () => {
  assert.throws(() => parse([Buffer.from("SSH-2.0-OpenSSH_9.2\r\n\r\n")]), BadResponseError);
  assert.throws(() => parse([Buffer.from("HTTP/1.1 abc OK\r\n\r\n")]), BadResponseError);
  assert.throws(
    () => parse([Buffer.from("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")]),
    BadResponseError,
  );
  assert.throws(() => parse([Buffer.from(`HTTP/1.1 200 OK\r\nX: ${"a".repeat(70_000)}`)]), BadResponseError);
  assert.throws(
    () => parse([Buffer.from("HTTP/1.1 200 OK\r\nContent-Length: 12x\r\n\r\n")]),
    BadResponseError,
  );
  assert.deepEqual(parse([Buffer.from("HTTP/1.1 200 OK\r\nCONTENT-LENGTH:\t2 \r\n\r\nok")]), [
    { status: 200, bodyBytes: 2, closes: false },
  ]);
});

test("the request is encoded once: host and user-agent by default, content-length from the body", () => {
  const url = new URL("http://blog.example.test:8080/wp-login.php?x=1");
  assert.equal(
    encodeRequest(url, "GET", {}, undefined).toString("latin1"),
    "GET /wp-login.php?x=1 HTTP/1.1\r\nhost: blog.example.test:8080\r\nuser-agent: shipshape-load\r\n\r\n",
  );
  const post = encodeRequest(url, "POST", { "Content-Type": "text/plain", Host: "other" }, "héllo");
  assert.equal(
    post.toString("utf8"),
    "POST /wp-login.php?x=1 HTTP/1.1\r\nuser-agent: shipshape-load\r\nContent-Type: text/plain\r\nHost: other\r\ncontent-length: 6\r\n\r\nhéllo",
  );
  assert.throws(() => encodeRequest(url, "GET", { "x-a": "1\r\nx-injected: 2" }, undefined), /line break/);
});
