// Reconcile, part 1: unit values → the totals of every level of the region (a city: Σ its counties +
// 市本级; a province: Σ its cities' units), derived items from the summed parts (a share is a ratio
// of sums, never a sum or mean of shares).
import type { PeriodContext } from '../context.ts';
import { inScope, regionScope, reportersOf } from '../context.ts';
import type { UnitValue } from '../validate/values.ts';

export interface Total {
  indicator: string;
  /** Σ over the units that gave a number; for a share, 100 × Σnumerator / Σdenominator */
  value: number | null;
  /** units expected to report, and those of them that gave a number */
  expected: string[];
  reported: string[];
  /** expected units without a usable number (not submitted, empty, invalid) */
  missing: string[];
}

/** Totals of every reported and derived item, per level of the region (a city, a province, …), by the level's code. */
export type LevelTotals = Map<string, Map<string, Total>>;

/**
 * The totals of every level the region declares (region.yaml scopes): Σ over the level's units that
 * gave a number, in catalogue order; a unit is added into every level whose prefix its code starts with.
 */
export function aggregateLevels(values: UnitValue[], ctx: PeriodContext): LevelTotals {
  const scopes = ctx.region.scopes;
  const sums = scopes.map(() => new Map<string, number>());
  const byUnit = new Map(values.map((v) => [`${v.unit}\u0000${v.indicator}`, v]));
  for (const v of values) {
    if (v.status !== 'value') continue;
    scopes.forEach((s, i) => {
      if (inScope(s, v.unit)) sums[i].set(v.indicator, (sums[i].get(v.indicator) ?? 0) + v.value!);
    });
  }
  const out: LevelTotals = new Map();
  scopes.forEach((scope, i) => {
    const totals = new Map<string, Total>();
    for (const item of ctx.catalogue.items) {
      const expected = reportersOf(ctx, item).filter((u) => inScope(scope, u));
      const reported = expected.filter((u) => byUnit.get(`${u}\u0000${item.code}`)?.status === 'value');
      const naOk = expected.filter((u) => item.na_allowed && byUnit.get(`${u}\u0000${item.code}`)?.status === 'na');
      totals.set(item.code, {
        indicator: item.code,
        value: sums[i].get(item.code) ?? (reported.length || naOk.length ? 0 : null),
        expected,
        reported: [...reported, ...naOk].sort(),
        missing: expected.filter((u) => !reported.includes(u) && !naOk.includes(u)),
      });
    }
    for (const d of ctx.catalogue.derived) {
      const parts = d.type === 'sum' ? d.of : [d.numerator, d.denominator];
      const ts = parts.map((p) => totals.get(p)!);
      const expected = [...new Set(ts.flatMap((t) => t.expected))].sort();
      const missing = [...new Set(ts.flatMap((t) => t.missing))].sort();
      let value: number | null;
      if (ts.some((t) => t.value === null)) value = null;
      else if (d.type === 'sum') value = ts.reduce((a, t) => a + t.value!, 0);
      else value = ts[1].value === 0 ? null : (ts[0].value! / ts[1].value!) * 100;
      totals.set(d.code, { indicator: d.code, value, expected, reported: expected.filter((u) => !missing.includes(u)), missing });
    }
    out.set(scope.code, totals);
  });
  return out;
}

/** The region's own totals (全市: Σ ten districts + 市本级 for Ningbo). */
export function aggregateTotals(values: UnitValue[], ctx: PeriodContext): Map<string, Total> {
  return aggregateLevels(values, ctx).get(regionScope(ctx).code)!;
}
