// The full YAML path: documents the fast reader leaves (anchors, tags, multi-line scalars…) and every
// syntax error go through the `yaml` package, guarded against hostile input: nesting is measured on
// the CST before composing (so a deep document cannot exhaust the stack), aliases are capped while
// converting (billion laughs), duplicate keys are errors. Every failure is an InputError at file:line:col.
import { createRequire } from "node:module";
import type { CST, Node as YamlNode } from "yaml";
import { InputError } from "../errors.ts";
import { MAX_DEPTH } from "./fast-yaml.ts";
import type { Position } from "./types.ts";

// The `yaml` package (some 60 modules) reads only what the fast reader hands over, so it is loaded on
// first use: a run over ordinary manifests never pays for it at start-up.
let loaded: typeof import("yaml") | undefined;
const yaml = () => (loaded ??= createRequire(import.meta.url)("yaml") as typeof import("yaml"));

/** Alias expansions allowed per document; more is a resource-exhaustion attack, not a manifest. */
export const MAX_ALIAS_COUNT = 100;

export interface LocatedDocument {
  /** null for an empty document. */
  value: unknown;
  position: Position;
  positionOf(path: ReadonlyArray<string | number>): Position;
}

/**
 * Parses `text` (a whole file, or a slice of one starting at a line start) into its documents.
 * `lineOffset` is added to every line number so places name the line in the original file.
 */
export function parseFullYaml(text: string, file: string, lineOffset = 0): LocatedDocument[] {
  const lines = new (yaml().LineCounter)();
  const at = (offset: number): Position => {
    const { line, col } = lines.linePos(offset);
    return { line: line + lineOffset, col };
  };
  const tooDeep = (offset: number) =>
    new InputError(`nesting deeper than ${MAX_DEPTH} levels`, { file, ...at(offset) });
  // The `yaml` lexer slows down quadratically on deep multi-line flow nesting: measure that first.
  const deepFlow = firstDeepBracket(text);
  if (deepFlow !== undefined) {
    lines.addNewLine(0);
    for (let nl = text.indexOf("\n"); nl !== -1 && nl < deepFlow; nl = text.indexOf("\n", nl + 1)) {
      lines.addNewLine(nl + 1);
    }
    throw tooDeep(deepFlow);
  }
  const tokens = Array.from(new (yaml().Parser)(lines.addNewLine).parse(text));
  for (const token of tokens) {
    const deep = firstTooDeep(token);
    if (deep !== undefined) throw tooDeep(deep);
  }
  // Duplicate keys are found below in one pass: `yaml`'s own check compares keys pairwise, so one
  // 100,000-key map took minutes.
  const composer = new (yaml().Composer)({ uniqueKeys: false, merge: true, prettyErrors: false });
  const documents: LocatedDocument[] = [];
  for (const doc of composer.compose(tokens)) {
    const error = doc.errors[0];
    if (error) throw new InputError(firstLine(error.message), { file, ...at(error.pos[0]) });
    const root = doc.contents as YamlNode | null;
    const duplicate = firstDuplicateKey(root);
    if (duplicate !== undefined) throw new InputError("Map keys must be unique", { file, ...at(duplicate) });
    const position = at(root?.range?.[0] ?? doc.range[0]);
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (cause) {
      // yaml says what is wrong (an unresolved alias, a merge of a scalar…); only its alias-count
      // guard is the bomb.
      const message = cause instanceof Error ? cause.message : String(cause);
      throw new InputError(
        /excessive alias count/i.test(message)
          ? `more than ${MAX_ALIAS_COUNT} alias expansions (a YAML bomb?)`
          : firstLine(message),
        { file, ...position },
      );
    }
    // An alias inside the node it names makes a value that contains itself: no JSON, no object.
    if (containsItself(value))
      throw new InputError("a recursive alias: the value contains itself", { file, ...position });
    documents.push({ value, position, positionOf: (path) => nodePosition(root, path, position, at) });
  }
  return documents;
}

function firstLine(message: string): string {
  const nl = message.indexOf("\n");
  return (nl === -1 ? message : message.slice(0, nl)).replace(/:$/, "");
}

/**
 * Offset of the first '[' or '{' opened deeper than MAX_DEPTH, found by a line scanner that knows where
 * a token starts: a bracket or quote inside a plain scalar (`x[[`, `it's`) or a block scalar's lines
 * is text, not structure. An over-estimate all the same (no real manifest comes near the limit).
 */
