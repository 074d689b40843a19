import assert from "node:assert/strict";
import { test } from "node:test";
import { allowedDisruptions, scaledValue } from "../../../../src/check/facts/disruptions.ts";

test("maxUnavailable 1 allows one disruption at any replica count above zero", () => {
  assert.equal(allowedDisruptions({ maxUnavailable: 1 }, 3), 1);
  assert.equal(allowedDisruptions({ maxUnavailable: 1 }, 1), 1);
  assert.equal(allowedDisruptions({ maxUnavailable: 0 }, 3), 0);
});

test("minAvailable equal to replicas blocks every drain", () => {
  assert.equal(allowedDisruptions({ minAvailable: 3 }, 3), 0);
  assert.equal(allowedDisruptions({ minAvailable: 1 }, 1), 0);
  assert.equal(allowedDisruptions({ minAvailable: 2 }, 3), 1);
  assert.equal(allowedDisruptions({ minAvailable: 5 }, 3), 0);
});

test("percentages round UP for both minAvailable and maxUnavailable", () => {
  // minAvailable 50% of 3 = 1.5 → 2 must stay: 1 allowed.
  assert.equal(allowedDisruptions({ minAvailable: "50%" }, 3), 1);
  // minAvailable 34% of 3 = 1.02 → 2: 1 allowed; 67% of 3 = 2.01 → 3: none.
  assert.equal(allowedDisruptions({ minAvailable: "34%" }, 3), 1);
  assert.equal(allowedDisruptions({ minAvailable: "67%" }, 3), 0);
  // maxUnavailable 10% of 3 = 0.3 → 1: one allowed (rounding down would block drains).
  assert.equal(allowedDisruptions({ maxUnavailable: "10%" }, 3), 1);
  assert.equal(allowedDisruptions({ maxUnavailable: "50%" }, 5), 3);
  assert.equal(allowedDisruptions({ maxUnavailable: "0%" }, 5), 0);
  assert.equal(scaledValue("25%", 10, false), 2);
});

test("maxUnavailable wins over minAvailable; an empty budget depends on the API version", () => {
  assert.equal(allowedDisruptions({ minAvailable: 3, maxUnavailable: 1 }, 3), 1);
  assert.equal(allowedDisruptions({}, 3), 3);
  assert.equal(allowedDisruptions({}, 3, "policy/v1beta1"), 2);
  assert.equal(allowedDisruptions({}, 1, "policy/v1beta1"), 0);
});

test("malformed budgets are undefined, not a number", () => {
  assert.equal(allowedDisruptions({ minAvailable: "half" }, 3), undefined);
  assert.equal(allowedDisruptions({ maxUnavailable: "1" }, 3), undefined);
});
