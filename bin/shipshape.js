#!/usr/bin/env node
// The installed entry point. Node >= 22.18 runs the TypeScript sources directly (type stripping);
// an older Node on PATH gets a one-line hint instead of a syntax error from deep inside.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `shipshape: needs Node.js >= 22.18 (this is ${process.versions.node}); run it through npx or npm scripts after \`npm ci\`, which provide Node 24\n`,
  );
  process.exit(2);
}
// Cache compiled code between runs: a CLI pays its module loading on every start.
const { enableCompileCache } = await import("node:module");
enableCompileCache?.();
await import("../src/cli/main.ts");
