// The recorder holds passing answers and counts them in bulk: nothing held may be lost or counted
// twice, whichever way the holding ends (a full hold, a second passed, a flush for the result).
import assert from "node:assert/strict";
import { test } from "node:test";
import { LatencyHistogram } from "../../../src/load/histogram.ts";
import { ConnectionRecorder, FailureLog } from "../../../src/load/recorder.ts";
import { SecondsAssembler } from "../../../src/load/seconds-assembler.ts";

test("held answers are all counted once: full holds, seconds passed and the final flush", () => {
  const timeline = new SecondsAssembler(1);
  const failures = new FailureLog(100);
  const recorder = new ConnectionRecorder(0, timeline, failures);
  const expected = new LatencyHistogram(11);
  // 1000 answers over 2.5 s, every 50th a 503 (counted at once) among the held 200s
  for (let i = 0; i < 1000; i++) {
    const due = i * 2.5;
    const sent = due + (i % 3); // some sent late: latency counts from the due time
    const end = sent + 1 + (i % 7);
    const status = i % 50 === 49 ? 503 : 200;
    recorder.record(due, sent, end, status, undefined);
    expected.record((end - due) * 1000);
    if (i === 600) recorder.advance(due); // moves past second 0 with answers still held
  }
  recorder.flush();
  assert.equal(recorder.total.calls, 1000);
  assert.deepEqual(recorder.total.codesObject(), { 200: 980, 503: 20 });
  assert.equal(recorder.service.total, 1000);
  assert.deepEqual(
    recorder.total.latency.percentiles([0, 50, 90, 99, 100]),
    expected.percentiles([0, 50, 90, 99, 100]),
  );
  assert.equal(failures.events.length, 20);
  assert.deepEqual(
    failures.events.slice(0, 2).map((e) => e.atMs),
    [49 * 2.5, 99 * 2.5],
  );
  recorder.flush(); // nothing held any more: counts nothing again
  assert.equal(recorder.total.calls, 1000);
  recorder.advance(Number.POSITIVE_INFINITY);
  timeline.finish(2500);
  assert.deepEqual(
    timeline.seconds.map((s) => s.calls),
    [400, 400, 200],
  );
});
