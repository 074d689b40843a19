// The fixed-rate bar: against a server that answers after 10 ms, 200 qps for 10 s must come out
// at the target rate with a p50 that is the server's delay plus little. (Slow by nature: 10 s.)
import assert from "node:assert/strict";
import { test } from "node:test";
import { startLoad } from "../../../src/load/run.ts";
import { after, withServer } from "./servers.ts";

test("10 ms server at 200 qps for 10 s: p50 within 10-12 ms, achieved qps within 1 % of target", async () => {
  await withServer(
    (_req, res) => after(10, () => res.end("ok")),
    async (url) => {
      const result = await startLoad({
        url: url,
        qps: 200,
        connections: 8,
        durationMs: 10_000,
      }).result();
      assert.equal(result.calls, 2000);
      assert.deepEqual(result.codes, { 200: 2000 });
      assert.ok(
        result.latencyMs.p50 >= 10 && result.latencyMs.p50 <= 12,
        `p50 ${result.latencyMs.p50} ms outside 10-12 ms`,
      );
      assert.ok(Math.abs(result.qps - 200) <= 2, `achieved ${result.qps} qps, target 200`);
      assert.equal(result.sockets, 8, "keep-alive: one socket per connection");
      assert.equal(result.timeline.length, 10);
      for (const second of result.timeline) assert.equal(second.calls, 200, `second ${second.second}`);
    },
  );
});
