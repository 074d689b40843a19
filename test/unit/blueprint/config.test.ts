// Config files: YAML and TypeScript yield the same blueprint as flags; errors name file, line and field.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InputError } from "../../../src/errors.ts";
import { synthesize } from "../../../src/synth/synthesize.ts";
import { container, deployment, find, hpa, podSpec } from "./find.ts";

const fixture = (name: string) => `test/fixtures/config/${name}`;
const objectsOf = async (config: string, settings = {}) =>
  (await synthesize({ config: fixture(config), settings })).map((r) => r.object);

async function rejects(config: string, place: Partial<InputError["place"]>, message: RegExp, settings = {}) {
  await assert.rejects(
    synthesize({ config: fixture(config), settings, flagOf: (s) => `--${s}` }),
    (error: unknown) => {
      assert.ok(error instanceof InputError, String(error));
      assert.deepEqual({ ...error.place }, place);
      assert.match(error.message, message);
      return true;
    },
  );
}

describe("config files", () => {
  it("reads blueprint settings from YAML", async () => {
    const objects = await objectsOf("wordpress.yaml");
    assert.equal(find(objects, "Namespace").metadata.name, "blog");
    assert.equal(hpa(objects).spec?.minReplicas, 4);
    assert.equal(hpa(objects).spec?.maxReplicas, 8);
    assert.deepEqual(container(deployment(objects)).resources?.limits, {
      cpu: "500m",
      memory: "256Mi",
      "ephemeral-storage": "1Gi",
    });
    assert.ok(objects.some((o) => o.kind === "IngressRoute"));
  });

  it("lets flags override the file's settings", async () => {
    assert.equal(hpa(await objectsOf("wordpress.yaml", { replicas: 5 })).spec?.minReplicas, 5);
  });

  it("reads blueprint settings from a TypeScript default export", async () => {
    const objects = await objectsOf("settings.config.ts");
    assert.equal(find(objects, "Namespace").metadata.name, "shop");
    assert.ok(
      podSpec(deployment(objects)).affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution,
    );
    assert.ok(container(deployment(objects)).livenessProbe);
  });

  it("takes the objects a TypeScript config composes from the constructs", async () => {
    const objects = await objectsOf("custom-app.config.ts");
    assert.deepEqual(
      objects.map((o) => `${o.kind}/${o.metadata.name}`),
      [
        "Namespace/shop",
        "Service/orders-db",
        "Service/storefront",
        "StatefulSet/orders-db",
        "Deployment/storefront",
        "PodDisruptionBudget/storefront-pdb",
        "NetworkPolicy/orders-db",
        "NetworkPolicy/storefront",
        "Ingress/storefront",
      ],
    );
  });

  it("refuses blueprint flags for a config that builds its own objects", async () => {
    await rejects("custom-app.config.ts", { field: "--replicas" }, /builds its own objects/, { replicas: 2 });
  });

  it("places YAML errors at file:line:col and names the field", async () => {
    await rejects(
      "unknown-key.yaml",
      { file: fixture("unknown-key.yaml"), line: 2, col: 1, field: "replica" },
      /unknown setting/,
    );
    // Not Object.prototype's: __proto__ once skipped validation and set cpu: zzz through the prototype.
    await rejects(
      "proto-key.yaml",
      { file: fixture("proto-key.yaml"), line: 3, col: 1, field: "__proto__" },
      /unknown setting/,
    );
    await rejects(
      "constructor-key.yaml",
      { file: fixture("constructor-key.yaml"), line: 2, col: 1, field: "constructor" },
      /unknown setting/,
    );
    await rejects(
      "wrong-type.yaml",
      { file: fixture("wrong-type.yaml"), line: 3, col: 1, field: "replicas" },
      /integer/,
    );
    await rejects(
      "prestop-too-long.yaml",
      { file: fixture("prestop-too-long.yaml"), line: 1, col: 1, field: "preStopSeconds" },
      /shorter than terminationGracePeriodSeconds/,
    );
    await rejects(
      "rwo-multi-replica.yaml",
      { file: fixture("rwo-multi-replica.yaml"), line: 2, col: 1, field: "accessMode" },
      /ReadWriteOnce/,
    );
    await rejects(
      "min-over-max.yaml",
      { file: fixture("min-over-max.yaml"), line: 2, col: 1, field: "maxReplicas" },
      /4 < 5/,
    );
  });

  it("names the flag when the bad value came from a flag", async () => {
    await rejects("wordpress.yaml", { field: "--replicas" }, /≥ 1/, { replicas: 0 });
  });

  it("reports YAML syntax errors and non-map documents with their position", async () => {
    await rejects("broken.yaml", { file: fixture("broken.yaml"), line: 3, col: 1 }, /\]/);
    await rejects("not-a-map.yaml", { file: fixture("not-a-map.yaml"), line: 1, col: 1 }, /map of settings/);
  });

  it("refuses an alias bomb instead of expanding it", async () => {
    await rejects("alias-bomb.yaml", { file: fixture("alias-bomb.yaml"), line: 1, col: 1 }, /alias/i);
  });

  it("refuses deep nesting with its place, through the manifest reader's guards (no stack overflow)", async () => {
    await rejects(
      "deep-nesting.yaml",
      { file: fixture("deep-nesting.yaml"), line: 1, col: 100 },
      /nesting deeper than 90 levels/,
    );
  });

  it('types a config key by the blueprint\'s spec, as --set and a flag do: clusterIssuer: true is the issuer "true"', async () => {
    const issuer = async (settings: Record<string, unknown>) =>
      (await synthesize({ settings })).find((r) => r.object.kind === "Ingress")?.object.metadata
        .annotations?.["cert-manager.io/cluster-issuer"];
    assert.equal(await issuer({ clusterIssuer: true }), "true");
    assert.equal(await issuer({ clusterIssuer: "true" }), "true");
    const replicas = async (value: unknown) =>
      (await synthesize({ settings: { replicas: value } })).find(
        (r) => r.object.kind === "HorizontalPodAutoscaler",
      )?.object.spec as { minReplicas?: number } | undefined;
    assert.equal((await replicas("4"))?.minReplicas, 4);
    assert.equal((await replicas(4))?.minReplicas, 4);
  });

  it("names the file for a TypeScript config whose constructs refuse their props", async () => {
    await rejects(
      "invalid-construct.config.ts",
      {
        file: fixture("invalid-construct.config.ts"),
        object: "WebService storefront",
        field: "preStopSeconds",
      },
      /60 ≥ 30/,
    );
  });

  it("reports a missing or unsupported config file", async () => {
    await rejects("absent.yaml", { file: fixture("absent.yaml") }, /cannot read config: ENOENT/);
    await rejects("absent.ts", { file: fixture("absent.ts") }, /cannot load config/);
    await rejects("wordpress.toml", { file: fixture("wordpress.toml") }, /must be \.ts/);
  });
});
