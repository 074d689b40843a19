// Whatever text arrives, reading and checking it ends in a result or an InputError — never a crash.
// fast-check mutates the real manifests under test/fixtures: as text (bytes inserted, cut, repeated) and
// as data (a field replaced by any JSON value, then written back as YAML).
import assert from "node:assert/strict";
import { globSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parseAllDocuments, stringify } from "yaml";
import { checkObjects } from "../../../src/check/engine.ts";
import { InputError } from "../../../src/errors.ts";
import { parseManifests } from "../../../src/manifest/parse.ts";

const fixtures = globSync("test/fixtures/**/*.{yaml,yml}")
  .sort()
  .map((file) => readFileSync(file, "utf8"));

function readAndCheck(text: string): void {
  try {
    const result = checkObjects(parseManifests(text, "in.yaml"));
    assert.equal(result.objects.length, result.summary.objects);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    assert.doesNotMatch(error.oneLine(), /\n/, "an input error is one line");
  }
}

describe("reader + engine on mutated manifests", () => {
  it("kinds named like Object.prototype's keys are ordinary unknown kinds (once found by the data mutations)", () => {
    for (const kind of ["__proto__", "constructor", "toString", "hasOwnProperty"])
      readAndCheck(`apiVersion: apps/v1\nkind: ${kind}\nmetadata: {name: x}\nspec: {template: {spec: {}}}\n`);
  });

  it("text mutations end in a result or a one-line InputError", () => {
    const edit = fc.record({
      at: fc.nat(),
      cut: fc.nat({ max: 20 }),
      insert: fc.oneof(
        fc.constantFrom(
          "",
          " ",
          "\n",
          "- ",
          ": ",
          "#",
          "'",
          '"',
          "|",
          "[",
          "{",
          "}",
          "&a ",
          "*a",
          "\t",
          "---\n",
          "\u0000",
          "<<: *a\n",
        ),
        fc.string({ maxLength: 8 }),
      ),
    });
    fc.assert(
      fc.property(
        fc.nat({ max: fixtures.length - 1 }),
        fc.array(edit, { minLength: 1, maxLength: 5 }),
        (f, edits) => {
          let text = fixtures[f]!;
          for (const e of edits) {
            const at = e.at % (text.length + 1);
            text = text.slice(0, at) + e.insert + text.slice(at + e.cut);
          }
          readAndCheck(text);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("data mutations (any JSON value at any field) end in a result or a one-line InputError", () => {
    const documents = fixtures.flatMap((text) => {
      try {
        return parseAllDocuments(text).flatMap((d) => (d.errors.length ? [] : [d.toJS() as unknown]));
      } catch {
        return [];
      }
    });
    const objects = documents.filter((d): d is object => typeof d === "object" && d !== null);
    fc.assert(
      fc.property(
        fc.nat({ max: objects.length - 1 }),
        fc.array(
          fc.tuple(
            fc.array(fc.nat({ max: 12 }), { minLength: 1, maxLength: 8 }),
            fc.jsonValue({ maxDepth: 3 }),
          ),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
        (o, mutations) => {
          const copy = structuredClone(objects[o]) as Record<string, unknown>;
          for (const [steps, value] of mutations) replaceAt(copy, steps, value);
          readAndCheck(stringify(copy));
        },
      ),
      { numRuns: 400 },
    );
  });
});

/** Walks `steps` (each an index into the keys or items of the current node) and replaces what it reaches. */
function replaceAt(root: Record<string, unknown>, steps: number[], value: unknown): void {
  let node: unknown = root;
  for (let i = 0; i < steps.length; i++) {
    if (typeof node !== "object" || node === null) return;
    const keys = Object.keys(node);
    if (keys.length === 0) return;
    const key = keys[steps[i]! % keys.length]!;
    const container = node as Record<string, unknown>;
    if (i === steps.length - 1 || typeof container[key] !== "object" || container[key] === null) {
      container[key] = value;
      return;
    }
    node = container[key];
  }
}
