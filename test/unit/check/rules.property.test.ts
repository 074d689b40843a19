// Rules read input nobody has validated: any field of any fixture may hold any JSON value. Random
// mutations of the real fixtures must never make the index or a rule throw.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import { allRules } from "../../../src/check/rules/index.ts";
import type { KubeObject } from "../../../src/k8s/object.ts";
import { asSource, FIXTURES, load, runRules } from "./fixtures.ts";

const objects: KubeObject[] = readdirSync(FIXTURES, { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".yaml"))
  .flatMap((f) => load(join(FIXTURES, f)).map((s) => s.object));

/** Every path to a node inside an object (so a mutation can hit any depth). */
function paths(node: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (node === null || typeof node !== "object") return [prefix];
  const entries = Array.isArray(node) ? node.map((v, i) => [i, v] as const) : Object.entries(node);
  return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
}

function replaced(object: unknown, path: Array<string | number>, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const copy = (Array.isArray(object) ? [...object] : { ...(object as object) }) as Record<
    string | number,
    unknown
  >;
  copy[head!] = replaced(copy[head!], rest, value);
  return copy;
}

const weird = fc.oneof(
  fc.constantFrom(null, "", "x", 0, -1, 1.5, 1e308, true, [], {}, [null], { "": null }, "100%", "abc%"),
  fc.jsonValue({ maxDepth: 3 }),
);

test("no rule throws on randomly mutated fixtures", () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.nat(), fc.nat(), weird), { minLength: 1, maxLength: 4 }),
      fc.nat(),
      (mutations, pick) => {
        // A few objects from one neighbourhood of the corpus, so cross-object relations still hold.
        const start = pick % objects.length;
        let batch: unknown[] = objects.slice(start, start + 4);
        for (const [which, where, value] of mutations) {
          const at = which % batch.length;
          const candidates = paths(batch[at]).filter(
            (p) => p.length > 0 && p[0] !== "kind" && p[0] !== "apiVersion",
          );
          if (candidates.length === 0) continue;
          batch = batch.with(at, replaced(batch[at], candidates[where % candidates.length]!, value));
        }
        const sources = batch.map((o) => asSource(o as KubeObject));
        runRules(allRules, sources);
      },
    ),
    { numRuns: 300 },
  );
});
