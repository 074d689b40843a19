import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../../../src/errors.ts";
import { parseQuantity, tryParseQuantity } from "../../../src/k8s/quantity.ts";

test("CPU quantities compare by value: 1 == 1000m, 200m == 0.2", () => {
  assert.equal(parseQuantity("1"), parseQuantity("1000m"));
  assert.equal(parseQuantity("200m"), 0.2);
  assert.equal(parseQuantity(2), 2);
  assert.equal(parseQuantity(".5"), 0.5);
});

test("memory quantities use binary and decimal suffixes", () => {
  assert.equal(parseQuantity("100Mi"), 100 * 1024 * 1024);
  assert.equal(parseQuantity("1G"), 1e9);
  assert.equal(parseQuantity("1Gi"), 1024 ** 3);
  assert.equal(parseQuantity("128974848"), parseQuantity("129e6") - 25152);
  assert.equal(parseQuantity("1e3"), 1000);
  assert.equal(parseQuantity("1.5Ki"), 1536);
});

test("malformed quantities are input errors naming the value", () => {
  for (const bad of ["", "1 Gi", "Mi", "1.2.3", "1mi", "ten", "1KiB"]) {
    assert.throws(
      () => parseQuantity(bad),
      (error: unknown) => error instanceof InputError && error.message.includes(`"${bad}"`),
    );
    assert.equal(tryParseQuantity(bad), undefined);
  }
});
