// Text → SourceObjects: splits a YAML stream into documents, reads each with the fast reader (falling
// back to the full `yaml` parser), reads JSON with JSON.parse, expands `List` kinds, and refuses
// documents that are not Kubernetes objects. Positions are computed only when asked for.
import { InputError } from "../errors.ts";
import type { KubeObject } from "../k8s/object.ts";
import {
  type Locations,
  MAX_DEPTH,
  NOT_FAST,
  nextDocumentMarker,
  parseFastDocument,
  unpack,
} from "./fast-yaml.ts";
import { type LocatedDocument, parseFullYaml } from "./full-yaml.ts";
import type { Position, SourceObject } from "./types.ts";

/** Parses the text of one file ("-" for stdin) into the Kubernetes objects it holds. */
export function parseManifests(text: string, file: string): SourceObject[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const objects: SourceObject[] = [];
  for (const doc of locatedDocuments(text, file)) collectObjects(doc, file, objects);
  return objects;
}

/** Parses YAML or JSON text into located documents (for manifests and for config files alike). */
export function locatedDocuments(text: string, file: string): LocatedDocument[] {
  if (looksLikeJson(text, file)) {
    const doc = jsonDocument(text, file);
    if (doc) return [doc];
  }
  // Directives (%YAML, %TAG) apply across documents: read such a stream whole.
  if (text.startsWith("%") || text.includes("\n%")) return parseFullYaml(text, file);
  return yamlDocuments(text, file);
}

function looksLikeJson(text: string, file: string): boolean {
  if (file.endsWith(".json")) return true;
  const first = text.trimStart().charCodeAt(0);
  return first === 123 || first === 91; // { [
}

/** JSON.parse, with positions from a full YAML parse done only if a position is asked for. */
function jsonDocument(text: string, file: string): LocatedDocument | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined; // not JSON after all (or broken): the YAML reader says where
  }
  // The YAML parser measures nesting on its syntax tree and throws with the exact place.
  if (deeperThan(value, MAX_DEPTH)) parseFullYaml(text, file);
  const offset = text.length - text.trimStart().length;
  const start = { line: countLines(text, 0, offset), col: offset - text.lastIndexOf("\n", offset - 1) };
  let positionOf: ((path: ReadonlyArray<string | number>) => Position) | undefined;
  // JSON is YAML: the first position asked for reads the text again with the YAML readers, recording.
  const locatePath = (path: ReadonlyArray<string | number>): Position => {
    positionOf ??= jsonPositions(text, file, start);
    return positionOf(path);
  };
  return { value, position: start, positionOf: (path) => (path.length === 0 ? start : locatePath(path)) };
}

function jsonPositions(
  text: string,
  file: string,
  start: Position,
): (path: ReadonlyArray<string | number>) => Position {
  try {
    const locations = new Map<object, Locations>();
    const { value } = parseFastDocument(text, 0, text.length, 1, file, locations);
    return (path) => locate(value, path, start, locations);
  } catch {
    try {
      const doc = parseFullYaml(text, file)[0];
      if (doc) return doc.positionOf;
    } catch {
      // Valid JSON that YAML refuses (duplicate keys): name the document's start rather than fail late.
    }
    return () => start;
  }
}

/** Whether a parsed JSON value nests deeper than `max`, walked without recursion. */
function deeperThan(root: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[root, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value !== "object" || value === null) continue;
    if (depth > max) return true;
    for (const child of Array.isArray(value) ? value : Object.values(value)) {
      if (typeof child === "object" && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
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
    documents.push(...documentIn(text, start, end, line, file));
    line += countLines(text, start, end) - 1;
    start = end;
    if (marker !== -1 && text.startsWith("...", marker)) {
      const nl = text.indexOf("\n", marker);
      start = nl === -1 ? text.length : nl + 1;
      if (!/^\s*(#.*)?$/.test(text.slice(marker + 3, start))) {
        throw new InputError('content after the document end marker "..."', { file, line, col: 4 });
      }
      line++;
    }
  }
  return documents;
}

function documentIn(text: string, start: number, end: number, line: number, file: string): LocatedDocument[] {
  try {
    const { value, position } = parseFastDocument(text, start, end, line, file);
    // Positions are wanted for few documents (those with findings): read those a second time, recording.
    let located: { value: unknown; locations: Map<object, Locations> } | undefined;
    const positionOf = (path: ReadonlyArray<string | number>): Position => {
      if (path.length === 0) return position;
      if (!located) {
        const locations = new Map<object, Locations>();
        located = { value: parseFastDocument(text, start, end, line, file, locations).value, locations };
      }
      return locate(located.value, path, position, located.locations);
    };
    return [{ value, position, positionOf }];
  } catch (error) {
    if (error !== NOT_FAST) throw error;
    return parseFullYaml(text.slice(start, end), file, line - 1);
  }
}

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
  into.push({ object, file, position: doc.position, positionOf: doc.positionOf });
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
