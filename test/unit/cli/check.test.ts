// End to end: the installed entry point, spawned as a user would run it, for exit codes and formats.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { allRules } from "../../../src/check/rules/index.ts";

const NAIVE = "test/fixtures/seed/naive-wordpress.yaml";

function shipshape(args: string[], input?: string, env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, ["bin/shipshape.js", "check", ...args], {
    input,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "", FORCE_COLOR: "", ...env },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function tempFile(name: string, content: string | Buffer): string {
  const path = join(mkdtempSync(join(tmpdir(), "shipshape-cli-")), name);
  writeFileSync(path, content);
  return path;
}

/** The seed's naive deployment 200 times over: far more report than a pipe or socket buffers. */
function manyObjects(): string {
  const naive = readFileSync(NAIVE, "utf8");
  return tempFile(
    "many.yaml",
    Array.from({ length: 200 }, (_, i) => naive.replaceAll("kube-example", `ns-${i}`)).join("---\n"),
  );
}

/** Exit 2 and exactly one line on stderr, naming file:line:col, without a stack trace. */
function assertRefused(run: ReturnType<typeof shipshape>, place: RegExp) {
  assert.equal(run.code, 2, run.stderr);
  const lines = run.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, run.stderr);
  assert.match(lines[0]!, place);
  assert.doesNotMatch(run.stderr, /\n\s+at /);
}

