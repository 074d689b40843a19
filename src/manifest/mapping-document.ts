// A settings file (`.shipshape.yaml`, a synth config): one YAML or JSON document that is a mapping,
// read by the same guarded reader as manifests (nesting depth, alias bombs, duplicate keys, encodings),
// every error at file:line:col.
import { InputError } from "../errors.ts";
import { locatedDocuments } from "./parse.ts";
import type { Position } from "./types.ts";

export interface MappingDocument {
  /** The mapping's entries; empty for an empty file. */
  entries: Record<string, unknown>;
  /** Where a path inside it was written (the closest recorded key on the way). */
  positionOf(path: ReadonlyArray<string | number>): Position;
}

/**
 * `text` as one mapping. `what` names the file in errors ("the config file"), `expected` says what a
 * non-mapping should have been ('a mapping with a "rules" key').
 */
export function parseMappingDocument(
  text: string,
  file: string,
  { what, expected }: { what: string; expected: string },
): MappingDocument {
  const [doc, extra] = locatedDocuments(text, file);
  if (extra) throw new InputError(`${what} holds more than one document`, { file, ...extra.position });
  if (!doc || doc.value === null || doc.value === undefined)
    return { entries: {}, positionOf: () => ({ line: 1, col: 1 }) };
  if (typeof doc.value !== "object" || Array.isArray(doc.value))
    throw new InputError(`${what} must be ${expected}`, { file, ...doc.positionOf([]) });
  return { entries: doc.value as Record<string, unknown>, positionOf: (path) => doc.positionOf(path) };
}
