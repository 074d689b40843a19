// Coordinated omission: a server that stalls for 1 s once. Measured from each request's intended
// send time (corrected) the stall dominates the tail; measured from the actual send (what a naive
// tool does) it almost vanishes, because the requests queued behind the stall were never "sent".
import assert from "node:assert/strict";
import { test } from "node:test";
import { startLoad } from "../../../src/load/run.ts";
import { withServer } from "./servers.ts";

test("a 1 s stall shows in the corrected p99 and not in the uncorrected one", async () => {
  let served = 0;
  let stallEnds = 0;
  await withServer(
    (_req, res) => {
      served += 1;
      if (served === 200) stallEnds = Date.now() + 1000; // after about a second of load: freeze 1 s
      const hold = stallEnds - Date.now();
      if (hold > 0) setTimeout(() => res.end("ok"), hold);
      else res.end("ok");
    },
    async (url) => {
      const result = await startLoad({ url: url, qps: 200, connections: 8, durationMs: 6000 }).result();
      assert.equal(result.calls, 1200);
      assert.ok(result.latencyMs.max >= 900, `max ${result.latencyMs.max}`);
      // ~200 requests were due during the stall: their corrected latencies run from ~0 up to 1000 ms
      assert.ok(
        result.latencyMs.p99 >= 500,
        `corrected p99 ${result.latencyMs.p99} ms should show the stall`,
      );
      assert.ok(result.latencyMs.p90 >= 100, `corrected p90 ${result.latencyMs.p90} ms`);
      // only the 8 requests on the wire (one per connection) waited, < 1 %: uncorrected p99 misses it
      // (half the stall is the bound, so a busy machine's own pauses do not decide the test)
      assert.ok(result.serviceTimeMs.p99 < 500, `uncorrected p99 ${result.serviceTimeMs.p99} ms`);
      // the timeline places the slow requests in the seconds they were due
      const worst = result.timeline.reduce((a, b) => (b.p99Ms > a.p99Ms ? b : a));
      assert.ok(worst.second >= 0 && worst.second <= 2, `stall seen in second ${worst.second}`);
    },
  );
});

test("requests a stalled server left unsent count in the corrected latency, waiting until the end", async () => {
  await withServer(
    (_req, res) => setTimeout(() => res.end("late"), 1500),
    async (url) => {
      // one connection at 100 qps for 1 s: it sends at 0 and 1.5 s, then the schedule has lapsed; the
      // second request is dropped at the hard bound (1 s + 1 s grace), never answered
      const result = await startLoad({ url, qps: 100, connections: 1, durationMs: 1000 }).result();
      assert.equal(result.calls, 1);
      assert.equal(result.interrupted, 1);
      assert.equal(result.unsent, 98);
      const recorded = result.histogram.reduce((n, bin) => n + bin.count, 0);
      assert.equal(recorded, 100, "every planned request has a latency, the dropped one included");
      // the unsent ones waited from 20…990 ms until the end (~2 s): without them p50 would be 1.5 s
      assert.ok(result.latencyMs.p50 > 1000, `corrected p50 ${result.latencyMs.p50} ms`);
      assert.ok(
        result.durationSeconds < 2.5,
        `the run ended at the hard bound (${result.durationSeconds} s)`,
      );
      assert.ok(result.latencyMs.max <= result.durationSeconds * 1000 + 1);
      assert.ok(result.serviceTimeMs.p50 < 1600, "the service time is the sent requests' only");
    },
  );
});

test("after a stop, only the requests due before it count as unsent waits, until the stop", async () => {
  await withServer(
    (_req, res) => setTimeout(() => res.end("slow"), 400),
    async (url) => {
      // one connection, 400 ms answers, 100 qps: at the stop (~500 ms) ~48 requests are due and unsent
      const run = startLoad({ url, qps: 100, connections: 1, durationMs: 60_000 });
      await new Promise((resolve) => setTimeout(resolve, 500));
      const stopMs = performance.timeOrigin + performance.now() - run.startedAt;
      run.stop(2000); // the request in flight finishes ~300 ms later: no request due then is charged
      const result = await run.result();
      assert.ok(result.durationSeconds * 1000 > stopMs + 200, `ran ${result.durationSeconds} s`);
      const recorded = result.histogram.reduce((n, bin) => n + bin.count, 0);
      const dueBeforeStop = Math.ceil(stopMs / 10);
      assert.ok(Math.abs(recorded - dueBeforeStop) <= 2, `${recorded} latencies, ${dueBeforeStop} due`);
      assert.ok(
        result.latencyMs.p50 < 400,
        `corrected p50 ${result.latencyMs.p50} ms: waits end at the stop`,
      );
    },
  );
});
