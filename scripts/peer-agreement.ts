// Prints how often check agrees with each peer on the peer's own fixtures (`npm run check:agreement`);
// `--cases` also lists every disagreement with the rules it was measured against.
import { agreementTable, caseKey, measureAgreement, PEERS } from "../test/unit/check/peer-agreement.ts";

const results = PEERS.map(measureAgreement);
process.stdout.write(`${agreementTable(results)}\n`);
if (process.argv.includes("--cases")) {
  for (const r of results) {
    for (const c of r.measured.filter((m) => !m.agrees)) {
      const said = c.peerFails ? "fails" : "passes";
      const ours = c.fired.length
        ? `check reports ${c.fired.join(", ")}`
        : `check reports none of ${c.rules.join(", ")}`;
      process.stdout.write(`${r.peer}: ${caseKey(c)}: the peer ${said}, ${ours}\n`);
    }
  }
}
