import assert from "node:assert/strict";
import { globSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { InputError } from "../../../src/errors.ts";
import { parseFullYaml } from "../../../src/manifest/full-yaml.ts";
import { locatedDocuments, parseManifests } from "../../../src/manifest/parse.ts";

/** The one line the CLI would print for text that must be refused. */
function refusal(text: string, file = "in.yaml"): string {
  try {
    parseManifests(text, file);
  } catch (error) {
    assert.ok(error instanceof InputError, `expected an InputError, got ${error}`);
    return error.oneLine();
  }
  assert.fail("the text was accepted");
}

describe("parseManifests reads", () => {
  it("every document of a multi-doc stream, skipping empty ones, with their start lines", () => {
    const text =
      "# header\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: a\n---\n---\n# only a comment\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: b}\n...\n";
    const objects = parseManifests(text, "x.yaml");
    assert.deepEqual(
      objects.map((o) => [o.object.kind, o.object.metadata.name, o.position.line]),
      [
        ["Service", "a", 3],
        ["Secret", "b", 11],
      ],
    );
  });

  it("field positions as line:col of the key or item, falling back to the nearest ancestor", () => {
    const text =
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx\n";
    const [web] = parseManifests(text, "d.yaml");
    assert.deepEqual(web!.positionOf(["spec", "template", "spec", "containers", 0, "image"]), {
      line: 10,
      col: 9,
    });
    assert.deepEqual(web!.positionOf(["spec", "template", "spec", "containers", 0]), { line: 9, col: 9 });
    assert.deepEqual(web!.positionOf(["spec", "replicas"]), { line: 5, col: 1 });
    assert.deepEqual(web!.positionOf([]), { line: 1, col: 1 });
  });

  it("positions inside documents the fast reader leaves to the full parser (anchors)", () => {
    const text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: &n cm\n  labels:\n    app: *n\n";
    const [cm] = parseManifests(text, "a.yaml");
    assert.equal((cm!.object.metadata.labels as Record<string, string>).app, "cm");
    assert.deepEqual(cm!.positionOf(["metadata", "labels", "app"]), { line: 6, col: 5 });
  });

  it("a v1 List and other *List kinds as their items, positioned at each item", () => {
    const text =
      "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata:\n    name: a\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: b}\n";
    const objects = parseManifests(text, "l.yaml");
    assert.deepEqual(
      objects.map((o) => [o.object.kind, o.position]),
      [
        ["Service", { line: 4, col: 3 }],
        ["Pod", { line: 8, col: 3 }],
      ],
    );
    assert.deepEqual(objects[1]!.positionOf(["metadata", "name"]), { line: 10, col: 14 });
    const json = JSON.stringify({
      apiVersion: "v1",
      kind: "ServiceList",
      items: [{ apiVersion: "v1", kind: "Service" }],
    });
    assert.equal(parseManifests(json, "l.json")[0]!.object.kind, "Service");
  });

  it("JSON, with positions computed when asked for", () => {
    const text = '{\n  "apiVersion": "v1",\n  "kind": "Pod",\n  "metadata": {\n    "name": "p"\n  }\n}\n';
    const [pod] = parseManifests(text, "p.json");
    assert.equal(pod!.object.metadata.name, "p");
    assert.deepEqual(pod!.positionOf(["metadata", "name"]), { line: 5, col: 5 });
  });

  it("brackets and quotes that are text (in block and plain scalars) on the full parser's path, not nesting", () => {
    const head = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: &n a}\ndata:\n";
    const deep = "[".repeat(100);
    const [block] = parseManifests(`${head}  a: |\n    ${deep}\n  b: it's\n`, "in.yaml");
    assert.deepEqual(block?.object.data, { a: `${deep}\n`, b: "it's" });
    const [plain] = parseManifests(`${head}  a: x${deep}\n`, "in.yaml");
    assert.deepEqual(plain?.object.data, { a: `x${deep}` });
    // A quote inside a plain scalar does not switch the guard off for what follows.
    assert.match(
      refusal(`${head}  a: it's\n  b: ${deep}${"]".repeat(100)}\n`),
      /nesting deeper than 90 levels$/,
    );
  });

  it("CRLF line endings and a byte-order mark", () => {
    const [svc] = parseManifests(
      "\ufeffapiVersion: v1\r\nkind: Service\r\nmetadata:\r\n  name: a\r\n",
      "w.yaml",
    );
    assert.equal(svc!.object.metadata.name, "a");
  });
});

