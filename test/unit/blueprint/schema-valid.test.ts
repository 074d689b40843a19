// Every object the blueprint emits is valid against the Kubernetes 1.36 OpenAPI schema, for every
// combination of the settings that change the shape of the output.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { wordpress } from "../../../src/blueprint/blueprints/wordpress.ts";
import { validateObject } from "../../../src/k8s/schema.ts";
import { combinations } from "./find.ts";

const CRD_KINDS = new Set(["IngressRoute", "Middleware", "CephFilesystem"]);

describe("blueprint output against the OpenAPI schema", () => {
  it("validates every built-in object of every setting combination", () => {
    let checked = 0;
    for (const props of combinations()) {
      for (const object of wordpress(props).objects()) {
        const violations = validateObject(object);
        if (CRD_KINDS.has(object.kind)) {
          assert.equal(violations, undefined, `${object.kind} has no built-in schema`);
          continue;
        }
        assert.deepEqual(
          violations,
          [],
          `${object.kind} ${object.metadata.name} with ${JSON.stringify(props)}`,
        );
        checked++;
      }
    }
    assert.ok(checked > 100);
  });

  it("catches a broken blueprint object at the right path", () => {
    const deployment = wordpress({})
      .objects()
      .find((o) => o.kind === "Deployment")!;
    const broken = structuredClone(deployment) as unknown as {
      spec: { template: { spec: Record<string, unknown> } };
    };
    broken.spec.template.spec.terminationGracePeriodSeconds = "30s";
    broken.spec.template.spec.restartPolcy = "Always";
    assert.deepEqual(
      validateObject(broken)?.map((v) => v.path),
      ["spec.template.spec.restartPolcy", "spec.template.spec.terminationGracePeriodSeconds"],
    );
  });
});
