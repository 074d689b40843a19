// `shipshape deploy --verify` refuses bad usage with exit 2 and one line before it reads a cluster
// (none is configured here), and its --help teaches the gate.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";

function deploy(args: string[]) {
  const run = spawnSync(process.execPath, ["bin/shipshape.js", "deploy", ...args], {
    encoding: "utf8",
    env: { ...process.env, KUBECONFIG: join("/nonexistent", "kubeconfig") },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const MANIFEST = join(import.meta.dirname, "../../fixtures/size/web-with-hpa.yaml");
const URL = "http://127.0.0.1:1/";

test("deploy: --verify's options without --verify, or with --dry-run, or malformed, are one line and exit 2", () => {
  for (const [args, line] of [
    [["-q", "50"], "--qps sets how --verify loads the app; give --verify URL too"],
    [["--slo", "success>=99%"], "--slo sets how --verify loads the app; give --verify URL too"],
    [["--verify", URL, "--dry-run"], "--dry-run applies nothing, so there is nothing to verify"],
    [
      ["--verify", URL, "--slo", "p99<fast"],
      `--slo: "p99<fast": expects METRIC OP VALUE (e.g. 'success>=99.9%,p99<500ms')`,
    ],
    [
      ["--verify", URL, "-q", "0", "--slo", "qps>=90%"],
      '--slo: "qps>=90%" is a share of the target rate, and --qps 0 sets none',
    ],
    [
      ["--verify", URL, "--verify-target", "sts/db"],
      '"sts/db": only Deployments can be verified (deploy/NAME)',
    ],
    [["--verify", URL, "--settle", "soon"], '--settle: not a duration: "soon" (try 10s, 1m, 500ms, 1h30m)'],
    [["--verify", URL, "-H", "no colon"], '--header: expects "Name: value", got "no colon"'],
  ] as const) {
    const run = deploy([MANIFEST, "--app", "web", ...args]);
    assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
    assert.equal(run.stderr, `shipshape deploy: ${line}\n`, args.join(" "));
  }
});

test("deploy --help teaches --verify: the default SLO, what is judged, and what a broken one does", () => {
  const run = deploy(["--help"]);
  assert.equal(run.code, 0);
  for (const words of [
    /--verify URL/,
    /default 'success>=99\.9%'/,
    /roll it back \(as --atomic\) and exit 1 with the verdict/,
    /a URL that fails every request of the warm-up is refused before anything is applied/,
    /qps OP N \(per second\) or N% \(of --qps\)/,
    /--resolve H:P:ADDR/,
  ])
    assert.match(run.stdout, words);
});
