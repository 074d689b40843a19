// A fast reader for the plain block YAML that manifests are written in (block maps and sequences,
// one-line plain/quoted scalars and flow collections, literal and folded block scalars, comments).
// The `yaml` package reads ~1 MB/s; this reads the same documents an order of magnitude faster and
// records where every key and item starts. Anything outside that subset — anchors, aliases, tags,
// multi-line plain or quoted scalars, complex keys, duplicate keys, odd indentation — throws
// NOT_FAST, and the caller re-reads that one document with the full `yaml` parser, which also owns
// every syntax error message. Its results equal the `yaml` package's (YAML 1.2 core schema); a
// differential property test holds it to that.
import { InputError } from "../errors.ts";
import type { Position } from "./types.ts";

/** Thrown when a document leaves the subset; never escapes the manifest reader. */
export const NOT_FAST: unique symbol = Symbol("not-fast");

/** Documents nesting deeper than this are refused: no Kubernetes object comes near, a hostile one does. */
export const MAX_DEPTH = 90;

/** Line and column of each map key / sequence item, packed into one number (see pack). */
export type Locations = Record<string, number> | number[];

const COL_BITS = 2 ** 21;
export function pack(line: number, col: number): number {
  return line * COL_BITS + Math.min(col, COL_BITS - 1);
}
export function unpack(packed: number): Position {
  return { line: Math.floor(packed / COL_BITS), col: packed % COL_BITS };
}

export interface FastDocument {
  /** null for an empty document (only comments / blank lines). */
  value: unknown;
  /** Where the document's root node starts. */
  position: Position;
}

const SPACE = 32;
const TAB = 9;
const HASH = 35;
const DASH = 45;
const COLON = 58;
const DQUOTE = 34;
const SQUOTE = 39;
const CR = 13;

// Characters that cannot start a plain scalar in block context (or that start something we leave to `yaml`).
const BLOCK_INDICATOR = new Uint8Array(128);
for (const c of "[]{},#&*!|>'\"%@`?:-") BLOCK_INDICATOR[c.charCodeAt(0)] = 1;
const isIndicator = (c: number): boolean => c < 128 && BLOCK_INDICATOR[c] === 1;

function notFast(): never {
  throw NOT_FAST;
}

/** Resolves a plain scalar by the YAML 1.2 core schema, exactly as the `yaml` package does. */
export function resolvePlain(text: string): unknown {
  const c = text.charCodeAt(0);
  // Numbers start with a digit, a sign or a dot; null and booleans are a few exact words; the rest is text.
  if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46) return resolveNumber(text);
  if (c === 110 || c === 78 || c === 116 || c === 84 || c === 102 || c === 70 || c === 126 || text === "") {
    if (text === "" || text === "~" || text === "null" || text === "Null" || text === "NULL") return null;
    if (text === "true" || text === "True" || text === "TRUE") return true;
    if (text === "false" || text === "False" || text === "FALSE") return false;
  }
  return text;
}

function resolveNumber(text: string): unknown {
  if (/^[-+]?[0-9]+$/.test(text)) return Number.parseInt(text, 10);
  if (/^0o[0-7]+$/.test(text)) return Number.parseInt(text.substring(2), 8);
  if (/^0x[0-9a-fA-F]+$/.test(text)) return Number.parseInt(text.substring(2), 16);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(text))
    return Number.parseFloat(text);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(text)) {
    if (text.endsWith("nan") || text.endsWith("NaN") || text.endsWith("NAN")) return Number.NaN;
    return text[0] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  return text;
}

/**
 * Parses one document: the text of `src` between offsets `start` and `end` (exclusive), which holds
 * no document markers except possibly a bare `---` on its first line. `line` is the 1-based line
 * number of `start`. With `locations`, records where every key and item is (a second, slower pass that
 * callers make only for documents they need positions in).
 */
export function parseFastDocument(
  src: string,
  start: number,
  end: number,
  line: number,
  file: string,
  locations?: Map<object, Locations>,
): FastDocument {
  const parser = new FastParser(src, end, file, locations);
  parser.begin(start, line);
  if (parser.eof) return { value: null, position: { line, col: 1 } };
  const position = { line: parser.line, col: parser.ind + 1 };
  const value = parser.blockNode(1);
  if (!parser.eof) notFast();
  return { value, position };
}

