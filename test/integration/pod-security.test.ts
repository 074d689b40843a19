// The blueprint's Namespace enforces Pod Security "baseline", and the blueprint's own pods pass it:
// pods built from its templates are admitted (dry run), while a privileged pod is refused; and check says
// the same of those pods (the wider agreement is pod-security-oracle.test.ts).
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { HttpMethod } from "@kubernetes/client-node";
import type { PodTemplateSpec } from "kubernetes-types/core/v1.js";
import { wordpress } from "../../src/blueprint/blueprints/wordpress.ts";
import { podSecurityLevel, podSecurityViolations } from "../../src/check/facts/pod-security.ts";
import { ApiError, Cluster } from "../../src/cluster/client.ts";
import type { KubeObject } from "../../src/k8s/object.ts";
import { freshNamespace, kubeConfig } from "./support/cluster.ts";

const cluster = new Cluster(kubeConfig());
let ns = "";
let objects: KubeObject[] = [];

before(async () => {
  ns = await freshNamespace("pod-security");
  objects = wordpress({ namespace: ns }).objects();
  await cluster.apply(objects.find((o) => o.kind === "Namespace")!);
});

/** POSTs a pod made from `template` with dryRun=All; the admission verdict as an error message or undefined. */
async function admit(name: string, template: PodTemplateSpec): Promise<string | undefined> {
  const pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: ns, ...template.metadata },
    spec: template.spec,
  };
  try {
    await cluster.request(HttpMethod.POST, `/api/v1/namespaces/${ns}/pods`, {
      body: pod,
      query: { dryRun: "All" },
    });
    return undefined;
  } catch (error) {
    if (error instanceof ApiError) return `${error.status} ${error.message}`;
    throw error;
  }
}

const template = (kind: string) =>
  (objects.find((o) => o.kind === kind)!.spec as { template: PodTemplateSpec }).template;

const levelOf = (t: PodTemplateSpec) => podSecurityLevel(podSecurityViolations(t, []));

test("the WordPress and MySQL pods are admitted under the namespace's baseline enforcement", async () => {
  assert.equal(levelOf(template("Deployment")), "baseline");
  assert.equal(levelOf(template("StatefulSet")), "baseline");
  assert.equal(await admit("wordpress", template("Deployment")), undefined);
  // The StatefulSet controller adds a volume per claim template; do the same.
  const mysql = structuredClone(template("StatefulSet"));
  mysql.spec!.volumes = [
    ...(mysql.spec!.volumes ?? []),
    { name: "data", persistentVolumeClaim: { claimName: "data-wordpress-mysql-0" } },
  ];
  assert.equal(await admit("mysql", mysql), undefined);
});

test("a privileged pod is refused there, so the enforcement is real", async () => {
  const privileged = structuredClone(template("Deployment"));
  privileged.spec!.containers[0]!.securityContext = { privileged: true };
  assert.equal(levelOf(privileged), "privileged");
  assert.match(
    (await admit("privileged", privileged)) ?? "accepted",
    /^403 .*violates PodSecurity "baseline/,
  );
});
