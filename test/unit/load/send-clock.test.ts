// The send clock: one timer for a run's connections, each woken once, never more than its window
// before its due time, and the waiters due close together woken in one go.
import assert from "node:assert/strict";
import { test } from "node:test";
import { batchWindowMs, SendClock } from "../../../src/load/send-clock.ts";

const BATCH_MS = 10;

function startedClock() {
  const t0 = performance.now();
  const now = () => performance.now() - t0;
  return { clock: new SendClock(now, BATCH_MS), now };
}

test("16 waiters due 1 ms apart are woken in at most 3 wake-ups, each once and none too early", async () => {
  const { clock } = startedClock();
  const woken: { due: number; at: number }[] = [];
  const ticks = new Set<number>();
  await new Promise<void>((done) => {
    for (let i = 0; i < 16; i++) {
      const due = 20 + i;
      clock.at(due, {
        wake(at) {
          woken.push({ due, at });
          ticks.add(at);
          if (woken.length === 16) done();
        },
      });
    }
  });
  assert.deepEqual(
    woken.map((w) => w.due).sort((a, b) => a - b),
    Array.from({ length: 16 }, (_, i) => 20 + i),
  );
  for (const w of woken) assert.ok(w.due - w.at <= BATCH_MS, `due ${w.due} woken at ${w.at}`);
  assert.ok(ticks.size <= 3, `${ticks.size} wake-ups`);
});

test("a waiter asking again inside the window is served by the same wake-up; an earlier due re-arms", async () => {
  const { clock } = startedClock();
  const order: string[] = [];
  await new Promise<void>((done) => {
    clock.at(200, { wake: () => order.push("late") });
    // added after, due earlier: the clock must not wait for the 200 ms one
    clock.at(15, {
      wake(at) {
        order.push("early");
        clock.at(at + BATCH_MS / 2, {
          wake(again) {
            order.push(again === at ? "again, same wake-up" : "again, later");
          },
        });
        setTimeout(done, 250);
      },
    });
  });
  assert.deepEqual(order, ["early", "again, same wake-up", "late"]);
});

test("the window is one connection's period (each wake-up sends once per connection), 10-50 ms", () => {
  assert.equal(batchWindowMs(1000, 16), 16);
  assert.equal(batchWindowMs(200, 8), 40);
  assert.equal(batchWindowMs(200, 16), 50, "at most 50 ms early at low rates");
  assert.equal(batchWindowMs(5000, 16), 10, "at least 10 ms at high rates");
  assert.equal(batchWindowMs(50_000, 64), 10);
});

test("a stopped clock wakes no one", async () => {
  const { clock } = startedClock();
  let woken = 0;
  clock.at(5, { wake: () => woken++ });
  clock.stop();
  clock.at(6, { wake: () => woken++ });
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(woken, 0);
});
