// `shipshape check` as the installed package runs it: the command bundled into one script
// (dist/chunks/check.cjs, scripts/build.ts) loaded with the code cache of cached-script.ts, instead of
// check.ts's module graph. The build puts this module in check.ts's place in the package's main.js; from a
// clone, main.ts imports check.ts itself.
import * as errors from "../errors.ts";
import { loadCachedScript } from "./cached-script.ts";
import type * as checkCommand from "./check.ts";
import type * as checkCluster from "./check-cluster.ts";
import * as kubeOptions from "./kube-options.ts";

/**
 * The modules the script takes from this process instead of bundling a copy, by source path: the errors,
 * so that main's `instanceof InputError` knows the script's; the cluster options and reader, whose
 * Kubernetes client (ESM with top-level await) a script cannot load, the reader imported when `--cluster`
 * asks for it.
 */
export const HOST_MODULES = {
  "src/errors.ts": errors,
  "src/cli/kube-options.ts": kubeOptions,
  "src/cli/check-cluster.ts": {
    readClusterInput: async (...args: Parameters<typeof checkCluster.readClusterInput>) =>
      (await import("./check-cluster.ts")).readClusterInput(...args),
  } satisfies typeof checkCluster,
};

/**
 * Options with which check only prints: the cache keeps what its run compiled, so it is made by a run that
 * checked (as a run that fails throws before it is made).
 */
const PRINT_ONLY = new Set(["-h", "--help", "--list-rules", "--explain"]);

export async function run(argv: string[]): Promise<number> {
  const script = loadCachedScript<typeof checkCommand>(new URL("./check.cjs", import.meta.url), HOST_MODULES);
  const code = await script.exports.run(argv);
  if (!argv.some((arg) => PRINT_ONLY.has(arg.split("=")[0]!))) script.saveCache();
  return code;
}
