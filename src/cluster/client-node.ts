// The parts of @kubernetes/client-node shipshape uses (KubeConfig: kubeconfig loading and every auth
// provider; Watch; RequestContext), without the generated API that comes with them. The package index
// loads ~1,200 modules, and dist/config.js alone still ~1,100: it imports the generated index (every
// model and API class) for makeApiClient(), which needs just createConfiguration and
// ServerConfiguration. A CLI pays that load on every start (~0.3 s), so a resolve hook hands config.js
// a module re-exporting only those two, from the very files the generated index re-exports them from:
// same classes, and a process that also loads the full package (tests) shares them.
import { registerHooks } from "node:module";
import type * as Config from "@kubernetes/client-node/dist/config.js";

export { RequestContext } from "@kubernetes/client-node/dist/gen/http/http.js";
export { Watch } from "@kubernetes/client-node/dist/watch.js";

const dist = new URL("./", import.meta.resolve("@kubernetes/client-node"));
const configUrl = new URL("config.js", dist).href;
const makeApiClientNeeds = `export { createConfiguration } from ${JSON.stringify(new URL("gen/configuration.js", dist).href)};
export { ServerConfiguration } from ${JSON.stringify(new URL("gen/servers.js", dist).href)};`;

registerHooks({
  resolve(specifier, context, next) {
    if (specifier === "./gen/index.js" && context.parentURL === configUrl)
      return { url: `data:text/javascript,${encodeURIComponent(makeApiClientNeeds)}`, shortCircuit: true };
    return next(specifier, context);
  },
});

// Imported only now, so the hook above sees config.js's imports (a static import would resolve them first).
const config: typeof Config = await import("@kubernetes/client-node/dist/config.js");
export const KubeConfig = config.KubeConfig;
export type KubeConfig = Config.KubeConfig;
