// Text → SourceObjects: splits a YAML (or JSON) stream into documents, reads each with the fast reader
// (falling back to the full `yaml` parser), expands `List` kinds, and refuses documents that are not
// Kubernetes objects. Positions are computed only when asked for.
import { InputError } from "../errors.ts";
import type { KubeObject } from "../k8s/object.ts";
import { type Locations, NOT_FAST, nextDocumentMarker, parseFastDocument, unpack } from "./fast-yaml.ts";
import { type LocatedDocument, parseFullYaml } from "./full-yaml.ts";
import type { Position, SourceObject } from "./types.ts";

/** Parses the text of one file ("-" for stdin) into the Kubernetes objects it holds. */
export function parseManifests(text: string, file: string): SourceObject[] {
  const objects: SourceObject[] = [];
  for (const doc of locatedDocuments(text, file)) collectObjects(doc, file, objects);
  return objects;
}

/** Parses YAML or JSON text into located documents (for manifests and for config files alike). */
export function locatedDocuments(text: string, file: string): LocatedDocument[] {
  // A byte-order mark some editors write is not content (manifests and config files alike).
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // JSON is YAML: a JSON document is one flow collection, which the fast reader takes as well.
  // Directives (%YAML, %TAG) apply across documents: read such a stream whole.
  if (text.startsWith("%") || text.includes("\n%")) return parseFullYaml(text, file);
  // U+2028/U+2029 and a lone CR end lines for JavaScript's regular expressions but not for YAML: a
  // text holding them is split and read by `yaml` alone, so no "---" after one starts a document.
  if (UNUSUAL_LINE_BREAK.test(text)) return parseFullYaml(text, file);
  return yamlDocuments(text, file);
}

