// A bundled command run as one script with a V8 code cache made after it ran. Node's compile cache
// (bin/shipshape.js turns it on) keeps only what V8 compiles when a module loads, its top-level code: every
// function a run calls is compiled again on every run, which for `check` (rules, reader, reports and the
// schema validators) is most of its start-up. A code cache taken from the script once it has run holds
// those functions too.
//
// The script is the file scripts/build.ts writes: a first line with the sha256 of the rest, then one
// function expression `(function (exports, require, module, hostModules, importMetaUrl) { … })` around a
// CommonJS bundle.
// The cache sits in Node's compile-cache directory (the user's NODE_COMPILE_CACHE, else the system's temp
// directory), named by that hash and the Node version, so a changed script never meets an old cache (V8
// itself compares only the source's length). Without the directory, or when it cannot be written, the
// script runs uncached: the cache only ever saves time.
import type { Script } from "node:vm";

// Built-ins through process.getBuiltinModule: an ESM import of node:fs builds its whole namespace, whose
// getters load fs/promises, streams and readline (~30 modules) that a run never uses.
const { readFileSync, renameSync, rmSync, writeFileSync } = process.getBuiltinModule("node:fs");
const { createRequire, getCompileCacheDir } = process.getBuiltinModule("node:module");
const { join } = process.getBuiltinModule("node:path");
const vm = process.getBuiltinModule("node:vm");

export interface CachedScript<T> {
  exports: T;
  /** Writes the code cache when there was none or V8 refused it; call it once the script has done its work. */
  saveCache(): void;
}

/** Runs the script at `file` (see above) with `hostModules`, the modules it takes from this process. */
export function loadCachedScript<T>(file: URL, hostModules: Record<string, unknown>): CachedScript<T> {
  const filename = file.pathname;
  // The build writes ASCII only (esbuild escapes the rest), so latin1 reads it without UTF-8 decoding.
  const text = readFileSync(file, "latin1");
  const newline = text.indexOf("\n");
  const hash = text.slice(0, newline).replace(/^\/\/ ?/, "");
  const cacheDir = getCompileCacheDir?.();
  const cacheFile =
    cacheDir && /^[0-9a-f]{64}$/.test(hash)
      ? join(cacheDir, `shipshape-${hash.slice(0, 16)}-${process.version}-${process.arch}.v8`)
      : undefined;
  let cachedData: Buffer | undefined;
  try {
    if (cacheFile) cachedData = readFileSync(cacheFile);
  } catch {
    // No cache yet.
  }
  // The hash line stays in the source (as a comment) so line numbers in stack traces are the file's.
  const script: Script = new vm.Script(text, { filename, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} as T };
  script.runInThisContext()(module.exports, createRequire(file), module, hostModules, file.href);
  return {
    exports: module.exports,
    saveCache() {
      if (!cacheFile || (cachedData && !script.cachedDataRejected)) return;
      // Written aside and renamed, so a run started meanwhile never reads half a cache.
      const partial = `${cacheFile}.${process.pid}`;
      try {
        writeFileSync(partial, script.createCachedData(), { mode: 0o600 });
        renameSync(partial, cacheFile);
      } catch {
        // A read-only, full or vanished directory: the next run compiles again, as this one did.
        rmSync(partial, { force: true });
      }
    },
  };
}
