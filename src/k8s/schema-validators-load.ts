// Where schema.ts gets the validators: the generated module beside this file, loaded on first use (2 MB
// that commands which never validate do not parse; a file of its own keeps them in Node's compile cache).
// The check script of the package bundles them in instead (scripts/build.ts).
import { createRequire } from "node:module";
import type { KindValidator } from "./schema-validators.js";

export function loadValidators(): Record<string, KindValidator> {
  return (createRequire(import.meta.url)("./schema-validators.js") as typeof import("./schema-validators.js"))
    .validators;
}
