// diffReports on hand-made pairs of report folders: one test per kind of change.
import { describe, expect, it } from 'vitest';
import { diffReports, topChanges } from '../../pipeline/diff/compare.ts';
import { catalogue, f, folder, kinds, status, v } from './fixtures.ts';

const H2 = { period: '2018H2', name: '2018H2' };

describe('values keyed by (unit, indicator)', () => {
  it('reports a changed value with Δ and Δ% (205 → 330 is +125, +61%), compared as a flow', () => {
    const a = folder({ values: [v('330213', 'inspections', 205), v('330213', 'problems_found', 110)] });
    const b = folder({ ...H2, values: [v('330213', 'inspections', 330), v('330213', 'problems_found', 110)] });
    const d = diffReports(a, b);
    expect(kinds(d.rows)).toEqual([['value', 'changed', '330213', 'inspections']]);
    expect(d.rows[0]).toMatchObject({ before: 205, after: 330, delta: 125, delta_pct: 61, basis: 'period', compare_as: 'flow', unit_name: '奉化区', name_zh: '正风肃纪监督检查' });
    expect(d.mode).toBe('periods');
  });

  it('compares a stock as a level: 279 → 238 is -41 (-14.7%)', () => {
    const d = diffReports(folder({ values: [v('330212', 'villages_signed', 279)] }), folder({ ...H2, values: [v('330212', 'villages_signed', 238)] }));
    expect(d.rows[0]).toMatchObject({ basis: 'stock', compare_as: 'level', delta: -41, delta_pct: -14.7 });
    expect(d.rows[0].message).toContain('期末存量，比水平');
  });

  it('says what an H1 → H2 change of a ytd item is: the flow of the second half-year', () => {
    const cat = catalogue();
    cat.items.find((i) => i.code === 'talent_3315_applications')!.basis = 'ytd';
    const d = diffReports(folder({ catalogue: cat, values: [v('330212', 'talent_3315_applications', 198)] }), folder({ ...H2, catalogue: cat, values: [v('330212', 'talent_3315_applications', 260)] }));
    expect(d.rows[0]).toMatchObject({ basis: 'ytd', compare_as: 'flow', delta: 62 });
    expect(d.rows[0].message).toContain('下半年发生 62');
  });

  it('reports a value that became missing or not applicable as changed, without Δ', () => {
    const d = diffReports(
      folder({ values: [v('330212', 'inspections', 360), v('330212', 'problems_found', 205)] }),
      folder({ ...H2, values: [v('330212', 'inspections', 'missing'), v('330212', 'problems_found', 'na')] }),
    );
    expect(d.rows.map((r) => [r.section, r.change, r.before, r.after, r.delta, r.delta_pct])).toEqual([
      ['value', 'changed', 360, '缺数', null, null],
      ['value', 'changed', 205, '不适用', null, null],
    ]);
  });

  it('gives no Δ% on a zero base', () => {
    const d = diffReports(folder({ values: [v('330212', 'high_end_teams_new', 0)] }), folder({ ...H2, values: [v('330212', 'high_end_teams_new', 3)] }));
    expect(d.rows[0]).toMatchObject({ delta: 3, delta_pct: null });
  });

  it('reports rows added (only in B) and removed (only in A)', () => {
    const a = folder({ values: [v('330212', 'inspections', 360), v('330212', 'eight_rules_cases', 7)] });
    const b = folder({ ...H2, values: [v('330212', 'inspections', 360), v('330212', 'eight_rules_persons', 11)] });
    const d = diffReports(a, b);
    expect(kinds(d.rows.filter((r) => r.section === 'value'))).toEqual([
      ['value', 'added', '330212', 'eight_rules_persons'],
      ['value', 'removed', '330212', 'eight_rules_cases'],
    ]);
    expect(d.rows.find((r) => r.change === 'added')).toMatchObject({ before: null, after: 11 });
    expect(d.rows.find((r) => r.change === 'removed')).toMatchObject({ before: 7, after: null });
  });

  it('treats values within --tolerance as unchanged, and beyond it as changed', () => {
    const a = folder({ values: [v('330212', 'inspections', 100), v('330212', 'problems_found', 100)] });
    const b = folder({ ...H2, values: [v('330212', 'inspections', 100.5), v('330212', 'problems_found', 101)] });
    expect(kinds(diffReports(a, b, { tolerance: 0.5 }).rows)).toEqual([['value', 'changed', '330212', 'problems_found']]);
    expect(diffReports(a, b).rows).toHaveLength(2);
    const grid = diffReports(a, b, { tolerance: 0.5 }).grid;
    const col = grid.columns.findIndex((c) => c.indicator === 'inspections');
    expect(grid.rows[0].cells[col]).toEqual({ tone: 'same', text: '100.5' });
  });

  it('ranks top changes by Δ% on real bases first (1 → 2 is +100% but ranks after 205 → 330)', () => {
    const a = folder({ values: [v('330213', 'high_end_teams_new', 1), v('330213', 'inspections', 205)] });
    const b = folder({ ...H2, values: [v('330213', 'high_end_teams_new', 2), v('330213', 'inspections', 330)] });
    expect(topChanges(diffReports(a, b)).map((r) => r.indicator)).toEqual(['inspections', 'high_end_teams_new']);
  });
});

