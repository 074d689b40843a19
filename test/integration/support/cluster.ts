// Shared helpers for integration tests: the testbed's kubeconfig, throwaway namespaces, and
// bounded polling. Tests talk to the real testbed control plane (`npm run testbed:up`).
import { existsSync } from "node:fs";
import { after } from "node:test";
import { fileURLToPath } from "node:url";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { waitFor } from "./wait-for.ts";

export { type WaitOptions, waitFor } from "./wait-for.ts";

const testbedKubeconfig = fileURLToPath(new URL("../../../.testbed/kubeconfig", import.meta.url));

let loaded: KubeConfig | undefined;

/** The testbed's KubeConfig: $KUBECONFIG when set (the integration script sets it), else the
 * kubeconfig a running `npm run testbed:up` wrote into .testbed/. */
export function kubeConfig(): KubeConfig {
  if (loaded) return loaded;
  const file = process.env.KUBECONFIG || testbedKubeconfig;
  if (!existsSync(file)) {
    throw new Error(`no kubeconfig at ${file}: start the testbed with \`npm run testbed:up\``);
  }
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  loaded = kc;
  return kc;
}

const created = new Set<string>();
// Registered at import, so it belongs to the test file's root: a hook registered from inside a
// before() hook would run as soon as that hook returns.
after(deleteCreatedNamespaces);

/** Label on every namespace the tests create, so leftovers can be found and swept. */
export const TEST_NAMESPACE_LABEL = "shipshape.test/integration";

/** Creates a uniquely named namespace, deleted when the test file finishes. Resolves once
 * the namespace's default ServiceAccount exists, since pods are refused until it does. */
export async function freshNamespace(prefix: string): Promise<string> {
  const core = kubeConfig().makeApiClient(CoreV1Api);
  const stem = prefix
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const name = `${stem || "test"}-${suffix}`;
  await core.createNamespace({ body: { metadata: { name, labels: { [TEST_NAMESPACE_LABEL]: "true" } } } });
  created.add(name);
  await waitFor(() => core.readNamespacedServiceAccount({ name: "default", namespace: name }), {
    timeoutMs: 30_000,
    what: `the default ServiceAccount in namespace ${name}`,
  });
  return name;
}

async function deleteCreatedNamespaces(): Promise<void> {
  if (created.size === 0) return;
  const core = kubeConfig().makeApiClient(CoreV1Api);
  // Deletion finishes in the background (the namespace controller empties it); nothing waits.
  await Promise.allSettled([...created].map((name) => core.deleteNamespace({ name })));
  created.clear();
}
