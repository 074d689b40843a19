// Number formatting shared by the text and HTML reports, so both print the same digits.

/** Milliseconds with about four significant digits: 0.1234, 10.12, 123.4, 1234. */
export function ms(value: number): string {
  if (value >= 1000) return value.toFixed(0);
  if (value >= 100) return value.toFixed(1);
  if (value >= 10) return value.toFixed(2);
  return value.toFixed(3);
}

export function count(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

export function rate(value: number): string {
  return value >= 100 ? value.toFixed(1) : value.toFixed(2);
}

export function bytes(value: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let v = value;
  let unit = 0;
  while (v >= 1000 && unit < units.length - 1) {
    v /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${v} B` : `${v.toFixed(1)} ${units[unit]}`;
}

export function percent(part: number, whole: number): string {
  return whole === 0 ? "0.0 %" : `${((100 * part) / whole).toFixed(1)} %`;
}