describe('catalogue changes', () => {
  it('reports items added, dropped, renamed (same code), moved between categories and basis changed', () => {
    const before = catalogue();
    const after = catalogue('2018H2');
    after.items = after.items.filter((i) => i.code !== 'high_end_teams_new');
    after.items.find((i) => i.code === 'frontline_cadres')!.name_zh = '一线挂职锻炼干部';
    after.items.find((i) => i.code === 'four_star_orgs')!.category = '两新党建';
    after.items.find((i) => i.code === 'nonpublic_members')!.basis = 'period';
    const d = diffReports(folder({ catalogue: before }), folder({ ...H2, catalogue: after }));
    expect(d.rows.map((r) => [r.change, r.indicator, r.before, r.after])).toEqual([
      ['added', 'eight_rules_persons', null, '违反中央八项规定处理人数'],
      ['dropped', 'high_end_teams_new', '新增高端创业创新团队', null],
      ['renamed', 'frontline_cadres', '一线挂职干部', '一线挂职锻炼干部'],
      ['moved', 'four_star_orgs', '星级党组织', '两新党建'],
      ['basis_changed', 'nonpublic_members', 'stock', 'period'],
    ]);
    expect(d.rows.every((r) => r.section === 'catalogue')).toBe(true);
  });

  it('shows a value of an item whose basis changed with both bases', () => {
    const after = catalogue('2018H2');
    after.items.find((i) => i.code === 'nonpublic_members')!.basis = 'period';
    const d = diffReports(folder({ values: [v('330212', 'nonpublic_members', 9826)] }), folder({ ...H2, catalogue: after, values: [v('330212', 'nonpublic_members', 500)] }));
    expect(d.rows.find((r) => r.section === 'value')).toMatchObject({ basis: 'stock→period', compare_as: 'flow' });
  });

  it('reports a changed definition (part_of, measure…) as redefined', () => {
    const after = catalogue();
    after.items.find((i) => i.code === 'secretaries_adjusted')!.measure = '人';
    const d = diffReports(folder({}), folder({ name: 'run2', catalogue: after }));
    expect(d.rows.map((r) => [r.change, r.indicator, r.before, r.after])).toEqual([['redefined', 'secretaries_adjusted', 'measure="名"', 'measure="人"']]);
  });
});

