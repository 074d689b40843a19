// The argument layer: its usage errors in process (parseCommandArgs), and end to end that every
// command refuses bad usage with exit 2 and one line, before any work starts.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { numberOption, oneOf, parseCommandArgs } from "../../../src/cli/args.ts";
import { InputError } from "../../../src/errors.ts";

const dir = mkdtempSync(join(tmpdir(), "shipshape-args-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const OPTIONS = {
  namespace: { type: "string", short: "n" },
  atomic: { type: "boolean" },
  json: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

const parse = (args: string[], allowPositionals = true) =>
  parseCommandArgs("deploy", { args, options: OPTIONS, allowPositionals }, { outputs: ["json"] });

/** The InputError's one line that `fn` throws. */
function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof InputError, String(error));
    return error.oneLine();
  }
  assert.fail("expected a usage error");
}

describe("parseCommandArgs", () => {
  it("answers typed values and positionals", () => {
    const { values, positionals } = parse(["a.yaml", "-n", "prod", "--atomic"]);
    assert.deepEqual({ ...values }, { namespace: "prod", atomic: true });
    assert.deepEqual(positionals, ["a.yaml"]);
  });

  it("names an unknown long option with the closest known ones, else points at --help", () => {
    assert.equal(
      refusal(() => parse(["--namespac", "x"])),
      'unknown option --namespac (did you mean "--namespace"?)',
    );
    assert.equal(
      refusal(() => parse(["--dry-run"])),
      "unknown option --dry-run; see shipshape deploy --help",
    );
  });

  it("suggests a short option only in the other case", () => {
    assert.equal(
      refusal(() => parse(["-N", "x"])),
      'unknown option -N (did you mean "-n"?)',
    );
    assert.equal(
      refusal(() => parse(["-A"])),
      "unknown option -A; see shipshape deploy --help",
    );
  });

  it("refuses a missing value, a value for a switch, and --no- of a non-switch", () => {
    assert.equal(
      refusal(() => parse(["-n"])),
      "-n needs a value; see shipshape deploy --help",
    );
    // an option where the value should be is a forgotten value; inline, or a negative number, it is the value
    assert.equal(
      refusal(() => parse(["-n", "--atomic"])),
      "-n needs a value; see shipshape deploy --help",
    );
    assert.equal(parse(["--namespace=--odd"]).values.namespace, "--odd");
    assert.equal(parse(["-n", "-1"]).values.namespace, "-1");
    assert.equal(
      refusal(() => parse(["--atomic=yes"])),
      '--atomic takes no value, got "yes"; see shipshape deploy --help',
    );
    assert.match(
      refusal(() => parse(["--no-atomic"])),
      /^unknown option --no-atomic/,
      "no allowNegative",
    );
    assert.match(
      refusal(() => parse(["--no-namespace"])),
      /^unknown option --no-namespace/,
    );
  });

  it("refuses positionals where the command takes none", () => {
    assert.equal(
      refusal(() => parse(["extra"], false)),
      'unexpected argument "extra"; see shipshape deploy --help',
    );
  });

  it("refuses an output file that cannot be written, and lets - (stdout) and --help through", () => {
    const file = join(dir, "file.txt");
    writeFileSync(file, "");
    assert.equal(
      refusal(() => parse(["--json", join(dir, "missing", "out.json")])),
      `${join(dir, "missing", "out.json")}: cannot write: no directory ${join(dir, "missing")}`,
    );
    assert.match(
      refusal(() => parse(["--json", join(file, "out.json")])),
      /cannot write: no directory/,
    );
    assert.equal(
      refusal(() => parse(["--json", dir])),
      `${dir}: cannot write: is a directory`,
    );
    assert.equal(parse(["--json", "-"]).values.json, "-");
    assert.equal(parse(["--json", join(dir, "new.json")]).values.json, join(dir, "new.json"));
    assert.equal(parse(["--json", dir, "--help"]).values.help, true);
  });
});

describe("numberOption and oneOf", () => {
  it("refuse negative, non-numeric, empty and (for counts) fractional numbers, naming the option", () => {
    assert.equal(numberOption("--qps", "2.5"), 2.5);
    assert.equal(
      refusal(() => numberOption("--qps", "-5")),
      "--qps: must be ≥ 0, got -5",
    );
    assert.equal(
      refusal(() => numberOption("--qps", "fast")),
      '--qps: expects a number, got "fast"',
    );
    assert.equal(
      refusal(() => numberOption("--qps", " ")),
      '--qps: expects a number, got " "',
    );
    assert.equal(
      refusal(() => numberOption("-c", "1.5", { min: 1, integer: true })),
      '-c: expects a whole number, got "1.5"',
    );
    assert.equal(
      refusal(() => numberOption("-c", "0", { min: 1, integer: true })),
      "-c: must be ≥ 1, got 0",
    );
  });

  it("oneOf suggests the near choice, else lists them all", () => {
    assert.equal(oneOf("scenario", "drain", ["rollout", "drain"]), "drain");
    assert.equal(
      refusal(() => oneOf("scenario", "rolout", ["rollout", "drain"])),
      'unknown scenario "rolout" (did you mean "rollout"?)',
    );
    assert.equal(
      refusal(() => oneOf("format", "xml", ["text", "json"], "--format")),
      '--format: unknown format "xml" (use text, json)',
    );
  });
});

