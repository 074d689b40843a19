// Did-you-mean suggestions for a mistyped name (a rule id, a blueprint setting), in errors and help.

/** ' (did you mean "x"?)' for names close to `id`, or "". */
export function nearMatches(id: string, known: Iterable<string>): string {
  const close = [...known].filter(
    (k) => distance(id, k) <= Math.max(2, Math.floor(k.length / 4)) || k.includes(id),
  );
  return close.length > 0 ? ` (did you mean ${close.map((k) => `"${k}"`).join(", ")}?)` : "";
}

/** Levenshtein distance, for suggestions. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}
