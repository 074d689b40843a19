import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";

const clientNode = new URL("../../../src/cluster/client-node.ts", import.meta.url).href;

const KUBECONFIG = {
  clusters: [{ name: "c", server: "https://127.0.0.1:6443" }],
  users: [{ name: "u", token: "t" }],
  contexts: [{ name: "x", cluster: "c", user: "u" }],
  currentContext: "x",
};

test("KubeConfig loads without client-node's generated models and API classes", () => {
  // A fresh process, so nothing else has loaded the package yet; a load hook lists every module.
  const script = `
    import { registerHooks } from "node:module";
    const loaded = [];
    registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context); } });
    const { KubeConfig } = await import(${JSON.stringify(clientNode)});
    const kc = new KubeConfig();
    kc.loadFromOptions(${JSON.stringify(KUBECONFIG)});
    console.log(JSON.stringify({ loaded, server: kc.getCurrentCluster().server }));`;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  const { loaded, server } = JSON.parse(out) as { loaded: string[]; server: string };
  assert.equal(server, "https://127.0.0.1:6443");
  assert.ok(loaded.some((url) => url.endsWith("/@kubernetes/client-node/dist/config.js")));
  const generated = loaded.filter((url) => /\/client-node\/dist\/gen\/(models|apis|types)\//.test(url));
  assert.deepEqual(generated, []);
});

test("the full package loaded later shares the classes, and its makeApiClient still reaches the server", async () => {
  const { KubeConfig, RequestContext, Watch } = await import("../../../src/cluster/client-node.ts");
  const full = await import("@kubernetes/client-node");
  assert.equal(KubeConfig, full.KubeConfig);
  assert.equal(Watch, full.Watch);
  assert.equal(RequestContext, full.RequestContext);
  const paths: string[] = [];
  const server = createServer((request, response) => {
    paths.push(request.url ?? "");
    response.setHeader("content-type", "application/json");
    response.end(JSON.stringify({ kind: "NamespaceList", apiVersion: "v1", metadata: {}, items: [] }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const kc = new KubeConfig();
    kc.loadFromOptions({
      ...KUBECONFIG,
      clusters: [{ name: "c", server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    });
    const list = await kc.makeApiClient(full.CoreV1Api).listNamespace();
    assert.deepEqual(list.items, []);
    assert.deepEqual(paths, ["/api/v1/namespaces"]);
  } finally {
    server.close();
  }
});