// End to end: the installed entry point, with no cluster configured, so nothing can be reached by mistake.
function shipshape(args: string[]) {
  const started = performance.now();
  const run = spawnSync(process.execPath, ["bin/shipshape.js", ...args], {
    encoding: "utf8",
    env: { ...process.env, KUBECONFIG: join(dir, "no-such-kubeconfig") },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr, ms: performance.now() - started };
}

/** Exit 2, nothing on stdout, exactly `line` on stderr. */
function assertUsage(args: string[], line: string | RegExp) {
  const run = shipshape(args);
  assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
  assert.equal(run.stdout, "");
  assert.equal(run.stderr.split("\n").length, 2, run.stderr);
  if (typeof line === "string") assert.equal(run.stderr, `${line}\n`);
  else assert.match(run.stderr, line);
}

/** The commands as `shipshape --help` lists them, so a new command is covered without editing this test. */
const COMMANDS = [...shipshape(["--help"]).stdout.matchAll(/^ {2}([a-z]+) {2,}/gm)].map((m) => m[1]!);

describe("every command's usage errors", () => {
  it("lists the commands", () => {
    assert.deepEqual([...COMMANDS].sort(), [
      "apps",
      "check",
      "delete",
      "deploy",
      "diff",
      "history",
      "load",
      "rollback",
      "size",
      "status",
      "synth",
      "verify",
    ]);
  });

  for (const command of COMMANDS) {
    it(`${command}: an unknown option is exit 2 with one line and a did-you-mean`, () => {
      assertUsage(
        [command, "--hepl"],
        new RegExp(
          `^shipshape ${command}: unknown option --hepl \\(did you mean [^)]*"--help"[^)]*\\?\\)\\n$`,
        ),
      );
      assertUsage(
        [command, "--frobnicate"],
        `shipshape ${command}: unknown option --frobnicate; see shipshape ${command} --help`,
      );
    });
  }

  it("the issue's cases: deploy --dry-rn, status -X (-A is an option now), load --qsp, load -q -5, verify rolout", () => {
    assertUsage(
      ["deploy", "--dry-rn", "x.yaml"],
      'shipshape deploy: unknown option --dry-rn (did you mean "--dry-run"?)',
    );
    assertUsage(["status", "-X"], "shipshape status: unknown option -X; see shipshape status --help");
    assertUsage(
      ["load", "--qsp", "10", "http://127.0.0.1:1/"],
      'shipshape load: unknown option --qsp (did you mean "--qps"?)',
    );
    assertUsage(["load", "-q", "-5", "http://127.0.0.1:1/"], "shipshape load: --qps: must be ≥ 0, got -5");
    assertUsage(
      ["verify", "rolout", "deploy/wordpress", "--url", "http://127.0.0.1:1/"],
      'shipshape verify: unknown scenario "rolout" (did you mean "rollout"?)',
    );
    assertUsage(["chek", "x.yaml"], 'shipshape: unknown command "chek" (did you mean "check"?)');
    assertUsage(["--verbose"], "shipshape: unknown option --verbose; see shipshape --help");
  });

  it("bad numbers name their option", () => {
    assertUsage(
      ["load", "http://127.0.0.1:1/", "-c", "two"],
      'shipshape load: --connections: expects a whole number, got "two"',
    );
    assertUsage(["load", "http://127.0.0.1:1/", "-n", "0"], "shipshape load: --count: must be ≥ 1, got 0");
    assertUsage(
      ["verify", "rollout", "deploy/wordpress", "--url", "http://127.0.0.1:1/", "--qps", "-1"],
      "shipshape verify: --qps: must be ≥ 0, got -1",
    );
  });

  it("an unwritable output file fails before the work starts (not after a 60 s load)", () => {
    const missing = join(dir, "missing", "out");
    for (const args of [
      ["load", "http://127.0.0.1:1/", "-t", "60s", "--quiet", "--json", `${missing}.json`],
      ["load", "http://127.0.0.1:1/", "-t", "60s", "--quiet", "--html", `${missing}.html`],
      ["verify", "drain", "node-1", "--url", "http://127.0.0.1:1/", "--html", `${missing}.html`],
      ["check", "test/fixtures/seed/naive-wordpress.yaml", "-o", `${missing}.txt`],
      ["synth", "wordpress", "-o", `${missing}.yaml`],
    ]) {
      const run = shipshape(args);
      assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
      assert.match(
        run.stderr,
        /^shipshape [a-z]+: .*\/missing\/out\.[a-z]+: cannot write: no directory .*\n$/,
      );
      assert.ok(run.ms < 10_000, `${args[0]} refused after ${Math.round(run.ms)} ms`);
    }
  });
});
