// Reconcile, part 1: unit values → city totals (Σ ten districts + 市本级) with arquero; derived items
// from the summed parts (a share is a ratio of sums, never a sum or mean of shares).
import * as aq from 'arquero';
import type { PeriodContext } from '../context.ts';
import { reportersOf } from '../context.ts';
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

/** City totals of every reported and derived item, in catalogue order. */
export function aggregateTotals(values: UnitValue[], ctx: PeriodContext): Map<string, Total> {
  const rows = values.filter((v) => v.status === 'value').map((v) => ({ indicator: v.indicator, unit: v.unit, value: v.value! }));
  const sums = new Map<string, { total: number; n: number }>();
  if (rows.length) {
    const t = aq
      .from(rows)
      .groupby('indicator')
      .rollup({ total: aq.op.sum('value'), n: aq.op.valid('value') })
      .objects() as { indicator: string; total: number; n: number }[];
    for (const r of t) sums.set(r.indicator, { total: r.total, n: r.n });
  }
  const byUnit = new Map(values.map((v) => [`${v.unit}\u0000${v.indicator}`, v]));
  const out = new Map<string, Total>();
  for (const item of ctx.catalogue.items) {
    const expected = reportersOf(ctx, item);
    const reported = expected.filter((u) => byUnit.get(`${u}\u0000${item.code}`)?.status === 'value');
    const naOk = expected.filter((u) => item.na_allowed && byUnit.get(`${u}\u0000${item.code}`)?.status === 'na');
    out.set(item.code, {
      indicator: item.code,
      value: sums.get(item.code)?.total ?? (reported.length || naOk.length ? 0 : null),
      expected,
      reported: [...reported, ...naOk].sort(),
      missing: expected.filter((u) => !reported.includes(u) && !naOk.includes(u)),
    });
  }
  for (const d of ctx.catalogue.derived) {
    const parts = d.type === 'sum' ? d.of : [d.numerator, d.denominator];
    const ts = parts.map((p) => out.get(p)!);
    const expected = [...new Set(ts.flatMap((t) => t.expected))].sort();
    const missing = [...new Set(ts.flatMap((t) => t.missing))].sort();
    let value: number | null;
    if (ts.some((t) => t.value === null)) value = null;
    else if (d.type === 'sum') value = ts.reduce((a, t) => a + t.value!, 0);
    else value = ts[1].value === 0 ? null : (ts[0].value! / ts[1].value!) * 100;
    out.set(d.code, { indicator: d.code, value, expected, reported: expected.filter((u) => !missing.includes(u)), missing });
  }
  return out;
}
