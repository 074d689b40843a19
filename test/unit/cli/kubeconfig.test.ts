// Which cluster a command talks to, when nothing or something broken is configured: one line, exit 2,
// and never client-node's implicit http://localhost:8080.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";

const home = mkdtempSync(join(tmpdir(), "shipshape-kubeconfig-"));
after(() => rmSync(home, { recursive: true, force: true }));

/** `shipshape ARGS` with an empty home (no ~/.kube/config) and KUBECONFIG as given. */
function shipshape(args: string[], kubeconfig?: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
  delete env.KUBECONFIG;
  if (kubeconfig !== undefined) env.KUBECONFIG = kubeconfig;
  const run = spawnSync(process.execPath, ["bin/shipshape.js", ...args], { encoding: "utf8", env });
  return { code: run.status, stderr: run.stderr };
}

describe("kubeconfig", () => {
  it("none at all is exit 2: no cluster configured", () => {
    for (const args of [
      ["status"],
      ["diff", "wordpress"],
      ["verify", "drain", "node-1", "--url", "http://x/"],
    ]) {
      const run = shipshape(args);
      assert.equal(run.code, 2, run.stderr);
      assert.equal(
        run.stderr,
        `shipshape ${args[0]}: no cluster configured: set KUBECONFIG or --kubeconfig\n`,
      );
    }
    assert.equal(
      shipshape(["status"], "").stderr,
      "shipshape status: no cluster configured: set KUBECONFIG or --kubeconfig\n",
    );
  });

  it("a file that does not exist is named, from --kubeconfig or from KUBECONFIG", () => {
    const missing = join(home, "missing.yaml");
    assert.equal(
      shipshape(["status", "--kubeconfig", missing]).stderr,
      `shipshape status: ${missing}: kubeconfig file not found\n`,
    );
    const run = shipshape(["status"], missing);
    assert.equal(run.code, 2);
    assert.equal(run.stderr, `shipshape status: ${missing}: kubeconfig file not found\n`);
  });

  it("a file that does not parse, or names no cluster, is named", () => {
    const broken = join(home, "broken.yaml");
    writeFileSync(broken, "clusters: [\n");
    const empty = join(home, "empty.yaml");
    writeFileSync(empty, "apiVersion: v1\nkind: Config\nclusters: []\n");
    for (const [file, message] of [
      [broken, /^shipshape status: .*broken\.yaml: cannot read kubeconfig: .+\n$/],
      [empty, /^shipshape status: .*empty\.yaml: kubeconfig names no current cluster\n$/],
    ] as const) {
      const run = shipshape(["status", "--kubeconfig", file]);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, message);
    }
  });
});
