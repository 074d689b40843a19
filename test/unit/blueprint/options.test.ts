// Each blueprint setting changes what it says it changes, and only that.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PersistentVolumeClaim, Secret, Service } from "kubernetes-types/core/v1.js";
import type { StorageClass } from "kubernetes-types/storage/v1.js";
import { type WordPressProps, wordpress } from "../../../src/blueprint/blueprints/wordpress.ts";
import type { KubeObject } from "../../../src/k8s/object.ts";
import { container, deployment, find, hpa, podSpec, statefulSet } from "./find.ts";

const synth = (props: WordPressProps) => wordpress(props).objects();

describe("wordpress blueprint settings", () => {
  it("anti-affinity hard requires one pod per node", () => {
    const anti = podSpec(deployment(synth({ antiAffinity: "hard" }))).affinity?.podAntiAffinity;
    assert.equal(
      anti?.requiredDuringSchedulingIgnoredDuringExecution?.[0]?.topologyKey,
      "kubernetes.io/hostname",
    );
    assert.equal(anti?.preferredDuringSchedulingIgnoredDuringExecution, undefined);
  });

  it("anti-affinity spread uses a topology spread constraint instead of affinity", () => {
    const pod = podSpec(deployment(synth({ antiAffinity: "spread" })));
    assert.equal(pod.affinity, undefined);
    assert.equal(pod.topologySpreadConstraints?.[0]?.maxSkew, 1);
    assert.equal(pod.topologySpreadConstraints?.[0]?.topologyKey, "kubernetes.io/hostname");
  });

  it("liveness adds an HTTP liveness probe", () => {
    assert.equal(container(deployment(synth({ liveness: true }))).livenessProbe?.httpGet?.port, "http");
  });

  it("replicas and HPA settings reach the autoscaler", () => {
    const spec = hpa(synth({ replicas: 4, maxReplicas: 10, cpuUtilization: 50 })).spec;
    assert.equal(spec?.minReplicas, 4);
    assert.equal(spec?.maxReplicas, 10);
    assert.equal(spec?.metrics?.[0]?.resource?.target.averageUtilization, 50);
  });

  it("without autoscaling, the Deployment pins spec.replicas and no HPA is emitted", () => {
    const objects = synth({ autoscale: false, replicas: 5 });
    assert.equal(deployment(objects).spec?.replicas, 5);
    assert.equal(
      objects.some((o) => o.kind === "HorizontalPodAutoscaler"),
      false,
    );
  });

  it("cpu, memory and ephemeral storage set requests and limits alike", () => {
    const resources = container(
      deployment(synth({ cpu: "1", memory: "256Mi", ephemeralStorage: "3Gi" })),
    ).resources;
    assert.deepEqual(resources, {
      requests: { cpu: "1", memory: "256Mi", "ephemeral-storage": "3Gi" },
      limits: { cpu: "1", memory: "256Mi", "ephemeral-storage": "3Gi" },
    });
  });

  it("node-port turns the web Service into a NodePort and leaves MySQL's alone", () => {
    const objects = synth({ nodePort: true });
    assert.equal(find<Service>(objects, "Service", "wordpress").spec?.type, "NodePort");
    assert.equal(find<Service>(objects, "Service", "wordpress-mysql").spec?.clusterIP, "None");
  });

  it("ingress traefik emits the seed's IngressRoutes and redirect Middleware instead of an Ingress", () => {
    const objects = synth({ ingress: "traefik", domain: "blog.example.org", certResolver: "ali" });
    assert.equal(
      objects.some((o) => o.kind === "Ingress"),
      false,
    );
    const https = find<{ spec: Record<string, unknown> }>(objects, "IngressRoute", "wordpress-https");
    assert.deepEqual(https.spec.entryPoints, ["websecure"]);
    assert.deepEqual(https.spec.tls, { certResolver: "ali" });
    assert.match(JSON.stringify(https.spec.routes), /Host\(`blog\.example\.org`\)/);
    const http = find<{ spec: { entryPoints: string[]; routes: { middlewares?: { name: string }[] }[] } }>(
      objects,
      "IngressRoute",
      "wordpress-http",
    );
    assert.deepEqual(http.spec.entryPoints, ["web"]);
    const middleware = find<{ metadata: { name: string }; spec: unknown }>(objects, "Middleware");
    assert.deepEqual(http.spec.routes[0]?.middlewares, [{ name: middleware.metadata.name }]);
    assert.deepEqual(middleware.spec, { redirectScheme: { scheme: "https", permanent: true } });
  });

  it("ingress none emits no ingress objects", () => {
    const kinds = synth({ ingress: "none" }).map((o) => o.kind);
    assert.ok(!kinds.includes("Ingress") && !kinds.includes("IngressRoute"));
  });

  it("storage-class and rook: the StorageClass is emitted under that name with reclaimPolicy Retain", () => {
    assert.equal(
      synth({}).some((o) => o.kind === "StorageClass" || o.kind === "CephFilesystem"),
      false,
    );
    const objects = synth({ rook: true, storageClass: "shared-fs" });
    const klass = find<StorageClass>(objects, "StorageClass");
    assert.equal(klass.metadata?.name, "shared-fs");
    assert.equal(klass.reclaimPolicy, "Retain");
    const claim = find<PersistentVolumeClaim>(objects, "PersistentVolumeClaim", "wordpress-data");
    assert.equal(claim.spec?.storageClassName, "shared-fs");
    assert.equal(find<KubeObject>(objects, "CephFilesystem").metadata.namespace, "rook-ceph");
  });

  it("db settings reach the StatefulSet", () => {
    const db = statefulSet(
      synth({
        dbStorageClass: "fast-ssd",
        dbStorageSize: "50Gi",
        dbCpu: "2",
        dbMemory: "4Gi",
        dbEphemeralStorage: "5Gi",
      }),
    );
    const claim = db.spec?.volumeClaimTemplates?.[0]?.spec;
    assert.equal(claim?.storageClassName, "fast-ssd");
    assert.equal(claim?.resources?.requests?.storage, "50Gi");
    assert.deepEqual(container(db).resources?.limits, {
      cpu: "2",
      memory: "4Gi",
      "ephemeral-storage": "5Gi",
    });
  });

  it("with-secrets emits the DB Secret with generated, distinct passwords, and the salts", () => {
    const objects = synth({ withSecrets: true });
    assert.equal(Object.keys(find<Secret>(objects, "Secret", "wordpress-salts").stringData ?? {}).length, 8);
    const secret = find<Secret>(objects, "Secret", "wordpress-mysql");
    assert.equal(secret.metadata?.annotations?.["shipshape.dev/generated-secret"], "true");
    const values = Object.values(secret.stringData ?? {});
    assert.deepEqual(Object.keys(secret.stringData ?? {}).sort(), ["mysql-password", "mysql-root-password"]);
    assert.equal(new Set(values).size, 2);
    for (const value of values) assert.match(value, /^[A-Za-z0-9_-]{32}$/);
    const again = find<Secret>(synth({ withSecrets: true }), "Secret", "wordpress-mysql");
    assert.notEqual(again.stringData?.["mysql-password"], secret.stringData?.["mysql-password"]);
  });

  it("namespace and domain flow into every object, the DB address and the Ingress", () => {
    const objects = synth({ namespace: "blog", domain: "blog.example.org" });
    assert.ok(objects.filter((o) => o.kind !== "Namespace").every((o) => o.metadata.namespace === "blog"));
    const host = container(deployment(objects)).env?.find((e) => e.name === "WORDPRESS_DB_HOST")?.value;
    assert.equal(host, "wordpress-mysql.blog.svc:3306");
    assert.match(JSON.stringify(find(objects, "Ingress")), /blog\.example\.org/);
  });
});
