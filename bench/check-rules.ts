// `node bench/check-rules.ts [--objects N] [--rounds N]`: the object index and every rule over N and 2N
// objects (the check fixtures, copied into fresh namespaces), warm. Doubling the input should double
// the time: the printed ratio near 2 says the cross-object rules stay linear; near 4 would be quadratic.
// Per-rule cost at 2N shows which rule to look at first.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { buildObjectIndex } from "../src/check/object-index.ts";
import { allRules } from "../src/check/rules/index.ts";
import { readManifests } from "../src/manifest/read.ts";
import type { SourceObject } from "../src/manifest/types.ts";

const { values } = parseArgs({
  options: { objects: { type: "string", default: "10000" }, rounds: { type: "string", default: "5" } },
});
const size = Number(values.objects);
const rounds = Number(values.rounds);

const fixtures = join(import.meta.dirname, "../test/fixtures/check");
const files = readdirSync(fixtures, { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => join(fixtures, f));
const base = await readManifests(files);

/** `n` objects: copies of the fixtures, each copy in its own namespace, as separate teams' apps are. */
function corpus(n: number): SourceObject[] {
  const out: SourceObject[] = [];
  for (let copy = 0; out.length < n; copy++) {
    for (const source of base) {
      if (out.length === n) break;
      const object = structuredClone(source.object);
      if (object.metadata && typeof object.metadata === "object") object.metadata.namespace = `team-${copy}`;
      out.push({ ...source, object });
    }
  }
  return out;
}

/** Best-of-rounds milliseconds for the index and for each rule over `sources`. */
function measure(sources: SourceObject[]): { index: number; rules: Map<string, number> } {
  let index = Number.POSITIVE_INFINITY;
  const rules = new Map<string, number>();
  for (let round = 0; round < rounds; round++) {
    let start = performance.now();
    const built = buildObjectIndex(sources);
    index = Math.min(index, performance.now() - start);
    for (const rule of allRules) {
      start = performance.now();
      for (const subject of sources) rule.check(subject, built);
      const ms = performance.now() - start;
      rules.set(rule.id, Math.min(rules.get(rule.id) ?? Number.POSITIVE_INFINITY, ms));
    }
  }
  return { index, rules };
}

const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
measure(corpus(size)); // warm the JIT and the schema validators
const small = measure(corpus(size));
const large = measure(corpus(2 * size));
const ruleRatio = (id: string) => large.rules.get(id)! / small.rules.get(id)!;

console.log(`objects: ${size} and ${2 * size} (best of ${rounds} rounds, warm)`);
console.log(
  `index: ${small.index.toFixed(1)} ms → ${large.index.toFixed(1)} ms (×${(large.index / small.index).toFixed(2)})`,
);
console.log(
  `rules: ${sum(small.rules).toFixed(1)} ms → ${sum(large.rules).toFixed(1)} ms (×${(sum(large.rules) / sum(small.rules)).toFixed(2)}), ` +
    `${Math.round((2 * size) / ((large.index + sum(large.rules)) / 1000))} objects/s for index + all rules`,
);
console.log("slowest rules at 2N (ms, ×growth from N):");
for (const [id, ms] of [...large.rules].sort((a, b) => b[1] - a[1]).slice(0, 8)) {
  console.log(`  ${id.padEnd(28)} ${ms.toFixed(1).padStart(8)}  ×${ruleRatio(id).toFixed(2)}`);
}