class FastParser {
  readonly src: string;
  readonly end: number;
  readonly file: string;
  readonly locations: Map<object, Locations> | undefined;
  eof = false;
  /** 1-based number of the current line. */
  line = 0;
  /** Offset where the current line starts. */
  ls = 0;
  /** Offset of the current content (first non-space; moved right for compact `- key: v` entries). */
  cs = 0;
  /** Column (0-based) of cs. */
  ind = 0;
  /** Offset where the current line's content ends (before \r\n or \n). */
  le = 0;
  /** Offset of the \n ending the current line (or end). */
  nl = 0;

  constructor(src: string, end: number, file: string, locations: Map<object, Locations> | undefined) {
    this.src = src;
    this.end = end;
    this.file = file;
    this.locations = locations;
  }

  begin(start: number, line: number): void {
    this.load(start, line);
    // A leading bare "---" marker line.
    const s = this.src;
    if (
      !this.eof &&
      this.ind === 0 &&
      s.startsWith("---", this.cs) &&
      (this.cs + 3 === this.le || s.charCodeAt(this.cs + 3) === SPACE || s.charCodeAt(this.cs + 3) === TAB)
    ) {
      const rest = this.skipSpaces(this.cs + 3);
      if (rest !== this.le && s.charCodeAt(rest) !== HASH) notFast();
      this.advance();
    }
    this.skipBlank();
  }

  private load(p: number, line: number): void {
    if (p >= this.end) {
      this.eof = true;
      return;
    }
    const s = this.src;
    this.line = line;
    this.ls = p;
    let nl = s.indexOf("\n", p);
    if (nl === -1 || nl > this.end) nl = this.end;
    this.nl = nl;
    this.le = nl > p && s.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
    let i = p;
    while (i < this.le && s.charCodeAt(i) === SPACE) i++;
    this.cs = i;
    this.ind = i - p;
  }

  advance(): void {
    this.load(this.nl + 1, this.line + 1);
  }

  /** Moves to the next line holding content (not blank, not only a comment). */
  skipBlank(): void {
    const s = this.src;
    while (!this.eof) {
      if (this.cs === this.le) {
        this.advance();
        continue;
      }
      const c = s.charCodeAt(this.cs);
      if (c === HASH) {
        this.advance();
        continue;
      }
      // A tab where indentation goes: `yaml` decides whether that is a blank line or an error.
      if (c === TAB) notFast();
      return;
    }
  }

  private skipSpaces(i: number): number {
    const s = this.src;
    while (i < this.le) {
      const c = s.charCodeAt(i);
      if (c !== SPACE && c !== TAB) break;
      i++;
    }
    return i;
  }

  /** True when only blanks or a comment follow offset i on the current line. */
  private restIsBlank(i: number): boolean {
    const j = this.skipSpaces(i);
    return j === this.le || (this.src.charCodeAt(j) === HASH && j > i);
  }

  private tooDeep(depth: number, col: number): void {
    if (depth > MAX_DEPTH) {
      throw new InputError(`nesting deeper than ${MAX_DEPTH} levels`, {
        file: this.file,
        line: this.line,
        col,
      });
    }
  }

  private isSeqItem(i: number): boolean {
    if (this.src.charCodeAt(i) !== DASH) return false;
    const n = i + 1;
    if (n === this.le) return true;
    const c = this.src.charCodeAt(n);
    return c === SPACE || c === TAB;
  }

  /** The node starting at the current content: a block map or sequence (or, for a document, one flow collection). */
  blockNode(depth: number): unknown {
    this.tooDeep(depth, this.ind + 1);
    if (this.isSeqItem(this.cs)) return this.seq(depth);
    if (this.mapColon(this.cs) !== -1) return this.map(depth);
    const c = this.src.charCodeAt(this.cs);
    if (depth === 1 && (c === 91 || c === 123)) {
      // A document that is one flow collection: JSON, or YAML written like it.
      const flow = new FlowReader(this, this.src, this.cs, -1, depth);
      const value = flow.node();
      if (!this.restIsBlank(flow.i)) notFast();
      this.advance();
      this.skipBlank();
      return value;
    }
    // A scalar, or a flow collection standing for a nested block node: leave it to `yaml`.
    return notFast();
  }

  /** Offset of a comment ('#' after a blank) between from and to on this line, or to. */
  private commentStart(from: number, to: number): number {
    const s = this.src;
    for (let j = from + 1; j < to; j++) {
      if (s.charCodeAt(j) === HASH) {
        const b = s.charCodeAt(j - 1);
        if (b === SPACE || b === TAB) return j - 1;
      }
    }
    return to;
  }

