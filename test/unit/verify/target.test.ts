import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../../../src/errors.ts";
import { parseDeploymentRef } from "../../../src/verify/target.ts";

test("verify takes a Deployment the ways kubectl spells it", () => {
  for (const text of [
    "deploy/wordpress",
    "deployment/wordpress",
    "deployments.apps/wordpress",
    "wordpress",
  ]) {
    assert.equal(parseDeploymentRef(text), "wordpress");
  }
});

test("other kinds and malformed names are input errors naming what was given", () => {
  for (const [text, says] of [
    ["sts/mysql", '"sts/mysql": only Deployments'],
    ["deploy/Word_Press", '"Word_Press" is not a valid object name'],
    ["deploy/", '"" is not a valid object name'],
    [undefined, "name the Deployment"],
  ] as const) {
    assert.throws(
      () => parseDeploymentRef(text),
      (error: unknown) => error instanceof InputError && error.message.includes(says),
    );
  }
});
