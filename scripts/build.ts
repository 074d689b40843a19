// `npm run build` (run by prepack): the compiled package in dist/. Node strips TypeScript's types
// only outside node_modules, so an installed shipshape runs JavaScript: tsc emits src/ (imports
// rewritten .ts → .js, with declarations), and the generated schema validators, JavaScript already,
// are copied beside it.
import { execFileSync } from "node:child_process";
import { copyFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
process.chdir(root);
rmSync("dist", { recursive: true, force: true });
execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], {
  stdio: "inherit",
});

copyFileSync("src/k8s/schema-validators.d.ts", "dist/k8s/schema-validators.d.ts");
// The validators import one sibling by its source name; in dist/ that sibling is .js.
const validators = readFileSync("src/k8s/schema-validators.js", "utf8");
const sibling = 'from "./schema-list-map.ts"';
if (validators.split(sibling).length !== 2) {
  throw new Error(`src/k8s/schema-validators.js: expected exactly one import ${sibling}`);
}
writeFileSync("dist/k8s/schema-validators.js", validators.replace(sibling, 'from "./schema-list-map.js"'));