  /**
   * If a block map entry starts at offset i on the current line, the offset of its ':' indicator; else -1.
   */
  private mapColon(i: number): number {
    const s = this.src;
    const c = s.charCodeAt(i);
    if (c === DQUOTE || c === SQUOTE) {
      const close = this.closingQuote(i);
      if (close === -1) return -1;
      const colon = this.skipSpaces(close + 1);
      if (colon < this.le && s.charCodeAt(colon) === COLON) {
        const n = colon + 1;
        if (n === this.le || s.charCodeAt(n) === SPACE || s.charCodeAt(n) === TAB) return colon;
      }
      return -1;
    }
    if (c === 91 || c === 123) return -1; // [ {
    // A comment before the colon means this is no key.
    const to = this.commentStart(i, this.le);
    for (let colon = i; colon < to; colon++) {
      if (s.charCodeAt(colon) !== COLON) continue;
      const n = colon + 1;
      if (n === this.le || s.charCodeAt(n) === SPACE || s.charCodeAt(n) === TAB) return colon;
    }
    return -1;
  }

  /** Offset of the quote closing the quoted scalar opened at i, on this line; -1 if it does not close. */
  private closingQuote(i: number): number {
    const s = this.src;
    const q = s.charCodeAt(i);
    let j = i + 1;
    while (j < this.le) {
      const c = s.charCodeAt(j);
      if (q === DQUOTE && c === 92) {
        j += 2;
        continue;
      }
      if (c === q) {
        if (q === SQUOTE && s.charCodeAt(j + 1) === SQUOTE) {
          j += 2;
          continue;
        }
        return j;
      }
      j++;
    }
    return -1;
  }

  private quoted(i: number, close: number): string {
    const s = this.src;
    const body = s.slice(i + 1, close);
    if (s.charCodeAt(i) === SQUOTE) return body.includes("''") ? body.replaceAll("''", "'") : body;
    if (!body.includes("\\")) return body;
    try {
      // JSON's escapes are a subset of YAML's; anything else (\x, \e, tabs…) goes to `yaml`.
      return JSON.parse(`"${body}"`) as string;
    } catch {
      return notFast();
    }
  }

  private map(depth: number): Record<string, unknown> {
    const s = this.src;
    const ind = this.ind;
    const obj: Record<string, unknown> = {};
    const locs: Record<string, number> | undefined = this.locations ? {} : undefined;
    if (locs) this.locations!.set(obj, locs);
    for (;;) {
      const colon = this.mapColon(this.cs);
      if (colon === -1) notFast();
      const c = s.charCodeAt(this.cs);
      let key: string;
      if (c === DQUOTE || c === SQUOTE) {
        key = this.quoted(this.cs, this.closingQuote(this.cs));
      } else {
        if (isIndicator(c)) notFast();
        // "---x" / "...x" at column 0: `yaml` reads a marker there; leave the argument to it.
        if (this.ind === 0 && (s.startsWith("...", this.cs) || s.startsWith("---", this.cs))) notFast();
        let e = colon;
        while (e > this.cs && (s.charCodeAt(e - 1) === SPACE || s.charCodeAt(e - 1) === TAB)) e--;
        key = s.slice(this.cs, e);
        if (typeof resolvePlain(key) !== "string") notFast();
      }
      // Duplicates are errors, "<<" merges and "__proto__" is special: all three are `yaml`'s business.
      if (key === "__proto__" || key === "<<" || Object.hasOwn(obj, key)) notFast();
      if (locs) locs[key] = pack(this.line, ind + 1);
      obj[key] = this.value(colon + 1, ind, depth, true);
      if (this.eof || this.ind < ind) return obj;
      if (this.ind > ind || this.isSeqItem(this.cs)) notFast();
    }
  }

  private seq(depth: number): unknown[] {
    const s = this.src;
    const ind = this.ind;
    const arr: unknown[] = [];
    const locs: number[] | undefined = this.locations ? [] : undefined;
    for (;;) {
      const v = this.skipSpaces(this.cs + 1);
      if (s.charCodeAt(v) === TAB || (v > this.cs + 1 && s.charCodeAt(v - 1) === TAB)) notFast();
      if (locs) locs.push(pack(this.line, (v === this.le ? this.cs : v) - this.ls + 1));
      if (v !== this.le && (this.isSeqItem(v) || this.mapColon(v) !== -1)) {
        // A compact nested entry on the item's own line: "- name: x" or "- - a".
        this.cs = v;
        this.ind = v - this.ls;
        arr.push(this.blockNode(depth + 1));
      } else {
        arr.push(this.value(v, ind, depth, false));
      }
      if (this.eof || this.ind < ind) return sequence(arr, locs, this.locations);
      if (this.ind > ind) notFast();
      if (!this.isSeqItem(this.cs)) {
        // A sequence may sit at its parent key's indent ("containers:\n- name: x"); a key ends it.
        return sequence(arr, locs, this.locations);
      }
    }
  }

