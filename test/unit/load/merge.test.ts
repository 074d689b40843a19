import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { LatencyHistogram } from "../../../src/load/histogram.ts";
import { SplitRunMerge } from "../../../src/load/merge.ts";
import { ConnectionRecorder, FailureLog } from "../../../src/load/recorder.ts";
import { SecondsAssembler, type TimelineSecond } from "../../../src/load/seconds-assembler.ts";
import { emptyTally, loadResultOf, type RunIdentity, type RunTally } from "../../../src/load/tally.ts";
import { histogramFromJson, histogramToJson, tallyToJson, windowToJson } from "../../../src/load/wire.ts";
import { parseWorkerLine, type WorkerLine } from "../../../src/load/worker.ts";

interface Request {
  dueMs: number;
  latencyMs: number;
  status: number;
}

const IDENTITY: RunIdentity = {
  url: "http://web.test/",
  method: "GET",
  model: "open",
  targetQps: 100,
  connections: 4,
  pipelining: 1,
  startedAt: Date.UTC(2026, 0, 1),
};

/** One stream's run: its requests recorded as a run records them, its seconds and tally out. */
function record(requests: Request[], endMs: number) {
  const timeline = new SecondsAssembler(1);
  const failures = new FailureLog(1000);
  const recorder = new ConnectionRecorder(0, timeline, failures);
  const lines: WorkerLine[] = [{ shipshapeWorker: "ready", worker: 0 }];
  timeline.onSecond((entry, stats, widthSeconds) =>
    lines.push({
      shipshapeWorker: "second",
      second: entry.second,
      widthSeconds,
      window: windowToJson(stats),
    }),
  );
  for (const r of [...requests].sort((a, b) => a.dueMs - b.dueMs)) {
    recorder.advance(r.dueMs);
    recorder.record(r.dueMs, r.dueMs, r.dueMs + r.latencyMs, r.status, undefined);
  }
  recorder.advance(Number.POSITIVE_INFINITY);
  timeline.finish(endMs);
  const tally: RunTally = emptyTally();
  tally.total.merge(recorder.total);
  tally.service.merge(recorder.service);
  tally.failed.merge(recorder.failed);
  tally.failures = failures.events;
  tally.sent = requests.length;
  tally.runMs = endMs;
  lines.push({ shipshapeWorker: "end", tally: tallyToJson(tally) });
  return { lines, tally, seconds: timeline.seconds };
}

/** Through the wire as the CLI reads it: text lines, parsed back. */
function send(merge: SplitRunMerge, worker: string, lines: WorkerLine[]): void {
  for (const line of lines) merge.add(worker, parseWorkerLine(JSON.stringify(line))!);
}

const requests = fc.array(
  fc.record({
    dueMs: fc.integer({ min: 0, max: 4999 }),
    latencyMs: fc.double({ min: 0.05, max: 3000, noNaN: true }),
    status: fc.constantFrom(200, 200, 200, 404, 503),
  }),
  { minLength: 1, maxLength: 300 },
);

test("N workers' streamed windows and histograms merge into exactly what one stream of all their requests gives", () => {
  fc.assert(
    fc.property(requests, fc.integer({ min: 1, max: 5 }), (all, workers) => {
      const endMs = 5000;
      const one = record(all, endMs);
      const merge = new SplitRunMerge(IDENTITY, 1000);
      const names = Array.from({ length: workers }, (_, w) => `load-${w}`);
      names.forEach((name, w) => {
        send(
          merge,
          name,
          record(
            all.filter((_, i) => i % workers === w),
            endMs,
          ).lines,
        );
      });
      const merged = merge.result(names.map((name, index) => ({ name, index, state: "ran" })));
      const alone = loadResultOf(IDENTITY, one.tally, one.seconds);

      const shape = (s: TimelineSecond) => [s.second, s.calls, s.qps, s.codes, s.p50Ms, s.p99Ms, s.maxMs];
      assert.deepEqual(merged.timeline.map(shape), alone.timeline.map(shape));
      assert.deepEqual(merged.latencyMs, alone.latencyMs);
      assert.deepEqual(merged.serviceTimeMs, alone.serviceTimeMs);
      assert.deepEqual(merged.percentiles, alone.percentiles);
      assert.deepEqual(merged.codes, alone.codes);
      assert.equal(merged.calls, all.length);
      // the failed requests, in time order; those due in the same ms may come in either order (one run
      // keeps them as they complete, the merge as its workers sent them)
      assert.ok(
        merged.failures.every((f, i, list) => i === 0 || list[i - 1]!.atMs <= f.atMs),
        "failed requests in time order",
      );
      const unordered = (list: typeof merged.failures) => list.map((f) => JSON.stringify(f)).sort();
      assert.deepEqual(unordered(merged.failures), unordered(alone.failures), "the same failed requests");
      assert.deepEqual(
        merged.workers?.map((w) => w.calls),
        names.map((_, w) => all.filter((_, i) => i % workers === w).length),
      );
    }),
  );
});

test("a histogram crosses the wire exactly: every bucket, min, max and sum", () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 32 }), { maxLength: 200 }), (values) => {
      const h = new LatencyHistogram(11);
      for (const v of values) h.record(v);
      const back = histogramFromJson(JSON.parse(JSON.stringify(histogramToJson(h))));
      assert.deepEqual([...back.buckets()], [...h.buckets()]);
      assert.deepEqual([back.total, back.min, back.max, back.sum], [h.total, h.min, h.max, h.sum]);
    }),
  );
});

test("a worker that died before its end still counts, with the seconds it streamed", () => {
  const all: Request[] = Array.from({ length: 300 }, (_, i) => ({
    dueMs: i * 10,
    latencyMs: 5 + (i % 7),
    status: 200,
  }));
  const alive = record(
    all.filter((_, i) => i % 2 === 0),
    3000,
  );
  const dead = record(
    all.filter((_, i) => i % 2 === 1 && i * 10 < 2000),
    3000,
  );
  // it streamed seconds 0 and 1, then went: no third second, no end
  const streamed = dead.lines.filter(
    (l) => l.shipshapeWorker !== "end" && !(l.shipshapeWorker === "second" && l.second >= 2),
  );
  const merge = new SplitRunMerge(IDENTITY, 1000);
  send(merge, "alive", alive.lines);
  send(merge, "dead", streamed);
  assert.equal(merge.hasEnded("dead"), false);
  const result = merge.result([
    { name: "alive", index: 0, state: "ran" },
    { name: "dead", index: 1, state: "died", detail: "its pod was deleted" },
  ]);
  assert.equal(result.calls, 150 + 100);
  assert.deepEqual(
    result.timeline.map((s) => s.calls),
    [100, 100, 50],
  );
  assert.deepEqual(
    result.workers?.map((w) => [w.name, w.state, w.calls]),
    [
      ["alive", "ran", 150],
      ["dead", "died", 100],
    ],
  );
  // the dead worker's latencies come at its seconds' precision (2 digits), not dropped
  assert.ok(Math.abs(result.latencyMs.max - 11) < 0.1, `max ${result.latencyMs.max}`);
  assert.ok(result.latencyMs.p50 >= 7.9 && result.latencyMs.p50 <= 8.1, `p50 ${result.latencyMs.p50}`);
});

test("lines that are not a worker's are ignored, whatever else a log holds", () => {
  assert.equal(parseWorkerLine("npm warn something"), undefined);
  assert.equal(parseWorkerLine('{"shipshapeWorker":"second", broken'), undefined);
  assert.deepEqual(parseWorkerLine('{"shipshapeWorker":"ready","worker":3}'), {
    shipshapeWorker: "ready",
    worker: 3,
  });
});
