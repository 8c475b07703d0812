// reconciliation.csv on both sides: status transitions keyed by (scope_code, indicator, published_id)
// — newly mismatched, fixed, still mismatched, other transitions — and the city totals it carries.
import { STATUS_ZH } from '../outputs/workbook.ts';
import type { Catalogue } from '../../schemas/catalogue.ts';
import { allItems } from './catalogue.ts';
import type { ReportFolder, StatusRow } from './folder.ts';
import { fullJoin, type Pair } from './join.ts';
import { BASIS_ZH, COMPARE_ZH, cleanDelta, compareAs, diffRow, num, pct, signed, type Change, type DiffRow } from './model.ts';
import { cmp } from '../compare.ts';

/**
 * The region's own total in reconciliation.csv (全市): the scope of the rows for items nobody published,
 * which are written for the region's total only; failing those, the code with the most trailing zeros
 * (a province's 330000 over its cities' 330200).
 */
export function regionCode(rows: StatusRow[]): string {
  const unpublished = rows.find((r) => r.published_id === '');
  if (unpublished) return unpublished.scope_code;
  const zeros = (c: string) => /0*$/.exec(c)![0].length;
  return [...rows].sort((a, b) => zeros(b.scope_code) - zeros(a.scope_code) || cmp(a.scope_code, b.scope_code))[0]?.scope_code ?? '';
}

function itemInfo(code: string, a: Catalogue, b: Catalogue) {
  const it = allItems(b).find((i) => i.code === code) ?? allItems(a).find((i) => i.code === code);
  return it ? { basis: it.basis, compare_as: compareAs(it.basis), share: it.type === 'share' } : { basis: undefined, compare_as: '' as const, share: false };
}

const sortPairs = (pairs: Pair<StatusRow>[], order: Map<string, number>) => {
  const k = (p: Pair<StatusRow>) => (p.after ?? p.before)!;
  return pairs.sort(
    (x, y) =>
      cmp(k(x).scope_code, k(y).scope_code) ||
      (order.get(k(x).indicator) ?? 1e9) - (order.get(k(y).indicator) ?? 1e9) ||
      cmp(k(x).published_id, k(y).published_id),
  );
};

const side = (r: StatusRow) => `${STATUS_ZH[r.status]}（汇总 ${num(r.computed)}${r.difference ? `，差 ${num(r.difference)}` : ''}）`;

/**
 * Status transitions. Rows only on one side count when they are published figures (a figure newly
 * published, or no longer); an unpublished item appearing is a catalogue change, reported there.
 * A figure mismatched on both sides is a difference when its computed value moved, else carried over.
 */
export function diffStatuses(a: ReportFolder, b: ReportFolder, order: Map<string, number>): { rows: DiffRow[]; carried: DiffRow[] } {
  const pairs = sortPairs(fullJoin(a.reconciliation, b.reconciliation, ['scope_code', 'indicator', 'published_id'], (r) => [r.scope_code, r.indicator, r.published_id]), order);
  const rows: DiffRow[] = [];
  const carried: DiffRow[] = [];
  for (const { before, after } of pairs) {
    const r = (after ?? before)!;
    if ((!before || !after) && !r.published_id) continue;
    let change: Change | undefined;
    let carry = false;
    if (!before) change = after!.status === 'mismatch' ? 'newly_mismatched' : 'added';
    else if (!after) change = 'removed';
    else if (before.status !== 'mismatch' && after.status === 'mismatch') change = 'newly_mismatched';
    else if (before.status === 'mismatch' && after.status !== 'mismatch') change = 'fixed';
    else if (before.status === 'mismatch' && after.status === 'mismatch') {
      change = 'still_mismatched';
      carry = before.computed === after.computed;
    } else if (before.status !== after.status) change = 'status_changed';
    if (!change) continue;
    const info = itemInfo(r.indicator, a.catalogue, b.catalogue);
    const what = `${r.scope}${r.name_zh}${r.published_id ? ` 公布“${r.text}” ${r.interval}` : '（未公布）'}`;
    const message = !before
      ? `${what}：${b.name} 新公布，${side(after!)}`
      : !after
        ? `${what}：${b.name} 不再有此公布数（${a.name} ${side(before)}）`
        : `${what}：${side(before)} → ${side(after)}`;
    (carry ? carried : rows).push(
      diffRow('reconciliation', change, {
        unit: r.scope_code,
        unit_name: r.scope,
        indicator: r.indicator,
        name_zh: r.name_zh,
        basis: info.basis ?? '',
        compare_as: info.compare_as,
        before: before?.status ?? null,
        after: after?.status ?? null,
        published_id: r.published_id,
        message,
      }),
    );
  }
  return { rows, carried };
}

/** City totals (the computed value of the 全市 rows), compared like unit values. */
export function diffTotals(a: ReportFolder, b: ReportFolder, order: Map<string, number>, tolerance: number): DiffRow[] {
  const CITY = regionCode(b.reconciliation) || regionCode(a.reconciliation);
  const city = (f: ReportFolder) => {
    const seen = new Set<string>();
    return f.reconciliation.filter((r) => r.scope_code === CITY && !seen.has(r.indicator) && seen.add(r.indicator));
  };
  const pairs = sortPairs(fullJoin(city(a), city(b), ['indicator'], (r) => [r.indicator]), order);
  const rows: DiffRow[] = [];
  for (const { before, after } of pairs) {
    const r = (after ?? before)!;
    const x = before?.computed ?? null;
    const y = after?.computed ?? null;
    if (before && after && (x === null && y === null ? true : x !== null && y !== null && Math.abs(y - x) <= tolerance)) continue;
    const info = itemInfo(r.indicator, a.catalogue, b.catalogue);
    const delta = x !== null && y !== null ? cleanDelta(y, x) : null;
    const delta_pct = x !== null && y !== null && !info.share ? pct(y, x) : null;
    const note = info.basis ? `；${BASIS_ZH[info.basis]}，${COMPARE_ZH[compareAs(info.basis)]}` : '';
    const change: Change = !before ? 'added' : !after ? 'removed' : 'changed';
    let message = `${r.scope}${r.name_zh}：${before ? num(x) : '（无）'} → ${after ? num(y) : '（无）'}`;
    if (delta !== null) message += info.share ? `，${signed(delta)} 个百分点` : `，${signed(delta)}${delta_pct !== null ? `（${signed(delta_pct, '%')}）` : ''}`;
    rows.push(
      diffRow('total', change, {
        unit: CITY,
        unit_name: r.scope,
        indicator: r.indicator,
        name_zh: r.name_zh,
        basis: info.basis ?? '',
        compare_as: info.compare_as,
        before: x,
        after: y,
        delta,
        delta_pct,
        message: message + note,
      }),
    );
  }
  return rows;
}
