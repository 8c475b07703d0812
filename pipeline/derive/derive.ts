// Derive: the values every later stage reads, computed once after validation —
//
//   unit values ──▶ ValueTable: get(unit, indicator) a reported item's value, value(unit, indicator)
//                   a number of a reported or derived item (sum of parts; share = 100 × n / d)
//               ──▶ LevelTotals: every level of the region (全市, a province, its cities), the same
//                   derived maths on the summed parts (a share is a ratio of sums, never a sum of shares)
//
// The rules, the reconciliation, the workbook and the charts read these; none recomputes a derived item.
import type { DerivedItem } from '../../schemas/catalogue.ts';
import type { PeriodContext } from '../context.ts';
import { inScope, regionScope, reportersOf } from '../context.ts';
import type { UnitValue } from '../validate/values.ts';

/** A derived item from its parts' numbers: null when a part is null, or a share's denominator 0. */
export function deriveValue(d: DerivedItem, part: (code: string) => number | null): number | null {
  if (d.type === 'sum') {
    let total = 0;
    for (const code of d.of) {
      const x = part(code);
      if (x === null) return null;
      total += x;
    }
    return total;
  }
  const n = part(d.numerator);
  const den = part(d.denominator);
  return n === null || den === null || den === 0 ? null : (n / den) * 100;
}

/** The parts a derived item is made of. */
export function partsOf(d: DerivedItem): string[] {
  return d.type === 'sum' ? d.of : [d.numerator, d.denominator];
}

/** Every unit × item of a period: the validated values, and the derived items of each unit, once. */
export class ValueTable {
  private readonly cells = new Map<string, Map<string, UnitValue>>();
  private readonly derived = new Map<string, Map<string, number | null>>();

  constructor(
    readonly values: UnitValue[],
    private readonly ctx: PeriodContext,
  ) {
    for (const v of values) {
      let row = this.cells.get(v.unit);
      if (!row) this.cells.set(v.unit, (row = new Map()));
      row.set(v.indicator, v);
    }
    const units = new Set([...ctx.units.map((u) => u.code as string), ...this.cells.keys()]);
    for (const unit of units) {
      const row = new Map<string, number | null>();
      for (const d of ctx.catalogue.derived) row.set(d.code, deriveValue(d, (c) => this.number(unit, c)));
      this.derived.set(unit, row);
    }
  }

  /** A reported item's validated value of a unit (status, provenance), if the unit has one. */
  get(unit: string, indicator: string): UnitValue | undefined {
    return this.cells.get(unit)?.get(indicator);
  }

  /** A unit's number of a reported or derived item; null when it is not a number. */
  value(unit: string, indicator: string): number | null {
    if (this.ctx.derived.has(indicator)) return this.derived.get(unit)?.get(indicator) ?? null;
    return this.number(unit, indicator);
  }

  private number(unit: string, indicator: string): number | null {
    const v = this.get(unit, indicator);
    return v && v.status === 'value' ? v.value : null;
  }
}

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
export function aggregateLevels(table: ValueTable, ctx: PeriodContext): LevelTotals {
  const scopes = ctx.region.scopes;
  // each unit's levels, found once: a country has 3,312 units and 377 levels
  const levelsOf = new Map<string, number[]>();
  const levels = (unit: string): number[] => {
    let l = levelsOf.get(unit);
    if (!l) {
      l = [];
      for (let i = 0; i < scopes.length; i++) if (inScope(scopes[i], unit)) l.push(i);
      levelsOf.set(unit, l);
    }
    return l;
  };
  const sums = scopes.map(() => new Map<string, number>());
  for (const v of table.values) {
    if (v.status !== 'value') continue;
    for (const i of levels(v.unit)) sums[i].set(v.indicator, (sums[i].get(v.indicator) ?? 0) + v.value!);
  }
  // each item's reporters by level, in the reporters' order
  const expectedOf = new Map<string, string[][]>();
  for (const item of ctx.catalogue.items) {
    const byLevel = scopes.map((): string[] => []);
    for (const u of reportersOf(ctx, item)) for (const i of levels(u)) byLevel[i].push(u);
    expectedOf.set(item.code, byLevel);
  }
  const out: LevelTotals = new Map();
  scopes.forEach((scope, i) => {
    const totals = new Map<string, Total>();
    for (const item of ctx.catalogue.items) {
      const expected = expectedOf.get(item.code)![i];
      const reported = expected.filter((u) => table.get(u, item.code)?.status === 'value');
      const naOk = expected.filter((u) => item.na_allowed && table.get(u, item.code)?.status === 'na');
      const gave = new Set([...reported, ...naOk]);
      totals.set(item.code, {
        indicator: item.code,
        value: sums[i].get(item.code) ?? (reported.length || naOk.length ? 0 : null),
        expected,
        reported: [...reported, ...naOk].sort(),
        missing: expected.filter((u) => !gave.has(u)),
      });
    }
    for (const d of ctx.catalogue.derived) {
      const ts = partsOf(d).map((p) => totals.get(p)!);
      const expected = [...new Set(ts.flatMap((t) => t.expected))].sort();
      const missingSet = new Set(ts.flatMap((t) => t.missing));
      const missing = [...missingSet].sort();
      const value = deriveValue(d, (c) => totals.get(c)?.value ?? null);
      totals.set(d.code, { indicator: d.code, value, expected, reported: expected.filter((u) => !missingSet.has(u)), missing });
    }
    out.set(scope.code, totals);
  });
  return out;
}

/** What the derive phase gives the later stages. */
export interface Derived {
  table: ValueTable;
  /** every level's totals, by the level's code */
  levels: LevelTotals;
  /** the region's own totals (全市) */
  totals: Map<string, Total>;
}

export function derive(values: UnitValue[], ctx: PeriodContext): Derived {
  const table = new ValueTable(values, ctx);
  const levels = aggregateLevels(table, ctx);
  return { table, levels, totals: levels.get(regionScope(ctx).code)! };
}