describe("parseManifests refuses with one line naming file:line:col", () => {
  it("malformed YAML", () => {
    assert.match(
      refusal("apiVersion: v1\nkind: Pod\nmetadata:\n  name: [a, b\n  x: 1\n"),
      /^in\.yaml:\d+:\d+: \S/,
    );
  });

  it("duplicate keys, in YAML and in JSON", () => {
    assert.equal(
      refusal("apiVersion: v1\nkind: Pod\nkind: Service\n"),
      "in.yaml:3:1: Map keys must be unique",
    );
    const json = '{\n  "apiVersion": "v1",\n  "kind": "Pod",\n  "kind": "Service"\n}\n';
    assert.match(refusal(json, "in.json"), /^in\.json:\d+:\d+: Map keys must be unique$/);
  });

  it("an alias bomb (billion laughs)", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      levels.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${prev}`).join(", ")}]`,
      );
    }
    const line = refusal(`apiVersion: v1\nkind: ConfigMap\n${levels.join("\n")}\n`);
    assert.match(line, /^in\.yaml:1:1: more than 100 alias expansions/);
  });

  it("100 levels of block nesting", () => {
    const deep = Array.from({ length: 100 }, (_, i) => `${" ".repeat(i * 2)}k${i}:`).join("\n");
    assert.match(
      refusal(`apiVersion: v1\nkind: ConfigMap\ndata:\n${deep} 1\n`),
      /^in\.yaml:\d+:\d+: nesting deeper than 90 levels$/,
    );
  });

  it("100,000 levels of flow nesting, one line or many, quickly", () => {
    const start = performance.now();
    assert.match(
      refusal(`a: ${"[".repeat(100_000)}${"]".repeat(100_000)}\n`),
      /^in\.yaml:1:\d+: nesting deeper/,
    );
    assert.match(
      refusal(`a: ${"[\n".repeat(100_000)}${"]".repeat(100_000)}\n`),
      /^in\.yaml:\d+:1: nesting deeper/,
    );
    assert.match(
      refusal(`${"[".repeat(100_000)}${"]".repeat(100_000)}`, "in.json"),
      /^in\.json:1:\d+: nesting deeper/,
    );
    // Not a timing assertion: a guard against the quadratic path (tens of seconds) coming back.
    assert.ok(performance.now() - start < 20_000);
  });

  it("documents that are not Kubernetes objects", () => {
    assert.equal(refusal("---\nfoo: bar\n"), 'in.yaml:2:1: not a Kubernetes object: "apiVersion" is missing');
    assert.equal(
      refusal("apiVersion: v1\nkind: 3\n"),
      'in.yaml:1:1: not a Kubernetes object: "kind" is not a string',
    );
    assert.equal(
      refusal("- a\n- b\n"),
      "in.yaml:1:1: not a Kubernetes object: the document is a sequence, not a mapping",
    );
    assert.equal(
      refusal("just text\n"),
      "in.yaml:1:1: not a Kubernetes object: the document is a string, not a mapping",
    );
    assert.equal(
      refusal("apiVersion: v1\nkind: List\nitems:\n- 42\n"),
      "in.yaml:4:3: not a Kubernetes object: the document is a scalar, not a mapping",
    );
    assert.equal(
      refusal("apiVersion: v1\nkind: Pod\nmetadata: [a]\n"),
      'in.yaml:1:1: "metadata" must be a mapping',
    );
  });

  it("aliases for what they are: unresolved, from another document, a merge of a scalar, recursive", () => {
    const head = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n";
    assert.match(
      refusal(`${head}data:\n  a: *nope\n`),
      /^in\.yaml:1:1: Unresolved alias \(the anchor must be set before the alias\): nope$/,
    );
    assert.match(refusal(`x: &a 1\n---\n${head}data:\n  a: *a\n`), /^in\.yaml:3:1: Unresolved alias .*: a$/);
    assert.match(refusal(`${head}data:\n  <<: 5\n`), /Merge sources must be maps or map aliases$/);
    // yaml composes a value that contains itself; no JSON body could ever be sent for it.
    assert.equal(
      refusal(`${head}data: &d\n  self: *d\n`),
      "in.yaml:1:1: a recursive alias: the value contains itself",
    );
  });

  it("a List whose items is a map, not a sequence", () => {
    assert.equal(
      refusal("apiVersion: v1\nkind: List\nitems: {a: 1}\n"),
      'in.yaml:3:1: the "items" of a List must be a sequence of objects',
    );
  });

  it("a duplicate key in a 100,000-key map that the full parser reads (one pass, not pairwise), at its line", () => {
    const keys = Array.from({ length: 100_000 }, (_, i) => `  k${i}: v\n`).join("");
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: &n a}\ndata:\n${keys}  k7: again\n`;
    assert.equal(refusal(text), "in.yaml:100005:3: Map keys must be unique");
  });

  it("tabs as indentation", () => {
    assert.match(refusal("apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n"), /^in\.yaml:4:1: /);
  });
});

describe("positions from the fast reader", () => {
  it("equal the yaml package's for every key and item of every fixture", () => {
    const paths = (value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> => {
      if (typeof value !== "object" || value === null) return [];
      const entries: Array<[string | number, unknown]> = Array.isArray(value)
        ? value.map((v, i) => [i, v])
        : Object.entries(value);
      return entries.flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]);
    };
    let compared = 0;
    for (const file of globSync("test/fixtures/**/*.{yaml,yml}").sort()) {
      const text = readFileSync(file, "utf8");
      let fast: ReturnType<typeof locatedDocuments>;
      try {
        fast = locatedDocuments(text, file);
      } catch {
        continue; // fixtures of bad input
      }
      const full = parseFullYaml(text, file).filter((doc) => doc.value !== null);
      const nonEmpty = fast.filter((doc) => doc.value !== null);
      assert.equal(nonEmpty.length, full.length, file);
      nonEmpty.forEach((doc, i) => {
        assert.deepEqual(doc.position, full[i]!.position, `${file} document ${i}`);
        for (const path of paths(doc.value)) {
          assert.deepEqual(doc.positionOf(path), full[i]!.positionOf(path), `${file} ${path.join(".")}`);
          compared++;
        }
      });
    }
    assert.ok(compared > 1000, `only ${compared} positions compared`);
  });

  it("equal the yaml package's in JSON (one flow collection over many lines)", () => {
    const objects = globSync("test/fixtures/seed/*.yaml").flatMap((file) =>
      parseManifests(readFileSync(file, "utf8"), file).map((s) => s.object),
    );
    const text = JSON.stringify({ apiVersion: "v1", kind: "List", items: objects }, null, 2);
    const [fast] = locatedDocuments(text, "l.json");
    const [full] = parseFullYaml(text, "l.json");
    const path = ["items", 1, "spec", "template", "spec", "containers", 1, "env", 0, "value"];
    assert.deepEqual(fast!.positionOf(path), full!.positionOf(path));
    assert.deepEqual(
      fast!.positionOf(["items", 2, "spec", "type"]),
      full!.positionOf(["items", 2, "spec", "type"]),
    );
  });
});
