// The faces of a run: the live progress line, the summary's warnings and causes, the HTML tables.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadHtmlReport } from "../../../src/load/report/html.ts";
import { progressLine } from "../../../src/load/report/progress.ts";
import { loadTextReport } from "../../../src/load/report/text.ts";
import { startLoad } from "../../../src/load/run.ts";
import { closedPort, withServer } from "./servers.ts";

test("the progress line shows elapsed against the bound, calls, qps and failures", () => {
  const p = { elapsedMs: 2500, calls: 1234, errors: 3, badStatus: 7, lastSecondQps: 500 };
  assert.equal(progressLine(p, 10_000), "2.5s / 10s  calls 1,234  qps 500.0  errors 3  http>=400 7");
  assert.match(
    progressLine({ ...p, lastSecondQps: 0 }, undefined, 2000),
    /^2\.5s \(62 % of 2,000\) .* qps 493\.6 /,
  );
});

test("the summary says when requests were not sent, sent again or abandoned", async () => {
  await withServer(
    (_req, res) => setTimeout(() => res.end("slow"), 30),
    async (url) => {
      // one connection, 30 ms answers, 100 qps: it cannot keep up, and the stop abandons the rest
      const run = startLoad({ url, qps: 100, connections: 1, durationMs: 60_000 });
      await new Promise((resolve) => setTimeout(resolve, 500));
      run.stop(0);
      const result = await run.result();
      const text = loadTextReport(result);
      assert.match(text, /\(stopped early\)/);
      assert.match(text, /Not sent +[\d,]+ planned requests \(stopped early\)/);
      assert.ok(result.unsent > 5900);
      assert.match(text, /Service ms .* \(from the actual send, uncorrected\)/);
      assert.ok(
        result.latencyMs.p50 > result.serviceTimeMs.p50,
        "the backlog shows only in corrected latency",
      );
    },
  );
});

test("the summary names the error causes, and no latency when no request reached the server", async () => {
  const url = `http://127.0.0.1:${await closedPort()}/`;
  const text = loadTextReport(await startLoad({ url, qps: 100, connections: 2, count: 6 }).result());
  assert.match(text, /^Errors +6 \(100\.0 %\): connect 6 \(ECONNREFUSED 6\)$/m);
  assert.match(text, /^Latency ms +none: no request reached the server$/m);
  assert.doesNotMatch(text, /^Service ms/m);
});

test("the HTML tables have headers, errors their causes; the closed model's latency is not called corrected", async () => {
  await withServer(
    (_req, res) => res.end("ok"),
    async (url) => {
      const closed = loadHtmlReport(await startLoad({ url, qps: 0, connections: 1, count: 5 }).result());
      assert.match(
        closed,
        /<caption>Status codes<\/caption><tr><th>code<\/th><th>calls<\/th><th>share<\/th><\/tr>/,
      );
      assert.match(
        closed,
        /<caption>Errors<\/caption><tr><th>kind<\/th><th>calls<\/th><th>causes<\/th><\/tr>/,
      );
      assert.doesNotMatch(closed, /corrected/);
      const open = loadHtmlReport(await startLoad({ url, qps: 100, connections: 1, count: 5 }).result());
      assert.match(open, /latency \(corrected\)/);
      assert.match(open, /<th>corrected<\/th><th>service<\/th>/);
    },
  );
  const refused = `http://127.0.0.1:${await closedPort()}/`;
  const html = loadHtmlReport(await startLoad({ url: refused, qps: 0, connections: 1, count: 3 }).result());
  assert.match(
    html,
    /<tr><th>connect<\/th><td data-field="errors.connect">3<\/td><td>ECONNREFUSED 3<\/td><\/tr>/,
  );
});

test("a split run's summary counts its workers and names each that did not run its share, with why", async () => {
  await withServer(
    (_req, res) => res.end("ok"),
    async (url) => {
      const result = await startLoad({ url, qps: 0, connections: 1, count: 5 }).result();
      const text = loadTextReport({
        ...result,
        workers: [
          { name: "load-a-0-x", index: 0, state: "ran", calls: 5 },
          { name: "load-a-1-y", index: 1, state: "died", detail: "its pod was deleted", calls: 3 },
          { name: "load-a-2-z", index: 2, state: "never-started", detail: "ErrImageNeverPull", calls: 0 },
        ],
      });
      assert.match(text, /^Workers {6}3 pods: 1 ran their share, 1 died, 1 never-started$/m);
      assert.match(text, /load-a-1-y DIED \(3 calls counted\): its pod was deleted/);
      assert.match(text, /load-a-2-z NEVER STARTED \(0 calls counted\): ErrImageNeverPull/);
      assert.doesNotMatch(text, /load-a-0-x/);
      assert.doesNotMatch(loadTextReport(result), /Workers/, "a local run has no workers line");
    },
  );
});
