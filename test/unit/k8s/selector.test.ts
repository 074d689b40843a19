import assert from "node:assert/strict";
import { test } from "node:test";
import { isEmptySelector, matchesLabels, matchesSelector } from "../../../src/k8s/selector.ts";

const web = { app: "wordpress", tier: "frontend" };
const db = { app: "wordpress", tier: "mysql" };

test("matchLabels needs every pair", () => {
  assert.equal(matchesSelector({ matchLabels: { app: "wordpress", tier: "frontend" } }, web), true);
  assert.equal(matchesSelector({ matchLabels: { app: "wordpress", tier: "frontend" } }, db), false);
  assert.equal(matchesSelector({ matchLabels: { app: "wordpress" } }, undefined), false);
});

test("In, NotIn, Exists, DoesNotExist follow the apiserver", () => {
  const expr = (operator: string, values?: string[]) => ({
    matchExpressions: [{ key: "tier", operator, values }],
  });
  assert.equal(matchesSelector(expr("In", ["frontend", "cache"]), web), true);
  assert.equal(matchesSelector(expr("In", ["frontend"]), db), false);
  assert.equal(matchesSelector(expr("In", ["frontend"]), { app: "x" }), false);
  assert.equal(matchesSelector(expr("NotIn", ["mysql"]), web), true);
  assert.equal(matchesSelector(expr("NotIn", ["mysql"]), db), false);
  // NotIn also matches objects without the key at all.
  assert.equal(matchesSelector(expr("NotIn", ["mysql"]), { app: "x" }), true);
  assert.equal(matchesSelector(expr("Exists"), web), true);
  assert.equal(matchesSelector(expr("Exists"), { app: "x" }), false);
  assert.equal(matchesSelector(expr("DoesNotExist"), web), false);
  assert.equal(matchesSelector(expr("DoesNotExist"), { app: "x" }), true);
  assert.equal(matchesSelector(expr("Matches", ["x"]), web), false);
});

test("matchLabels and matchExpressions are ANDed", () => {
  const selector = {
    matchLabels: { app: "wordpress" },
    matchExpressions: [{ key: "tier", operator: "In", values: ["mysql"] }],
  };
  assert.equal(matchesSelector(selector, db), true);
  assert.equal(matchesSelector(selector, web), false);
});

test("an absent selector selects nothing, an empty one everything", () => {
  assert.equal(matchesSelector(undefined, web), false);
  assert.equal(matchesSelector({}, web), true);
  assert.equal(isEmptySelector({}), true);
  assert.equal(isEmptySelector({ matchLabels: { app: "x" } }), false);
});

test("a Service's map selector selects nothing when empty", () => {
  assert.equal(matchesLabels({ app: "wordpress", tier: "frontend" }, web), true);
  assert.equal(matchesLabels({ app: "wordpress", tier: "frontend" }, db), false);
  assert.equal(matchesLabels({}, web), false);
  assert.equal(matchesLabels(undefined, web), false);
});
