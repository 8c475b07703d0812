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
