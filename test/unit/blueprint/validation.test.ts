// Bad settings fail with an InputError naming the field, before any object is produced.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { wordpress } from "../../../src/blueprint/blueprints/wordpress.ts";
import { InputError } from "../../../src/errors.ts";

function rejects(props: unknown, field: string, message: RegExp): void {
  assert.throws(
    () => wordpress(props as never),
    (error: unknown) => {
      assert.ok(error instanceof InputError, String(error));
      assert.equal(error.place.field, field);
      assert.match(error.message, message);
      assert.equal(error.exitCode, 2);
      return true;
    },
  );
}

describe("wordpress settings validation", () => {
  it("rejects unknown keys and suggests the near one", () =>
    rejects({ replica: 3 }, "replica", /did you mean "replicas"/));
  it("rejects wrong types", () => {
    rejects({ replicas: "3" }, "replicas", /must be an integer, got string "3"/);
    rejects({ liveness: "yes" }, "liveness", /true or false/);
    rejects({ namespace: 7 }, "namespace", /must be a string/);
  });
  it("rejects replicas below one", () => rejects({ replicas: 0 }, "replicas", /≥ 1/));
  it("rejects a preStop sleep not shorter than the grace period", () => {
    rejects({ preStopSeconds: 30 }, "preStopSeconds", /shorter than terminationGracePeriodSeconds/);
    rejects({ preStopSeconds: 20, terminationGracePeriodSeconds: 15 }, "preStopSeconds", /20 ≥ 15/);
  });
  it("rejects a ReadWriteOnce volume for a multi-replica web tier", () => {
    rejects({ accessMode: "ReadWriteOnce" }, "accessMode", /cannot be mounted by 6 replicas/);
    rejects({ accessMode: "ReadWriteOnce", autoscale: false, replicas: 2 }, "accessMode", /2 replicas/);
  });
  it("accepts a ReadWriteOnce volume for a single fixed replica", () => {
    assert.ok(wordpress({ accessMode: "ReadWriteOnce", autoscale: false, replicas: 1 }).objects().length > 0);
  });
  it("rejects an autoscaler maximum below its minimum", () =>
    rejects({ replicas: 5, maxReplicas: 4 }, "maxReplicas", /4 < 5/));
  it("rejects malformed or zero quantities", () => {
    rejects({ memory: "100MB" }, "memory", /not a Kubernetes quantity/);
    rejects({ cpu: "0" }, "cpu", /more than zero/);
  });
  it("rejects unpinned images", () => {
    rejects({ wordpressImage: "wordpress" }, "wordpressImage", /no tag/);
    rejects({ mysqlImage: "mysql:latest" }, "mysqlImage", /latest/);
    assert.ok(wordpress({ mysqlImage: `mysql@sha256:${"a".repeat(64)}` }).objects().length > 0);
    assert.ok(wordpress({ mysqlImage: "registry.local:5000/mysql:8.4.6" }).objects().length > 0);
    rejects({ mysqlImage: "registry.local:5000/mysql" }, "mysqlImage", /no tag/);
  });
  it("rejects a moving tag such as stable, as check's image-tag-mutable rule would flag it", () => {
    rejects({ wordpressImage: "wordpress:stable" }, "wordpressImage", /tagged stable, a moving tag/);
    rejects({ mysqlImage: "mysql:LTS" }, "mysqlImage", /moving tag/);
  });
  it("rejects values outside the enumerations", () => {
    rejects({ ingress: "nginx" }, "ingress", /standard, traefik, none/);
    rejects({ antiAffinity: "strict" }, "antiAffinity", /soft, hard, spread/);
  });
  it("rejects names that are not DNS names", () => {
    rejects({ namespace: "Kube_Example" }, "namespace", /DNS label/);
    rejects({ domain: "https://blog.example.com" }, "domain", /DNS name/);
  });
  it("rejects settings that are not a map", () => {
    assert.throws(() => wordpress([] as never), /expected a map of settings, got a list/);
  });
});
