import assert from "node:assert/strict";
import { test } from "node:test";
import { unifiedDiff } from "../../../src/text/line-diff.ts";

const labels = { from: "live", to: "shipshape" };

test("unifiedDiff is empty for equal texts", () => {
  assert.equal(unifiedDiff("a\nb\n", "a\nb\n", labels), "");
});

test("unifiedDiff shows a changed line with its context and diff -u line numbers", () => {
  const before = ["a", "b", "c", "image: wordpress:6.4", "d", "e", "f", "g"].join("\n");
  const after = ["a", "b", "c", "image: wordpress:6.5", "d", "e", "f", "g"].join("\n");
  assert.equal(
    unifiedDiff(before, after, labels),
    [
      "--- live",
      "+++ shipshape",
      "@@ -1,7 +1,7 @@",
      " a",
      " b",
      " c",
      "-image: wordpress:6.4",
      "+image: wordpress:6.5",
      " d",
      " e",
      " f",
      "",
    ].join("\n"),
  );
});

test("unifiedDiff splits distant changes into separate hunks", () => {
  const before = Array.from({ length: 20 }, (_, i) => `line ${i}`);
  const after = [...before];
  after[1] = "changed 1";
  after[18] = "changed 18";
  const diff = unifiedDiff(before.join("\n"), after.join("\n"), labels);
  assert.deepEqual(
    diff.split("\n").filter((l) => l.startsWith("@@")),
    ["@@ -1,5 +1,5 @@", "@@ -16,5 +16,5 @@"],
  );
});

test("unifiedDiff of a new object is all additions from line 0", () => {
  assert.equal(
    unifiedDiff("", "kind: Service\nname: web\n", labels),
    "--- live\n+++ shipshape\n@@ -0,0 +1,2 @@\n+kind: Service\n+name: web\n",
  );
});
