// The code cache of a script (src/cli/cached-script.ts): made by the first run, taken by the next, never
// taken for a script that changed, and never in the way when its directory is missing or read-only. Each
// run is a process of its own, as a command's is: the compile-cache directory is set once per process.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { scriptFile } from "../../../src/cli/cached-script.ts";

const dir = mkdtempSync(join(tmpdir(), "shipshape-cached-script-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const LOADER = pathToFileURL(join(import.meta.dirname, "../../../src/cli/cached-script.ts")).href;

/** A script whose `answer()` returns `value`, and uses a host module and require. */
function writeScript(file: string, value: string): void {
  writeFileSync(
    file,
    scriptFile(
      `const { join } = require("node:path");\nmodule.exports.answer = () => join(hostModules.prefix, ${JSON.stringify(value)});`,
    ),
  );
}

/** Loads and runs `script` in a fresh process with the compile cache in `cache` (none when undefined). */
function run(script: string, cache: string | undefined): { answer: string; fromCache: boolean } {
  const code = `
    import { enableCompileCache } from "node:module";
    const cache = process.env.CACHE;
    if (cache) enableCompileCache(cache);
    const { loadCachedScript } = await import(${JSON.stringify(LOADER)});
    const script = loadCachedScript(new URL(${JSON.stringify(pathToFileURL(script).href)}), { prefix: "p" });
    const answer = script.exports.answer();
    script.saveCache();
    process.stdout.write(JSON.stringify({ answer, fromCache: script.fromCache }));`;
  const child = spawnSync(process.execPath, ["--input-type=module", "-e", code], {
    encoding: "utf8",
    env: { ...process.env, CACHE: cache ?? "", NODE_COMPILE_CACHE: "" },
  });
  assert.equal(child.status, 0, child.stderr);
  assert.equal(child.stderr, "");
  return JSON.parse(child.stdout) as { answer: string; fromCache: boolean };
}

describe("loadCachedScript", () => {
  it("runs from source first, then from the cache the first run wrote", () => {
    const script = join(dir, "first.cjs");
    const cache = join(dir, "cache-first");
    writeScript(script, "a");
    assert.deepEqual(run(script, cache), { answer: "p/a", fromCache: false });
    assert.deepEqual(run(script, cache), { answer: "p/a", fromCache: true });
  });

  it("never runs a changed script from the old script's cache, even at the same length", () => {
    const script = join(dir, "changed.cjs");
    const cache = join(dir, "cache-changed");
    writeScript(script, "a");
    run(script, cache);
    // V8 checks a cache against the source's length only: the same length with other code must miss.
    writeScript(script, "b");
    assert.deepEqual(run(script, cache), { answer: "p/b", fromCache: false });
    assert.deepEqual(run(script, cache), { answer: "p/b", fromCache: true });
  });

  it("runs uncached without a cache directory, or with one it cannot write", () => {
    const script = join(dir, "uncached.cjs");
    writeScript(script, "a");
    assert.deepEqual(run(script, undefined), { answer: "p/a", fromCache: false });
    // A file where Node's versioned cache directory goes: every read and write in it fails, as in a
    // read-only one (which file modes cannot make for root).
    const blocked = join(dir, "cache-blocked");
    run(script, blocked);
    const [versioned] = readdirSync(blocked);
    rmSync(join(blocked, versioned!), { recursive: true });
    writeFileSync(join(blocked, versioned!), "");
    assert.deepEqual(run(script, blocked), { answer: "p/a", fromCache: false });
    assert.deepEqual(run(script, blocked), { answer: "p/a", fromCache: false });
  });
});
