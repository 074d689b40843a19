// `npm run build` (run by prepack): the package in dist/. Node strips TypeScript's types only outside
// node_modules, so an installed shipshape runs JavaScript, bundled: the library (dist/index.js) and the
// CLI (dist/cli/main.js) are two entry points of one esbuild build whose shared code sits in
// dist/chunks/, so a command loads a few files instead of ~150 modules (the start-up of every run), and a
// shipshape.config.ts importing "shipshape" gets the very classes the CLI runs. Each command stays its own
// chunk, loaded when it runs (check never loads the Kubernetes client). Dependencies stay in
// node_modules. tsc emits the declarations beside them.
import { execFileSync } from "node:child_process";
import { copyFileSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
process.chdir(root);
rmSync("dist", { recursive: true, force: true });
execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], {
  stdio: "inherit",
});
copyFileSync("src/k8s/schema-validators.d.ts", "dist/k8s/schema-validators.d.ts");

const common = {
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node22.18",
  packages: "external",
  logLevel: "warning",
} as const;
const { metafile } = await build({
  ...common,
  entryPoints: { index: "src/index.ts", "cli/main": "src/cli/main.ts" },
  splitting: true,
  outdir: "dist",
  chunkNames: "chunks/[name]-[hash]",
  metafile: true,
});

// Two modules find files relative to their own URL: schema.ts loads the validators beside it on first use
// (2 MB that commands which never validate do not parse, and a file of its own keeps them in Node's compile
// cache), and app-file.ts resolves "shipshape" to ../index.js. Both must land in dist/chunks/.
const LOCATED = ["src/k8s/schema.ts", "src/synth/app-file.ts"];
for (const input of LOCATED) {
  const outputs = Object.entries(metafile.outputs).filter(([, o]) => Object.hasOwn(o.inputs, input));
  const misplaced = outputs.filter(([file]) => dirname(file) !== "dist/chunks").map(([file]) => file);
  if (outputs.length === 0 || misplaced.length > 0)
    throw new Error(`${input}: bundled into ${misplaced.join(", ") || "nothing"}, expected dist/chunks/`);
}
// The validators, generated JavaScript already, with the one helper they import; without their layout
// (a quarter of their bytes), which every start reads.
await build({
  ...common,
  minifyWhitespace: true,
  entryPoints: ["src/k8s/schema-validators.js"],
  outfile: "dist/chunks/schema-validators.js",
});
