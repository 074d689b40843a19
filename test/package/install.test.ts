// The package as a user gets it: `npm pack`, installed with npm into a temporary prefix (its
// dependencies come from the registry), then run from outside the repository — every command's
// --help, --version, synth | check, a shipshape.config.ts importing "shipshape", and the library.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { after, before, describe, it } from "node:test";

const repo = join(import.meta.dirname, "../..");
const { version, engines } = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as {
  version: string;
  engines: { node: string };
};
/** The Node the repository brings (devDependency `node`), not whatever is first on PATH. */
const NODE = join(repo, "node_modules/.bin/node");
const work = mkdtempSync(join(tmpdir(), "shipshape-package-"));
const prefix = join(work, "prefix");
const installed = join(prefix, "node_modules/shipshape");
let packed: string[] = [];
/** `npm pack` builds dist/ in the repository; a run that found none leaves none. */
const builtHere = !existsSync(join(repo, "dist"));

before(() => {
  const [pack] = JSON.parse(
    execFileSync("npm", ["pack", "--json", "--pack-destination", work], { cwd: repo, encoding: "utf8" }),
  ) as { filename: string; files: { path: string }[] }[];
  packed = pack!.files.map((f) => f.path);
  mkdirSync(prefix);
  execFileSync(
    "npm",
    ["install", "--prefix", prefix, "--no-audit", "--no-fund", join(work, pack!.filename)],
    {
      stdio: "ignore",
    },
  );
});
after(() => {
  rmSync(work, { recursive: true, force: true });
  if (builtHere) rmSync(join(repo, "dist"), { recursive: true, force: true });
});

