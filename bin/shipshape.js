#!/usr/bin/env node
// The entry point: the compiled dist/ in an installed package, the TypeScript sources in a clone
// (Node >= 22.18 strips their types, but never under node_modules, so the package ships dist/ only).
// An older Node on PATH gets a one-line hint instead of a syntax error from deep inside.
import { existsSync } from "node:fs";

const sources = new URL("../src/cli/main.ts", import.meta.url);
const clone = existsSync(sources);
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  const hint = clone ? "; run it through npx or npm scripts after `npm ci`, which provide Node 24" : "";
  process.stderr.write(`shipshape: needs Node.js >= 22.18 (this is ${process.versions.node})${hint}\n`);
  process.exit(2);
}
// Cache compiled code between runs: a CLI pays its module loading on every start.
const { enableCompileCache } = await import("node:module");
enableCompileCache?.();
await import(clone ? sources.href : "../dist/cli/main.js");
