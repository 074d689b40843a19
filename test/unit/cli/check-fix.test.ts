// `shipshape check --fix` end to end, as a user runs it: files rewritten in place (and a second run
// changes nothing), --dry-run's diff is one `patch` applies to the same result, stdin's fixed YAML on
// stdout with the report on stderr, and flags that mean nothing together are usage errors.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, it } from "node:test";
import { parseAllDocuments } from "yaml";

const BIN = resolve("bin/shipshape.js");
const FIXTURE = resolve("test/fixtures/check/rolling-update-unsafe/fail-recreate-web-tier.yaml");

function check(args: string[], options: { cwd?: string; input?: string } = {}) {
  const run = spawnSync(process.execPath, [BIN, "check", ...args], {
    ...options,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "", FORCE_COLOR: "" },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** A directory holding a copy of the fixture as app.yaml. */
function workdir(): string {
  const dir = mkdtempSync(join(tmpdir(), "shipshape-fix-"));
  copyFileSync(FIXTURE, join(dir, "app.yaml"));
  return dir;
}

describe("shipshape check --fix", () => {
  it("rewrites the file in place, reports what is left, and a second run changes nothing", () => {
    const dir = workdir();
    const run = check(["app.yaml", "--fix"], { cwd: dir });
    assert.equal(run.code, 1, run.stderr);
    const left = /^shipshape: fixed 3 findings in 1 file; (\d+) left$/m.exec(run.stderr)?.[1];
    assert.ok(left, run.stderr);
    assert.doesNotMatch(run.stdout, /rolling-update-unsafe|prestop-missing|anti-affinity-missing/);
    assert.match(run.stdout, /readiness-probe-missing/);
    const fixed = readFileSync(join(dir, "app.yaml"), "utf8");
    assert.match(fixed, /type: RollingUpdate {2}# a new pod is ready/);
    const again = check(["app.yaml", "--fix"], { cwd: dir });
    assert.match(again.stderr, new RegExp(`^shipshape: fixed 0 findings in 0 files; ${left} left$`, "m"));
    assert.equal(readFileSync(join(dir, "app.yaml"), "utf8"), fixed);
  });

  it("--dry-run writes nothing and prints the diff that patch applies to the same result", () => {
    const dir = workdir();
    const dry = check(["app.yaml", "--fix", "--dry-run"], { cwd: dir });
    assert.equal(dry.code, 1, dry.stderr);
    assert.match(dry.stdout, /^--- a\/app\.yaml\n\+\+\+ b\/app\.yaml\n@@ /);
    assert.match(dry.stderr, /would fix 3 findings in 1 file/);
    assert.equal(readFileSync(join(dir, "app.yaml"), "utf8"), readFileSync(FIXTURE, "utf8"));
    const patch = spawnSync("patch", ["-p1", "--quiet"], { cwd: dir, input: dry.stdout, encoding: "utf8" });
    assert.equal(patch.status, 0, patch.stderr + patch.stdout);
    const patched = readFileSync(join(dir, "app.yaml"), "utf8");
    const fixedDir = workdir();
    check(["app.yaml", "--fix"], { cwd: fixedDir });
    assert.equal(patched, readFileSync(join(fixedDir, "app.yaml"), "utf8"));
  });

  it("with - writes the fixed YAML to stdout and the report to stderr", () => {
    const run = check(["-", "--fix"], { input: readFileSync(FIXTURE, "utf8") });
    assert.equal(run.code, 1, run.stderr);
    const [, deployment] = parseAllDocuments(run.stdout).map((d) => d.toJS());
    assert.equal(deployment.spec.strategy.type, "RollingUpdate");
    assert.match(run.stderr, /\(stdin\):\d+:\d+: error readiness-probe-missing/);
    assert.match(run.stdout, /^# expect: /, "the comments travel with it");
  });

  it("refuses flags that mean nothing together (exit 2, one line)", () => {
    for (const args of [
      [FIXTURE, "--dry-run"],
      [FIXTURE, "-n", "shop"],
      [FIXTURE, "-A"],
      [FIXTURE, "--cluster"],
      ["--cluster", "--fix"],
    ]) {
      const run = check(args);
      assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
      assert.equal(run.stderr.trimEnd().split("\n").length, 1, JSON.stringify(run.stderr));
    }
  });
});
