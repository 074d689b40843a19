import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../../../src/errors.ts";
import { parseDeploymentRef, parsePodRef } from "../../../src/verify/target.ts";

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

test("verify delete takes a pod as kubectl spells it, and nothing else", () => {
  for (const text of [
    "pod/wordpress-mysql-0",
    "po/wordpress-mysql-0",
    "pods/wordpress-mysql-0",
    "wordpress-mysql-0",
  ])
    assert.equal(parsePodRef(text), "wordpress-mysql-0");
  assert.throws(
    () => parsePodRef("sts/wordpress-mysql"),
    (error: unknown) => error instanceof InputError && error.message.includes("only pods"),
  );
  assert.throws(
    () => parsePodRef(undefined),
    (error: unknown) => error instanceof InputError && error.message.includes("name the pod"),
  );
});
