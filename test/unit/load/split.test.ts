import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { startLoad } from "../../../src/load/run.ts";
import { openSchedule } from "../../../src/load/schedule.ts";
import { shareCount, shares } from "../../../src/load/split.ts";
import { withServer } from "./servers.ts";

function dues(take: () => number): number[] {
  const out: number[] = [];
  for (let due = take(); due >= 0; due = take()) out.push(due);
  return out;
}

const runShape = fc.record({
  qps: fc.integer({ min: 1, max: 5000 }),
  connections: fc.integer({ min: 1, max: 9 }),
  workers: fc.integer({ min: 1, max: 7 }),
  durationMs: fc.option(fc.integer({ min: 1, max: 3000 }), { nil: undefined }),
  count: fc.option(fc.integer({ min: 1, max: 2000 }), { nil: undefined }),
});

test("the shares of a split open schedule send exactly the whole run's requests, at the whole run's times", () => {
  fc.assert(
    fc.property(runShape, ({ qps, connections, workers, durationMs, count }) => {
      const bounds = { durationMs: durationMs ?? (count ? undefined : 1000), count };
      const whole = openSchedule(qps, connections, bounds);
      const expected = Array.from({ length: connections }, (_, c) => dues(() => whole.take(c, 0)))
        .flat()
        .sort((a, b) => a - b);
      const got: number[] = [];
      let planned = 0;
      for (const share of shares(workers)) {
        const s = openSchedule(qps, connections, bounds, share);
        const own = Array.from({ length: connections }, (_, c) => dues(() => s.take(c, 0))).flat();
        assert.equal(own.length, s.planned, "a share plans what it sends");
        // its rate is the whole's split exactly: every workers-th request of the whole run
        assert.equal(s.planned, shareCount(whole.planned!, share));
        assert.equal(s.spanMs, whole.spanMs, "every share's seconds end where the whole run's do");
        planned += s.planned!;
        got.push(...own);
      }
      assert.equal(planned, whole.planned);
      assert.deepEqual(
        got.sort((a, b) => a - b),
        expected,
      );
    }),
  );
});

test("worker w of N sends requests w, w+N, … : the workers interleave one rate, 1/qps apart", () => {
  const [first, second] = shares(2).map((share) =>
    openSchedule(1000, 1, { durationMs: 10, count: undefined }, share),
  );
  assert.deepEqual(
    dues(() => first!.take(0, 0)),
    [0, 2, 4, 6, 8],
  );
  assert.deepEqual(
    dues(() => second!.take(0, 0)),
    [1, 3, 5, 7, 9],
  );
});

test("a share's unsent requests are exactly its requests due before the time, after those it sent", () => {
  fc.assert(
    fc.property(
      runShape,
      fc.integer({ min: 0, max: 40 }),
      fc.integer({ min: 0, max: 4000 }),
      ({ qps, connections, workers, durationMs, count }, sent, untilMs) => {
        const bounds = { durationMs: durationMs ?? (count ? undefined : 1000), count };
        for (const share of shares(workers)) {
          const s = openSchedule(qps, connections, bounds, share);
          for (let conn = 0; conn < connections; conn++) {
            const all = dues(() => s.take(conn, 0));
            const expected = all.slice(sent).filter((due) => due < untilMs - 1e-9);
            const due = s.unsentDue(conn, Math.min(sent, all.length), untilMs);
            const series = Array.from({ length: due.count }, (_, k) => due.firstMs + k * due.stepMs);
            assert.equal(series.length, expected.length);
            for (const [k, ms] of series.entries()) assert.ok(Math.abs(ms - expected[k]!) < 1e-6);
          }
        }
      },
    ),
  );
});

test("workers started at different moments with one startAt share its clock: their seconds are the same seconds", async () => {
  await withServer(
    (_req, res) => res.end("ok"),
    async (url) => {
      const startAt = Date.now() + 400;
      const load = { url, qps: 200, connections: 2, durationMs: 1000 };
      const early = startLoad({ ...load, share: { index: 0, of: 2 }, startAt });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const late = startLoad({ ...load, share: { index: 1, of: 2 }, startAt });
      assert.ok(early.progress().elapsedMs < 0, "before the common start, nothing has run");
      const [a, b] = await Promise.all([early.result(), late.result()]);
      for (const r of [a, b]) {
        assert.equal(r.startedAt, new Date(startAt).toISOString());
        assert.equal(r.calls, 100, "each sends its half of 200 qps × 1 s");
        assert.deepEqual(
          r.timeline.map((s) => s.calls),
          [100],
        );
        // nothing fell behind the shared schedule; a latency bound here would only time the machine
        assert.equal(r.unsent, 0);
      }
    },
  );
});

test("a closed-model run split by count sends each worker its share of the count", async () => {
  await withServer(
    (_req, res) => res.end("ok"),
    async (url) => {
      const results = await Promise.all(
        shares(3).map((share) => startLoad({ url, qps: 0, connections: 2, count: 100, share }).result()),
      );
      assert.deepEqual(
        results.map((r) => r.calls),
        [34, 33, 33],
      );
    },
  );
});
