// How often check agrees with kube-score, Polaris and kube-linter on the peers' own fixtures
// (test/fixtures/peers/<peer>/): for each case — one object of one fixture and one peer check, with the
// verdict the peer's own tests expect — check "flags" it when a rule docs/check.md maps to that check
// reports the object at any severity (and, where cases.json names the setting a check is about, the
// finding names it too). Checks the table maps to no rule are counted, not measured.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { checkObjects } from "../../../src/check/engine.ts";
import { load } from "./fixtures.ts";

export const PEERS_DIR = join(import.meta.dirname, "../../fixtures/peers");
export const PEERS = ["kube-score", "polaris", "kube-linter"] as const;
export type Peer = (typeof PEERS)[number];

/** The heading of each peer's table in docs/check.md. */
const HEADINGS: Record<Peer, string> = {
  "kube-score": "kube-score",
  polaris: "Polaris",
  "kube-linter": "kube-linter",
};

export interface PeerCase {
  file: string;
  check: string;
  /** `Kind/name` of the object the peer judges. */
  object: string;
  /** Only where two objects of the file share kind and name. */
  apiVersion?: string;
  peerFails: boolean;
}

export interface Disagreement {
  file: string;
  check: string;
  object: string;
  apiVersion?: string;
  reason: string;
}

export interface MeasuredCase extends PeerCase {
  rules: string[];
  /** The mapped rules that report the object. */
  fired: string[];
  agrees: boolean;
}

export interface PeerAgreement {
  peer: Peer;
  measured: MeasuredCase[];
  /** Cases of checks docs/check.md maps to no rule ("none", "not yet"). */
  unmapped: PeerCase[];
  agreed: number;
}

/** One line per case, the key of the reviewed disagreements file. */
export function caseKey(c: Pick<PeerCase, "file" | "check" | "object" | "apiVersion">): string {
  return `${c.file} ${c.check} ${c.apiVersion ? `${c.apiVersion} ` : ""}${c.object}`;
}

/** peer check id → the shipshape rules docs/check.md names for it (none for "none"/"not yet" rows). */
export function peerMapping(peer: Peer, doc = readDoc()): Map<string, string[]> {
  const start = doc.indexOf(`\n### ${HEADINGS[peer]}\n`);
  if (start < 0) throw new Error(`docs/check.md has no "### ${HEADINGS[peer]}" table`);
  const end = doc.indexOf("\n#", start + 1);
  const mapping = new Map<string, string[]>();
  for (const [, checks, covered] of doc.slice(start, end).matchAll(/^\| (.+?) +\| (.+?) +\|$/gm)) {
    if (checks === "check" || checks!.startsWith("-")) continue;
    // The rules are the leading list; backticks after "(" or ";" (or in a "none" row) are explanation.
    const list = /^(none|not yet)\b/.test(covered!) ? "" : covered!.split(/ \(|;/)[0]!;
    const rules = [...list.matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1]!);
    for (const check of checks!.split(",")) mapping.set(check.trim(), rules);
  }
  return mapping;
}

function readDoc(): string {
  return readFileSync(join(import.meta.dirname, "../../../docs/check.md"), "utf8");
}

interface PeerFile {
  cases: PeerCase[];
  /** Check → pattern a finding's message must match to count for it: where one rule (a Pod Security
   * level) covers several peer checks, a finding about another setting says nothing about this one. */
  settings?: Record<string, string>;
}

function peerFile(peer: Peer): PeerFile {
  return JSON.parse(readFileSync(join(PEERS_DIR, peer, "cases.json"), "utf8")) as PeerFile;
}

export function peerCases(peer: Peer): PeerCase[] {
  return peerFile(peer).cases;
}

export function reviewedDisagreements(peer: Peer): Disagreement[] {
  return JSON.parse(readFileSync(join(PEERS_DIR, peer, "disagreements.json"), "utf8")) as Disagreement[];
}

export function measureAgreement(peer: Peer): PeerAgreement {
  const mapping = peerMapping(peer);
  const { cases, settings = {} } = peerFile(peer);
  const findingsByFile = new Map<string, ReturnType<typeof checkObjects>["findings"]>();
  const measured: MeasuredCase[] = [];
  const unmapped: PeerCase[] = [];
  for (const c of cases) {
    const rules = mapping.get(c.check);
    if (rules === undefined) throw new Error(`${peer}: docs/check.md does not list the check ${c.check}`);
    if (rules.length === 0) {
      unmapped.push(c);
      continue;
    }
    let findings = findingsByFile.get(c.file);
    if (!findings) {
      findings = checkObjects(load(join(PEERS_DIR, peer, c.file))).findings;
      findingsByFile.set(c.file, findings);
    }
    const [kind, name] = c.object.split("/");
    const setting = settings[c.check] === undefined ? undefined : new RegExp(settings[c.check]!);
    const fired = [
      ...new Set(
        findings
          .filter(
            (f) =>
              f.object.kind === kind &&
              f.object.name === name &&
              (!c.apiVersion || f.object.apiVersion === c.apiVersion) &&
              rules.includes(f.rule) &&
              (!setting || setting.test(f.message)),
          )
          .map((f) => f.rule),
      ),
    ];
    measured.push({ ...c, rules, fired, agrees: fired.length > 0 === c.peerFails });
  }
  return { peer, measured, unmapped, agreed: measured.filter((c) => c.agrees).length };
}

/** The table `npm run check:agreement` prints. */
export function agreementTable(results: readonly PeerAgreement[]): string {
  const rows = results.map((r) => {
    const checks = new Set(r.measured.map((c) => c.check)).size;
    const pct = r.measured.length ? ((100 * r.agreed) / r.measured.length).toFixed(1) : "—";
    return [
      r.peer,
      String(checks),
      String(r.measured.length),
      String(r.agreed),
      `${pct} %`,
      String(r.unmapped.length),
    ];
  });
  const head = ["peer", "checks", "cases", "agree", "agreement", "unmapped cases"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ");
  return [line(head), ...rows.map(line)].join("\n");
}
