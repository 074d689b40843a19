// A bundled command run as one script with a V8 code cache made after it ran. Node's compile cache
// (bin/shipshape.js turns it on) keeps only what V8 compiles when a module loads, its top-level code: every
// function a run calls is compiled again on every run, which for `check` (rules, reader, reports and the
// schema validators) is most of its start-up. A code cache taken from the script once it has run holds
// those functions too.
//
// The cache sits in Node's compile-cache directory (the user's NODE_COMPILE_CACHE, else node-compile-cache
// in the system's temp directory), named by the script's sha256 and the Node version, so a changed script
// never meets an old cache (V8 itself compares only the source's length). Without the directory, or when
// it cannot be written, the script runs uncached: the cache only ever saves time.
import type { Script } from "node:vm";

// Built-ins through process.getBuiltinModule: an ESM import of node:fs builds its whole namespace, whose
// getters load fs/promises, streams and readline (~30 modules) that a run never uses.
const { readFileSync, renameSync, rmSync, writeFileSync } = process.getBuiltinModule("node:fs");
const { createRequire, getCompileCacheDir } = process.getBuiltinModule("node:module");
const { join } = process.getBuiltinModule("node:path");
const { fileURLToPath } = process.getBuiltinModule("node:url");
const vm = process.getBuiltinModule("node:vm");

/** What a script's function receives: CommonJS's exports, require and module, the host modules, import.meta.url. */
const PARAMETERS = "exports, require, module, hostModules, importMetaUrl";

/**
 * The text of a script file: a line with the sha256 of the rest, then `body` (a CommonJS bundle, ASCII)
 * as one function expression of PARAMETERS.
 */
export function scriptFile(body: string): string {
  const script = `(function (${PARAMETERS}) {\n${body}\n})`;
  const hash = process.getBuiltinModule("node:crypto").createHash("sha256").update(script).digest("hex");
  return `// ${hash}\n${script}`;
}

export interface CachedScript<T> {
  exports: T;
  /** Whether V8 took the code cache (else it compiled the script from its source). */
  fromCache: boolean;
  /** Writes the code cache when there was none or V8 refused it; call it once the script has done its work. */
  saveCache(): void;
}

/** Runs the script file at `file` (see scriptFile) with `hostModules`, the modules it takes from this process. */
export function loadCachedScript<T>(file: URL, hostModules: Record<string, unknown>): CachedScript<T> {
  // ASCII only (esbuild escapes the rest), so latin1 reads it without UTF-8 decoding.
  const text = readFileSync(file, "latin1");
  const hash = /^\/\/ ([0-9a-f]{64})\n/.exec(text)?.[1];
  const filename = fileURLToPath(file);
  if (!hash) throw new Error(`${filename}: not a script file (no sha256 line)`);
  const cacheDir = getCompileCacheDir();
  const cacheFile =
    cacheDir && join(cacheDir, `shipshape-${hash.slice(0, 32)}-${process.version}-${process.arch}.v8`);
  let cachedData: Buffer | undefined;
  try {
    if (cacheFile) cachedData = readFileSync(cacheFile);
  } catch {
    // No cache yet.
  }
  // The hash line stays in the source (a comment), so stack traces name the file's own lines.
  const script: Script = new vm.Script(text, { filename, ...(cachedData ? { cachedData } : {}) });
  const fromCache = cachedData !== undefined && !script.cachedDataRejected;
  const module = { exports: {} as T };
  script.runInThisContext()(module.exports, createRequire(file), module, hostModules, file.href);
  return {
    exports: module.exports,
    fromCache,
    saveCache() {
      if (!cacheFile || fromCache) return;
      // Written aside and renamed, so a run started meanwhile never reads half a cache.
      const partial = `${cacheFile}.${process.pid}`;
      try {
        writeFileSync(partial, script.createCachedData(), { mode: 0o600 });
        renameSync(partial, cacheFile);
      } catch {
        // A read-only, full or vanished directory: the next run compiles again, as this one did.
        forget(partial);
      }
    },
  };
}

/** Removes what a failed write left, if it left anything where anything can be removed. */
function forget(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // Nothing there to remove.
  }
}
