// One patch operation on the text of one YAML (or JSON) document, written as a splice of the source:
// the `yaml` document API finds the nodes and their ranges, and only the characters of the field that
// changes are rewritten, so comments, key order, anchors, quoting and the formatting of every other
// line stay byte for byte. New fields follow the document's own style (indentation, sequence indent,
// flow or block, JSON quoting).
import {
  isAlias,
  isCollection,
  isMap,
  isScalar,
  isSeq,
  type Node,
  type Pair,
  parseDocument,
  type Scalar,
  stringify,
  visit,
  type YAMLMap,
} from "yaml";
import type { FieldPath, PatchOp } from "./patch.ts";

/** Why an operation was not applied: the finding stays, with this reason. */
export class FixRefused extends Error {}

interface Style {
  indent: number;
  indentSeq: boolean;
}

/**
 * Applies `op` to the document in `text`; `comment` (if any) is written beside the change. Returns the
 * text unchanged when the field already holds the value (or is absent, for a removal).
 */
export function applyOp(text: string, op: PatchOp, comment?: string): string {
  const edited = editDocument(text, op, comment);
  // A file written with CRLF line ends gets them on the lines the fix adds too.
  const crlf = text.includes("\r\n") && !LONE_LF.test(text);
  return crlf ? edited.replace(new RegExp(LONE_LF.source, "g"), "\r\n") : edited;
}
const LONE_LF = /(?<!\r)\n/;

function editDocument(text: string, op: PatchOp, comment?: string): string {
  const doc = parseDocument(text, { merge: false, uniqueKeys: false });
  if (doc.errors.length > 0) throw new FixRefused("the document does not parse");
  const style = styleOf(doc.contents, text);
  const { path } = op;
  let node: unknown = doc.contents;
  let inFlow = false;
  for (let k = 0; k < path.length; k++) {
    const segment = path[k]!;
    if (isAlias(node))
      throw new FixRefused(`${where(path, k)} is an alias: changing it would change the anchor`);
    if (isCollection(node) && node.anchor)
      throw new FixRefused(`${where(path, k)} carries an anchor: the change would reach its aliases too`);
    inFlow ||= isCollection(node) && Boolean(node.flow);
    if (isSeq(node)) {
      if (typeof segment !== "number" || node.items[segment] === undefined)
        throw new FixRefused(`${where(path, k + 1)} does not exist`);
      node = node.items[segment];
      continue;
    }
    if (!isMap(node)) throw new FixRefused(`${where(path, k)} is not a mapping`);
    if (node.items.some((pair) => keyOf(pair) === "<<"))
      throw new FixRefused(`${where(path, k)} takes fields from a merge key (<<)`);
    const pair = node.items.find((p) => keyOf(p) === String(segment));
    const rest = path.slice(k + 1);
    if (!pair) {
      if (op.op === "remove") return text;
      return insertPair(text, node, String(segment), nested(rest, op.value), style, comment);
    }
    const value = pair.value;
    const empty = value === null || (isScalar(value) && value.value === null);
    if (rest.length === 0) {
      if (op.op === "remove") return removePair(text, node, pair);
      if (isScalar(value) && !empty && !isObject(op.value))
        return replaceScalar(text, value, op.value, inFlow || node.flow ? undefined : comment);
      return replacePair(text, node, pair, op.value, style, comment);
    }
    if (empty) {
      if (op.op === "remove") return text;
      return replacePair(text, node, pair, nested(rest, op.value), style, comment);
    }
    node = value;
  }
  throw new FixRefused("a patch names a field, not the object itself");
}

function where(path: FieldPath, length: number): string {
  return path.slice(0, length).join(".") || "the object";
}

function keyOf(pair: Pair): string | undefined {
  return isScalar(pair.key) ? String(pair.key.value) : undefined;
}

function isObject(value: unknown): boolean {
  return value !== null && typeof value === "object";
}

/** `{a: {b: value}}` for the path [a, b] below a missing field. */
function nested(path: FieldPath, value: unknown): unknown {
  return path.reduceRight<unknown>((inner, segment) => ({ [String(segment)]: inner }), value);
}

/** 0-based column of an offset. */
function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf("\n", offset - 1) + 1);
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

/** The offset after the newline ending the line on which `end` (exclusive) falls. */
function afterLine(text: string, end: number): number {
  const nl = text.indexOf("\n", Math.max(end - 1, 0));
  return nl === -1 ? text.length : nl + 1;
}

/** Where a node's own content ends: block collections end with their last item, not the comments after it. */
function contentEnd(node: unknown): number {
  if (isMap(node) && !node.flow && node.items.length > 0) {
    const last = node.items.at(-1)!;
    return contentEnd(last.value ?? last.key);
  }
  if (isSeq(node) && !node.flow && node.items.length > 0) return contentEnd(node.items.at(-1));
  return (node as Node).range?.[1] ?? 0;
}

function startsLine(text: string, offset: number): boolean {
  return text.slice(lineStart(text, offset), offset).trim() === "";
}

function keyStart(pair: Pair): number {
  return (pair.key as Node).range![0];
}

function insertPair(
  text: string,
  map: YAMLMap,
  key: string,
  value: unknown,
  style: Style,
  comment?: string,
): string {
  if (map.flow) return insertFlowPair(text, map, key, value);
  const first = map.items[0];
  if (!first) throw new FixRefused("an empty block mapping");
  const column = columnOf(text, keyStart(first));
  const at = afterLine(text, contentEnd(map));
  const glue = at === text.length && !text.endsWith("\n") ? "\n" : "";
  return text.slice(0, at) + glue + blockPair(key, value, column, style, comment) + text.slice(at);
}

