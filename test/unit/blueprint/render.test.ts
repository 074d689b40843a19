// Output: deterministic, in apply order, commented, and the JSON form a v1 List of the same objects.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseAllDocuments } from "yaml";
import { wordpress } from "../../../src/blueprint/blueprints/wordpress.ts";
import { parseNotePath, toJsonList, toYaml } from "../../../src/blueprint/render.ts";
import { combinations } from "./find.ts";

const everything = { ingress: "traefik", rook: true, liveness: true, antiAffinity: "spread" } as const;

describe("synth output", () => {
  it("is byte-identical across runs for the same input", () => {
    assert.equal(toYaml(wordpress({}).synth()), toYaml(wordpress({}).synth()));
    assert.equal(toYaml(wordpress(everything).synth()), toYaml(wordpress(everything).synth()));
    assert.equal(toJsonList(wordpress(everything).synth()), toJsonList(wordpress(everything).synth()));
  });

  it("renders every setting combination, each note on a field that exists", () => {
    for (const props of combinations()) {
      const yaml = toYaml(wordpress(props).synth());
      assert.ok(
        yaml.split("\n").filter((line) => line.trimStart().startsWith("# ")).length > 15,
        JSON.stringify(props),
      );
    }
  });

  it("lists objects in apply order", () => {
    const kinds = wordpress({ ...everything, withSecrets: true })
      .objects()
      .map((o) => o.kind);
    assert.deepEqual(kinds, [
      "Namespace",
      "StorageClass",
      "CephFilesystem",
      "Secret",
      "Secret",
      "PersistentVolumeClaim",
      "Service",
      "Service",
      "StatefulSet",
      "Deployment",
      "PodDisruptionBudget",
      "HorizontalPodAutoscaler",
      "NetworkPolicy",
      "NetworkPolicy",
      "Middleware",
      "IngressRoute",
      "IngressRoute",
    ]);
  });

  it("parses back to the same objects, one YAML document each", () => {
    const resources = wordpress(everything).synth();
    const docs = parseAllDocuments(toYaml(resources));
    assert.ok(Array.isArray(docs));
    assert.deepEqual(
      docs.map((d) => d.toJS()),
      resources.map((r) => r.object),
    );
  });

  it("comments the production settings with the concern they serve, above the field", () => {
    const yaml = toYaml(wordpress({ liveness: true }).synth());
    // Whether some occurrence of `field:` has a comment matching `concern` on the line above it.
    const lines = yaml.split("\n");
    const commented = (field: string, concern: RegExp) =>
      lines.some((line, i) => line.trimStart().startsWith(`${field}:`) && concern.test(lines[i - 1]!.trim()));
    assert.ok(commented("strategy", /^# rolling update:/), "strategy");
    assert.ok(commented("lifecycle", /^# zero downtime:/), "lifecycle");
    assert.ok(
      commented("terminationGracePeriodSeconds", /^# zero downtime:/),
      "terminationGracePeriodSeconds",
    );
    assert.ok(commented("readinessProbe", /^# health:/), "readinessProbe");
    assert.ok(commented("livenessProbe", /^# health:/), "livenessProbe");
    assert.ok(commented("maxUnavailable", /^# PDB:/), "maxUnavailable");
    assert.ok(commented("minReplicas", /^# HPA:/), "minReplicas");
    assert.ok(commented("affinity", /^# high availability:/), "affinity");
    assert.ok(commented("accessModes", /^# persistence:/), "accessModes");
    assert.ok(
      commented("persistentVolumeClaimRetentionPolicy", /^# persistence:/),
      "persistentVolumeClaimRetentionPolicy",
    );
    assert.ok(commented("tls", /^# HTTPS:/), "tls");
    assert.ok(commented("startupProbe", /^# health:/), "startupProbe");
    assert.ok(commented("securityContext", /^# security: no privilege escalation/), "securityContext");
    assert.ok(commented("kube-score/ignore", /^# deliberate: /), "kube-score/ignore");
    const qos = yaml
      .split("\n")
      .filter((line) => line.trim().startsWith("# QoS Guaranteed: requests == limits"));
    assert.equal(qos.length, 2);
    assert.match(yaml, /# secrets: .*secretKeyRef, never a literal\n\s+- name: WORDPRESS_DB_PASSWORD/);
  });

  it("prints JSON as a v1 List of the objects in the same order", () => {
    const resources = wordpress({}).synth();
    const list = JSON.parse(toJsonList(resources));
    assert.equal(list.apiVersion, "v1");
    assert.equal(list.kind, "List");
    assert.deepEqual(
      list.items,
      resources.map((r) => r.object),
    );
  });

  it("ends with a newline so files concatenate cleanly", () => {
    assert.ok(toYaml(wordpress({}).synth()).endsWith("\n"));
  });
});

describe("parseNotePath", () => {
  it("reads dotted fields, list indexes and quoted keys", () => {
    assert.deepEqual(parseNotePath("spec.template.spec.containers[0].env[2]"), [
      "spec",
      "template",
      "spec",
      "containers",
      0,
      "env",
      2,
    ]);
    assert.deepEqual(parseNotePath('metadata.annotations["cert-manager.io/cluster-issuer"]'), [
      "metadata",
      "annotations",
      "cert-manager.io/cluster-issuer",
    ]);
  });
});