describe('units', () => {
  it('reports a unit that reported only in B as added and one that reported only in A as missing', () => {
    const a = folder({ values: [v('330212', 'inspections', 360), v('330213', 'inspections', 205)] });
    const b = folder({ ...H2, values: [v('330212', 'inspections', 360), v('330213', 'inspections', 'missing', { file: '' }), v('330225', 'inspections', 215)] });
    const d = diffReports(a, b);
    expect(kinds(d.rows.filter((r) => r.section === 'unit'))).toEqual([
      ['unit', 'added', '330225', ''],
      ['unit', 'missing', '330213', ''],
    ]);
    const grid = d.grid.rows.map((r) => [r.unit, r.tone]);
    expect(grid).toEqual([['330212', 'same'], ['330213', 'remove'], ['330225', 'add']]);
  });
});

describe('reconciliation statuses keyed by (scope_code, indicator, published_id)', () => {
  it('reports newly mismatched, fixed, other transitions; carries over a figure still mismatched at the same value', () => {
    const a = folder({
      reconciliation: [
        status('inspections', 'match', 100),
        status('problems_found', 'mismatch', 90),
        status('persons_handled', 'mismatch', 80),
        status('cadres_adjusted', 'within', 100),
        status('eight_rules_cases', 'mismatch', 50),
      ],
    });
    const b = folder({
      name: 'run2',
      reconciliation: [
        status('inspections', 'mismatch', 120),
        status('problems_found', 'match', 100),
        status('persons_handled', 'mismatch', 80),
        status('cadres_adjusted', 'match', 100),
        status('eight_rules_cases', 'mismatch', 55),
      ],
    });
    const d = diffReports(a, b);
    const rec = d.rows.filter((r) => r.section === 'reconciliation');
    expect(rec.map((r) => [r.change, r.indicator, r.before, r.after])).toEqual([
      ['newly_mismatched', 'inspections', 'match', 'mismatch'],
      ['fixed', 'problems_found', 'mismatch', 'match'],
      ['still_mismatched', 'eight_rules_cases', 'mismatch', 'mismatch'],
      ['status_changed', 'cadres_adjusted', 'within', 'match'],
    ]);
    expect(d.carried.map((r) => [r.change, r.indicator])).toEqual([['still_mismatched', 'persons_handled']]);
  });

  it('reports a published figure only on one side as added or removed, and ignores unpublished rows that come and go', () => {
    const a = folder({ reconciliation: [status('inspections', 'match', 100), status('eight_rules_cases', 'unpublished', 50, { published_id: '', text: '' })] });
    const b = folder({ ...H2, reconciliation: [status('units_signed', 'match', 353, { scope_code: '330212', scope: '鄞州区', published_id: 'yz_units_signed' })] });
    const d = diffReports(a, b);
    expect(d.rows.filter((r) => r.section === 'reconciliation').map((r) => [r.change, r.unit, r.published_id])).toEqual([
      ['added', '330212', 'yz_units_signed'],
      ['removed', '330200', 'inspections'],
    ]);
  });

  it('compares the city totals (全市 rows) as a section of their own', () => {
    const a = folder({ reconciliation: [status('inspections', 'match', 3164)] });
    const b = folder({ ...H2, reconciliation: [status('inspections', 'unpublished', 3652, { published_id: '', text: '' })] });
    expect(diffReports(a, b).rows.find((r) => r.section === 'total')).toMatchObject({ unit_name: '全市', before: 3164, after: 3652, delta: 488, delta_pct: 15.4, compare_as: 'flow' });
  });
});

