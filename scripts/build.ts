// `npm run build` (run by prepack): the package in dist/. Node strips TypeScript's types only outside
// node_modules, so an installed shipshape runs JavaScript, bundled: the library (dist/index.js) and the
// CLI (dist/cli/main.js) are two entry points of one esbuild build whose shared code sits in
// dist/chunks/, so a command loads a few files instead of ~150 modules (the start-up of every run), and a
// shipshape.config.ts importing "shipshape" gets the very classes the CLI runs. Each command stays its own
// chunk, loaded when it runs (check never loads the Kubernetes client). Dependencies stay in
// node_modules. tsc emits the declarations beside them. `check` itself runs as one script with a code
// cache (dist/chunks/check.cjs, below).
import { execFileSync } from "node:child_process";
import { copyFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";
import { scriptFile } from "../src/cli/cached-script.ts";
import { HOST_MODULES } from "../src/cli/check-script.ts";

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
// main.js runs check through check-script.ts, which loads the script below in check.ts's place.
const checkThroughScript: Plugin = {
  name: "check-through-script",
  setup(build) {
    build.onResolve({ filter: /^\.\/check\.ts$/ }, (args) =>
      relative(root, args.importer) === "src/cli/main.ts"
        ? { path: `${root}src/cli/check-script.ts` }
        : undefined,
    );
  },
};
const { metafile } = await build({
  ...common,
  entryPoints: { index: "src/index.ts", "cli/main": "src/cli/main.ts" },
  splitting: true,
  outdir: "dist",
  chunkNames: "chunks/[name]-[hash]",
  metafile: true,
  plugins: [checkThroughScript],
});

// Node's built-ins through process.getBuiltinModule instead of an import: an ESM import of a built-in
// builds its whole namespace, whose getters load what the run never uses (node:fs's load fs/promises,
// streams and readline, node:util's workers: ~40 modules at every start).
const BUILTIN_IMPORT = /^import (\{[^}]*\}) from "(node:[^"]+)";$/gm;
for (const file of Object.keys(metafile.outputs).filter((file) => file.endsWith(".js"))) {
  const text = readFileSync(file, "utf8");
  const rewritten = text.replace(
    BUILTIN_IMPORT,
    (_, names: string, builtin: string) =>
      `const ${names.replaceAll(/ as /g, ": ")} = process.getBuiltinModule("${builtin}");`,
  );
  if (/^import [^;]* from "node:/m.test(rewritten))
    throw new Error(`${file}: a built-in import the build does not rewrite`);
  if (rewritten !== text) writeFileSync(file, rewritten);
}

// Three modules find files relative to their own URL: schema-validators-load.ts loads the validators
// beside it, check-script.ts the check script, and app-file.ts resolves "shipshape" to ../index.js. All
// must land in dist/chunks/.
const LOCATED = ["src/k8s/schema-validators-load.ts", "src/cli/check-script.ts", "src/synth/app-file.ts"];
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

// `check` as one script (src/cli/cached-script.ts says why): check.ts and everything it imports, the
// validators among them, bundled as CommonJS. The host modules (src/cli/check-script.ts) come from the
// process that loads it; a script has no import(), so every other module must be bundled.
const hostModules = Object.keys(HOST_MODULES);
const scriptModules: Plugin = {
  name: "check-script-modules",
  setup(build) {
    build.onResolve({ filter: /\.ts$/ }, (args) => {
      const path = relative(root, resolve(args.resolveDir, args.path));
      return hostModules.includes(path) ? { path, namespace: "host" } : undefined;
    });
    build.onLoad({ filter: /$/, namespace: "host" }, (args) => ({
      contents: `module.exports = hostModules[${JSON.stringify(args.path)}];`,
    }));
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (relative(root, args.path) === "src/k8s/schema-validators-load.ts")
        return {
          contents: 'export const loadValidators = () => require("./schema-validators.js").validators;',
          resolveDir: dirname(args.path),
        };
      return undefined;
    });
  },
};
const script = await build({
  ...common,
  format: "cjs",
  entryPoints: ["src/cli/check.ts"],
  outfile: "dist/chunks/check.cjs",
  write: false,
  minifyWhitespace: true,
  charset: "ascii",
  define: { "import.meta.url": "importMetaUrl" },
  plugins: [scriptModules],
});
const body = script.outputFiles[0]!.text;
if (/\bimport\(/.test(body))
  throw new Error("dist/chunks/check.cjs: a script cannot import(); bundle the module or host it");
writeFileSync("dist/chunks/check.cjs", scriptFile(body));