  /**
   * The value after a map's ':' or a sequence's '-' at offset i; parentInd is the map's or sequence's
   * indent. Leaves the cursor on the next content line.
   */
  private value(i: number, parentInd: number, depth: number, inMap: boolean): unknown {
    const s = this.src;
    const v = this.skipSpaces(i);
    if (v === this.le || (s.charCodeAt(v) === HASH && v > i)) {
      this.advance();
      this.skipBlank();
      if (this.eof) return null;
      if (this.ind > parentInd) return this.blockNode(depth + 1);
      if (inMap && this.ind === parentInd && this.isSeqItem(this.cs)) return this.seq(depth + 1);
      return null;
    }
    const c = s.charCodeAt(v);
    let result: unknown;
    if (c === DQUOTE || c === SQUOTE) {
      const close = this.closingQuote(v);
      if (close === -1 || !this.restIsBlank(close + 1)) notFast();
      result = interned(s, this.quoted(v, close));
    } else if (c === 91 || c === 123) {
      const flow = new FlowReader(this, s, v, parentInd, depth + 1);
      result = flow.node();
      if (!this.restIsBlank(flow.i)) notFast();
    } else if (c === 124 || c === 62) {
      return this.blockScalar(v, parentInd);
    } else {
      if (isIndicator(c) && !(c === DASH && !this.isSeqItem(v))) notFast();
      const comment = this.commentStart(v, this.le);
      const commented = comment !== this.le;
      const text = this.plainLine(v, comment);
      this.advance();
      // Long strings that Go's YAML emitters (helm, kubectl) wrap: a plain scalar over several lines.
      result = interned(s, resolvePlain(commented ? text : this.plainContinuation(text, parentInd)));
      this.skipBlank();
      if (!this.eof && this.ind > parentInd) notFast();
      return result;
    }
    this.advance();
    this.skipBlank();
    // A more-indented line after a scalar continues it (multi-line scalar): leave that to `yaml`.
    if (!this.eof && this.ind > parentInd) notFast();
    return result;
  }

  /** The text of one line of a plain scalar, from v to the comment (or line end), trimmed. */
  private plainLine(v: number, end: number): string {
    const s = this.src;
    while (end > v && (s.charCodeAt(end - 1) === SPACE || s.charCodeAt(end - 1) === TAB)) end--;
    const text = s.slice(v, end);
    if (text.includes(": ") || text.includes(":\t") || text.endsWith(":")) notFast();
    return text;
  }

  /**
   * Folds the lines that continue a plain scalar (indented deeper than parentInd) into `first`: one line
   * break becomes a space, n blank lines become n newlines. The cursor ends on the next line after it.
   */
  private plainContinuation(first: string, parentInd: number): string {
    const s = this.src;
    let text = first;
    let blanks = 0;
    while (!this.eof) {
      if (this.cs === this.le) {
        blanks++;
        this.advance();
        continue;
      }
      if (this.ind <= parentInd) break;
      const c = s.charCodeAt(this.cs);
      // Comments, tabs and indicators at a continuation's start: leave the fine print to `yaml`.
      if (c === HASH || c === TAB || isIndicator(c)) notFast();
      const comment = this.commentStart(this.cs, this.le);
      if (comment !== this.le) notFast();
      const part = this.plainLine(this.cs, comment);
      text += blanks === 0 ? ` ${part}` : "\n".repeat(blanks) + part;
      blanks = 0;
      this.advance();
    }
    return text;
  }

