// The floor of bench/load.ts: the least a Node client can do for a load run, to tell Node's own cost
// apart from shipshape's. The same request bytes (encodeRequest), the same sockets (one buffer for
// every read, no stream events), the same schedule and send batching (batchWindowMs) as
// `shipshape load`, and nothing else: no parser (answers are counted by bytes, the server's answer
// having one size), no latency, no timeline, no failure handling. What it spends per request is
// what any Node client pays for the sockets, the timer and the wake-ups at that rate.
//   node bench/load-floor.ts URL QPS CONNECTIONS SECONDS [COUNT]   (QPS 0: as fast as it goes;
//   COUNT > 0: that many requests in all, the closed model) → prints {"calls":…,"qps":…}
import { connect, type Socket } from "node:net";
import { encodeRequest } from "../src/load/http1.ts";
import { batchWindowMs } from "../src/load/send-clock.ts";

const [target, qpsArg, connectionsArg, secondsArg, countArg = "0"] = process.argv.slice(2);
if (!target || !qpsArg || !connectionsArg || !secondsArg) {
  process.stderr.write("usage: node bench/load-floor.ts URL QPS CONNECTIONS SECONDS [COUNT]\n");
  process.exit(2);
}
const url = new URL(target);
const qps = Number(qpsArg);
const connections = Number(connectionsArg);
const count = Number(countArg);
const durationMs = count > 0 ? Number.POSITIVE_INFINITY : Number(secondsArg) * 1000;
const request = encodeRequest(url, "GET", {}, undefined);
const windowMs = qps > 0 ? batchWindowMs(qps, connections) : 0;
const periodMs = qps > 0 ? (connections * 1000) / qps : 0;
const readBuffer = Buffer.allocUnsafe(64 * 1024);
/** The size of one answer, learnt from the first (every later one must have it: checked at the end). */
let answerBytes = 0;
let calls = 0;
let sent = 0;
let receivedBytes = 0;
let timer: NodeJS.Timeout | undefined;
const t0 = performance.now();
const now = () => performance.now() - t0;

interface Conn {
  socket: Socket;
  busy: boolean;
  /** Bytes of an answer not yet whole. */
  pending: number;
  /** Connection k's requests are due at k/qps + n·C/qps: the open schedule's interleaving. */
  nextDueMs: number;
}

function sizeOfFirstAnswer(bytes: Buffer, length: number): number {
  const text = bytes.toString("latin1", 0, length);
  const headEnd = text.indexOf("\r\n\r\n");
  const contentLength = /\r\ncontent-length: *(\d+)/i.exec(text);
  if (headEnd < 0 || !contentLength) throw new Error("the first answer's head is not whole in one read");
  return headEnd + 4 + Number(contentLength[1]);
}

/** Whether `conn` has a request left: by count, by due time (open model) or by the clock (closed). */
function hasMore(conn: Conn, at: number): boolean {
  if (count > 0) return sent < count;
  return (qps > 0 ? conn.nextDueMs : at) < durationMs;
}

function send(conn: Conn): void {
  conn.busy = true;
  sent += 1;
  conn.nextDueMs += periodMs;
  conn.socket.write(request);
}

function onAnswer(conn: Conn): void {
  calls += 1;
  conn.busy = false;
  const at = now();
  if (!hasMore(conn, at)) finishIfDone(at);
  else if (qps === 0 || conn.nextDueMs <= at + windowMs) send(conn);
  else arm();
}

const conns: Conn[] = Array.from({ length: connections }, (_, k) => {
  const conn: Conn = { socket: undefined as unknown as Socket, busy: false, pending: 0, nextDueMs: 0 };
  conn.nextDueMs = qps > 0 ? (k * 1000) / qps : 0;
  conn.socket = connect({
    host: url.hostname,
    port: Number(url.port),
    onread: {
      buffer: readBuffer,
      callback: (n) => {
        if (answerBytes === 0) answerBytes = sizeOfFirstAnswer(readBuffer, n);
        receivedBytes += n;
        conn.pending += n;
        while (conn.pending >= answerBytes) {
          conn.pending -= answerBytes;
          onAnswer(conn);
        }
        return true;
      },
    },
  });
  conn.socket.setNoDelay(true);
  return conn;
});

/** One timer for the run, at the earliest idle connection's due time (as shipshape's send clock). */
function arm(): void {
  let earliest = Number.POSITIVE_INFINITY;
  for (const c of conns) if (!c.busy && hasMore(c, 0) && c.nextDueMs < earliest) earliest = c.nextDueMs;
  if (earliest === Number.POSITIVE_INFINITY) return;
  if (timer) clearTimeout(timer);
  timer = setTimeout(tick, Math.max(1, Math.round(earliest - 1 - now())));
}

function tick(): void {
  timer = undefined;
  const at = now();
  for (const c of conns) if (!c.busy && c.nextDueMs <= at + windowMs && hasMore(c, at)) send(c);
  arm();
}

function finishIfDone(at: number): void {
  if (conns.some((c) => c.busy || hasMore(c, at))) return;
  if (timer) clearTimeout(timer);
  const seconds = now() / 1000;
  for (const c of conns) c.socket.destroy();
  if (receivedBytes !== calls * answerBytes) {
    process.stderr.write(`answers of different sizes: ${receivedBytes} bytes for ${calls} answers\n`);
    process.exit(1);
  }
  process.stdout.write(`${JSON.stringify({ calls, qps: calls / seconds })}\n`);
}

let connected = 0;
for (const c of conns) {
  c.socket.once("connect", () => {
    connected += 1;
    if (connected < connections) return;
    if (qps > 0) tick();
    else for (const conn of conns) if (hasMore(conn, now())) send(conn);
  });
  c.socket.on("error", (error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  });
}
