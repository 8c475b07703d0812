// parseReportFolder: the files `banbao report` writes, read back into typed rows; what is missing or
// malformed is listed in Chinese, never thrown.
import { describe, expect, it } from 'vitest';
import { parseReportFolder, type RequiredFile } from '../../pipeline/diff/folder.ts';
import { toCsv } from '../../pipeline/outputs/csv.ts';
import { RECONCILED_COLUMNS, RECONCILIATION_COLUMNS } from '../../pipeline/outputs/tables.ts';
import { catalogue, f } from './fixtures.ts';

const reconciled = (rows: Record<string, unknown>[]) => toCsv(RECONCILED_COLUMNS, rows);
const base = { period: '2018H1', unit_name: '鄞州区', name_zh: '', category: '', sheet: '', file: '鄞州区_2018H1.csv' };

function texts(over: Partial<Record<RequiredFile, string | undefined>> = {}): Partial<Record<RequiredFile, string>> {
  const all: Record<RequiredFile, string | undefined> = {
    'manifest.json': JSON.stringify({ tool: { name: 'banbao', version: '0.1.0' }, period: '2018H1', catalogue_version: '2018H1-v1', run: { started_at: 'x' }, inputs: [{ file: '鄞州区_2018H1.csv', sha256: 'a'.repeat(64), bytes: 9, unit: '330212' }] }),
    'catalogue.json': JSON.stringify(catalogue()),
    'reconciled.csv': reconciled([
      { ...base, unit: '330212', indicator: 'inspections', value: 360, status: 'value', cell: 'E15', raw: '360' },
      { ...base, unit: '330212', indicator: 'problems_found', value: null, status: 'invalid', cell: 'E16', raw: '=A1+1' },
      { ...base, unit: '330212', indicator: 'persons_handled', value: null, status: 'missing', cell: 'E17', raw: '-' },
    ]),
    'reconciliation.csv': toCsv(RECONCILIATION_COLUMNS, [
      { period: '2018H1', scope_code: '330200', scope: '全市', indicator: 'inspections', name_zh: '正风肃纪监督检查', published_id: 'inspections', text: '3164', interval: '[3164, 3164]', lo: 3164, hi: 3164, computed: 3164, status: 'match', difference: 0, units_reported: 11, units_expected: 11, hints: '', explanation: '' },
    ]),
    'findings.json': JSON.stringify({ period: '2018H1', findings: [f('rule.change_large', { unit: '330212' })] }),
    ...over,
  };
  return Object.fromEntries(Object.entries(all).filter(([, t]) => t !== undefined));
}

describe('parseReportFolder', () => {
  it('reads back what banbao report writes: numbers as numbers, empty as null, neutralised text as written', () => {
    const r = parseReportFolder('2018H1', texts());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.folder.values.map((x) => [x.indicator, x.value, x.status, x.raw])).toEqual([
      ['inspections', 360, 'value', '360'],
      ['problems_found', null, 'invalid', '=A1+1'],
      ['persons_handled', null, 'missing', '-'],
    ]);
    expect(r.folder.reconciliation[0]).toMatchObject({ computed: 3164, status: 'match', difference: 0 });
    expect(r.folder.manifest.inputs).toEqual([{ file: '鄞州区_2018H1.csv', sha256: 'a'.repeat(64), unit: '330212' }]);
    expect(r.folder.findings.map((x) => x.code)).toEqual(['rule.change_large']);
    expect([r.folder.name, r.folder.period]).toEqual(['2018H1', '2018H1']);
  });

  it('lists every file that is missing', () => {
    const r = parseReportFolder('x', texts({ 'manifest.json': undefined, 'findings.json': undefined }));
    expect(r).toEqual({ ok: false, missing: ['manifest.json', 'findings.json'], problems: [] });
  });

  it('names the file, line and field of a malformed row', () => {
    const bad = reconciled([
      { ...base, unit: '330212', indicator: 'inspections', value: 360, status: 'value' },
      { ...base, unit: '330212', indicator: 'problems_found', value: 1, status: 'perhaps' },
    ]);
    const r = parseReportFolder('x', texts({ 'reconciled.csv': bad }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatch(/^reconciled\.csv 内容不对（第 3 行 status）/);
  });

  it('names a missing column, a broken JSON and a repeated (unit, indicator)', () => {
    const twice = reconciled([
      { ...base, unit: '330212', indicator: 'inspections', value: 360, status: 'value' },
      { ...base, unit: '330212', indicator: 'inspections', value: 361, status: 'value' },
    ]);
    const noColumn = toCsv(['scope_code', 'indicator'], [{ scope_code: '330200', indicator: 'x' }]);
    const r = parseReportFolder('x', texts({ 'reconciled.csv': twice, 'reconciliation.csv': noColumn, 'catalogue.json': '{' }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.split(/[：\s]/)[0])).toEqual(['catalogue.json', 'reconciliation.csv', 'reconciled.csv']);
    expect(r.problems[1]).toContain('缺少列 scope');
    expect(r.problems[2]).toContain('330212 inspections 出现了两次');
  });
});
