// check's agreement with kube-score, Polaris and kube-linter on their own fixtures cannot silently regress:
// every case where check and the peer's own tests disagree is listed, with a reviewed reason, in
// test/fixtures/peers/<peer>/disagreements.json — and every listed one still disagrees (a fix removes it).
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { load } from "./fixtures.ts";
import {
  caseKey,
  measureAgreement,
  PEERS,
  PEERS_DIR,
  peerCases,
  peerMapping,
  reviewedDisagreements,
} from "./peer-agreement.ts";

for (const peer of PEERS) {
  test(`every disagreement with ${peer} on its fixtures is a reviewed one, and every reviewed one still holds`, () => {
    const { measured } = measureAgreement(peer);
    const found = measured.filter((c) => !c.agrees).map(caseKey);
    const reviewed = reviewedDisagreements(peer);
    assert.deepEqual(found.sort(), reviewed.map(caseKey).sort());
    for (const d of reviewed)
      assert.ok(d.reason.length > 40, `${caseKey(d)}: say why check is right or why it differs`);
  });

  test(`each ${peer} case names an object its fixture holds and a check docs/check.md lists`, () => {
    const mapping = peerMapping(peer);
    for (const c of peerCases(peer)) {
      const [kind, name] = c.object.split("/");
      const objects = load(join(PEERS_DIR, peer, c.file)).map((s) => s.object);
      const held = objects.filter(
        (o) =>
          o.kind === kind && o.metadata?.name === name && (!c.apiVersion || o.apiVersion === c.apiVersion),
      );
      assert.equal(held.length, 1, `${caseKey(c)}: the fixture must hold exactly one such object`);
      assert.ok(mapping.has(c.check), `${caseKey(c)}: docs/check.md's ${peer} table lists no such check`);
    }
    const { settings = {} } = JSON.parse(readFileSync(join(PEERS_DIR, peer, "cases.json"), "utf8")) as {
      settings?: Record<string, string>;
    };
    for (const check of Object.keys(settings))
      assert.ok(
        peerCases(peer).some((c) => c.check === check),
        `settings: no case of ${check}`,
      );
  });

  test(`every ${peer} fixture is used, with its source commit and the peer's licence beside it`, () => {
    const dir = join(PEERS_DIR, peer);
    const { commits } = JSON.parse(readFileSync(join(dir, "cases.json"), "utf8")) as {
      commits: Record<string, string>;
    };
    const fixtures = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) =>
      /\.ya?ml$/.test(f),
    );
    const used = new Set(peerCases(peer).map((c) => c.file));
    assert.deepEqual(fixtures.sort(), [...used].sort());
    for (const file of fixtures)
      assert.match(commits[file] ?? "", /^[0-9a-f]{40}$/, `${file}: source commit`);
    assert.ok(existsSync(join(dir, "LICENSE")) || existsSync(join(dir, "NOTICE")), `${peer}: licence notice`);
  });
}

test("the peer mapping reads the rule list of a row, not the rules its explanation mentions", () => {
  const doc = [
    "### kube-score",
    "",
    "| check | shipshape |",
    "| ----- | --------- |",
    "| a-check, b-check | `rule-one`, `rule-two` (quiet where `rule-three` fires) |",
    "| c-check | none: what `rule-four` asks for |",
    "| d-check | not yet |",
    "",
    "## Next",
  ].join("\n");
  const mapping = peerMapping("kube-score", `\n${doc}`);
  assert.deepEqual(Object.fromEntries(mapping), {
    "a-check": ["rule-one", "rule-two"],
    "b-check": ["rule-one", "rule-two"],
    "c-check": [],
    "d-check": [],
  });
});
