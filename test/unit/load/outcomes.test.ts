// What a load run counts: status codes exactly, and connect errors, timeouts and resets apart,
// without crashing; stop() gives a partial result; seconds are announced while the run goes.
import assert from "node:assert/strict";
import type { IncomingMessage, ServerResponse } from "node:http";
import { test } from "node:test";
import { InputError } from "../../../src/errors.ts";
import { startLoad } from "../../../src/load/run.ts";
import type { TimelineSecond } from "../../../src/load/seconds-assembler.ts";
import { closedPort, every10th502, withServer } from "./servers.ts";

test("502 for every 10th request: the 502 count is exact, each one kept as a failure", async () => {
  await withServer(every10th502(), async (url) => {
    const result = await startLoad({ url: url, qps: 0, connections: 4, count: 1000 }).result();
    assert.deepEqual(result.codes, { 200: 900, 502: 100 });
    assert.equal(result.calls, 1000);
    assert.equal(result.failures.length, 100);
    assert.ok(result.failures.every((f) => f.kind === "status" && f.status === 502));
    assert.deepEqual(result.errors, { connect: 0, timeout: 0, reset: 0, other: 0 });
    const timelineCodes = result.timeline.reduce((sum, s) => sum + (s.codes["502"] ?? 0), 0);
    assert.equal(timelineCodes, 100);
  });
});

test("connection refused is counted as connect errors by cause, with no latency, not a crash", async () => {
  const url = `http://127.0.0.1:${await closedPort()}/`;
  const result = await startLoad({ url, qps: 0, connections: 2, count: 20 }).result();
  assert.equal(result.calls, 20);
  assert.deepEqual(result.errors, { connect: 20, timeout: 0, reset: 0, other: 0 });
  assert.deepEqual(result.errorCauses, [{ kind: "connect", code: "ECONNREFUSED", count: 20 }]);
  assert.deepEqual(result.codes, {});
  assert.equal(result.failures[0]?.detail, "ECONNREFUSED");
  // a request that reached no server has no latency to count: none in the percentiles or the timeline
  assert.deepEqual(result.percentiles, []);
  assert.equal(result.latencyMs.max, 0);
  assert.equal(result.serviceTimeMs.max, 0);
  assert.ok(result.timeline.every((s) => s.maxMs === 0));
});

test("a server that never answers: requests time out and are counted as timeouts", async () => {
  await withServer(
    () => {},
    async (url) => {
      const result = await startLoad({
        url: url,
        qps: 0,
        connections: 2,
        count: 4,
        timeoutMs: 150,
      }).result();
      assert.deepEqual(result.errors, { connect: 0, timeout: 4, reset: 0, other: 0 });
      assert.ok(result.latencyMs.min >= 150, `timed out after ${result.latencyMs.min} ms`);
      // far below a second, however busy the machine: the timeout, not the run's end, closed them
      assert.ok(result.latencyMs.max < 1000, `timed out only after ${result.latencyMs.max} ms`);
      assert.equal(result.failures[0]?.detail, "REQUEST_TIMEOUT");
      assert.deepEqual(result.errorCauses, [{ kind: "timeout", code: "REQUEST_TIMEOUT", count: 4 }]);
    },
  );
});

test("a server that drops the connection: counted as resets, and the sockets re-made", async () => {
  await withServer(
    (req) => req.socket.destroy(),
    async (url) => {
      const result = await startLoad({ url: url, qps: 0, connections: 2, count: 10 }).result();
      assert.deepEqual(result.errors, { connect: 0, timeout: 0, reset: 10, other: 0 });
      assert.equal(result.sockets, 10);
    },
  );
});

test("stop() ends the run early with the partial result", async () => {
  await withServer(
    (_req, res) => setTimeout(() => res.end("ok"), 5),
    async (url) => {
      const began = performance.now();
      const run = startLoad({ url: url, qps: 100, connections: 2, durationMs: 60_000 });
      await new Promise((resolve) => setTimeout(resolve, 400));
      const ranSeconds = (performance.now() - began) / 1000; // a busy machine fires the timer late
      run.stop();
      const result = await run.result();
      assert.equal(result.stopped, true);
      assert.ok(result.durationSeconds < ranSeconds + 1, `ran ${result.durationSeconds} s`);
      assert.ok(result.calls >= 20 && result.calls <= 100 * ranSeconds + 10, `${result.calls} calls`);
      assert.equal(result.calls + result.unsent + result.interrupted, 6000);
    },
  );
});

