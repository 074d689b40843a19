// `check --fix` as one library call: check the texts, apply every autofix to the document its object
// came from (a List item inside its List), and check the result again. A finding's fix is applied
// whole or not at all; one that cannot be applied safely stays a finding, with the reason.
import { type Document, isMap, isScalar, isSeq, parseAllDocuments, parseDocument } from "yaml";
import type { KubeObject } from "../../k8s/object.ts";
import { parseManifests } from "../../manifest/parse.ts";
import type { ManifestText } from "../../manifest/read.ts";
import type { SourceObject } from "../../manifest/types.ts";
import { diffHunks } from "../../text/line-diff.ts";
import { type CheckOptions, type CheckResult, checkObjects } from "../engine.ts";
import type { Finding, Fixable } from "../types.ts";
import { applyOp, FixRefused } from "./edit-yaml.ts";

export interface FixResult {
  /** Every input, its text fixed where a fix applied. */
  texts: ManifestText[];
  /** The files whose text changed. */
  changed: string[];
  /** What the fixes change, as a unified diff ("" when nothing changes). */
  diff: string;
  fixed: Finding[];
  /** Findings without a fix of their own that a fix cleared too (another rule's view of the same
   * setting, say); each is on an object a fix changed. */
  alsoCleared: Finding[];
  refused: { finding: Finding; reason: string }[];
  /** The check of the original texts, and of the fixed ones. */
  before: CheckResult;
  after: CheckResult;
}

export function fixManifests(inputs: readonly ManifestText[], options: CheckOptions = {}): FixResult {
  const parsed = inputs.map(({ file, text }) => parseManifests(text, file));
  const before = checkObjects(parsed.flat(), options);
  // Each object's place among its file's objects, and the fixable findings of each file.
  const ordinals = new Map<SourceObject, number>();
  const fileOf = new Map<SourceObject, number>();
  for (const [file, sources] of parsed.entries()) {
    for (const [i, source] of sources.entries()) {
      ordinals.set(source, i);
      fileOf.set(source, file);
    }
  }
  const byFile = parsed.map((): Fixable[] => []);
  for (const fixable of before.fixable) byFile[fileOf.get(fixable.source)!]!.push(fixable);

  const fixed: Finding[] = [];
  const refused: FixResult["refused"] = [];
  const diffs: string[] = [];
  const texts = inputs.map((input, i) => {
    const mine = byFile[i]!;
    if (mine.length === 0) return input;
    const outcome = fixText(input.text, mine, ordinals);
    fixed.push(...outcome.fixed);
    refused.push(...outcome.refused);
    diffs.push(fileDiff(input.file, outcome.documents));
    return { file: input.file, text: outcome.documents.map((d) => d.after).join("") };
  });
  const changed = texts.filter((t, i) => t.text !== inputs[i]!.text).map((t) => t.file);
  // Unchanged files keep the objects already read.
  const reread = texts.flatMap(({ file, text }, i) =>
    text === inputs[i]!.text ? parsed[i]! : parseManifests(text, file),
  );
  const after = checkObjects(reread, options);
  const left = new Set(after.findings.map(findingKey));
  const claimed = new Set(fixed);
  const alsoCleared = before.findings.filter((f) => !claimed.has(f) && !left.has(findingKey(f)));
  return { texts, changed, diff: diffs.join(""), fixed, alsoCleared, refused, before, after };
}

/** A finding's identity across two checks: its rule, object and message (its line may move). */
export function findingKey(f: Finding): string {
  const { apiVersion, kind, namespace = "", name = "" } = f.object;
  return [f.rule, apiVersion, kind, namespace, name, f.message].join("\0");
}

/** `diff -u` of one file, hunk by hunk from the documents that changed; "" when none did. */
function fileDiff(file: string, documents: readonly { before: string; after: string }[]): string {
  const hunks: string[] = [];
  const lines = { before: 1, after: 1 };
  for (const { before, after } of documents) {
    if (before !== after) hunks.push(...diffHunks(before, after, 3, { ...lines }));
    lines.before += newlines(before);
    lines.after += newlines(after);
  }
  if (hunks.length === 0) return "";
  const name = file === "-" ? "(stdin)" : file;
  return `${[`--- a/${name}`, `+++ b/${name}`, ...hunks].join("\n")}\n`;
}

function newlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

interface Slot {
  document: number;
  /** Where the object sits in its document: [] for the document itself, ["items", i] in a List. */
  prefix: (string | number)[];
}

function fixText(text: string, fixable: readonly Fixable[], ordinals: ReadonlyMap<SourceObject, number>) {
  const parsed = Array.from(parseAllDocuments(text, { merge: false, uniqueKeys: false }));
  // Each document is edited as its own slice, from its start to the next one's.
  const starts = parsed.map((doc, i) => (i === 0 ? 0 : doc.range[0]));
  const originals = starts.map((start, i) => text.slice(start, starts[i + 1] ?? text.length));
  const slices = [...originals];
  const slots = objectSlots(parsed);
  const fixed: Finding[] = [];
  const refused: FixResult["refused"] = [];
  for (const { finding, source } of fixable) {
    const slot = slots[ordinals.get(source)!];
    const autofix = finding.autofix!;
    try {
      if (!slot || !sameObject(slices[slot.document]!, slot.prefix, source.object))
        throw new FixRefused("the object could not be found again in its file");
      let edited = slices[slot.document]!;
      let comment: string | undefined = autofix.comment;
      for (const op of autofix.ops) {
        const next = applyOp(edited, { ...op, path: [...slot.prefix, ...op.path] }, comment);
        if (next !== edited) comment = undefined;
        edited = next;
      }
      slices[slot.document] = edited;
      fixed.push(finding);
    } catch (error) {
      if (!(error instanceof FixRefused)) throw error;
      refused.push({ finding, reason: error.message });
    }
  }
  const documents = originals.map((before, i) => ({ before, after: slices[i]! }));
  return { documents, fixed, refused };
}

/** The objects of a file in the reader's order: a document each, or each item of a List. */
function objectSlots(documents: readonly Document[]) {
  const slots: Slot[] = [];
  documents.forEach((doc, document) => {
    const root = doc.contents;
    if (root === null || (isScalar(root) && root.value === null)) return;
    const kind = isMap(root) ? root.get("kind") : undefined;
    const items = isMap(root) ? root.get("items", true) : undefined;
    if (typeof kind === "string" && /List$/.test(kind) && isSeq(items)) {
      for (let i = 0; i < items.items.length; i++) slots.push({ document, prefix: ["items", i] });
    } else slots.push({ document, prefix: [] });
  });
  return slots;
}

function sameObject(slice: string, prefix: (string | number)[], object: KubeObject): boolean {
  const doc = parseDocument(slice, { merge: false, uniqueKeys: false });
  return (
    doc.getIn([...prefix, "kind"]) === object.kind &&
    doc.getIn([...prefix, "metadata", "name"]) === object.metadata.name
  );
}
