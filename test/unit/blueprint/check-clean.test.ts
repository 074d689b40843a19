// The blueprint passes its own audit: `shipshape check` finds no warning or error in what synth prints.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type WordPressProps, wordpress } from "../../../src/blueprint/blueprints/wordpress.ts";
import { toYaml } from "../../../src/blueprint/render.ts";
import { checkObjects } from "../../../src/check/engine.ts";
import { parseManifests } from "../../../src/manifest/parse.ts";

function problems(props: WordPressProps): string[] {
  const sources = parseManifests(toYaml(wordpress(props).synth()), "wordpress.yaml");
  return checkObjects(sources, { minSeverity: "warning" }).findings.map(
    (f) => `${f.rule} ${f.object.kind}/${f.object.name}: ${f.message}`,
  );
}

describe("synth output under check", () => {
  it("has no warnings or errors by default", () => assert.deepEqual(problems({}), []));
  it("has none with the production options on", () => {
    const props = {
      ingress: "traefik",
      rook: true,
      withSecrets: true,
      liveness: true,
      antiAffinity: "spread",
    } as const;
    assert.deepEqual(problems(props), []);
  });
  it("reports exactly what the opt-outs give up: NodePort exposure, a fixed replica count", () => {
    const rules = problems({ autoscale: false, nodePort: true }).map((p) => p.split(" ")[0]);
    assert.deepEqual(rules.sort(), ["hpa-missing", "nodeport-exposed"]);
  });
});
