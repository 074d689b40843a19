// Cost of `synth` and of offline schema validation, against anchors measured in the same run:
// - synth (constructs → commented YAML) vs the `yaml` package's plain stringify of the same objects;
// - validating every object vs parsing the same YAML text back (what any consumer pays to read it);
// - the first validation (loads the validators precompiled from the schema) vs loading the schema data itself.
//
//   node bench/synth.ts [iterations]
import { parseAllDocuments, stringify } from "yaml";
import { wordpress } from "../src/blueprint/blueprints/wordpress.ts";
import { toYaml } from "../src/blueprint/render.ts";
import { validateObject } from "../src/k8s/schema.ts";
import { loadSchemaData } from "../src/k8s/schema-data.ts";

const iterations = Number(process.argv[2] ?? 200);
const PROPS = { ingress: "traefik", rook: true, liveness: true } as const;

function time(fn: () => unknown, n = iterations): number {
  const start = performance.now();
  for (let i = 0; i < n; i++) fn();
  return (performance.now() - start) / n;
}

const objects = wordpress(PROPS).objects();
const text = toYaml(wordpress(PROPS).synth());

const coldLoad = time(() => loadSchemaData(), 1);
const coldFirst = time(() => objects.forEach(validateObject), 1);
const loadAnchor = time(() => loadSchemaData(), 20);

const synth = time(() => toYaml(wordpress(PROPS).synth()));
const plain = time(() => objects.map((o) => stringify(o)).join("---\n"));
const validate = time(() => objects.forEach(validateObject));
const parse = time(() => parseAllDocuments(text));

const row = (name: string, ms: number, anchorName: string, anchor: number) =>
  console.log(
    `${name.padEnd(34)} ${ms.toFixed(3).padStart(9)} ms   ${anchorName.padEnd(28)} ${anchor.toFixed(3).padStart(9)} ms   ratio ${(ms / anchor).toFixed(2)}`,
  );

console.log(`${objects.length} objects, ${text.length} bytes of YAML, ${iterations} iterations`);
row("synth wordpress → commented YAML", synth, "yaml.stringify same objects", plain);
row("validateObject × all (warm)", validate, "parse the same YAML", parse);
row("first validation (loads validators)", coldFirst, "load schema (gunzip+parse)", loadAnchor);
console.log(`(the very first schema load took ${coldLoad.toFixed(1)} ms)`);
