import assert from "node:assert/strict";
import { test } from "node:test";
import { correlate, DEFAULT_CORRELATE, noReadyIntervals } from "../../../src/verify/correlate.ts";
import type { ClusterEvent, FailedRequest, Timeline } from "../../../src/verify/timeline.ts";

// Small hand-made timelines, one story each; the recorded ones are in verdict.test.ts.
const T0 = 1_700_000_000_000;
const at = (s: number) => T0 + s * 1000;

function timeline(events: ClusterEvent[], failures: FailedRequest[]) {
  return { startedAt: T0, endedAt: at(60), events, load: { failures } as Timeline["load"] };
}

const initiallyServing: ClusterEvent[] = ["old-a", "old-b"].map((pod) => ({
  t: T0,
  kind: "endpoint",
  pod,
  change: "added-ready",
  slice: "web-1",
}));

test("failures right after a pod went terminating are blamed on it (after-sigterm)", () => {
  const events: ClusterEvent[] = [
    ...initiallyServing,
    { t: at(10), kind: "pod", pod: "old-a", change: "terminating" },
    { t: at(10.4), kind: "endpoint", pod: "old-a", change: "terminating", slice: "web-1" },
  ];
  const failures = [
    { t: at(9.8), status: 502 }, // the watch tells us a little late: within the slack
    { t: at(10.1), status: 502 },
    { t: at(10.9), status: 502 },
    { t: at(13.2), error: "reset" },
  ];
  const [c, ...rest] = correlate(timeline(events, failures), { ...DEFAULT_CORRELATE, windowMs: 3000 });
  assert.equal(c?.kind, "after-sigterm");
  assert.deepEqual(c?.pods, ["old-a"]);
  assert.equal(c?.failures.length, 4, "13.2 s is within 3 s of the endpoint leaving at 10.4 s");
  assert.deepEqual(rest, []);
});

test("failures past the window after the endpoint left, or well before the pod went, are not blamed on it", () => {
  const events: ClusterEvent[] = [
    ...initiallyServing,
    { t: at(10), kind: "pod", pod: "old-a", change: "terminating" },
    { t: at(10.4), kind: "endpoint", pod: "old-a", change: "removed", slice: "web-1" },
  ];
  const correlations = correlate(
    timeline(events, [
      { t: at(13.5), status: 500 },
      { t: at(9.4), status: 500 },
    ]),
    { ...DEFAULT_CORRELATE, windowMs: 3000 },
  );
  assert.deepEqual(
    correlations.map((c) => [c.kind, c.failures.length]),
    [["unexplained", 2]],
  );
});

test("failures just after a NEW pod joined the endpoints point at a missing readiness probe", () => {
  const events: ClusterEvent[] = [
    ...initiallyServing,
    { t: at(5), kind: "pod", pod: "new-a", change: "created" },
    { t: at(6), kind: "endpoint", pod: "new-a", change: "added-ready", slice: "web-1" },
  ];
  const [c] = correlate(timeline(events, [{ t: at(6.2), error: "connect" }]));
  assert.equal(c?.kind, "before-ready");
  assert.deepEqual(c?.pods, ["new-a"]);
});

test("a pod that went terminating outranks a pod that joined, whichever the watches reported last", () => {
  const events: ClusterEvent[] = [
    ...initiallyServing,
    { t: at(5), kind: "pod", pod: "new-a", change: "created" },
    { t: at(6), kind: "endpoint", pod: "new-a", change: "added-ready", slice: "web-1" },
    { t: at(7), kind: "pod", pod: "old-a", change: "terminating" },
    { t: at(7.1), kind: "pod", pod: "new-b", change: "created" },
    { t: at(7.2), kind: "endpoint", pod: "new-b", change: "added-ready", slice: "web-1" },
  ];
  const failures = [
    { t: at(6.3), status: 503 },
    { t: at(7.5), status: 502 },
  ];
  const correlations = correlate(timeline(events, failures));
  assert.deepEqual(correlations.map((c) => [c.kind, c.pods, c.failures.map((f) => f.status)]).sort(), [
    ["after-sigterm", ["old-a"], [502]],
    ["before-ready", ["new-a"], [503]],
  ]);
});

test("failures while no endpoint was ready are capacity, whatever else happened", () => {
  const events: ClusterEvent[] = [
    ...initiallyServing,
    { t: at(10), kind: "pod", pod: "old-a", change: "terminating" },
    { t: at(10), kind: "pod", pod: "old-b", change: "terminating" },
    { t: at(10.2), kind: "endpoint", pod: "old-a", change: "terminating", slice: "web-1" },
    { t: at(10.3), kind: "endpoint", pod: "old-b", change: "terminating", slice: "web-1" },
    { t: at(20), kind: "endpoint", pod: "new-a", change: "added-ready", slice: "web-1" },
  ];
  assert.deepEqual(noReadyIntervals(events, at(60)), [[at(10.3), at(20)]]);
  const correlations = correlate(
    timeline(events, [
      { t: at(10.1), status: 502 },
      { t: at(15), error: "connect" },
    ]),
  );
  assert.deepEqual(correlations.map((c) => [c.kind, c.failures.length]).sort(), [
    ["after-sigterm", 1],
    ["no-ready-endpoints", 1],
  ]);
});

test("a deleted single pod (one database): failures before the delete are baseline, those until its successor is ready are capacity", () => {
  // A StatefulSet's replacement has the same name: its endpoint rejoins under it.
  const events: ClusterEvent[] = [
    { t: T0, kind: "endpoint", pod: "db-0", change: "added-ready", slice: "db-1" },
    { t: at(5), kind: "phase", phase: "pod-deleted", detail: "db-0" },
    { t: at(5.1), kind: "pod", pod: "db-0", change: "terminating" },
    { t: at(5.2), kind: "endpoint", pod: "db-0", change: "terminating", slice: "db-1" },
    { t: at(14), kind: "endpoint", pod: "db-0", change: "added-ready", slice: "db-1" },
  ];
  assert.deepEqual(noReadyIntervals(events, at(60)), [[at(5.2), at(14)]]);
  const correlations = correlate(
    timeline(events, [
      { t: at(3), status: 500 },
      { t: at(6), status: 500 },
      { t: at(13.9), status: 500 },
    ]),
  );
  assert.deepEqual(correlations.map((c) => [c.kind, c.failures.length]).sort(), [
    ["baseline", 1],
    ["no-ready-endpoints", 2],
  ]);
});

test("no failures, no correlations", () => {
  assert.deepEqual(correlate(timeline(initiallyServing, [])), []);
});