/** The installed bin, run by `node` in `cwd` (outside the repository). */
function shipshape(
  args: string[],
  {
    node = NODE,
    input = undefined as string | undefined,
    cwd = work,
    env = {} as Record<string, string>,
  } = {},
) {
  const run = spawnSync(node, [join(installed, "bin/shipshape.js"), ...args], {
    cwd,
    input,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("the installed package", () => {
  it("ships the compiled library and the entry point, no sources and no tests", () => {
    assert.ok(packed.includes("bin/shipshape.js") && packed.includes("dist/index.js"), packed.join(" "));
    assert.ok(packed.includes("dist/index.d.ts") && packed.includes("dist/chunks/schema-validators.js"));
    assert.deepEqual(
      packed.filter(
        (path) => /^(src|test|bench|scripts|testbed)\/|\.ts$/.test(path) && !path.endsWith(".d.ts"),
      ),
      [],
    );
  });

  it("prints its version", () => {
    const run = shipshape(["--version"]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, `${version}\n`);
  });

  it("prints every command's --help", () => {
    const commands = [...shipshape(["--help"]).stdout.matchAll(/^ {2}([a-z]+) {2,}/gm)].map((m) => m[1]!);
    assert.ok(commands.length >= 7, commands.join(" "));
    for (const command of commands) {
      const run = shipshape([command, "--help"]);
      assert.equal(run.code, 0, `${command}: ${run.stderr}`);
      assert.match(run.stdout, new RegExp(`Usage: shipshape ${command}`), command);
    }
  });

  it("synth wordpress | check - passes", () => {
    const synth = shipshape(["synth", "wordpress", "--domain", "blog.example.com"]);
    assert.equal(synth.code, 0, synth.stderr);
    const check = shipshape(["check", "-"], { input: synth.stdout });
    assert.equal(check.code, 0, check.stdout + check.stderr);
    // Advice (info) may remain, e.g. what Pod Security "restricted" would still ask of the images.
    assert.match(
      check.stdout,
      /\(0 errors, 0 warnings, \d+ infos?\) in \d+ objects|no problems in \d+ objects/,
    );
  });

  // check runs as one script with a code cache of its own (src/cli/cached-script.ts): the report is the
  // same whether the cache is made, taken, impossible to write or switched off.
  it("check reports the same with a cold, a warm, an unwritable and no code cache", () => {
    const synth = ["synth", "wordpress", "--domain", "blog.example.com", "--set", "replicas=1"];
    const input = shipshape(synth).stdout;
    const cache = join(work, "code-cache");
    const checkWith = (env: Record<string, string>) => {
      const run = shipshape(["check", "-", "--format", "json"], { input, env });
      assert.equal(run.stderr, "");
      return { code: run.code, report: run.stdout };
    };
    const cold = checkWith({ NODE_COMPILE_CACHE: cache });
    assert.ok(JSON.parse(cold.report).summary.objects > 5, cold.report);
    const [versioned] = readdirSync(cache);
    assert.ok(
      readdirSync(join(cache, versioned!)).some((file) => /^shipshape-.*\.v8$/.test(file)),
      "no code cache written",
    );
    assert.deepEqual(checkWith({ NODE_COMPILE_CACHE: cache }), cold);
    // A file where the versioned directory goes: no cache can be read or written there.
    const blocked = join(work, "code-cache-blocked");
    mkdirSync(blocked);
    writeFileSync(join(blocked, versioned!), "");
    assert.deepEqual(checkWith({ NODE_COMPILE_CACHE: blocked }), cold);
    assert.deepEqual(checkWith({ NODE_DISABLE_COMPILE_CACHE: "1" }), cold);
  });

  it("runs a shipshape.config.ts that imports from shipshape, in a repository that does not depend on it", () => {
    const project = join(work, "project");
    mkdirSync(project);
    cpSync(join(repo, "test/fixtures/config/custom-app.config.ts"), join(project, "shipshape.config.ts"));
    const run = shipshape(["synth", "--config", "shipshape.config.ts"], { cwd: project });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /kind: Deployment\nmetadata:\n {2}name: storefront\n/);
  });

  it("is importable as a dependency, with types", () => {
    writeFileSync(
      join(prefix, "use.mjs"),
      'import { toYaml, wordpress } from "shipshape";\nprocess.stdout.write(toYaml(wordpress({ domain: "x.example.com" }).synth()));\n',
    );
    const run = spawnSync(NODE, ["use.mjs"], { cwd: prefix, encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /- host: x\.example\.com/);
    // A TypeScript consumer type-checks against the shipped declarations (strict: an untyped import fails).
    writeFileSync(
      join(prefix, "use.ts"),
      'import { toYaml, wordpress, type WordPressProps } from "shipshape";\nconst props: WordPressProps = { domain: "x.example.com" };\nexport const yaml: string = toYaml(wordpress(props).synth());\n',
    );
    const tsc = spawnSync(
      NODE,
      [
        join(repo, "node_modules/typescript/bin/tsc"),
        "--noEmit",
        "--strict",
        "--skipLibCheck",
        "--module",
        "nodenext",
        "--target",
        "es2023",
        "use.ts",
      ],
      { cwd: prefix, encoding: "utf8" },
    );
    assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
  });

  // The bundle targets the oldest Node the package accepts: that Node itself, from the npm registry
  // (the `node` package, as the repository gets its own), runs the commands and every report format.
  it("runs on the oldest Node it supports", () => {
    const oldest = `${/^>=(\d+\.\d+)$/.exec(engines.node)![1]}.0`;
    const dir = join(work, `node-${oldest}`);
    mkdirSync(dir);
    // The `node` package's install script fetches the binary (another registry package) for this platform.
    writeFileSync(join(dir, "package.json"), JSON.stringify({ private: true, allowScripts: { node: true } }));
    execFileSync("npm", ["install", "--no-audit", "--no-fund", `node@${oldest}`], {
      cwd: dir,
      stdio: "ignore",
    });
    const node = join(dir, "node_modules/.bin/node");
    assert.equal(execFileSync(node, ["-p", "process.version"], { encoding: "utf8" }).trim(), `v${oldest}`);
    assert.equal(shipshape(["--version"], { node }).stdout, `${version}\n`);
    const synth = shipshape(["synth", "wordpress", "--domain", "blog.example.com"], { node });
    assert.equal(synth.code, 0, synth.stderr);
    for (const format of ["text", "json", "sarif", "junit"]) {
      const check = shipshape(["check", "-", "--format", format], { node, input: synth.stdout });
      assert.equal(check.code, 0, `${format}: ${check.stdout}${check.stderr}`);
    }
    const json = JSON.parse(
      shipshape(["check", "-", "--format", "json"], { node, input: synth.stdout }).stdout,
    );
    assert.ok(json.summary.objects > 5, JSON.stringify(json.summary));
  });

  // The machine's own Node, when it is older than shipshape needs: one clear line, not a crash inside.
  const old = olderNode();
  it("refuses a Node older than 22.18 with one line", {
    skip: old ? false : "no Node < 22.18 on PATH",
  }, () => {
    const run = shipshape(["--version"], { node: old! });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^shipshape: needs Node\.js >= 22\.18 \(this is \d+\.\d+\.\d+\)\n$/);
  });
});

/** A `node` on PATH older than 22.18 (the machine's own, behind node_modules/.bin), if any. */
function olderNode(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const node = join(dir, "node");
    if (!dir || !existsSync(node)) continue;
    const [major = 0, minor = 0] = spawnSync(node, ["-p", "process.versions.node"], { encoding: "utf8" })
      .stdout.split(".")
      .map(Number);
    if (major < 22 || (major === 22 && minor < 18)) return node;
  }
  return undefined;
}