/** `key: value` as block YAML lines at `column`, after a comment line. */
function blockPair(key: string, value: unknown, column: number, style: Style, comment?: string): string {
  const pad = " ".repeat(column);
  const body = stringify(
    { [key]: value },
    { indent: style.indent, indentSeq: style.indentSeq, lineWidth: 0 },
  );
  const lines = body
    .trimEnd()
    .split("\n")
    .map((line) => pad + line);
  if (comment) lines.unshift(`${pad}# ${comment}`);
  return `${lines.join("\n")}\n`;
}

function insertFlowPair(text: string, map: YAMLMap, key: string, value: unknown): string {
  const last = map.items.at(-1);
  const json = isScalar(last?.key) && last.key.type === "QUOTE_DOUBLE";
  const pair = flowPair(key, value, json, text, map);
  if (!last) {
    const open = map.range![0] + 1;
    return text.slice(0, open) + pair + text.slice(open);
  }
  const end = contentEnd(last.value ?? last.key);
  const close = map.range![1] - 1;
  const multiline = text.slice(end, close).includes("\n");
  const glue = multiline ? `,\n${" ".repeat(columnOf(text, keyStart(last)))}` : ", ";
  return text.slice(0, end) + glue + pair + text.slice(end);
}

function flowPair(key: string, value: unknown, json: boolean, text: string, map: YAMLMap): string {
  if (json) return `${JSON.stringify(key)}: ${JSON.stringify(value)}`;
  const padded = text[map.range![0] + 1] === " ";
  const rendered = stringify(
    { [key]: value },
    { collectionStyle: "flow", flowCollectionPadding: padded, lineWidth: 0 },
  ).trim();
  return rendered.slice(1, -1).trim();
}

function replaceScalar(text: string, scalar: Scalar, value: unknown, comment?: string): string {
  if (scalar.value === value) return text;
  const [start, end] = scalar.range!;
  const rendered =
    scalar.type === "QUOTE_DOUBLE"
      ? JSON.stringify(value)
      : scalar.type === "QUOTE_SINGLE" && typeof value === "string"
        ? `'${value.replaceAll("'", "''")}'`
        : stringify(value, { lineWidth: 0 }).trimEnd();
  const lineEnd = afterLine(text, end);
  const restOfLine = text.slice(end, lineEnd).replace(/\r?\n$/, "");
  const note = comment && restOfLine.trim() === "" ? `  # ${comment}` : "";
  const keepNewline = /BLOCK/.test(scalar.type ?? "") && text[end - 1] === "\n" ? "\n" : "";
  return text.slice(0, start) + rendered + note + keepNewline + text.slice(end);
}

function replacePair(
  text: string,
  map: YAMLMap,
  pair: Pair,
  value: unknown,
  style: Style,
  comment?: string,
): string {
  const key = keyOf(pair)!;
  const start = keyStart(pair);
  if (map.flow) {
    const json = isScalar(pair.key) && pair.key.type === "QUOTE_DOUBLE";
    const end = contentEnd(pair.value ?? pair.key);
    return text.slice(0, start) + flowPair(key, value, json, text, map) + text.slice(end);
  }
  const column = columnOf(text, start);
  const end = afterLine(text, contentEnd(pair.value ?? pair.key));
  if (startsLine(text, start)) {
    const from = lineStart(text, start);
    return text.slice(0, from) + blockPair(key, value, column, style, comment) + text.slice(end);
  }
  // The first key of a sequence item (`- name: x`): the dash keeps its place, the comment is left out.
  const lines = blockPair(key, value, column, style).slice(column);
  return text.slice(0, start) + lines + text.slice(end);
}

function removePair(text: string, map: YAMLMap, pair: Pair): string {
  const i = map.items.indexOf(pair);
  const next = map.items[i + 1];
  const start = keyStart(pair);
  const end = contentEnd(pair.value ?? pair.key);
  if (map.flow) {
    if (next) return text.slice(0, start) + text.slice(keyStart(next));
    const previous = map.items[i - 1];
    if (!previous) return text.slice(0, start) + text.slice(end);
    return text.slice(0, contentEnd(previous.value ?? previous.key)) + text.slice(end);
  }
  if (startsLine(text, start))
    return text.slice(0, lineStart(text, start)) + text.slice(afterLine(text, end));
  if (!next) throw new FixRefused(`${keyOf(pair)} is the only field of its mapping`);
  return text.slice(0, start) + text.slice(keyStart(next));
}

/** The document's indentation unit and whether its block sequences are indented below their key. */
function styleOf(root: unknown, text: string): Style {
  const style: Partial<Style> = {};
  visit(root as Node, {
    Pair(_, pair) {
      if (!isScalar(pair.key) || !pair.key.range) return;
      const keyColumn = columnOf(text, pair.key.range[0]);
      const value = pair.value;
      if (style.indent === undefined && isMap(value) && !value.flow && value.items[0]?.key) {
        const childColumn = columnOf(text, keyStart(value.items[0]));
        if (childColumn > keyColumn && startsLine(text, keyStart(value.items[0])))
          style.indent = childColumn - keyColumn;
      }
      if (style.indentSeq === undefined && isSeq(value) && !value.flow && value.range)
        style.indentSeq = columnOf(text, value.range[0]) > keyColumn;
      if (style.indent !== undefined && style.indentSeq !== undefined) return visit.BREAK;
    },
  });
  return { indent: style.indent ?? 2, indentSeq: style.indentSeq ?? true };
}