describe('findings', () => {
  const stock = (cell: string, raw: string) => f('rule.stock_decreased', { unit: '330212', indicator: 'villages_signed', file: `鄞州区.csv`, cell, raw });

  it('between periods: new, resolved, and persisting keyed by (code, unit, indicator) whatever the cell', () => {
    // a folder built before reconcile findings on the city total left the unit empty: the city's code, read as 全市
    const a = folder({ findings: [stock('E7', '279'), f('reconcile.incomplete', { unit: '330200', indicator: 'talent_3315_applications' })], reconciliation: [status('talent_3315_applications', 'incomplete', null)] });
    const b = folder({ ...H2, values: [v('330213', 'inspections', 330)], findings: [stock('E9', '238'), f('rule.change_large', { unit: '330213', indicator: 'inspections', file: '奉化区.xlsx', cell: 'M4' })] });
    const d = diffReports(a, b);
    expect(d.rows.filter((r) => r.section === 'finding').map((r) => [r.change, r.finding_code, r.unit_name])).toEqual([
      ['new', 'rule.change_large', '奉化区'],
      ['resolved', 'reconcile.incomplete', '全市'],
    ]);
    expect(d.carried.map((r) => [r.change, r.finding_code, r.cell_before, r.cell_after])).toEqual([['persisting', 'rule.stock_decreased', 'E7', 'E9']]);
  });

  it('between runs of one period: the file and cell are part of the key', () => {
    const d = diffReports(folder({ findings: [stock('E7', '279')] }), folder({ name: 'run2', findings: [stock('E9', '279')] }));
    expect(d.mode).toBe('runs');
    expect(d.rows.map((r) => [r.change, r.cell_before, r.cell_after])).toEqual([
      ['new', '', 'E9'],
      ['resolved', 'E7', ''],
    ]);
  });

  it('pairs repeated findings one to one (two in A, one in B: one persisting, one resolved)', () => {
    const two = [f('value.missing', { unit: '330212', indicator: 'inspections', cell: 'E15' }), f('value.missing', { unit: '330212', indicator: 'inspections', cell: 'E15' })];
    const d = diffReports(folder({ findings: two }), folder({ ...H2, findings: two.slice(1) }));
    expect([d.rows.map((r) => r.change), d.carried.map((r) => r.change)]).toEqual([['resolved'], ['persisting']]);
  });
});

describe('two runs of one period (a resubmission)', () => {
  const SHA1 = 'a'.repeat(64);
  const SHA2 = 'b'.repeat(64);
  const SHA3 = 'c'.repeat(64);
  const run1 = folder({
    name: 'run1',
    values: [v('330212', 'villages_signed', 279, { file: '鄞州区_2018H1.csv', cell: 'E7' }), v('330213', 'inspections', 205, { file: '奉化区_2018H1.xlsx', sheet: '汇总表', cell: 'M4' })],
    inputs: [{ file: '鄞州区_2018H1.csv', sha256: SHA1, unit: '330212' }, { file: '奉化区_2018H1.xlsx', sha256: SHA3, unit: '330213' }],
  });
  const run2 = folder({
    name: 'run2',
    values: [v('330212', 'villages_signed', 270, { file: '鄞州区_2018H1.csv', cell: 'E8', raw: '270个' }), v('330213', 'inspections', 206, { file: '奉化区_2018H1.xlsx', sheet: '汇总表', cell: 'M4' })],
    inputs: [{ file: '鄞州区_2018H1.csv', sha256: SHA2, unit: '330212' }, { file: '奉化区_2018H1.xlsx', sha256: SHA3, unit: '330213' }],
  });

  it('names the file and cell before → after, the raw text, and says the file’s sha256 changed', () => {
    const d = diffReports(run1, run2);
    expect(d.mode).toBe('runs');
    const yz = d.rows.find((r) => r.section === 'value' && r.unit === '330212')!;
    expect(yz).toMatchObject({
      before: 279, after: 270, delta: -9,
      file_before: '鄞州区_2018H1.csv', cell_before: 'E7', raw_before: '279',
      file_after: '鄞州区_2018H1.csv', cell_after: 'E8', raw_after: '270个',
      sha256_before: SHA1, sha256_after: SHA2, input_sha256: 'changed',
    });
    expect(yz.message).toContain('鄞州区_2018H1.csv!E7“279” → 鄞州区_2018H1.csv!E8“270个”');
    expect(yz.message).toContain('sha256 不同');
  });

  it('lists the input file whose bytes changed, per the manifests', () => {
    const d = diffReports(run1, run2);
    expect(d.rows.filter((r) => r.section === 'input').map((r) => [r.change, r.file_before, r.sha256_before, r.sha256_after, r.unit_name])).toEqual([
      ['changed', '鄞州区_2018H1.csv', SHA1, SHA2, '鄞州区'],
    ]);
  });

  it('says when a value changed although its file did not (the tool or catalogue changed)', () => {
    const fh = diffReports(run1, run2).rows.find((r) => r.section === 'value' && r.unit === '330213')!;
    expect(fh.input_sha256).toBe('unchanged');
    expect(fh.message).toContain('sha256 相同');
  });

  it('says when a value now comes from another file', () => {
    const other = folder({ name: 'run3', values: [v('330212', 'villages_signed', 270, { file: '鄞州区_2018H1_补报.xlsx', cell: 'E7' })], inputs: [{ file: '鄞州区_2018H1_补报.xlsx', sha256: SHA2, unit: '330212' }] });
    const d = diffReports(run1, other);
    expect(d.rows.find((r) => r.section === 'value' && r.unit === '330212')).toMatchObject({ input_sha256: 'other_file', sha256_before: SHA1, sha256_after: SHA2 });
    expect(d.rows.filter((r) => r.section === 'input').map((r) => [r.change, r.file_before || r.file_after])).toEqual([
      ['added', '鄞州区_2018H1_补报.xlsx'],
      ['removed', '奉化区_2018H1.xlsx'],
      ['removed', '鄞州区_2018H1.csv'],
    ]);
  });

  it('fills no sha256 columns between periods', () => {
    const d = diffReports(run1, { ...run2, period: '2018H2', name: '2018H2' });
    expect(d.rows.filter((r) => r.section === 'input')).toEqual([]);
    expect(d.rows.find((r) => r.section === 'value')).toMatchObject({ input_sha256: '', sha256_before: '', sha256_after: '' });
  });
});

