// Hints for a mismatch a reviewer can act on: digit transpositions, one-cell corrections, big movers.

/** Numbers obtained by swapping two adjacent digits of n (2489 → 4289, 2849, 2498). */
export function transpositions(n: number): number[] {
  if (!Number.isInteger(n) || n < 10) return [];
  const s = String(n);
  const out = new Set<number>();
  for (let i = 0; i + 1 < s.length; i++) {
    if (s[i] === s[i + 1]) continue;
    const t = s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
    if (t[0] === '0') continue;
    out.add(Number(t));
  }
  return [...out];
}

/** Numbers differing from n in exactly one digit (a typo), same length. */
export function oneDigitTypos(n: number): number[] {
  if (!Number.isInteger(n) || n < 0) return [];
  const s = String(n);
  const out: number[] = [];
  for (let i = 0; i < s.length; i++)
    for (let d = 0; d <= 9; d++) {
      if (String(d) === s[i] || (i === 0 && d === 0 && s.length > 1)) continue;
      out.push(Number(s.slice(0, i) + d + s.slice(i + 1)));
    }
  return out;
}

export interface UnitFigure {
  unit: string;
  unitName: string;
  value: number;
  where: string; // 'file!B8' or ''
}

/**
 * The corrections of a single unit's figure that would bring the total into [lo, hi]:
 * transpositions first, then one-digit typos. `inside` says whether a total is acceptable.
 */
export function singleCellCorrections(
  total: number,
  figures: UnitFigure[],
  inside: (total: number) => boolean,
): { figure: UnitFigure; corrected: number; kind: 'transposition' | 'typo' }[] {
  const out: { figure: UnitFigure; corrected: number; kind: 'transposition' | 'typo' }[] = [];
  for (const f of figures) {
    const rest = total - f.value;
    for (const t of transpositions(f.value)) if (inside(rest + t)) out.push({ figure: f, corrected: t, kind: 'transposition' });
  }
  if (out.length === 0)
    for (const f of figures) {
      const rest = total - f.value;
      for (const t of oneDigitTypos(f.value)) if (inside(rest + t)) out.push({ figure: f, corrected: t, kind: 'typo' });
    }
  return out;
}
