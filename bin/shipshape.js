#!/usr/bin/env node
// The entry point: the compiled dist/ in an installed package, the TypeScript sources in a clone
// (Node >= 22.18 strips their types, but never under node_modules, so the package ships dist/ only).
// An older Node on PATH gets a one-line hint instead of a syntax error from deep inside.
const sources = new URL("../src/cli/main.ts", import.meta.url);
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  const { existsSync } = await import("node:fs");
  const hint = existsSync(sources)
    ? "; run it through npx or npm scripts after `npm ci`, which provide Node 24"
    : "";
  process.stderr.write(`shipshape: needs Node.js >= 22.18 (this is ${process.versions.node})${hint}\n`);
  process.exit(2);
}
// Built-ins through process.getBuiltinModule: an ESM import of node:fs builds its whole namespace, whose
// getters load fs/promises, streams and readline, which a run may never use.
const clone = process.getBuiltinModule("node:fs").existsSync(sources);
// Cache compiled code between runs: a CLI pays its module loading on every start.
process.getBuiltinModule("node:module").enableCompileCache();
await import(clone ? sources.href : "../dist/cli/main.js");
