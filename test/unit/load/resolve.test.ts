// --resolve and --cacert, as curl has them: a named site reached at another address keeps its
// name in the Host header and in TLS (SNI and the certificate check), and is trusted through the
// CA given, never by switching verification off.
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { InputError } from "../../../src/errors.ts";
import { connectTarget, parseResolve } from "../../../src/load/resolve.ts";
import { startLoad } from "../../../src/load/run.ts";

const OPENSSL = "/usr/bin/openssl";
const MAIN = join(import.meta.dirname, "../../../src/cli/main.ts");

test("parseResolve reads HOST:PORT:ADDR, IPv6 in brackets, and refuses anything else naming the option", () => {
  assert.deepEqual(parseResolve("Blog.Example.test:443:127.0.0.1"), {
    host: "blog.example.test",
    port: 443,
    address: "127.0.0.1",
  });
  assert.deepEqual(parseResolve("blog.example.test:8443:[::1]"), {
    host: "blog.example.test",
    port: 8443,
    address: "::1",
  });
  for (const bad of [
    "blog.example.test:443",
    "blog.example.test:0:127.0.0.1",
    "blog.example.test:70000:127.0.0.1",
    "blog.example.test:443:localhost",
    ":443:127.0.0.1",
    "blog.example.test:https:127.0.0.1",
  ]) {
    assert.throws(
      () => parseResolve(bad),
      (error: unknown) => error instanceof InputError && error.place.field === "--resolve",
      bad,
    );
  }
});

test("connectTarget takes the entry for the URL's host and port only", () => {
  const entries = [parseResolve("blog.example.test:8443:10.1.0.11")];
  assert.deepEqual(connectTarget(new URL("https://BLOG.example.test:8443/x"), entries), {
    host: "10.1.0.11",
    port: 8443,
  });
  assert.deepEqual(connectTarget(new URL("https://blog.example.test/"), entries), {
    host: "blog.example.test",
    port: 443,
  });
  assert.deepEqual(connectTarget(new URL("http://[::1]:8080/"), entries), { host: "::1", port: 8080 });
});

/** A CA and a serving certificate it signs for `name`, as PEM. */
function pki(name: string): { ca: string; key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), "shipshape-ca-"));
  const run = (...args: string[]) => execFileSync(OPENSSL, args, { cwd: dir, stdio: "ignore" });
  try {
    const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
    run("req", "-x509", ...ec, "-subj", "/CN=test-ca", "-days", "1", "-keyout", "ca.key", "-out", "ca.pem");
    run("req", "-new", ...ec, "-subj", `/CN=${name}`, "-keyout", "key.pem", "-out", "req.csr");
    writeFileSync(join(dir, "ext"), `subjectAltName=DNS:${name}\n`);
    run(
      "x509",
      "-req",
      "-in",
      "req.csr",
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-days",
      "1",
      "-extfile",
      "ext",
      "-out",
      "cert.pem",
    );
    const read = (file: string) => readFileSync(join(dir, file), "utf8");
    return { ca: read("ca.pem"), key: read("key.pem"), cert: read("cert.pem") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const skip = existsSync(OPENSSL) ? false : "openssl is missing";

test("--resolve sends a named site's requests to the address given; Host and SNI keep the URL's name, the CA verifies it", {
  skip,
}, async () => {
  const { ca, key, cert } = pki("blog.example.test");
  const seen = { hosts: new Set<string | undefined>(), names: new Set<string | false | null>() };
  const server = createServer({ key, cert }, (req, res) => {
    seen.hosts.add(req.headers.host);
    res.end("ok");
  });
  server.on("secureConnection", (tls) => seen.names.add(tls.servername));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `https://blog.example.test:${port}/`;
  const resolve = [parseResolve(`blog.example.test:${port}:127.0.0.1`)];
  try {
    const trusted = await startLoad({ url, qps: 0, connections: 2, count: 20, resolve, ca }).result();
    assert.deepEqual(trusted.codes, { 200: 20 });
    assert.deepEqual([...seen.hosts], [`blog.example.test:${port}`]);
    assert.deepEqual([...seen.names], ["blog.example.test"]);

    // the same server without its CA: not trusted, and the failure says why
    const untrusted = await startLoad({ url, qps: 0, connections: 1, count: 2, resolve }).result();
    assert.equal(untrusted.errors.connect, 2);
    assert.equal(untrusted.failures[0]?.detail, "UNABLE_TO_VERIFY_LEAF_SIGNATURE");

    // another name at the same address: the certificate is checked against the URL's name
    const other = `https://other.example.test:${port}/`;
    const wrongName = await startLoad({
      url: other,
      qps: 0,
      connections: 1,
      count: 2,
      resolve: [parseResolve(`other.example.test:${port}:127.0.0.1`)],
      ca,
    }).result();
    assert.equal(wrongName.errors.connect, 2);
    assert.equal(wrongName.failures[0]?.detail, "ERR_TLS_CERT_ALTNAME_INVALID");
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN, ...args], (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

test("load and verify refuse a malformed --resolve and an unreadable --cacert with one line and exit 2", async () => {
  const dir = mkdtempSync(join(tmpdir(), "shipshape-cacert-"));
  const notPem = join(dir, "not.pem");
  writeFileSync(notPem, "hello\n");
  try {
    for (const command of [
      ["load", "https://blog.example.test/", "-n", "1"],
      ["verify", "rollout", "deploy/x", "--url", "https://blog.example.test/"],
    ]) {
      const cases: [string[], RegExp][] = [
        [["--resolve", "blog.example.test:443"], /--resolve: expects HOST:PORT:ADDR/],
        [["--cacert", join(dir, "missing.pem")], /missing\.pem.*cannot read: ENOENT/],
        [["--cacert", notPem], /not\.pem.*holds no PEM certificate/],
      ];
      for (const [extra, message] of cases) {
        const run = await cli([...command, ...extra]);
        assert.equal(run.code, 2, `${command[0]} ${extra.join(" ")}: ${run.stderr}`);
        assert.match(run.stderr, message);
        assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