function firstDeepBracket(text: string): number | undefined {
  let depth = 0;
  let blockIndent = -1; // indent of a block scalar's header line while its content lines are skipped
  for (let ls = 0; ls < text.length; ) {
    const nl = text.indexOf("\n", ls);
    const le = nl === -1 ? text.length : nl;
    let i = ls;
    while (i < le && text.charCodeAt(i) === 32) i++;
    const indent = i - ls;
    if (blockIndent !== -1 && (i === le || indent > blockIndent)) {
      ls = le + 1;
      continue;
    }
    blockIndent = -1;
    let tokenStart = true;
    let lastToken = -1; // offset of the last character that was not blank or a comment
    for (; i < le; i++) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9) continue;
      if (c === 35 && (i === ls || text.charCodeAt(i - 1) <= 32)) break; // a comment
      lastToken = i;
      const next = i + 1 < le ? text.charCodeAt(i + 1) : 32;
      if (c === 91 || c === 123) {
        if (depth > 0 || tokenStart) {
          if (++depth > MAX_DEPTH) return i;
          tokenStart = true;
          continue;
        }
      } else if ((c === 93 || c === 125) && depth > 0) {
        depth--;
      } else if (c === 44 && depth > 0) {
        tokenStart = true;
        continue;
      } else if ((c === 34 || c === 39) && tokenStart) {
        const close = closingQuote(text, i);
        if (close === -1) return undefined;
        i = close;
        tokenStart = false;
        continue;
      } else if ((c === 58 || ((c === 45 || c === 63) && tokenStart)) && (next === 32 || next === 9)) {
        tokenStart = true; // after "key: ", "- " or "? " a new node starts
        continue;
      }
      // Anything else is inside a plain scalar, which runs until a ": ", " #" or flow indicator.
      tokenStart = false;
    }
    // "key: |" or "- >-" ending the line: the lines below it, more indented, are the scalar's text.
    if (depth === 0 && lastToken !== -1) {
      const header = text.slice(ls, lastToken + 1).match(/(?:^|[\s:-])[|>][-+0-9]*$/);
      if (header) blockIndent = indent;
    }
    ls = le + 1;
  }
  return undefined;
}

/** Offset of the quote closing the one at `open` ('' and \" escapes included), or -1. */
function closingQuote(text: string, open: number): number {
  const quote = text.charCodeAt(open);
  for (let i = open + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote === 34 && c === 92) i++;
    else if (c === quote) {
      if (quote === 39 && text.charCodeAt(i + 1) === 39) i++;
      else return i;
    }
  }
  return -1;
}

/** Offset of the first CST node nested deeper than MAX_DEPTH, walked without recursion. */
function firstTooDeep(root: CST.Token): number | undefined {
  const stack: Array<[CST.Token, number]> = [[root, 0]];
  while (stack.length > 0) {
    const [token, depth] = stack.pop()!;
    if (depth > MAX_DEPTH) return token.offset;
    const push = (child: CST.Token | null | undefined): void => {
      if (child) stack.push([child, depth + 1]);
    };
    switch (token.type) {
      case "document":
        if (token.value) stack.push([token.value, depth]);
        break;
      case "block-map":
      case "block-seq":
      case "flow-collection":
        for (const item of token.items) {
          push(item.key);
          push(item.value);
        }
        break;
    }
  }
  return undefined;
}

/** Whether a composed value is circular (an object among its own descendants). */
function containsItself(value: unknown, ancestors = new Set<object>()): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (ancestors.has(value)) return true;
  ancestors.add(value);
  for (const child of Object.values(value)) if (containsItself(child, ancestors)) return true;
  ancestors.delete(value);
  return false;
}

/** Offset of the first key that repeats an earlier key of its map (scalar keys, compared by value as
 * `yaml` does), walked without recursion; merge keys (`<<`) may repeat. */
function firstDuplicateKey(root: YamlNode | null): number | undefined {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (yaml().isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        const key = pair.key;
        if (yaml().isScalar(key) && key.value !== "<<") {
          if (seen.has(key.value)) return key.range?.[0] ?? 0;
          seen.add(key.value);
        }
        stack.push(pair.value);
      }
    } else if (yaml().isSeq(node)) {
      for (const item of node.items) stack.push(item);
    }
  }
  return undefined;
}

/** Where the node at `path` starts, walking the composed document; nearest existing ancestor otherwise. */
function nodePosition(
  root: YamlNode | null,
  path: ReadonlyArray<string | number>,
  fallback: Position,
  at: (offset: number) => Position,
): Position {
  let node: unknown = root;
  let position = fallback;
  for (const segment of path) {
    let next: YamlNode | undefined;
    let start: number | undefined;
    if (yaml().isMap(node)) {
      const pair = node.items.find((p) => yaml().isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      start = (pair.key as YamlNode).range?.[0];
      next = pair.value as YamlNode | undefined;
    } else if (yaml().isSeq(node) && typeof segment === "number") {
      next = node.items[segment] as YamlNode | undefined;
      start = next?.range?.[0];
    } else {
      break;
    }
    if (start === undefined) break;
    position = at(start);
    node = next;
  }
  return position;
}
