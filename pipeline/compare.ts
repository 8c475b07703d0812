// Ordering for outputs: by UTF-16 code unit, the same on every machine (localeCompare is not).

/** Compares two strings by code unit: a stable, locale-free order for sorted outputs. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
