// The core's unit matcher (normalize/match.ts) answers `within(text)` by trying every unit name in
// turn: fine for 11 units, ≈0.4 ms a call for ≈3,000 counties — 1.2 s for 2,978 county file names —
// and building it keys every name of every unit. This one says exactly what the core's would, built
// lazily: `within` hands the core matcher only the units that have a name the text contains (found
// through an index by first character), and the core decides as it always does (longest names
// first, consumed text, the code pattern); `exact` builds the core matcher the first time it is
// asked; `name` is a lookup. test/scale/streaming.test.ts compares the two.
import type { Unit } from '../../schemas/units.ts';
import { type UnitMatcher, matchKey, unitMatcher } from '../normalize/match.ts';

export function scaledUnitMatcher(units: Unit[]): UnitMatcher {
  let byFirst: Map<string, { key: string; unit: Unit }[]> | undefined;
  let full: UnitMatcher | undefined;
  const byCode = new Map(units.map((u) => [u.code as string, u]));
  const index = () => {
    const m = new Map<string, { key: string; unit: Unit }[]>();
    for (const u of units)
      for (const n of [u.name, u.short_name, ...u.aliases]) {
        const key = matchKey(n);
        if (!key) continue;
        const list = m.get(key[0]) ?? [];
        list.push({ key, unit: u });
        m.set(key[0], list);
      }
    return m;
  };
  return {
    exact: (text) => (full ??= unitMatcher(units)).exact(text),
    name: (code) => byCode.get(code)?.name ?? code,
    within(text: string): string[] {
      byFirst ??= index();
      const k = matchKey(text);
      const found = new Set<Unit>();
      for (const ch of new Set(k)) for (const { key, unit } of byFirst.get(ch) ?? []) if (k.includes(key)) found.add(unit);
      for (const m of text.matchAll(/(?<!\d)(\d{6})(?!\d)/g)) if (byCode.has(m[1])) found.add(byCode.get(m[1])!); // the core's code pattern
      if (!found.size) return [];
      return unitMatcher(units.filter((u) => found.has(u))).within(text); // in the core's order
    },
  };
}
