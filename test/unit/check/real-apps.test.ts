// What check says on real applications nobody here wrote (test/fixtures/real-apps/<app>/): every finding
// is listed, judged, in the app's findings.txt, with the exit code a CI gate would see. A rule that starts
// crying wolf on them — a new finding, a severity going up, an exit code turning 1 — fails here.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { checkObjects } from "../../../src/check/engine.ts";
import { readManifests } from "../../../src/manifest/read.ts";

const REAL_APPS = join(import.meta.dirname, "../../fixtures/real-apps");
const apps = readdirSync(REAL_APPS, { withFileTypes: true }).filter((e) => e.isDirectory());

test("the corpus holds at least ten applications", () => {
  assert.ok(apps.length >= 10, `${apps.length} applications`);
});

for (const { name: app } of apps) {
  test(`${app}: check raises exactly the judged findings, and exits as findings.txt says`, async () => {
    const dir = join(REAL_APPS, app);
    const judged = readFileSync(join(dir, "findings.txt"), "utf8").split("\n");
    const { findings } = checkObjects(await readManifests([dir]));
    const lines = findings.map((f) => `${f.severity} ${f.rule} ${f.object.kind}/${f.object.name}`);
    assert.deepEqual(lines.sort(), judged.filter((l) => l && !l.startsWith("#")).sort());
    const exit = findings.some((f) => f.severity === "error") ? 1 : 0;
    const header = judged.filter((l) => l.startsWith("#")).join(" ");
    assert.match(header, new RegExp(`Exit ${exit}[.:]`), "the header states the exit code");
  });
}
