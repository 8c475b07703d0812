// The previous half-year's figures as the period rules take them: pure (no disk), so check.html can
// embed them and run the same rules in the browser. Loaded from reports/ by pipeline/previous.ts.
import type { UnitValue } from './validate/values.ts';

/** What the period rules need of the previous period: per unit and item, the number (or none). */
export interface PreviousFigures {
  period: string;
  values: { unit: string; indicator: string; value: number | null }[];
}

/** As the rules take them. */
export function previousForRules(p: PreviousFigures | undefined): { period: string; values: UnitValue[] } | undefined {
  if (!p) return undefined;
  return {
    period: p.period,
    values: p.values.map((v) => ({ unit: v.unit, indicator: v.indicator, value: v.value, status: v.value === null ? 'missing' : 'value', loc: null, raw: '', note: '', origin: 'form' })),
  };
}

/** From a computed result's values: numbers only, sorted (what check.html embeds). */
export function previousFromValues(period: string, values: UnitValue[]): PreviousFigures {
  return {
    period,
    values: values
      .filter((v) => v.status === 'value')
      .map((v) => ({ unit: v.unit, indicator: v.indicator, value: v.value }))
      .sort((a, b) => (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : a.indicator < b.indicator ? -1 : a.indicator > b.indicator ? 1 : 0)),
  };
}

