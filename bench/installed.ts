// The package as `npm install` lays it out, for the benchmarks that time the CLI a user runs: the build
// (scripts/build.ts: the bundled dist/), bin/ and package.json copied into `dir`, the dependencies
// linked from this clone's node_modules. From a clone, bin/shipshape.js would run the sources instead.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const repo = fileURLToPath(new URL("..", import.meta.url));

/** Builds the package and lays it out under `dir`; returns the path of its entry point. */
export function installedPackage(dir: string): string {
  execFileSync(process.execPath, [join(repo, "scripts/build.ts")], { stdio: "inherit" });
  const root = join(dir, "shipshape");
  mkdirSync(root);
  for (const entry of ["bin", "dist", "package.json"])
    cpSync(join(repo, entry), join(root, entry), { recursive: true });
  symlinkSync(join(repo, "node_modules"), join(root, "node_modules"));
  return join(root, "bin/shipshape.js");
}
