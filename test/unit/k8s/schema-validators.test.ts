import assert from "node:assert/strict";
import { it } from "node:test";
import { inputsHash } from "../../../scripts/gen-schema-validators.ts";
import { loadSchemaData } from "../../../src/k8s/schema-data.ts";
import { INPUTS_SHA256, validators } from "../../../src/k8s/schema-validators.js";

it("the committed validators were generated from the committed schema data and generator", () => {
  assert.equal(INPUTS_SHA256, inputsHash(), "stale: run `node scripts/gen-schema-validators.ts`");
  assert.deepEqual(Object.keys(validators), Object.keys(loadSchemaData().kinds));
});