function yamlDocuments(text: string, file: string): LocatedDocument[] {
  const documents: LocatedDocument[] = [];
  let start = 0;
  let line = 1;
  while (start < text.length) {
    // A slice runs from its own "---" line (if any) to the next marker line.
    const searchFrom = text.startsWith("---", start) ? start + 3 : start;
    const marker = nextDocumentMarker(text, searchFrom);
    const end = marker === -1 ? text.length : marker;
    for (const document of documentIn(text, start, end, line, file)) documents.push(document);
    line += countLines(text, start, end) - 1;
    start = end;
    if (marker !== -1 && text.startsWith("...", marker)) {
      const nl = text.indexOf("\n", marker);
      start = nl === -1 ? text.length : nl + 1;
      if (!/^[ \t]*(#.*)?\r?\n?$/.test(text.slice(marker + 3, start))) {
        throw new InputError('content after the document end marker "..."', { file, line, col: 4 });
      }
      line++;
    }
  }
  return documents;
}

function documentIn(text: string, start: number, end: number, line: number, file: string): LocatedDocument[] {
  try {
    // A JSON-style document (`kubectl get -o json`) is usually a List, whose every item needs its position:
    // record while reading. Others are read bare, and again with positions only if a finding needs one.
    if (JSON_ROOT.test(text.slice(start, Math.min(end, start + 64)))) {
      const locations = new Map<object, Locations>();
      const { value, position } = parseFastDocument(text, start, end, line, file, locations);
      return [{ value, position, positionOf: (path) => locate(value, path, position, locations) }];
    }
    const { value, position } = parseFastDocument(text, start, end, line, file);
    return [new FastDocument(value, position, file, text, start, end, line)];
  } catch (error) {
    if (error !== NOT_FAST) throw error;
    return parseFullYaml(text.slice(start, end), file, line - 1);
  }
}
const JSON_ROOT = /^\s*[[{]/;

/**
 * A document the fast reader took, and the object in it: where its fields are is found by reading its text
 * again when a finding asks. Fields, not a closure per document: at 100,000 objects a closure and its
 * context each were megabytes.
 */
class FastDocument implements LocatedDocument, SourceObject {
  readonly value: unknown;
  readonly position: Position;
  readonly file: string;
  private readonly text: string;
  private readonly start: number;
  private readonly end: number;
  private readonly line: number;

  constructor(
    value: unknown,
    position: Position,
    file: string,
    text: string,
    start: number,
    end: number,
    line: number,
  ) {
    this.value = value;
    this.position = position;
    this.file = file;
    this.text = text;
    this.start = start;
    this.end = end;
    this.line = line;
  }

  /** The object, once collectObjects has checked the value is one. */
  get object(): KubeObject {
    return this.value as KubeObject;
  }

  positionOf(path: ReadonlyArray<string | number>): Position {
    if (path.length === 0) return this.position;
    if (lastLocated?.owner !== this) {
      const locations = new Map<object, Locations>();
      const value = parseFastDocument(this.text, this.start, this.end, this.line, this.file, locations).value;
      lastLocated = { owner: this, value, locations };
    }
    return locate(lastLocated.value, path, this.position, lastLocated.locations);
  }
}

// The located re-read of the one document whose positions are being asked for. Findings are placed object
// by object, so one slot serves them all without keeping a second copy of every document with findings.
let lastLocated: { owner: FastDocument; value: unknown; locations: Map<object, Locations> } | undefined;
const UNUSUAL_LINE_BREAK = /[\u2028\u2029]|\r(?!\n)/;

/** Where `path` is inside a fast-read value: the deepest key or item on it that was recorded. */
function locate(
  root: unknown,
  path: ReadonlyArray<string | number>,
  position: Position,
  locations: Map<object, Locations>,
): Position {
  let node = root;
  for (const segment of path) {
    if (typeof node !== "object" || node === null) break;
    const locs = locations.get(node) as Record<string | number, number> | undefined;
    const packed = locs?.[segment];
    if (packed === undefined) break;
    position = unpack(packed);
    node = (node as Record<string | number, unknown>)[segment];
  }
  return position;
}

/** 1 + the number of newlines in text[from, to). */
function countLines(text: string, from: number, to: number): number {
  let lines = 1;
  for (let i = text.indexOf("\n", from); i !== -1 && i < to; i = text.indexOf("\n", i + 1)) lines++;
  return lines;
}

function collectObjects(doc: LocatedDocument, file: string, into: SourceObject[]): void {
  const { value } = doc;
  if (value === null || value === undefined) return; // an empty document, e.g. from `helm template`
  const object = asKubeObject(value, file, doc.position);
  if (/List$/.test(object.kind) && object.items !== undefined && !Array.isArray(object.items))
    throw new InputError(`the "items" of a ${object.kind} must be a sequence of objects`, {
      file,
      ...doc.positionOf(["items"]),
    });
  if (/List$/.test(object.kind) && Array.isArray(object.items)) {
    object.items.forEach((item: unknown, i: number) => {
      const position = doc.positionOf(["items", i]);
      into.push({
        object: asKubeObject(item, file, position),
        file,
        position,
        positionOf: (path) => doc.positionOf(["items", i, ...path]),
      });
    });
    return;
  }
  // A fast-read document is its own source object (asKubeObject checked its value in place).
  if (doc instanceof FastDocument) into.push(doc);
  else into.push({ object, file, position: doc.position, positionOf: doc.positionOf });
}

function asKubeObject(value: unknown, file: string, position: Position): KubeObject {
  const place = { file, ...position };
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    const what = Array.isArray(value) ? "a sequence" : `a ${typeof value === "string" ? "string" : "scalar"}`;
    throw new InputError(`not a Kubernetes object: the document is ${what}, not a mapping`, place);
  }
  const object = value as Record<string, unknown>;
  for (const field of ["apiVersion", "kind"]) {
    if (typeof object[field] !== "string" || object[field] === "") {
      const found = object[field] === undefined ? "missing" : "not a string";
      throw new InputError(`not a Kubernetes object: "${field}" is ${found}`, place);
    }
  }
  if (object.metadata === undefined || object.metadata === null) object.metadata = {};
  else if (typeof object.metadata !== "object" || Array.isArray(object.metadata)) {
    throw new InputError(`"metadata" must be a mapping`, place);
  }
  return object as KubeObject;
}
