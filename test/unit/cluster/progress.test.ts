import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { test } from "node:test";
import { liveView, plainView, progressLine } from "../../../src/cluster/progress.ts";
import type { ObjectProgress } from "../../../src/cluster/wait.ts";

const entry = (readiness: ObjectProgress["readiness"], readyAt?: number): ObjectProgress => ({
  name: "Deployment blog/wordpress",
  object: { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "wordpress" } },
  readiness,
  startedAt: 1_000,
  readyAt,
  observed: true,
});

test("a progress line says what the object waits for and for how long", () => {
  assert.equal(
    progressLine(entry({ state: "waiting", detail: "1 of 3 new replicas updated" }), 5_200),
    "… Deployment blog/wordpress: waiting for 1 of 3 new replicas updated (4.2s)",
  );
  assert.equal(
    progressLine(entry({ state: "ready", detail: "3/3 available" }, 9_100), 20_000),
    "✓ Deployment blog/wordpress: 3/3 available (8.1s)",
  );
});

test("off a terminal, a line is printed only when an object's state changes, not on every count update", () => {
  const lines: string[] = [];
  const out = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk).trimEnd());
      done();
    },
  });
  const view = plainView(out);
  view.update([entry({ state: "waiting", detail: "0 of 3 new replicas updated" })]);
  view.update([entry({ state: "waiting", detail: "1 of 3 new replicas updated" })]);
  view.update([entry({ state: "waiting", detail: "2 of 3 updated replicas available" })]);
  view.update([entry({ state: "ready", detail: "3/3 available" }, 4_000)]);
  assert.equal(lines.length, 2);
  assert.match(lines[0] ?? "", /^… Deployment blog\/wordpress: waiting for 0 of 3 new replicas updated/);
  assert.equal(lines[1], "✓ Deployment blog/wordpress: 3/3 available (3.0s)");
});

test("on a terminal, closing draws the final lines once, so the summary printed after them is not overwritten", () => {
  let written = "";
  const out = Object.assign(
    new Writable({
      write(chunk, _encoding, done) {
        written += String(chunk);
        done();
      },
    }),
    { columns: 120 },
  );
  const view = liveView(out);
  view.update([entry({ state: "ready", detail: "3/3 available" }, 4_000)]);
  view.close();
  view.close();
  assert.equal(written, "\x1b[2K✓ Deployment blog/wordpress: 3/3 available (3.0s)\n");
});