describe("shipshape check", () => {
  it("exits 1 on the seed's naive deployment and prints grouped findings with a summary", () => {
    const run = shipshape([NAIVE]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stdout,
      /^test\/fixtures\/seed\/naive-wordpress.yaml:8:1: Deployment kube-example\/wordpress {2}QoS BestEffort/,
    );
    assert.match(
      run.stdout,
      /\ntest\/fixtures\/seed\/naive-wordpress.yaml:37:9: error app-db-same-pod: .+\n {4}fix: /,
    );
    assert.match(
      run.stdout,
      /✖ \d+ problems \(\d+ errors, \d+ warnings, \d+ infos\) in 3 objects in 1 file\n$/,
    );
    assert.doesNotMatch(run.stdout, /\x1b\[/, "no colour when stdout is not a terminal");
  });

  it("exits 0 when nothing is error-level, reading stdin for '-'", () => {
    const clean = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: production\n";
    const run = shipshape(["-"], clean);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /✓ no problems in 1 object in 1 file/);
    const naive = shipshape(["-"], readFileSync(NAIVE, "utf8"));
    assert.equal(naive.code, 1);
    assert.match(naive.stdout, /^\(stdin\):8:1: Deployment kube-example\/wordpress/);
  });

  it("writes JSON, SARIF and JUnit, to stdout or to -o FILE", () => {
    const json = JSON.parse(shipshape(["--format", "json", NAIVE]).stdout);
    assert.ok(json.summary.errors > 0);
    assert.equal(json.objects.find((o: { kind: string }) => o.kind === "Deployment").qosClass, "BestEffort");
    const out = tempFile("report.sarif", "");
    const sarif = shipshape(["-f", "sarif", "-o", out, NAIVE]);
    assert.equal(sarif.code, 1);
    assert.equal(sarif.stdout, "");
    assert.equal(JSON.parse(readFileSync(out, "utf8")).version, "2.1.0");
    assert.match(
      shipshape(["--format", "junit", NAIVE]).stdout,
      /^<\?xml[\s\S]*<testsuites name="shipshape check"/,
    );
  });

  it("stops quietly when the reader closes the pipe early (| head)", () => {
    // The writer is still writing when `head` exits.
    const many = manyObjects();
    const run = spawnSync(
      "bash",
      ["-c", `"${process.execPath}" bin/shipshape.js check ${many} | head -c 10`],
      {
        encoding: "utf8",
      },
    );
    assert.equal(run.stdout, many.slice(0, 10));
    assert.equal(run.stderr, "");
  });

  it("writes the whole report, in order, to a non-blocking stdout whose reader is slow", async () => {
    // The report goes through stdout's descriptor (src/cli/write-out.ts); a descriptor left non-blocking
    // refuses a write once the socket is full (EAGAIN), and the rest must then wait for the reader.
    const many = manyObjects();
    const file = join(dirname(many), "report.json");
    const code = shipshape(["--format", "json", "--output", file, many]).code;
    const report = readFileSync(file, "utf8");
    assert.ok(report.length > 1 << 20, `${report.length} bytes fill no socket`);
    // Creating process.stdout on a socket makes the descriptor non-blocking, as a parent's would.
    const wrapper = tempFile(
      "nonblocking-stdout.mjs",
      "process.stdout.isTTY; process.argv.splice(1, 1); await import(process.argv[1]);",
    );
    const bin = join(process.cwd(), "bin/shipshape.js");
    const child = spawn(process.execPath, [wrapper, bin, "check", "--format", "json", many], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    await sleep(500);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    assert.equal(await exited, code, stderr);
    assert.equal(stderr, "");
    assert.ok(stdout === report, `${stdout.length} bytes of ${report.length}, or out of order`);
  });

  it("--severity error hides warnings; the exit code still follows the errors", () => {
    const json = JSON.parse(shipshape(["--format", "json", "--severity", "error", NAIVE]).stdout);
    assert.equal(json.summary.warnings, 0);
    assert.ok(json.findings.every((f: { severity: string }) => f.severity === "error"));
  });

  it("--config switches rules off; an unknown rule id there is refused at its place", () => {
    const config = tempFile(".shipshape.yaml", "rules:\n  app-db-same-pod: off\n");
    const json = JSON.parse(shipshape(["--format", "json", "--config", config, NAIVE]).stdout);
    assert.ok(!json.findings.some((f: { rule: string }) => f.rule === "app-db-same-pod"));
    const typo = tempFile(".shipshape.yaml", "rules:\n  app-db-same-pods: off\n");
    assertRefused(
      shipshape(["--config", typo, NAIVE]),
      /\.shipshape\.yaml:2:3: unknown rule "app-db-same-pods" \(did you mean "app-db-same-pod"\?\)$/,
    );
  });

  it("--explain prints the rule's reasoning; an unknown rule exits 2 with near matches", () => {
    const run = shipshape(["--explain", "prestop-missing"]);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^prestop-missing — .+\nseverity: \w+ · category: rollout\n\n/);
    assertRefused(
      shipshape(["--explain", "prestop-mising"]),
      /unknown rule "prestop-mising" \(did you mean "prestop-missing"\?\)/,
    );
  });

  it("--list-rules lists every registered rule", () => {
    const run = shipshape(["--list-rules"]);
    assert.equal(run.code, 0);
    for (const rule of allRules) assert.match(run.stdout, new RegExp(`^${rule.id} +${rule.severity} `, "m"));
  });

  it("empty input (a failed `helm template |`) exits 2 rather than passing", () => {
    assertRefused(shipshape(["-"], ""), /^shipshape check: -: no Kubernetes objects in the input$/);
    assertRefused(shipshape(["-"], "# only a comment\n---\n"), /no Kubernetes objects in the input$/);
  });

  it("usage errors exit 2 with one line", () => {
    assertRefused(shipshape([]), /no manifests given/);
    assertRefused(
      shipshape(["--frobnicate", NAIVE]),
      /^shipshape check: unknown option --frobnicate; see shipshape check --help$/,
    );
    assertRefused(shipshape(["--format", "xml", NAIVE]), /--format: unknown format "xml"/);
  });

  it("hostile input exits 2 with one line naming file:line:col", () => {
    const bomb = `a: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 8 }, (_, i) => `${"bcdefghi"[i]}: &${"bcdefghi"[i]} [${Array(10).fill(`*${"abcdefgh"[i]}`).join(", ")}]`).join("\n")}\n`;
    const cases: Array<[string, string | Buffer, RegExp]> = [
      [
        "malformed.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: [a, b\n",
        /malformed\.yaml:\d+:\d+: /,
      ],
      ["dup.yaml", "apiVersion: v1\nkind: Pod\nkind: Pod\n", /dup\.yaml:3:1: Map keys must be unique$/],
      ["bomb.yaml", bomb, /bomb\.yaml:1:1: more than 100 alias expansions/],
      [
        "deep.yaml",
        `a: ${"[".repeat(150)}${"]".repeat(150)}\n`,
        /deep\.yaml:1:\d+: nesting deeper than 90 levels$/,
      ],
      [
        "garbage.yaml",
        Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00]),
        /garbage\.yaml:1:7: binary data/,
      ],
      [
        "plain.yaml",
        "name: not kubernetes\n",
        /plain\.yaml:1:1: not a Kubernetes object: "apiVersion" is missing$/,
      ],
    ];
    for (const [name, content, place] of cases) assertRefused(shipshape([tempFile(name, content)]), place);
    assertRefused(
      shipshape(["no/such/dir/x.yaml"]),
      /^shipshape check: no\/such\/dir\/x\.yaml: no such file or directory$/,
    );
  });
});
