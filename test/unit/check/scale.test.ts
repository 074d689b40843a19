// Sizes the reader accepts must not overflow the stack anywhere on the way: push(...x) and Math.max(...x)
// spread their arguments on it. Under a 128 KiB stack the limit is a few thousand arguments instead of
// ~120k, so 30,000 objects (each with findings, all HPAs naming one workload) prove the same in seconds.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const OBJECTS = 30_000;
const script = fileURLToPath(new URL("scale/many-objects.ts", import.meta.url));

test(`${OBJECTS} objects in one stream are read, checked and reported in every format under a small stack`, () => {
  // The bound is real: spreading as many arguments overflows this stack.
  assert.throws(
    () =>
      execFileSync(
        process.execPath,
        ["--stack-size=128", "-e", `Math.max(...new Array(${OBJECTS}).fill(1))`],
        {
          stdio: "pipe",
        },
      ),
    /Maximum call stack size exceeded/,
  );
  const out = execFileSync(process.execPath, ["--stack-size=128", script, String(OBJECTS)], {
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  const sizes = JSON.parse(out) as Record<string, number>;
  assert.equal(sizes.objects, OBJECTS);
  assert.ok(sizes.findings! >= OBJECTS, `${sizes.findings} findings`);
  for (const format of ["text", "json", "sarif", "junit"]) {
    assert.ok(sizes[format]! > OBJECTS * 50, `${format}: ${sizes[format]} bytes`);
  }
});
