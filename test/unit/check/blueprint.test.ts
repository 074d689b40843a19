// The other bar: what `shipshape synth wordpress` produces passes the audit with zero error-level
// findings — checked without the blueprint's own ignore annotations, so they may only silence warnings.
import assert from "node:assert/strict";
import { test } from "node:test";
import { type WordPressProps, wordpress } from "../../../src/blueprint/blueprints/wordpress.ts";
import { toYaml } from "../../../src/blueprint/render.ts";
import { allRules } from "../../../src/check/rules/index.ts";
import { parseManifests } from "../../../src/manifest/parse.ts";
import { runRules } from "./fixtures.ts";

const variants: Array<[string, WordPressProps]> = [
  ["defaults", { domain: "blog.example.com" }],
  [
    "Traefik IngressRoute, Rook CephFS storage, Secret included",
    { domain: "blog.example.com", ingress: "traefik", rook: true, withSecrets: true },
  ],
  ["fixed replicas without an HPA", { domain: "blog.example.com", autoscale: false, replicas: 4 }],
];

for (const [name, props] of variants) {
  test(`the WordPress blueprint (${name}) raises no error-level finding`, () => {
    const sources = parseManifests(toYaml(wordpress(props).synth()), "wordpress.yaml");
    const errors = runRules(allRules, sources)
      .filter((f) => (f.severity ?? allRules.find((r) => r.id === f.rule)!.severity) === "error")
      .map((f) => `${f.rule}: ${f.message}`);
    assert.deepEqual(errors, []);
  });
}