describe('a folder against itself', () => {
  it('has no differences; persisting findings and still-mismatched figures are carried over, not differences', () => {
    const a = folder({
      values: [v('330212', 'inspections', 360), v('330200', 'villages_signed', 'na')],
      reconciliation: [status('inspections', 'mismatch', 90)],
      findings: [f('rule.change_large', { unit: '330212', indicator: 'inspections' })],
      inputs: [{ file: 'x.csv', sha256: 'a'.repeat(64) }],
    });
    const d = diffReports(a, a);
    expect(d.rows).toEqual([]);
    expect(d.carried.map((r) => r.change)).toEqual(['still_mismatched', 'persisting']);
    expect(d.grid.rows.every((r) => r.tone === 'same')).toBe(true);
  });
});

describe('the highlighter grid', () => {
  it('writes a changed cell old→new, marks added items +++ and dropped items ---', () => {
    const before = catalogue();
    const after = catalogue('2018H2');
    after.items = after.items.filter((i) => i.code !== 'high_end_teams_new');
    const d = diffReports(
      folder({ catalogue: before, values: [v('330212', 'villages_signed', 279), v('330212', 'high_end_teams_new', 5)] }),
      folder({ ...H2, catalogue: after, values: [v('330212', 'villages_signed', 238), v('330212', 'eight_rules_persons', 11)] }),
    );
    const at = (code: string) => d.grid.columns.findIndex((c) => c.indicator === code);
    expect(d.grid.columns[at('eight_rules_persons')].tone).toBe('add');
    expect(d.grid.columns[at('high_end_teams_new')].tone).toBe('remove');
    const row = d.grid.rows[0];
    expect([row.cells[at('villages_signed')], row.cells[at('eight_rules_persons')], row.cells[at('high_end_teams_new')]]).toEqual([
      { tone: 'change', text: '279→238' },
      { tone: 'add', text: '11' },
      { tone: 'remove', text: '5' },
    ]);
    expect(row.tone).toBe('change');
  });
});
