import assert from "node:assert/strict";
import { test } from "node:test";
import { ConnectionRecorder, FailureLog } from "../../../src/load/recorder.ts";
import { SecondsAssembler, type TimelineSecond } from "../../../src/load/seconds-assembler.ts";

test("a second is announced only once every connection has moved past it", () => {
  const timeline = new SecondsAssembler(2);
  const failures = new FailureLog(10);
  const [a, b] = [0, 1].map((i) => new ConnectionRecorder(i, timeline, failures));
  const seen: TimelineSecond[] = [];
  timeline.onSecond((s) => seen.push(s));

  a!.record(100, 100, 105, 200, undefined);
  b!.record(600, 600, 640, 503, undefined);
  a!.advance(1200); // a is in second 1; b still owes second 0
  assert.equal(seen.length, 0);
  b!.advance(1500);
  assert.deepEqual(
    seen.map((s) => [s.second, s.calls, s.codes]),
    [[0, 2, { 200: 1, 503: 1 }]],
  );
  assert.equal(seen[0]!.maxMs, 40);

  // a stalled request keeps its second open until it ends, and is counted where it was due
  a!.record(1200, 1200, 3300, 200, undefined);
  b!.record(1500, 1500, 1501, 200, undefined);
  b!.advance(3100);
  assert.equal(seen.length, 1, "second 1 waits for a's slow request");
  a!.advance(3300);
  assert.deepEqual(
    seen.map((s) => [s.second, s.calls]),
    [
      [0, 2],
      [1, 2],
      [2, 0],
    ],
  );
  assert.equal(seen[1]!.maxMs, 2100);
  assert.deepEqual(failures.events, [{ atMs: 600, latencyMs: 40, kind: "status", status: 503 }]);
});

test("finish announces the rest, scaling the last partial second to the scheduled span", () => {
  const timeline = new SecondsAssembler(1);
  const recorder = new ConnectionRecorder(0, timeline, new FailureLog(0));
  for (let t = 0; t < 1500; t += 10) recorder.record(t, t, t + 1, 200, undefined);
  recorder.advance(Number.POSITIVE_INFINITY);
  assert.equal(timeline.seconds.length, 0, "the end of the run announces the last seconds");
  timeline.finish(1500);
  assert.deepEqual(
    timeline.seconds.map((s) => [s.second, s.calls, s.qps]),
    [
      [0, 100, 100],
      [1, 50, 100],
    ],
  );
});

test("the failure log keeps the first failures up to its cap and counts the rest", () => {
  const log = new FailureLog(2);
  for (let i = 0; i < 5; i++) log.add({ atMs: i, latencyMs: 1, kind: "reset" });
  assert.deepEqual(
    log.events.map((e) => e.atMs),
    [0, 1],
  );
  assert.equal(log.dropped, 3);
});
