// The recorder holds passing answers and counts them in bulk: nothing held may be lost or counted
// twice, whichever way the holding ends (a full hold, a second passed, a flush for the result).
import assert from "node:assert/strict";
import { test } from "node:test";
import { classifyError } from "../../../src/load/failure.ts";
import { LatencyHistogram } from "../../../src/load/histogram.ts";
import { ConnectionRecorder, FailureLog } from "../../../src/load/recorder.ts";
import { SECOND_SUB_BITS, SecondsAssembler, timelineSecond } from "../../../src/load/seconds-assembler.ts";
import { RUN_SUB_BITS } from "../../../src/load/tally.ts";
import { WindowStats } from "../../../src/load/window.ts";
import { type WindowJson, windowToJson } from "../../../src/load/wire.ts";

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

// The answers of a run, fixed: latencies from 0 to past the histogram's top, every status class,
// each kind of error (a connect error has no latency), over six seconds, some sent late and some early.
function answers(): { due: number; sent: number; end: number; status: number; error?: Error }[] {
  const list = [];
  for (let i = 0; i < 3000; i++) {
    const due = i * 2 + (i % 5) * 0.37;
    const sent = due + ((i % 9) - 3) * 0.8;
    const wait = i % 97 === 0 ? 5e6 : i % 31 === 0 ? 0 : ((i * 7919) % 40_000) / 13 + (i % 11) * 0.001;
    const status = [200, 200, 200, 204, 301, 404, 200, 503, 200][i % 9]!;
    const code = ["ECONNREFUSED", "ETIMEDOUT", "ECONNRESET", "EPROTO"][i % 4]!;
    const error = i % 43 === 0 ? Object.assign(new Error(code), { code }) : undefined;
    list.push({ due, sent, end: Math.max(due, sent) + wait, status: error ? 0 : status, error });
  }
  return list;
}

test("the whole run and every second (as the timeline shows and a worker streams it) count exactly the answers recorded", () => {
  const timeline = new SecondsAssembler(1);
  const recorder = new ConnectionRecorder(0, timeline, new FailureLog(10_000));
  const streamed: WindowJson[] = [];
  timeline.onSecond((_, stats) => streamed.push(windowToJson(stats)));
  // counted by hand: every answer straight into the whole run and into its second
  const whole = new WindowStats(RUN_SUB_BITS);
  const seconds: WindowStats[] = [];
  for (const a of answers()) {
    const us = (a.end - Math.min(a.due, a.sent)) * 1000;
    const s = Math.floor(a.due / 1000);
    seconds[s] ??= new WindowStats(SECOND_SUB_BITS);
    const second = seconds[s];
    const kind = a.error && classifyError(a.error);
    for (const w of [whole, second]) {
      if (kind) w.recordError(kind, kind === "connect" ? undefined : us);
      else w.recordStatus(a.status, us);
    }
    recorder.record(a.due, a.sent, a.end, a.status, a.error);
    recorder.advance(a.due - 300); // answers come a little after the connection has moved on
  }
  recorder.advance(Number.POSITIVE_INFINITY);
  timeline.finish(6000);

  const { total } = recorder;
  assert.equal(total.calls, 3000);
  assert.deepEqual(total.codesObject(), whole.codesObject());
  assert.deepEqual(total.errors, whole.errors);
  assert.ok(total.errors.connect > 0 && total.errors.other > 0);
  const every = [0, 0.1, 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 99.99, 100];
  assert.deepEqual(total.latency.percentiles(every), whole.latency.percentiles(every));
  assert.deepEqual(
    [total.latency.total, total.latency.min, total.latency.max, total.latency.sum],
    [whole.latency.total, whole.latency.min, whole.latency.max, whole.latency.sum],
  );
  assert.deepEqual([...total.latency.buckets()], [...whole.latency.buckets()]);
  assert.equal(seconds.length, 6);
  assert.deepEqual(
    timeline.seconds,
    seconds.map((stats, s) => timelineSecond(s, stats, 1)),
  );
  // what a worker streams for each second: the same buckets, at the timeline's precision
  assert.deepEqual(
    streamed,
    seconds.map((stats) => windowToJson(stats)),
  );
});
