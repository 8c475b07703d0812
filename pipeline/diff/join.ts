// The keyed full outer join of two row lists, done by arquero on explicit key columns.
import * as aq from 'arquero';

export interface Pair<A, B = A> {
  before: A | undefined;
  after: B | undefined;
}

/**
 * Pairs the rows of `a` and `b` whose `keys` are equal (a full outer join). Rows repeating a key
 * are paired in order of appearance (the nth with the nth), so a key seen twice on one side and
 * once on the other gives one pair and one unpaired row — a multiset diff, not a cross product.
 * Output order: `a`'s order, then the rows only in `b` in `b`'s order.
 */
export function fullJoin<A, B = A>(a: A[], b: B[], keys: string[], keyOf: (r: A | B) => string[]): Pair<A, B>[] {
  const keyed = <R>(rows: R[], idx: string) => {
    const seen = new Map<string, number>();
    return rows.map((r, i) => {
      const k = keyOf(r as A | B);
      const joined = k.join('\u0000');
      const nth = seen.get(joined) ?? 0;
      seen.set(joined, nth + 1);
      return { ...Object.fromEntries(keys.map((name, j) => [name, k[j]])), _nth: nth, [idx]: i };
    });
  };
  const on = [...keys, '_nth'];
  if (!a.length || !b.length) return [...a.map((r) => ({ before: r, after: undefined })), ...b.map((r) => ({ before: undefined, after: r }))];
  const left = aq.from(keyed(a, '_a'));
  const right = aq.from(keyed(b, '_b'));
  // [[left keys], [right keys]]: a bare list of names would pair left.k1 with right.k2 (PITFALLS.md)
  const joined = left.join_full(right, [on, on], [['_a'], ['_b']]).objects() as { _a?: number | null; _b?: number | null }[];
  return joined.map((j) => ({
    before: j._a === undefined || j._a === null ? undefined : a[j._a],
    after: j._b === undefined || j._b === null ? undefined : b[j._b],
  }));
}
