// Servers that break HTTP/1.1 (RFC 9112) or never finish: load says what happened and keeps its bounds.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import type { AddressInfo } from "node:net";
import { createServer, type Server, type Socket } from "node:net";
import { test } from "node:test";
import { startLoad } from "../../../src/load/run.ts";
import { withServer } from "./servers.ts";

/** A raw TCP server answering every request it reads with `answer` (bytes written as one chunk). */
async function rawServer(answer: string, body: (url: string) => Promise<void>): Promise<void> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("data", (chunk) => {
      for (let i = chunk.indexOf("\r\n\r\n"); i !== -1; i = chunk.indexOf("\r\n\r\n", i + 4))
        socket.write(answer);
    });
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    await body(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
}

const ok = "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok";

test("conflicting Content-Length headers are a protocol error, never a guessed answer", async () => {
  const conflicting = "HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-length: 5\r\n\r\nok";
  await rawServer(conflicting, async (url) => {
    const result = await startLoad({ url, qps: 0, connections: 1, count: 5, timeoutMs: 2000 }).result();
    assert.deepEqual(result.codes, {});
    assert.equal(result.errors.other, 5);
    assert.deepEqual(result.errorCauses, [{ kind: "other", code: "BAD_RESPONSE", count: 5 }]);
  });
});

test("an extra answer nobody asked for is not matched to the next request", async () => {
  // Each request gets its 200 and, in the same write, an unsolicited 503.
  const twice = `${ok}HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\n\r\n`;
  await rawServer(twice, async (url) => {
    const result = await startLoad({ url, qps: 0, connections: 1, count: 20, timeoutMs: 2000 }).result();
    assert.deepEqual(result.codes, { 200: 20 }, "no request took the 503 meant for nobody");
    assert.ok(
      result.sockets >= 20,
      `the socket is dropped after each extra answer (${result.sockets} sockets)`,
    );
  });
});

test("--duration is a hard bound: requests a server never answers do not hold the run for their timeout", async () => {
  await withServer(
    () => {},
    async (url) => {
      const started = Date.now();
      const result = await startLoad({
        url,
        qps: 10,
        connections: 2,
        durationMs: 1000,
        timeoutMs: 30_000,
      }).result();
      const took = Date.now() - started;
      assert.ok(took < 5000, `a 1 s run took ${took} ms (the requests' timeout is 30 s)`);
      assert.ok(result.interrupted > 0, "the requests still in flight are counted as abandoned");
    },
  );
});

test("running out of file descriptors is the client's failure, said as such (exit 2), never the server's connect errors", async () => {
  await withServer(
    (_req, res) => res.end("ok"),
    async (url) => {
      // util-linux prlimit lowers this process's descriptor limit below the connections asked for.
      const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn("prlimit", [
          "--nofile=60",
          process.execPath,
          "bin/shipshape.js",
          "load",
          url,
          "--qps",
          "0",
          "-c",
          "200",
          "-n",
          "2000",
        ]);
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (c) => {
          stdout += c;
        });
        child.stderr.on("data", (c) => {
          stderr += c;
        });
        child.on("close", (code) => resolve({ code, stdout, stderr }));
      });
      assert.equal(run.code, 2, run.stdout + run.stderr);
      assert.match(run.stdout, /^CLIENT FAILED: the client ran out of file descriptors \(EMFILE\)/m);
      assert.match(run.stdout, /^Errors +none$/m, "no connect error is blamed on the server");
      assert.match(run.stderr, /raise the limit \(ulimit -n\) or use fewer connections/);
    },
  );
});