  /** A literal (|) or folded (>) block scalar whose header is at offset h. */
  private blockScalar(h: number, parentInd: number): string {
    const s = this.src;
    const folded = s.charCodeAt(h) === 62;
    let chomp = "clip";
    let i = h + 1;
    const m = s.charCodeAt(i);
    if (m === DASH || m === 43) {
      chomp = m === DASH ? "strip" : "keep";
      i++;
    }
    if (!this.restIsBlank(i) || (i < this.le && s.charCodeAt(i) !== SPACE && s.charCodeAt(i) !== TAB))
      notFast();
    const lines: string[] = [];
    let contentInd = -1;
    let maxLeadingBlank = 0;
    this.advance();
    while (!this.eof) {
      const blank = this.cs === this.le;
      if (blank) {
        // A folded scalar's spaced blank line is content that folds differently: leave it to `yaml`.
        if (folded && this.ind > (contentInd === -1 ? 0 : contentInd)) notFast();
        if (contentInd === -1) maxLeadingBlank = Math.max(maxLeadingBlank, this.ind);
        lines.push(contentInd !== -1 && this.ind > contentInd ? s.slice(this.ls + contentInd, this.le) : "");
        this.advance();
        continue;
      }
      if (s.charCodeAt(this.cs) === TAB) notFast();
      if (contentInd === -1) {
        if (this.ind <= parentInd || maxLeadingBlank > this.ind) break;
        contentInd = this.ind;
      } else if (this.ind < contentInd) {
        break;
      }
      const line = s.slice(this.ls + contentInd, this.le);
      if (folded && this.ind > contentInd) notFast();
      if (line.includes("\t") && folded) notFast();
      lines.push(line);
      this.advance();
    }
    if (contentInd === -1) notFast();
    // Trailing blank lines belong to the chomping, not the content.
    let last = lines.length;
    while (last > 0 && lines[last - 1] === "") last--;
    const trailing = lines.length - last;
    const content = lines.slice(0, last);
    let text: string;
    if (!folded) {
      text = content.join("\n");
    } else {
      text = "";
      let blanks = 0;
      let started = false;
      for (const line of content) {
        if (line === "") {
          blanks++;
          continue;
        }
        if (!started) text += "\n".repeat(blanks) + line;
        else text += blanks === 0 ? ` ${line}` : "\n".repeat(blanks) + line;
        started = true;
        blanks = 0;
      }
    }
    if (chomp === "clip") text += "\n";
    else if (chomp === "keep") text += "\n".repeat(trailing + 1);
    this.skipBlank();
    if (!this.eof && this.ind > parentInd) notFast();
    return text;
  }

  /** Exposed to the flow reader. */
  flowQuoted(i: number, close: number): string {
    return interned(this.src, this.quoted(i, close));
  }
  flowClose(i: number): number {
    return this.closingQuote(i);
  }
  flowDeep(depth: number, col: number): void {
    this.tooDeep(depth, col);
  }
}

/** A flow collection that opens and closes on one line: `["sh", "-c"]`, `{cpu: 100m}`, `[]`. */
class FlowReader {
  readonly p: FastParser;
  readonly s: string;
  /** Indent of the block holding the collection: its continuation lines must be indented further. */
  readonly parentInd: number;
  readonly depth: number;
  i: number;

  constructor(p: FastParser, s: string, i: number, parentInd: number, depth: number) {
    this.p = p;
    this.s = s;
    this.i = i;
    this.parentInd = parentInd;
    this.depth = depth;
  }

  /** End of the current line's content (the collection may continue on the following lines). */
  private get le(): number {
    return this.p.le;
  }

  /** Skips blanks and comments, across lines (JSON, multi-line flow YAML). */
  private ws(): void {
    const s = this.s;
    for (;;) {
      while (this.i < this.le) {
        const c = s.charCodeAt(this.i);
        if (c !== SPACE && c !== TAB) break;
        this.i++;
      }
      if (this.i < this.le) {
        const before = s.charCodeAt(this.i - 1);
        const comment =
          s.charCodeAt(this.i) === HASH && (this.i === this.p.ls || before === SPACE || before === TAB);
        if (!comment) return;
      }
      this.p.advance();
      if (this.p.eof) notFast();
      if (this.p.cs < this.p.le && (this.p.ind <= this.parentInd || s.charCodeAt(this.p.cs) === TAB))
        notFast();
      this.i = this.p.cs;
    }
  }

