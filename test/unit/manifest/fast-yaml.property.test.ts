// The fast reader must agree with the `yaml` package on every input: the same values where `yaml`
// reads the text cleanly, an InputError where `yaml` reports an error. fast-check feeds it random
// documents in every style `yaml` writes, and random mutations of real manifests.
import assert from "node:assert/strict";
import { globSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parseAllDocuments, stringify } from "yaml";
import { InputError } from "../../../src/errors.ts";
import { locatedDocuments } from "../../../src/manifest/parse.ts";

/** What the `yaml` package makes of the text: its documents' values, or "error". */
function reference(text: string): unknown[] | "error" {
  try {
    const docs = parseAllDocuments(text, { merge: true });
    if (!Array.isArray(docs)) return [];
    if (docs.some((doc) => doc.errors.length > 0)) return "error";
    return docs.map((doc) => doc.toJS({ maxAliasCount: 100 }) as unknown);
  } catch {
    return "error";
  }
}

function ours(text: string): unknown[] | "error" {
  try {
    return locatedDocuments(text, "in.yaml").map((doc) => doc.value);
  } catch (error) {
    if (error instanceof InputError) return "error";
    throw error;
  }
}

/** Compares, treating documents `yaml` reads as null the same as skipped empty ones. */
function assertAgrees(text: string): void {
  const expected = reference(text);
  const actual = ours(text);
  if (expected === "error" || actual === "error") {
    // We may refuse more (nesting, quadratic guards), never less.
    if (actual !== "error") assert.fail(`yaml refuses but we read:\n${text}`);
    return;
  }
  const nonEmpty = (values: unknown[]) => values.filter((v) => v !== null && v !== undefined);
  assert.deepEqual(nonEmpty(actual), nonEmpty(expected), `differs on:\n${JSON.stringify(text)}`);
}

const yamlFixtures = globSync("test/fixtures/**/*.{yaml,yml}").map((file) => readFileSync(file, "utf8"));
// The same manifests as JSON (one flow collection over many lines), so mutations reach that path too.
const jsonFixtures = yamlFixtures.flatMap((text) => {
  const value = reference(text);
  return value === "error" ? [] : [JSON.stringify(value.length === 1 ? value[0] : value, null, 2)];
});
const fixtures = [...yamlFixtures, ...jsonFixtures];

// Keys and strings that look like manifest content, with the characters YAML cares about.
const word = fc.stringMatching(/^[a-zA-Z0-9 _.:/#'"\-[\]{},|<>&*!%@`?~\\\t]{0,12}$/);
const scalar = fc.oneof(
  word,
  fc.integer(),
  fc.double({ noNaN: false }),
  fc.boolean(),
  fc.constant(null),
  fc.string(),
);
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: "small" }, scalar, tie("list"), tie("map")),
  list: fc.array(tie("node"), { maxLength: 4 }),
  map: fc.dictionary(word, tie("node"), { maxKeys: 4 }),
})).node;

describe("the fast YAML reader agrees with the yaml package", () => {
  it("on random documents written in yaml's styles", () => {
    const styles = fc.record({
      indentSeq: fc.boolean(),
      lineWidth: fc.constantFrom(0, 20, 80),
      defaultStringType: fc.constantFrom(
        "PLAIN",
        "QUOTE_DOUBLE",
        "QUOTE_SINGLE",
        "BLOCK_LITERAL",
        "BLOCK_FOLDED",
      ),
      collectionStyle: fc.constantFrom("any", "block", "flow"),
    });
    fc.assert(
      fc.property(
        fc.array(fc.dictionary(word, value, { minKeys: 1, maxKeys: 5 }), { minLength: 1, maxLength: 3 }),
        styles,
        (docs, style) => {
          const text = docs.map((doc) => stringify(doc, style as never)).join("---\n");
          assertAgrees(text);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("on random mutations of real manifests", () => {
    const mutation = fc.record({
      fixture: fc.integer({ min: 0, max: fixtures.length - 1 }),
      at: fc.nat(),
      cut: fc.nat({ max: 6 }),
      insert: fc.oneof(
        fc.constantFrom(
          " ",
          "  ",
          "\n",
          "- ",
          ": ",
          "#",
          "'",
          '"',
          "|",
          ">-",
          "[",
          "]",
          "{",
          "}",
          ",",
          "&a ",
          "*a",
          "!!str ",
          "\t",
          "---\n",
          "...",
        ),
        fc.string({ maxLength: 4 }),
      ),
    });
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        let text = fixtures[mutations[0]!.fixture]!;
        for (const m of mutations) {
          const at = m.at % (text.length + 1);
          text = text.slice(0, at) + m.insert + text.slice(at + m.cut);
        }
        assertAgrees(text);
      }),
      { numRuns: 800 },
    );
  });

  it("on the line classes the readers once disagreed on: spaced blank lines in block scalars, CR, U+2028, markers with comments, a lone dash in a flow", () => {
    // Each class alone diverged on ~1-2 % of random documents: 3000 runs miss a 1 % divergence with
    // probability e^-30.
    const line = fc.constantFrom(
      "a: >",
      "a: >-",
      "a: |",
      "a: |+",
      "  foo",
      "  bar",
      "   ",
      "    ",
      " ",
      "",
      "b: 1",
      "...",
      "... # end",
      "--- # next",
      "---",
      "c: [-]",
      "c: [-1, -x]",
      "d: {c: -}",
      "e: null \r",
      "e: x\ry",
      "f: x\u2028b: 1",
      "f: x\u2029",
      "- x",
      "  - y",
      "b: 2",
    );
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 10 }),
        fc.constantFrom("\n", "\r\n"),
        (lines, eol) => {
          assertAgrees(`${lines.join(eol)}${eol}`);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("on the block scalars and flow collections manifests use", () => {
    for (const text of [
      "a: |\n  line one\n\n  line three\nb: 1\n",
      "a: |-\n  x\n   indented\n\n\nb: 1\n",
      "a: |+\n  x\n\n\nb: 1\n",
      "a: >\n  folded\n  text\n\n  para\nb: 1\n",
      "a: >-\n  folded\n\n\n  text\n",
      "- |\n  in a sequence\n- b\n",
      'cmd: ["sh", "-c", "echo \\"hi\\"", \'it\'\'s\']\nm: {cpu: 100m, memory: 1Gi}\ne: []\nf: {}\n',
      "k: 0o17\nh: 0x1F\nf: 1.50\ne: 1e3\ni: .inf\nn: .NaN\nt: True\nz: ~\ns: '010'\nv: 1.2.3\n",
      "a:\n- x\n- y\nb:\n  - z\n",
      "a: b # comment\n# full\nc: 'd' # c\n",
      "base: {x: 1}\nm:\n  <<: {x: 2, y: 3}\n  y: 4\nf: {<<: {z: 1}}\n",
      "description: a long string that Go's emitter\n  wrapped over lines\n\n  and a paragraph\n- x\n",
      "a: wrapped\n  text\nb:\n- item that wraps\n  onto the next line\n- 2\n",
    ]) {
      assertAgrees(text);
    }
  });
});
