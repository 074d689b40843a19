import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { waitFor } from "../../integration/support/wait-for.ts";

test("returns the first value that is not undefined, null or false — 0 and '' count as values", async () => {
  const answers = [undefined, null, false, 0];
  let calls = 0;
  const value = await waitFor(() => answers[calls++], { timeoutMs: 1000, what: "zero", intervalMs: 1 });
  assert.equal(value, 0);
  assert.equal(calls, 4);
  assert.equal(await waitFor(async () => "", { timeoutMs: 100, what: "empty" }), "");
});

test("a thrown error means not yet", async () => {
  let calls = 0;
  const value = await waitFor(
    () => {
      calls++;
      if (calls < 3) throw new Error("not found");
      return "found";
    },
    { timeoutMs: 1000, what: "found", intervalMs: 1 },
  );
  assert.equal(value, "found");
});

test("times out naming what it waited for and the last error", async () => {
  await assert.rejects(
    waitFor(
      () => {
        throw new Error("connection refused");
      },
      { timeoutMs: 30, what: "the apiserver", intervalMs: 5 },
    ),
    /timed out after 30 ms waiting for the apiserver \(last error: connection refused\)/,
  );
});

test("a call that hangs does not outlive the deadline", async () => {
  const started = Date.now();
  await assert.rejects(
    waitFor(() => sleep(10_000, "late", { ref: false }), { timeoutMs: 50, what: "a hung call" }),
    /waiting for a hung call/,
  );
  assert.ok(Date.now() - started < 5_000, "returned long before the hung call would have");
});
