// A unified diff of two texts (what `diff -u` prints), for `shipshape diff` and `check --fix --dry-run`.
// The lines both texts share at the start and end are set aside first; what is left (an object, or the
// fixed span of one document) is small, so a longest-common-subsequence table is fast enough and easy
// to trust.

type Op = { kind: " " | "-" | "+"; line: string; a: number; b: number };

function operations(a: readonly string[], b: readonly string[]): Op[] {
  // lcs[i][j] = length of the LCS of a[i..] and b[j..]
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) ops.push({ kind: " ", line: a[i++]!, a: i, b: ++j });
    // Deletions before additions, as diff -u prints a replaced line.
    else if (i < a.length && (j === b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!))
      ops.push({ kind: "-", line: a[i++]!, a: i, b: j });
    else ops.push({ kind: "+", line: b[j++]!, a: i, b: j });
  }
  return ops;
}

function splitLines(text: string): string[] {
  if (text === "") return [];
  return text.endsWith("\n") ? text.slice(0, -1).split("\n") : text.split("\n");
}

/** `diff -u` output with `context` lines around each change; "" when the texts are equal. */
export function unifiedDiff(
  before: string,
  after: string,
  labels: { from: string; to: string },
  context = 3,
): string {
  const hunks = diffHunks(before, after, context);
  if (hunks.length === 0) return "";
  return `${[`--- ${labels.from}`, `+++ ${labels.to}`, ...hunks].join("\n")}\n`;
}

/** The hunks of a unified diff (their lines), numbered from the lines the two texts start at in their files. */
export function diffHunks(
  before: string,
  after: string,
  context = 3,
  firstLines = { before: 1, after: 1 },
): string[] {
  const a = splitLines(before);
  const b = splitLines(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail++;
  const keepHead = Math.max(0, head - context);
  const keepTail = Math.max(0, tail - context);
  const ops = operations(a.slice(keepHead, a.length - keepTail), b.slice(keepHead, b.length - keepTail));
  const shiftA = firstLines.before - 1 + keepHead;
  const shiftB = firstLines.after - 1 + keepHead;
  const changed = ops.map((op, index) => (op.kind === " " ? -1 : index)).filter((index) => index >= 0);
  // Group changes whose context windows touch into hunks.
  const hunks: Array<[number, number]> = [];
  for (const index of changed) {
    const start = Math.max(0, index - context);
    const end = Math.min(ops.length - 1, index + context);
    const last = hunks[hunks.length - 1];
    if (last && start <= last[1] + 1) last[1] = end;
    else hunks.push([start, end]);
  }
  const out: string[] = [];
  for (const [start, end] of hunks) {
    const slice = ops.slice(start, end + 1);
    const aCount = slice.filter((op) => op.kind !== "+").length;
    const bCount = slice.filter((op) => op.kind !== "-").length;
    const first = ops[start]!;
    // Line numbers are 1-based; a side with no lines in the hunk names the line before it.
    const aStart = first.kind === "+" ? first.a + (aCount ? 1 : 0) : first.a;
    const bStart = first.kind === "-" ? first.b + (bCount ? 1 : 0) : first.b;
    out.push(`@@ -${aStart + shiftA},${aCount} +${bStart + shiftB},${bCount} @@`);
    for (const op of slice) out.push(`${op.kind}${op.line}`);
  }
  return out;
}
