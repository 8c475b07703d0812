// The period's tables as plain rows, in a stable order: reconciled (long), reconciliation, findings.
import type { Finding } from '../../schemas/finding.ts';
import type { PeriodResult } from '../run.ts';
import { cmp } from '../compare.ts';

export const RECONCILED_COLUMNS = ['period', 'unit', 'unit_name', 'indicator', 'name_zh', 'category', 'value', 'status', 'file', 'sheet', 'cell', 'raw', 'note'];
export const RECONCILIATION_COLUMNS = [
  'period', 'scope_code', 'scope', 'indicator', 'name_zh', 'published_id', 'text', 'interval', 'lo', 'hi',
  'computed', 'status', 'difference', 'units_reported', 'units_expected', 'hints', 'explanation',
];
export const FINDING_COLUMNS = ['period', 'severity', 'code', 'unit', 'indicator', 'file', 'sheet', 'cell', 'row', 'col', 'raw', 'expected', 'message', 'message_en', 'confirmed', 'confirmed_by', 'refs'];

/** reconciled.csv rows: unit code order, then catalogue order. */
export function reconciledRows(r: PeriodResult) {
  const order = new Map(r.ctx.catalogue.items.map((i, n) => [i.code as string, n]));
  return [...r.values]
    .sort((a, b) => cmp(a.unit, b.unit) || (order.get(a.indicator)! - order.get(b.indicator)!))
    .map((v) => {
      const item = r.ctx.items.get(v.indicator)!;
      return {
        period: r.period,
        unit: v.unit,
        unit_name: r.ctx.matchUnits.name(v.unit),
        indicator: v.indicator,
        name_zh: item.name_zh,
        category: item.category,
        value: v.value,
        status: v.status,
        file: v.loc?.file ?? '',
        sheet: v.loc?.sheet ?? '',
        cell: v.loc?.cell ?? '',
        raw: v.raw,
        note: v.note,
      };
    });
}

export function findingRows(findings: Finding[]) {
  return findings.map((f) => ({ ...f }));
}

/** Status counts of the reconciliation, in a fixed order. */
export function statusCounts(r: PeriodResult): Record<string, number> {
  const counts: Record<string, number> = { match: 0, within: 0, mismatch: 0, incomplete: 0, unpublished: 0 };
  for (const row of r.reconciliation) counts[row.status]++;
  return counts;
}

/** One cell of the unit × item table: this period, the previous, the change, the rank among districts. */
export interface UnitItemCell {
  now: number | null;
  before: number | null;
  /** now − before (percentage points for a share) */
  delta: number | null;
  /** (now − before) / before, for counts only */
  pct: number | null;
  /** 1 = largest among districts (ties share a rank); null for 市本级 or a missing figure */
  rank: number | null;
  /** the figure's reading when it is not a number: missing / na / invalid */
  valueStatus: string;
}

export interface UnitItemTable {
  items: { code: string; name_zh: string; measure: string; share: boolean; category: string }[];
  rows: { code: string; name: string; district: boolean; cells: UnitItemCell[] }[];
  /** the city total, with the previous period's */
  total: UnitItemCell[];
  previousPeriod: string | null;
}

/** A computed item's reading for a unit: a number, not applicable when a part is (市本级's villages), else missing. */
export function derivedStatus(r: PeriodResult, unit: string, code: string, now: number | null): string {
  if (now !== null) return 'value';
  const d = r.ctx.derived.get(code)!;
  const parts = d.type === 'sum' ? d.of : [d.numerator, d.denominator];
  return parts.some((p) => r.table.get(unit, p)?.status === 'na') ? 'na' : 'missing';
}

/**
 * The unit × item table for the page: every item of the catalogue (reported and computed, in
 * category order), every unit in roster order, with the previous half-year beside each figure.
 */
export function unitItemTable(r: PeriodResult, previous: PeriodResult | undefined): UnitItemTable {
  const all = [...r.ctx.catalogue.items, ...r.ctx.catalogue.derived];
  const ordered = r.ctx.catalogue.categories.flatMap((c) => all.filter((i) => i.category === c));
  for (const i of all) if (!ordered.includes(i)) ordered.push(i);
  const change = (now: number | null, before: number | null, share: boolean) => ({
    delta: now === null || before === null ? null : now - before,
    pct: share || now === null || before === null || before === 0 ? null : (now - before) / before,
  });
  const rows = r.ctx.units.map((u) => ({
    code: u.code as string,
    name: u.name,
    district: u.level === 'district',
    cells: ordered.map((it): UnitItemCell => {
      const share = r.ctx.derived.get(it.code)?.type === 'share';
      const now = r.table.value(u.code, it.code);
      const known = previous && (previous.ctx.items.has(it.code) || previous.ctx.derived.has(it.code));
      const before = previous && known ? previous.table.value(u.code, it.code) : null;
      const v = r.table.get(u.code, it.code);
      return { now, before, ...change(now, before, share), rank: null, valueStatus: r.ctx.derived.has(it.code) ? derivedStatus(r, u.code, it.code, now) : v?.status ?? 'missing' };
    }),
  }));
  ordered.forEach((_, i) => {
    // rank = 1 + how many units have more (ties share a rank): one sort, not a count per unit
    const vals = rows.filter((x) => x.district && x.cells[i].now !== null).map((x) => x.cells[i].now!);
    const desc = [...vals].sort((a, b) => b - a);
    const above = (v: number) => {
      let lo = 0;
      let hi = desc.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (desc[mid] > v) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    for (const x of rows) if (x.district && x.cells[i].now !== null) x.cells[i].rank = 1 + above(x.cells[i].now!);
  });
  const total = ordered.map((it): UnitItemCell => {
    const share = r.ctx.derived.get(it.code)?.type === 'share';
    const now = r.totals.get(it.code)?.value ?? null;
    const before = previous?.totals.get(it.code)?.value ?? null;
    return { now, before, ...change(now, before, share), rank: null, valueStatus: now === null ? 'missing' : 'value' };
  });
  return {
    items: ordered.map((it) => ({ code: it.code, name_zh: it.name_zh, measure: it.measure, share: r.ctx.derived.get(it.code)?.type === 'share', category: it.category })),
    rows,
    total,
    previousPeriod: previous?.period ?? null,
  };
}
