// The constructs as a library: relations are methods, and they refuse combinations that cannot work.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Deployment } from "kubernetes-types/apps/v1.js";
import type { NetworkPolicy } from "kubernetes-types/networking/v1.js";
import { App, Database, InputError, SharedVolume, WebService } from "../../../src/index.ts";
import { container, deployment, find } from "./find.ts";

describe("constructs", () => {
  it("a database nobody is allowed to reach gets a deny-all policy, not an allow-all one, and reaches only DNS", () => {
    const app = new App({ namespace: "ns" });
    new Database(app, "db");
    const policy = find<NetworkPolicy>(app.objects(), "NetworkPolicy");
    assert.deepEqual(policy.spec?.ingress, []);
    assert.deepEqual(policy.spec?.policyTypes, ["Ingress", "Egress"]);
    assert.deepEqual(policy.spec?.egress, [
      {
        ports: [
          { protocol: "UDP", port: 53 },
          { protocol: "TCP", port: 53 },
        ],
      },
    ]);
  });

  it("allowFrom admits each client's pods once", () => {
    const app = new App({ namespace: "ns" });
    const db = new Database(app, "db");
    const api = new WebService(app, "api", { image: "api:1.0.0" });
    const admin = new WebService(app, "admin", { image: "admin:1.0.0", tier: "admin", app: "api" });
    db.allowFrom(api).allowFrom(admin).allowFrom(api);
    const from = find<NetworkPolicy>(app.objects(), "NetworkPolicy").spec?.ingress?.[0]?.from;
    assert.deepEqual(from, [
      { podSelector: { matchLabels: { app: "api", tier: "frontend" } } },
      { podSelector: { matchLabels: { app: "api", tier: "admin" } } },
    ]);
  });

  it("connectTo wires the DB address and password reference into the env and opens the policy", () => {
    const app = new App({ namespace: "ns" });
    const db = new Database(app, "db", { secretName: "db-credentials" });
    const web = new WebService(app, "wordpress", { image: "wordpress:6.8.3-apache" });
    web.connectTo(db, { host: "H", user: "U", password: "P", database: "D" });
    const objects = app.objects();
    assert.deepEqual(container(deployment(objects)).env, [
      { name: "H", value: "db.ns.svc:3306" },
      { name: "U", value: "wordpress" },
      { name: "P", valueFrom: { secretKeyRef: { name: "db-credentials", key: "mysql-password" } } },
      { name: "D", value: "wordpress" },
    ]);
    assert.equal(find<NetworkPolicy>(objects, "NetworkPolicy").spec?.ingress?.length, 1);
  });

  it("mount refuses a ReadWriteOnce volume when replicas could land on several nodes", () => {
    const app = new App({ namespace: "ns" });
    const volume = new SharedVolume(app, "files", { accessMode: "ReadWriteOnce" });
    const web = new WebService(app, "web", { image: "nginx:1.27.3", autoscale: { maxReplicas: 4 } });
    assert.throws(
      () => web.mount("/data", volume),
      (e: unknown) => e instanceof InputError && e.place.field === "accessMode",
    );
  });

  it("props left undefined keep the construct's defaults", () => {
    const app = new App({ namespace: "ns" });
    new WebService(app, "web", { image: "nginx:1.27.3", cpu: undefined, preStopSeconds: undefined });
    const web = container(find<Deployment>(app.objects(), "Deployment"));
    assert.equal(web.resources?.limits?.cpu, "200m");
    assert.equal(web.lifecycle?.preStop?.sleep?.seconds, 20);
  });
});
