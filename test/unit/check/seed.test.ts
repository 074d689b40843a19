// The bar: the seed tutorial's naive first deployment raises the rules the tutorial then fixes.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { allRules } from "../../../src/check/rules/index.ts";
import { FIXTURES, runRules } from "./fixtures.ts";

test("the seed's naive deployment raises every concern the tutorial goes on to fix", () => {
  const findings = runRules(allRules, join(FIXTURES, "seed/naive.yaml"));
  const raised = new Set(findings.map((f) => f.rule));
  for (const id of [
    "app-db-same-pod",
    "replicas-single",
    "readiness-probe-missing",
    "qos-best-effort",
    "pdb-missing",
    "nodeport-exposed",
    "secret-literal-env",
    "db-without-volume",
  ]) {
    assert.ok(raised.has(id), `${id} not raised; got ${[...raised].join(", ")}`);
  }
  // The literal passwords are found one by one: WORDPRESS_DB_PASSWORD, MYSQL_ROOT_PASSWORD, MYSQL_PASSWORD.
  assert.equal(findings.filter((f) => f.rule === "secret-literal-env").length, 3);
});
