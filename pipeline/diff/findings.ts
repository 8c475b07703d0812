// Findings new / resolved / persisting. Two runs of one period key a finding by
// (code, unit, indicator, file, cell); two periods by (code, unit, indicator), since files and
// cells are per period.
import type { Finding } from '../../schemas/finding.ts';
import type { ReportFolder } from './folder.ts';
import { fullJoin, type Pair } from './join.ts';
import { diffRow, provenance, type DiffMode, type DiffRow } from './model.ts';
import { cmp } from '../compare.ts';
import { regionCode } from './reconciliation.ts';

/** The key of a finding in this comparison. */
export function findingKey(f: Finding, mode: DiffMode): string[] {
  return mode === 'runs' ? [f.code, f.unit, f.indicator, f.file, f.cell] : [f.code, f.unit, f.indicator];
}

export function diffFindings(a: ReportFolder, b: ReportFolder, mode: DiffMode, order: Map<string, number>): { rows: DiffRow[]; carried: DiffRow[] } {
  const unitNames = new Map([...a.values, ...b.values].map((v) => [v.unit, v.unit_name]));
  const itemNames = new Map([...a.catalogue.items, ...a.catalogue.derived, ...b.catalogue.items, ...b.catalogue.derived].map((i) => [i.code as string, i.name_zh]));
  // reconcile.* findings on the region's total (全市) carry no unit, or (folders built before) its code: not 市本级's own figures
  const levels = new Map([...a.reconciliation, ...b.reconciliation].map((r) => [r.scope_code, r.scope]));
  const region = regionCode(b.reconciliation) || regionCode(a.reconciliation);
  const unitName = (f: Finding) => (f.code.startsWith('reconcile.') && f.unit && f.unit === region ? (levels.get(region) ?? '') : (unitNames.get(f.unit) ?? ''));
  const keys = mode === 'runs' ? ['code', 'unit', 'indicator', 'file', 'cell'] : ['code', 'unit', 'indicator'];
  const k = (p: Pair<Finding>) => (p.after ?? p.before)!;
  const pairs = fullJoin(a.findings, b.findings, keys, (f) => findingKey(f, mode)).sort(
    (x, y) =>
      cmp(k(x).unit, k(y).unit) ||
      (order.get(k(x).indicator) ?? 1e9) - (order.get(k(y).indicator) ?? 1e9) ||
      cmp(k(x).code, k(y).code) ||
      cmp(k(x).file, k(y).file) ||
      cmp(k(x).cell, k(y).cell),
  );
  const rows: DiffRow[] = [];
  const carried: DiffRow[] = [];
  for (const { before, after } of pairs) {
    const f = (after ?? before)!;
    const change = !before ? 'new' : !after ? 'resolved' : 'persisting';
    const row = diffRow('finding', change, {
      unit: f.unit,
      unit_name: unitName(f),
      indicator: f.indicator,
      name_zh: itemNames.get(f.indicator) ?? '',
      finding_code: f.code,
      severity: f.severity,
      ...provenance(before, after),
      message: `${f.message}${f.confirmed ? `【已说明：${f.confirmed}】` : ''}${before && after && !before.confirmed && after.confirmed ? '（本次新附上报说明）' : ''}`,
    });
    (change === 'persisting' ? carried : rows).push(row);
  }
  return { rows, carried };
}
