// HTTPS against a self-signed certificate, as on a test cluster: refused (counted as connect
// errors) unless --insecure, and then measured like plain HTTP over keep-alive TLS sockets.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { startLoad } from "../../../src/load/run.ts";

const OPENSSL = "/usr/bin/openssl";

function selfSigned(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), "shipshape-tls-"));
  try {
    execFileSync(
      OPENSSL,
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-subj",
        "/CN=127.0.0.1",
        "-days",
        "1",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
      ],
      { stdio: "ignore" },
    );
    return { key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("self-signed HTTPS: connect errors without insecure, answers with it", {
  skip: existsSync(OPENSSL) ? false : "openssl is missing",
}, async () => {
  const server = createServer(selfSigned(), (_req, res) => res.end("secure"));
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  try {
    const refused = await startLoad({ url, qps: 0, connections: 2, count: 6 }).result();
    assert.deepEqual(refused.errors, { connect: 6, timeout: 0, reset: 0, other: 0 });
    assert.equal(refused.failures[0]?.detail, "DEPTH_ZERO_SELF_SIGNED_CERT");

    const accepted = await startLoad({ url, qps: 0, connections: 2, count: 50, insecure: true }).result();
    assert.deepEqual(accepted.codes, { 200: 50 });
    assert.equal(accepted.sockets, 2, "TLS sockets are kept alive");

    // an ingress reached by IP: the Host header names the site, in HTTP and in TLS (SNI)
    const names = new Set<string | false | null>();
    server.on("secureConnection", (tls) => names.add(tls.servername));
    const named = await startLoad({
      url,
      qps: 0,
      connections: 1,
      count: 3,
      insecure: true,
      headers: { Host: "blog.example.test" },
    }).result();
    assert.deepEqual(named.codes, { 200: 3 });
    assert.deepEqual([...names], ["blog.example.test"]);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
