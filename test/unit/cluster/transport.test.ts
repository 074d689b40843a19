// The cluster client trusts only what the kubeconfig says: no plain http, no missing CA or key files,
// no redirects followed, and NODE_TLS_REJECT_UNAUTHORIZED=0 in the environment does not switch off
// verification against the kubeconfig's CA. The "API server" here is a local HTTPS server with its own
// certificate: what is tested is the transport, not Kubernetes.
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

const dir = mkdtempSync(join(tmpdir(), "shipshape-transport-"));
const CLI = join(process.cwd(), "bin/shipshape.js");

/** A self-signed certificate for 127.0.0.1 (openssl, as the testbed makes its own). */
function selfSigned(name: string): { cert: string; key: string } {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-subj",
      `/CN=${name}`,
      "-addext",
      "subjectAltName=IP:127.0.0.1",
      "-keyout",
      key,
      "-out",
      cert,
    ],
    { stdio: "ignore" },
  );
  return { cert: readFileSync(cert, "utf8"), key: readFileSync(key, "utf8") };
}

function kubeconfig(server: string, ca: string, extra = ""): string {
  const file = join(dir, `kubeconfig-${Math.random().toString(36).slice(2)}`);
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: ${server}
    ${ca}
users:
- name: u
  user: {token: t${extra}}
contexts:
- name: x
  context: {cluster: c, user: u}
current-context: x
`,
  );
  return file;
}

/** `shipshape status` against the kubeconfig, in a child process (the server answers from this one). */
function status(file: string, env: Record<string, string> = {}): Promise<{ status: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, "status", "--kubeconfig", file],
      { env: { ...process.env, ...env }, timeout: 30_000 },
      (error, _stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stderr }),
    );
  });
}

let server: Server;
let url = "";
let requests = 0;
const trusted = selfSigned("api");
const other = selfSigned("other");

before(async () => {
  server = createServer({ cert: trusted.cert, key: trusted.key }, (_req, res) => {
    requests++;
    res.writeHead(307, { location: "http://127.0.0.1:9/api/v1/namespaces" }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

const caData = (pem: string) => `certificate-authority-data: ${Buffer.from(pem).toString("base64")}`;

describe("the cluster client's transport", () => {
  it("a redirect from the API server is not followed: exit 2 naming it", async () => {
    const run = await status(kubeconfig(url, caData(trusted.cert)));
    assert.equal(run.status, 2, run.stderr);
    assert.match(
      run.stderr,
      /the API server answered with a redirect \(307 to http:\/\/127\.0\.0\.1:9\/api\/v1\/namespaces\): not followed/,
    );
  });

  it("NODE_TLS_REJECT_UNAUTHORIZED=0 does not switch off verification against the kubeconfig's CA", async () => {
    const before = requests;
    const run = await status(kubeconfig(url, caData(other.cert)), { NODE_TLS_REJECT_UNAUTHORIZED: "0" });
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /cannot reach the API server: .*(certificate|self.signed|SELF_SIGNED)/i);
    assert.equal(requests, before, "no request reached a server the CA does not vouch for");
  });

  it("a plain-http server and a missing CA file are exit 2 with the reason", async () => {
    const http = await status(kubeconfig("http://127.0.0.1:9", caData(trusted.cert)));
    assert.equal(http.status, 2);
    assert.match(
      http.stderr,
      /the server http:\/\/127\.0\.0\.1:9 is plain http: credentials would travel unencrypted/,
    );
    const missing = join(dir, "no-such-ca.crt");
    const noCa = await status(kubeconfig(url, `certificate-authority: ${missing}`));
    assert.equal(noCa.status, 2);
    assert.match(noCa.stderr, new RegExp(`its certificate-authority file ${missing} does not exist`));
  });

  it("insecure-skip-tls-verify in the kubeconfig is honoured, and said on stderr", async () => {
    const run = await status(kubeconfig(url, "insecure-skip-tls-verify: true"));
    assert.match(run.stderr, /TLS verification is off/);
    assert.match(
      run.stderr,
      /redirect \(307/,
      "the request went through, unverified, as the kubeconfig asked",
    );
  });
});