test("seconds are announced in order while the run goes, and add up to the totals", async () => {
  await withServer(
    (_req, res) => res.end("ok"),
    async (url) => {
      const run = startLoad({ url: url, qps: 100, connections: 3, durationMs: 2500 });
      const seen: TimelineSecond[] = [];
      let announcedBeforeEnd = 0;
      let ended = false;
      run.onSecond((s) => {
        seen.push(s);
        if (!ended) announcedBeforeEnd += 1;
      });
      const resultPromise = run.result();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.ok(seen.length >= 1, "second 0 announced during the run");
      assert.ok(run.progress().calls >= 100);
      const result = await resultPromise;
      ended = true;
      assert.deepEqual(
        seen.map((s) => s.second),
        [0, 1, 2],
      );
      assert.ok(announcedBeforeEnd >= 2);
      assert.equal(
        seen.reduce((n, s) => n + s.calls, 0),
        result.calls,
      );
      assert.deepEqual(
        seen.map((s) => s.calls),
        [100, 100, 50],
      );
      assert.equal(Math.round(seen[2]!.qps), 100, "the half second at the end is scaled to its length");
    },
  );
});

test("bad options are refused before anything is sent", () => {
  const refused = (field: string) => (error: unknown) =>
    error instanceof InputError && error.place.field === field;
  assert.throws(() => startLoad({ url: "ftp://x/", qps: 1 }), refused("url"));
  assert.throws(() => startLoad({ url: "http://127.0.0.1/", qps: -1 }), refused("qps"));
  assert.throws(
    () => startLoad({ url: "http://127.0.0.1/", qps: 1, connections: 100_000 }),
    refused("connections"),
  );
  assert.throws(() => startLoad({ url: "http://127.0.0.1/", qps: 1, durationMs: 1e12 }), refused("duration"));
  assert.throws(() => startLoad({ url: "http://127.0.0.1/", qps: 1, count: 0.5 }), refused("count"));
});

test("pipelining keeps several requests in flight on one socket, still counted exactly", async () => {
  await withServer(every10th502(), async (url) => {
    const result = await startLoad({
      url: url,
      qps: 0,
      connections: 2,
      count: 400,
      pipelining: 4,
    }).result();
    assert.deepEqual(result.codes, { 200: 360, 502: 40 });
    assert.equal(result.sockets, 2);
    assert.equal(
      result.timeline.reduce((sum, s) => sum + s.calls, 0),
      400,
    );
  });
});

test("a server that closes after every answer: each request gets a new socket, none fails", async () => {
  await withServer(
    (_req, res) => {
      res.setHeader("connection", "close");
      res.end("once");
    },
    async (url) => {
      const result = await startLoad({ url, qps: 0, connections: 2, count: 30 }).result();
      assert.deepEqual(result.codes, { 200: 30 });
      assert.equal(result.sockets, 30);
    },
  );
});

test("chunked answers and HEAD requests are read to their end on a kept-alive socket", async () => {
  await withServer(
    (req, res) => {
      if (req.method === "HEAD") return res.end();
      res.write("first ");
      setImmediate(() => res.end("and last"));
    },
    async (url) => {
      const get = await startLoad({ url, qps: 0, connections: 1, count: 20 }).result();
      assert.deepEqual(get.codes, { 200: 20 });
      assert.equal(get.sockets, 1);
      assert.ok(get.bytes.received > 20 * "first and last".length);
      const head = await startLoad({ url, qps: 0, connections: 1, count: 20, method: "HEAD" }).result();
      assert.deepEqual(head.codes, { 200: 20 });
      assert.equal(head.sockets, 1);
    },
  );
});

test("a kept-alive socket closed under a GET: sent again once on a new socket, not a failure", async () => {
  const answered = new WeakSet<object>();
  // each socket answers once, then drops the next request unanswered (an idle-close race)
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    if (answered.has(req.socket)) return req.socket.destroy();
    answered.add(req.socket);
    res.end("ok");
  };
  await withServer(handler, async (url) => {
    const get = await startLoad({ url, qps: 0, connections: 1, count: 10 }).result();
    assert.deepEqual(get.codes, { 200: 10 });
    assert.equal(get.retried, 9);
    assert.equal(get.sockets, 10);
    // a POST is not idempotent: the same race is a reset, never repeated behind the user's back
    const post = await startLoad({
      url,
      qps: 0,
      connections: 1,
      count: 10,
      method: "POST",
      body: "x",
    }).result();
    assert.equal(post.retried, 0);
    assert.equal(post.codes["200"], 5);
    assert.equal(post.errors.reset, 5);
  });
});