  node(depth = this.depth): unknown {
    const s = this.s;
    const c = s.charCodeAt(this.i);
    if (c === 91 || c === 123) {
      this.p.flowDeep(depth, this.i - this.p.ls + 1);
      const isMap = c === 123;
      const close = isMap ? 125 : 93;
      const obj: Record<string, unknown> = isMap ? {} : (undefined as never);
      const arr: unknown[] = isMap ? (undefined as never) : [];
      const locations = this.p.locations;
      const locs: number[] | Record<string, number> | undefined = locations ? (isMap ? {} : []) : undefined;
      if (locs && isMap) locations!.set(obj, locs);
      this.i++;
      this.ws();
      while (s.charCodeAt(this.i) !== close) {
        const at = pack(this.p.line, this.i - this.p.ls + 1);
        if (isMap) {
          const key = this.scalar(true);
          if (typeof key !== "string" || key === "__proto__" || key === "<<" || Object.hasOwn(obj, key))
            notFast();
          this.ws();
          if (s.charCodeAt(this.i) !== COLON) notFast();
          this.i++;
          this.ws();
          if (locs) (locs as Record<string, number>)[key] = at;
          obj[key] = this.node(depth + 1);
        } else {
          if (locs) (locs as number[]).push(at);
          arr.push(this.node(depth + 1));
        }
        this.ws();
        const d = s.charCodeAt(this.i);
        if (d === 44) {
          this.i++;
          this.ws();
        } else if (d !== close) {
          notFast();
        }
      }
      this.i++;
      return isMap ? obj : sequence(arr, locs as number[] | undefined, locations);
    }
    return this.scalar(false);
  }

  /** A quoted or plain scalar inside a flow collection. */
  private scalar(isKey: boolean): unknown {
    const s = this.s;
    const c = s.charCodeAt(this.i);
    if (c === DQUOTE || c === SQUOTE) {
      const close = this.p.flowClose(this.i);
      if (close === -1) notFast();
      const text = this.p.flowQuoted(this.i, close);
      this.i = close + 1;
      return text;
    }
    // `-` starts a plain scalar only when a safe character follows (`-1`, `-x`); `[-]` is a syntax error.
    if (isIndicator(c) && !(c === DASH && this.i + 1 < this.le && isFlowSafe(s.charCodeAt(this.i + 1)))) {
      notFast();
    }
    const start = this.i;
    while (this.i < this.le) {
      const d = s.charCodeAt(this.i);
      if (d === 44 || d === 93 || d === 125 || d === 91 || d === 123) break;
      if (d === COLON) {
        const n = s.charCodeAt(this.i + 1);
        if (n === SPACE || n === 44 || n === 93 || n === 125) break;
        if (isKey) notFast();
      }
      if (d === HASH && (s.charCodeAt(this.i - 1) === SPACE || s.charCodeAt(this.i - 1) === TAB)) notFast();
      this.i++;
    }
    let e = this.i;
    while (e > start && (s.charCodeAt(e - 1) === SPACE || s.charCodeAt(e - 1) === TAB)) e--;
    if (e === start) notFast();
    return interned(s, resolvePlain(s.slice(start, e)));
  }
}

/**
 * The short string values of one text, each held once: a large input repeats its kinds, API versions,
 * namespaces and names (in labels and selectors) hundreds of thousands of times, a copy each as read.
 * The table belongs to the last text read and goes with the next.
 */
let strings: { text: string; values: Map<string, string> } | undefined;
const INTERNED_LENGTH = 64;

function interned<T>(text: string, value: T): T {
  if (typeof value !== "string" || value.length > INTERNED_LENGTH) return value;
  if (strings?.text !== text) strings = { text, values: new Map() };
  const known = strings.values.get(value);
  if (known !== undefined) return known as T;
  strings.values.set(value, value);
  return value;
}

/**
 * The items of a sequence in an array of their own length (with their locations when recorded): an array
 * grown by push keeps room for 17 items, and a manifest's sequences mostly hold one or two; kept for every
 * object of the input, that room was a fifth of the parsed objects' memory.
 */
function sequence(
  items: unknown[],
  locs: number[] | undefined,
  locations: Map<object, Locations> | undefined,
) {
  const arr = items.slice();
  if (locs) locations!.set(arr, locs);
  return arr;
}

/** A character that may follow a leading `-` of a plain scalar in a flow collection. */
function isFlowSafe(c: number): boolean {
  return c !== SPACE && c !== TAB && c !== 44 && c !== 91 && c !== 93 && c !== 123 && c !== 125;
}

/** Offset of the next document marker line (`---` or `...` at column 0) at or after `from`, or -1. */
export function nextDocumentMarker(src: string, from: number): number {
  DOC_MARKER.lastIndex = from;
  const m = DOC_MARKER.exec(src);
  return m ? m.index : -1;
}
const DOC_MARKER = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/gm;
