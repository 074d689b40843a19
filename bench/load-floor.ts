// The floor of bench/load.ts: the least a Node client can do for a load run, to tell Node's own cost
// apart from shipshape's. The same request bytes (encodeRequest), the same sockets (one buffer for
// every read, no stream events), the same schedule and send clock (schedule.ts, send-clock.ts) as
// `shipshape load`, and nothing else: no parser (answers are counted by bytes, the server's answer
// having one size), no latency, no timeline, no failure handling. What it spends per request is
// what any Node client pays for the sockets, the timer and the wake-ups at that rate.
//   node bench/load-floor.ts URL QPS CONNECTIONS SECONDS [COUNT]   (QPS 0: as fast as it goes;
//   COUNT > 0: that many requests in all, the closed model) → prints {"calls":…,"qps":…}
import { connect, type Socket } from "node:net";
import { encodeRequest } from "../src/load/http1.ts";
import { closedSchedule, openSchedule } from "../src/load/schedule.ts";
import { batchWindowMs, SendClock, type Waiter } from "../src/load/send-clock.ts";

const [target, qpsArg, connectionsArg, secondsArg, countArg = "0"] = process.argv.slice(2);
if (!target || !qpsArg || !connectionsArg || !secondsArg) {
  process.stderr.write("usage: node bench/load-floor.ts URL QPS CONNECTIONS SECONDS [COUNT]\n");
  process.exit(2);
}
const url = new URL(target);
const qps = Number(qpsArg);
const connections = Number(connectionsArg);
const count = Number(countArg);
const bounds =
  count > 0 ? { durationMs: undefined, count } : { durationMs: Number(secondsArg) * 1000, count: undefined };
// as startLoad builds them (run.ts)
const schedule = qps > 0 ? openSchedule(qps, connections, bounds) : closedSchedule(bounds);
const t0 = performance.now();
const now = () => performance.now() - t0;
const clock = new SendClock(now, batchWindowMs(qps, connections));
const request = encodeRequest(url, "GET", {}, undefined);
const readBuffer = Buffer.allocUnsafe(64 * 1024);
/** The size of one answer, learnt from the first (every later one must have it: checked at the end). */
let answerBytes = 0;
let calls = 0;
let receivedBytes = 0;

function sizeOfFirstAnswer(bytes: Buffer, length: number): number {
  const text = bytes.toString("latin1", 0, length);
  const headEnd = text.indexOf("\r\n\r\n");
  const contentLength = /\r\ncontent-length: *(\d+)/i.exec(text);
  if (headEnd < 0 || !contentLength) throw new Error("the first answer's head is not whole in one read");
  return headEnd + 4 + Number(contentLength[1]);
}

const NOT_TAKEN = -2;

/** One connection: connection.ts's pump, with no client, recorder or failure handling around it. */
class FloorConnection implements Waiter {
  busy = false;
  done = false;
  private waiting = false;
  private nextDue = NOT_TAKEN;
  /** Bytes of an answer not yet whole. */
  private pending = 0;
  readonly socket: Socket;
  private readonly index: number;

  constructor(index: number) {
    this.index = index;
    this.socket = connect({
      host: url.hostname,
      port: Number(url.port),
      onread: { buffer: readBuffer, callback: (n) => this.read(n) },
    });
    this.socket.setNoDelay(true);
  }

  wake(): void {
    this.waiting = false;
    this.pump();
  }

  pump(): void {
    if (this.busy || this.waiting || this.done) return;
    const at = now();
    if (this.nextDue === NOT_TAKEN) this.nextDue = schedule.take(this.index, at);
    if (this.nextDue < 0 || schedule.lapsed(at)) {
      this.done = true;
      finishIfDone();
    } else if (this.nextDue - at > clock.batchMs) {
      this.waiting = true;
      clock.at(this.nextDue, this);
    } else {
      this.nextDue = NOT_TAKEN;
      this.busy = true;
      this.socket.write(request);
    }
  }

  private read(n: number): boolean {
    if (answerBytes === 0) answerBytes = sizeOfFirstAnswer(readBuffer, n);
    receivedBytes += n;
    this.pending += n;
    while (this.pending >= answerBytes) {
      this.pending -= answerBytes;
      calls += 1;
      this.busy = false;
      this.pump();
    }
    return true;
  }
}

const conns = Array.from({ length: connections }, (_, k) => new FloorConnection(k));

function finishIfDone(): void {
  if (conns.some((c) => c.busy || !c.done)) return;
  clock.stop();
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
    if (connected === connections) for (const conn of conns) conn.pump();
  });
  c.socket.on("error", (error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  });
}
