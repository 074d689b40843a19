// The reach check on a cluster written as YAML (test/fixtures/verify/reach/cluster.yaml): which
// addresses and hosts lead to the blog's pods, and which do not — a local server, another app's
// Service, a route that only redirects, a relay the cluster does not know.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import type { Node, Pod, Service } from "kubernetes-types/core/v1.js";
import { parseAllDocuments } from "yaml";
import type { KubeObject } from "../../../src/k8s/object.ts";
import { type ReachWorld, traceReach } from "../../../src/verify/reach.ts";
import { routesOf } from "../../../src/verify/routes.ts";

const objects = parseAllDocuments(
  readFileSync(new URL("../../fixtures/verify/reach/cluster.yaml", import.meta.url), "utf8"),
).map((d) => d.toJS() as KubeObject);
const ofKind = (kind: string) => objects.filter((o) => o.kind === kind);

/** The world with `app`'s pods and Service as the target. */
function world(app: "wordpress" | "shop"): ReachWorld {
  return {
    pods: (ofKind("Pod") as Pod[]).filter((p) => p.metadata?.labels?.app === app),
    targetServices: [`blog/${app}`],
    services: ofKind("Service") as Service[],
    nodes: ofKind("Node") as Node[],
    routes: routesOf({
      ingresses: ofKind("Ingress"),
      ingressRoutes: ofKind("IngressRoute"),
      middlewares: ofKind("Middleware"),
    }),
  };
}

function trace(url: string, address: string, port: number, app: "wordpress" | "shop" = "wordpress") {
  return traceReach({ url: new URL(url), address, port }, world(app));
}

test("a target pod's IP, a target Service's ClusterIP and its nodePort on any node are proven", () => {
  const pod = trace("http://10.40.129.5:80/", "10.40.129.5", 80);
  assert.equal(pod.proven, true);
  assert.match(pod.how, /pod blog\/wordpress-6d4f9c7b8-abcde/);
  const clusterIp = trace("http://10.96.0.20/", "10.96.0.20", 80);
  assert.deepEqual(clusterIp, {
    proven: true,
    how: "Service blog/wordpress (10.96.0.20:80), which selects the target's pods",
  });
  const nodePort = trace("http://10.40.0.12:30081/", "10.40.0.12", 30081);
  assert.equal(nodePort.proven, true);
  assert.match(nodePort.how, /^Service blog\/wordpress \(nodePort 30081 on node node-2\)/);
});

test("a local server on 127.0.0.1 is not the workload, whatever it answers", () => {
  const local = trace("http://127.0.0.1:8080/", "127.0.0.1", 8080);
  assert.equal(local.proven, false);
  assert.match(local.how, /127\.0\.0\.1:8080 is no pod, Service, node port or published ingress address/);
  assert.match(local.how, /no Ingress routes host 127\.0\.0\.1 to the target/);
});

test("another app's Service (nodePort or ClusterIP) is refused, naming it", () => {
  const other = trace("http://10.40.0.11:30082/", "10.40.0.11", 30082);
  assert.equal(other.proven, false);
  assert.match(
    other.how,
    /^Service blog\/shop \(nodePort 30082 on node node-1\) does not select the target's pods/,
  );
  // The target's ClusterIP on a port it does not serve is no frontend of it either.
  assert.equal(trace("http://10.96.0.20:8080/", "10.96.0.20", 8080).proven, false);
});

test("through the ingress's NodePort, the host's IngressRoute on that entry point leads to the target", () => {
  const https = trace("https://blog.example.test:30443/readme.html", "10.40.0.11", 30443);
  assert.equal(https.proven, true, https.how);
  assert.equal(
    https.how,
    "Service traefik/traefik (nodePort 30443 on node node-1) → IngressRoute blog/wordpress (host blog.example.test) → Service blog/wordpress → the target's pods",
  );
});

test("the http route that only redirects is refused: the load would measure the ingress", () => {
  const http = trace("http://blog.example.test:30080/", "10.40.0.11", 30080);
  assert.equal(http.proven, false);
  assert.match(
    http.how,
    /IngressRoute blog\/wordpress-http .* answers with a redirect \(Middleware blog\/wordpress-https\)/,
  );
});

test("a host routed to another Service, or not routed at all, is refused", () => {
  const shopHost = trace("https://shop.example.test:30443/", "10.40.0.11", 30443);
  assert.equal(shopHost.proven, false);
  assert.match(
    shopHost.how,
    /Ingress blog\/shop \(host shop\.example\.test\) sends host shop\.example\.test to blog\/shop/,
  );
  const unknown = trace("https://nowhere.example.test:30443/", "10.40.0.11", 30443);
  assert.equal(unknown.proven, false);
  assert.match(unknown.how, /no Ingress or IngressRoute routes host nowhere\.example\.test/);
});

test("an address an ingress published serves only the routes it was published for", () => {
  const published = trace("http://shop.example.test/", "192.0.2.80", 80, "shop");
  assert.equal(published.proven, true, published.how);
  assert.match(published.how, /^the ingress at 192\.0\.2\.80:80 → Ingress blog\/shop/);
  // The blog's IngressRoutes are not published there.
  assert.equal(trace("https://blog.example.test/", "192.0.2.80", 443).proven, false);
});

test("a relay on 127.0.0.1 to the right host cannot be told from a local server: refused, saying so", () => {
  const relay = trace("https://blog.example.test:8443/", "127.0.0.1", 8443);
  assert.equal(relay.proven, false);
  assert.match(
    relay.how,
    /IngressRoute blog\/wordpress \(host blog\.example\.test\) routes host blog\.example\.test to the target/,
  );
  assert.match(
    relay.how,
    /a relay or port-forward may lead to the ingress, or an unrelated server answers — it cannot be told/,
  );
});
