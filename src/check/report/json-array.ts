// One array member of a JSON object, written item by item with JSON.stringify(…, null, 2)'s layout, so a
// report of any size streams out instead of being built as one string.

export interface JsonArrayWriter {
  /** The text for the next item (preceded by the key and "[" before the first). */
  item(value: unknown): string;
  /** The closing "]" (or the whole `"key": []` when nothing was written), without a trailing comma. */
  end(): string;
}

/** `key` at nesting `depth` (1 = a member of the top-level object). */
export function jsonArray(key: string, depth: number): JsonArrayWriter {
  const outer = "  ".repeat(depth);
  const inner = `${outer}  `;
  let count = 0;
  const itemText = (json: string) =>
    `${count++ === 0 ? `${outer}${JSON.stringify(key)}: [\n` : ",\n"}${inner}${json.replaceAll("\n", `\n${inner}`)}`;
  return {
    item: (value) => itemText(JSON.stringify(value, null, 2)),
    end: () => (count === 0 ? `${outer}${JSON.stringify(key)}: []` : `\n${outer}]`),
  };
}
