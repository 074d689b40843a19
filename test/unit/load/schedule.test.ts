import assert from "node:assert/strict";
import { test } from "node:test";
import { CATCH_UP_MS, closedSchedule, openSchedule } from "../../../src/load/schedule.ts";

function drain(take: () => number): number[] {
  const out: number[] = [];
  for (let due = take(); due >= 0; due = take()) out.push(due);
  return out;
}

test("open schedule spreads the rate evenly and interleaves the connections", () => {
  const s = openSchedule(1000, 4, { durationMs: 20, count: undefined });
  const perConnection = [0, 1, 2, 3].map((c) => drain(() => s.take(c, 0)));
  // 1000 qps over 4 connections: each sends every 4 ms, connection c offset by c ms
  assert.deepEqual(perConnection[0], [0, 4, 8, 12, 16]);
  assert.deepEqual(perConnection[3], [3, 7, 11, 15, 19]);
  const all = perConnection.flat().sort((a, b) => a - b);
  assert.deepEqual(
    all,
    Array.from({ length: 20 }, (_, i) => i),
  );
  assert.equal(s.planned, 20);
});

test("open schedule with a count plans exactly that many requests, whatever the split", () => {
  const s = openSchedule(300, 7, { durationMs: undefined, count: 100 });
  const counts = [0, 1, 2, 3, 4, 5, 6].map((c) => drain(() => s.take(c, 0)).length);
  assert.equal(
    counts.reduce((a, b) => a + b),
    100,
  );
  assert.ok(Math.max(...counts) - Math.min(...counts) <= 1);
  assert.equal(s.planned, 100);
});

test("open schedule: the smaller of count and duration bounds the run; late sends get a catch-up window", () => {
  const s = openSchedule(100, 2, { durationMs: 1000, count: 30 });
  assert.equal(s.planned, 30);
  assert.equal(s.lapsed(1000), false);
  assert.equal(s.lapsed(1000 + CATCH_UP_MS), true);
});

test("closed schedule hands out 'now' until the count is used up, shared by all connections", () => {
  const s = closedSchedule({ durationMs: undefined, count: 5 });
  assert.equal(s.take(0, 3.5), 3.5);
  assert.equal(s.take(1, 4), 4);
  assert.equal(s.take(0, 5), 5);
  assert.equal(s.take(2, 6), 6);
  assert.equal(s.take(1, 7), 7);
  assert.equal(s.take(0, 8), -1);
  assert.equal(s.planned, 5);
});

test("closed schedule stops at the duration", () => {
  const s = closedSchedule({ durationMs: 100, count: undefined });
  assert.equal(s.take(0, 99.9), 99.9);
  assert.equal(s.take(0, 100), -1);
  assert.equal(s.lapsed(100), true);
  assert.equal(s.planned, undefined);
});

test("open schedule refuses a zero rate", () => {
  assert.throws(() => openSchedule(0, 1, { durationMs: 1, count: undefined }), RangeError);
});

test("open schedule: a connection's unsent requests are the due times after those it sent, before the end", () => {
  const s = openSchedule(100, 2, { durationMs: 1000, count: undefined }); // 100 planned, 10 ms apart
  // connection 0 sent 10 (numbers 0, 2, …, 18): the rest due before 500 ms are 20, 22, …, 48
  assert.deepEqual(s.unsentDue(0, 10, 500), { firstMs: 200, stepMs: 20, count: 15 });
  assert.deepEqual(s.unsentDue(1, 10, 500), { firstMs: 210, stepMs: 20, count: 15 });
  assert.equal(s.unsentDue(0, 10, Number.POSITIVE_INFINITY).count, 40, "all it planned");
  assert.equal(s.unsentDue(0, 50, Number.POSITIVE_INFINITY).count, 0, "it sent all");
  assert.equal(closedSchedule({ durationMs: 1000, count: 10 }).unsentDue(0, 0, 1000).count, 0);
});
