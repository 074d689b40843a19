// The blueprint's default output carries every production property the seed tutorial arrives at.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Namespace, PersistentVolumeClaim, Service } from "kubernetes-types/core/v1.js";
import type { Ingress, NetworkPolicy } from "kubernetes-types/networking/v1.js";
import type { PodDisruptionBudget } from "kubernetes-types/policy/v1.js";
import { wordpress } from "../../../src/blueprint/blueprints/wordpress.ts";
import { parseQuantity } from "../../../src/k8s/quantity.ts";
import { container, deployment, find, hpa, podSpec, statefulSet } from "./find.ts";

const objects = wordpress({ namespace: "kube-example", domain: "wordpress.example.com" }).objects();

describe("wordpress blueprint defaults", () => {
  it("puts every namespaced object in the namespace, which enforces a Pod Security level", () => {
    const ns = find<Namespace>(objects, "Namespace");
    assert.equal(ns.metadata?.name, "kube-example");
    assert.equal(ns.metadata?.labels?.["pod-security.kubernetes.io/enforce"], "baseline");
    for (const o of objects.filter((o) => o.kind !== "Namespace"))
      assert.equal(o.metadata.namespace, "kube-example");
  });

  it("runs MySQL as a one-replica StatefulSet on its own RWO volume with utf8mb4 and a readiness probe", () => {
    const db = statefulSet(objects);
    assert.equal(db.spec?.replicas, 1);
    assert.equal(db.spec?.serviceName, "wordpress-mysql");
    assert.deepEqual(db.spec?.volumeClaimTemplates?.[0]?.spec?.accessModes, ["ReadWriteOnce"]);
    const mysql = container(db);
    assert.ok(mysql.args?.includes("--character-set-server=utf8mb4"));
    assert.ok(mysql.args?.includes("--collation-server=utf8mb4_unicode_ci"));
    assert.ok(mysql.readinessProbe);
    assert.deepEqual(mysql.volumeMounts?.[0], { name: "data", mountPath: "/var/lib/mysql" });
  });

  it("gives both tiers Guaranteed QoS: requests == limits for cpu and memory", () => {
    for (const workload of [deployment(objects), statefulSet(objects)]) {
      const { requests, limits } = container(workload).resources ?? {};
      for (const resource of ["cpu", "memory"]) {
        assert.ok(requests?.[resource] !== undefined, `${workload.kind} requests.${resource}`);
        assert.equal(parseQuantity(requests[resource]!), parseQuantity(limits?.[resource] ?? NaN));
      }
    }
    assert.deepEqual(container(deployment(objects)).resources?.limits, {
      cpu: "200m",
      memory: "100Mi",
      "ephemeral-storage": "1Gi",
    });
  });

  it("exposes MySQL as Service wordpress-mysql:3306 and admits only the WordPress pods", () => {
    const service = find<Service>(objects, "Service", "wordpress-mysql");
    assert.equal(service.spec?.ports?.[0]?.port, 3306);
    assert.deepEqual(service.spec?.selector, statefulSet(objects).spec?.selector.matchLabels);
    const policy = find<NetworkPolicy>(objects, "NetworkPolicy");
    assert.deepEqual(policy.spec?.podSelector.matchLabels, service.spec?.selector);
    assert.deepEqual(policy.spec?.ingress, [
      {
        from: [{ podSelector: { matchLabels: deployment(objects).spec?.selector.matchLabels } }],
        ports: [{ protocol: "TCP", port: 3306 }],
      },
    ]);
  });

  it("rolls WordPress one extra pod at a time and never below capacity", () => {
    assert.deepEqual(deployment(objects).spec?.strategy, {
      type: "RollingUpdate",
      rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
    });
  });

  it("sleeps in preStop strictly shorter than the termination grace period", () => {
    const pod = podSpec(deployment(objects));
    const sleep = pod.containers[0]?.lifecycle?.preStop?.sleep?.seconds;
    assert.equal(sleep, 20);
    assert.ok(sleep < pod.terminationGracePeriodSeconds!);
  });

  it("has an HTTP readiness probe and, by default, no liveness probe", () => {
    const web = container(deployment(objects));
    assert.equal(web.readinessProbe?.httpGet?.port, "http");
    assert.equal(web.livenessProbe, undefined);
  });

  it("prefers one WordPress pod per node (soft anti-affinity on the hostname)", () => {
    const terms = podSpec(deployment(objects)).affinity?.podAntiAffinity
      ?.preferredDuringSchedulingIgnoredDuringExecution;
    assert.equal(terms?.[0]?.podAffinityTerm.topologyKey, "kubernetes.io/hostname");
    assert.deepEqual(
      terms?.[0]?.podAffinityTerm.labelSelector?.matchLabels,
      deployment(objects).spec?.selector.matchLabels,
    );
  });

  it("reaches the database by its Service DNS name and the password by secretKeyRef, never a literal", () => {
    const env = container(deployment(objects)).env ?? [];
    const value = (name: string) => env.find((e) => e.name === name);
    assert.equal(value("WORDPRESS_DB_HOST")?.value, "wordpress-mysql.kube-example.svc:3306");
    assert.deepEqual(value("WORDPRESS_DB_PASSWORD"), {
      name: "WORDPRESS_DB_PASSWORD",
      valueFrom: { secretKeyRef: { name: "wordpress-mysql", key: "mysql-password" } },
    });
    for (const workload of [deployment(objects), statefulSet(objects)]) {
      for (const e of container(workload).env ?? []) {
        if (/PASSWORD/.test(e.name)) assert.equal(e.value, undefined, `${e.name} is a literal`);
      }
    }
  });

  it("gives every WordPress replica the same generated keys and salts, by secretKeyRef", () => {
    const env = container(deployment(objects)).env ?? [];
    const salts = env.filter((e) => /^WORDPRESS_(AUTH|SECURE_AUTH|LOGGED_IN|NONCE)_(KEY|SALT)$/.test(e.name));
    assert.equal(salts.length, 8);
    for (const e of salts) assert.equal(e.valueFrom?.secretKeyRef?.name, "wordpress-salts");
  });

  it("mounts /var/www/html from a ReadWriteMany claim on the CephFS class", () => {
    const claim = find<PersistentVolumeClaim>(objects, "PersistentVolumeClaim", "wordpress-data");
    assert.deepEqual(claim.spec?.accessModes, ["ReadWriteMany"]);
    assert.equal(claim.spec?.storageClassName, "csi-cephfs");
    const pod = podSpec(deployment(objects));
    assert.deepEqual(pod.containers[0]?.volumeMounts?.[0], {
      name: "wordpress-data",
      mountPath: "/var/www/html",
    });
    assert.equal(pod.volumes?.[0]?.persistentVolumeClaim?.claimName, "wordpress-data");
  });

  it("serves WordPress through a ClusterIP Service whose selector matches the pods", () => {
    const service = find<Service>(objects, "Service", "wordpress");
    assert.equal(service.spec?.type, "ClusterIP");
    assert.deepEqual(service.spec?.selector, deployment(objects).spec?.selector.matchLabels);
    const podLabels = deployment(objects).spec?.template.metadata?.labels ?? {};
    for (const [key, value] of Object.entries(service.spec?.selector ?? {}))
      assert.equal(podLabels[key], value);
    assert.equal(service.spec?.ports?.[0]?.targetPort, container(deployment(objects)).ports?.[0]?.name);
  });

  it("budgets disruptions with a policy/v1 PDB of maxUnavailable 1 over the WordPress pods", () => {
    const pdb = find<PodDisruptionBudget>(objects, "PodDisruptionBudget");
    assert.equal(pdb.apiVersion, "policy/v1");
    assert.equal(pdb.spec?.maxUnavailable, 1);
    assert.deepEqual(pdb.spec?.selector?.matchLabels, deployment(objects).spec?.selector.matchLabels);
  });

  it("autoscales on CPU 20% between 3 and 6 with scale-down stabilisation, and leaves spec.replicas to it", () => {
    const autoscaler = hpa(objects);
    assert.equal(autoscaler.apiVersion, "autoscaling/v2");
    assert.deepEqual(autoscaler.spec?.scaleTargetRef, {
      apiVersion: "apps/v1",
      kind: "Deployment",
      name: "wordpress",
    });
    assert.equal(autoscaler.spec?.minReplicas, 3);
    assert.equal(autoscaler.spec?.maxReplicas, 6);
    assert.equal(autoscaler.spec?.metrics?.[0]?.resource?.target.averageUtilization, 20);
    assert.ok((autoscaler.spec?.behavior?.scaleDown?.stabilizationWindowSeconds ?? 0) > 0);
    assert.equal(deployment(objects).spec?.replicas, undefined);
  });

  it("terminates TLS at a networking.k8s.io/v1 Ingress with a cert-manager issuer", () => {
    const ingress = find<Ingress>(objects, "Ingress");
    assert.equal(ingress.apiVersion, "networking.k8s.io/v1");
    assert.ok(ingress.metadata?.annotations?.["cert-manager.io/cluster-issuer"]);
    assert.deepEqual(ingress.spec?.tls?.[0]?.hosts, ["wordpress.example.com"]);
    const backend = ingress.spec?.rules?.[0]?.http?.paths[0]?.backend.service;
    assert.deepEqual(backend, { name: "wordpress", port: { number: 80 } });
  });

  it("hardens both pods: RuntimeDefault seccomp, no service account token", () => {
    for (const workload of [deployment(objects), statefulSet(objects)]) {
      const pod = podSpec(workload);
      assert.equal(pod.automountServiceAccountToken, false);
      assert.equal(pod.securityContext?.seccompProfile?.type, "RuntimeDefault");
    }
  });

  it("pins every image to a version, never latest", () => {
    for (const workload of [deployment(objects), statefulSet(objects)]) {
      const image = container(workload).image!;
      assert.match(image, /^[^:]+:[\w.-]+$/);
      assert.doesNotMatch(image, /:latest$/);
    }
  });

  it("prints no Secret by default, but declares the ones deploy must create", () => {
    assert.equal(objects.filter((o) => o.kind === "Secret").length, 0);
    assert.equal(
      statefulSet(objects).metadata?.annotations?.["shipshape.dev/generated-secrets"],
      "wordpress-mysql: mysql-root-password, mysql-password",
    );
    assert.match(
      deployment(objects).metadata?.annotations?.["shipshape.dev/generated-secrets"] ?? "",
      /^wordpress-salts: /,
    );
  });
});
