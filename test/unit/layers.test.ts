// The arrows point down: each layer imports only the layers below it (docs/architecture.md).
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";

const SRC = join(import.meta.dirname, "../../src");
const IMPORT = /(?:from |import\()"(\.[^"]+)"/g;

/** The top-level folders of src/ each folder's files import (files at src/ itself count as "."). */
function layerImports(): Map<string, Set<string>> {
  const layers = new Map<string, Set<string>>();
  for (const file of readdirSync(SRC, { recursive: true, encoding: "utf8" })) {
    if (!file.endsWith(".ts")) continue;
    const layer = file.includes("/") ? file.slice(0, file.indexOf("/")) : ".";
    const here = join(SRC, file, "..");
    for (const [, specifier] of readFileSync(join(SRC, file), "utf8").matchAll(IMPORT)) {
      const target = relative(SRC, join(here, specifier!));
      const into = target.includes("/") ? target.slice(0, target.indexOf("/")) : ".";
      if (into !== layer && !into.startsWith(".."))
        (layers.get(layer) ?? layers.set(layer, new Set()).get(layer)!).add(into);
    }
  }
  return layers;
}

const ALLOWED: Record<string, string[]> = {
  k8s: ["."],
  manifest: [".", "k8s"],
  text: [],
  blueprint: [".", "k8s", "text"],
  synth: [".", "blueprint", "k8s", "manifest", "text"],
  check: [".", "k8s", "manifest", "text"],
  cluster: [".", "k8s", "text"],
  load: ["."],
  workers: [".", "cluster", "k8s", "load"],
  verify: [".", "check", "cluster", "k8s", "load", "manifest"],
  size: [".", "cluster", "k8s", "load", "manifest"],
};

test("each layer imports only the layers below it; nothing imports cli", () => {
  const imports = layerImports();
  for (const [layer, allowed] of Object.entries(ALLOWED)) {
    const extra = [...(imports.get(layer) ?? [])].filter((into) => !allowed.includes(into));
    assert.deepEqual(extra, [], `src/${layer}/ imports ${extra.join(", ")}`);
  }
  for (const [layer, into] of imports) assert.ok(!into.has("cli"), `src/${layer}/ imports cli`);
});
