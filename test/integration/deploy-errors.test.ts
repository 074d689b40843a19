// Bad input and no cluster: one line naming the place, exit 2, nothing applied.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, writeFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { shipshape } from "./deploy-support.ts";
import { kubeConfig } from "./support/cluster.ts";

const CLI = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "shipshape-errors-"));
const manifest = join(dir, "cm.yaml");
writeFileSync(manifest, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: never\ndata:\n  a: b\n");

/** A kubeconfig derived from the testbed's, changed by `edit`. */
function kubeconfigWith(
  edit: (config: {
    clusters: Array<{ cluster: Record<string, unknown> }>;
    users: Array<{ user: Record<string, unknown> }>;
  }) => void,
): string {
  const config = JSON.parse(kubeConfig().exportConfig());
  edit(config);
  const file = join(dir, `kubeconfig-${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, JSON.stringify(config), { mode: 0o600 });
  return file;
}

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** A loopback port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, "close");
  return port;
}

test("an unreachable API server is one line naming it, exit 2", async () => {
  const port = await closedPort();
  const file = kubeconfigWith((c) => {
    c.clusters[0]!.cluster.server = `https://127.0.0.1:${port}`;
  });
  const result = await run(["deploy", manifest, "--app", "errors", "--kubeconfig", file, "-n", "default"]);
  assert.equal(result.code, 2, result.stderr);
  const expected = `shipshape deploy: cluster https://127.0.0.1:${port}: cannot reach the API server: ECONNREFUSED`;
  assert.ok(result.stderr.startsWith(expected), result.stderr);
  assert.equal(result.stderr.trim().split("\n").length, 1);
});

test("credentials the API server rejects (an expired token) are one line, exit 2", async () => {
  const file = kubeconfigWith((c) => {
    c.users[0]!.user = { token: "expired-or-revoked" };
  });
  const result = await run(["status", "-n", "default", "--kubeconfig", file]);
  assert.equal(result.code, 2, result.stderr);
  assert.match(
    result.stderr,
    /^shipshape status: cluster https:\/\/127\.0\.0\.1:\d+: credentials rejected \(401 Unauthorized\)/,
  );
  assert.equal(result.stderr.trim().split("\n").length, 1);
});

test("malformed YAML is refused with file:line before anything is applied, exit 2", async () => {
  const broken = join(dir, "broken.yaml");
  writeFileSync(broken, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n");
  const result = await shipshape(["deploy", broken, "--app", "errors", "-n", "default"]);
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, new RegExp(`^shipshape deploy: ${broken.replace(/[.]/g, "\\.")}:\\d+:\\d+`));
});
