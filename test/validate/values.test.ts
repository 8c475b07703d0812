import { describe, expect, it } from 'vitest';
import { runPeriod } from '../../pipeline/run.ts';
import { checkFile } from '../../pipeline/check.ts';
import { YZ, codes, contextFor, encodeText, findingsAt, longCsv, longRows, longXlsx } from '../helpers.ts';
import { sampleInputs } from '../sample.ts';

const ctx = contextFor('2018H1');
const csv = (values: Record<string, unknown>, file = '鄞州区_2018H1.csv') => ({ file, bytes: encodeText(longCsv(longRows('2018H1', values)), 'utf-8-bom') });

describe('values of a submission', () => {
  it('a clean file has no findings and every figure is a number', async () => {
    const c = await checkFile(csv(YZ), ctx);
    expect(c.findings).toEqual([]);
    expect(c.values.filter((v) => v.status === 'value')).toHaveLength(15);
  });

  it('reads 1,248 / １２４８ / 1248个 / 1.2万 as numbers', async () => {
    const c = await checkFile(csv({ ...YZ, nonpublic_members: '1.2万', inspections: '１２４８', problems_found: '230个', four_star_orgs: '"1,248"' }), ctx);
    const v = Object.fromEntries(c.values.map((x) => [x.indicator, x.value]));
    expect([v.nonpublic_members, v.inspections, v.problems_found]).toEqual([12000, 1248, 230]);
  });

  it.each([
    ['120余', 'value.approximate', '“120余”是约数，请填写准确数字'],
    ['#REF!', 'value.formula_error', '公式错误'],
    ['-3', 'value.negative', '不能为负数'],
    ['2.5', 'value.fraction', '应为整数'],
    ['57.8%', 'value.percent', '不是百分比'],
    ['见附件', 'value.not_a_number', '不是数字'],
    ['', 'value.missing', '未填写'],
    ['—', 'value.not_applicable', '不能填'],
  ])('reports %s in a required count as %s at its cell', async (raw, code, words) => {
    const c = await checkFile(csv({ ...YZ, inspections: raw }), ctx);
    expect(findingsAt(c.findings)).toEqual([['E15', code]]);
    expect(c.findings[0]).toMatchObject({ file: '鄞州区_2018H1.csv', row: 15, col: 5, unit: '330212', indicator: 'inspections', severity: 'error' });
    expect(c.findings[0].message).toContain(words);
  });

  it('“—”, “/”, “无” are allowed where the catalogue allows not applicable', async () => {
    for (const na of ['—', '/', '无']) {
      const c = await checkFile(csv({ ...YZ, high_end_teams_new: na }), ctx);
      expect(c.findings).toEqual([]);
      expect(c.values.find((v) => v.indicator === 'high_end_teams_new')!.status).toBe('na');
    }
  });

  it('a formula without a cached result and an error value are findings at their cells', async () => {
    const bytes = await longXlsx({
      rows: longRows('2018H1', YZ),
      mutate: (ws) => {
        ws.getCell('E5').value = { formula: 'E20+E21' } as never;
        ws.getCell('E6').value = { error: '#DIV/0!' } as never;
      },
    });
    const c = await checkFile({ file: 'x.xlsx', bytes }, ctx);
    expect(findingsAt(c.findings)).toEqual([['E5', 'value.formula_no_cache'], ['E6', 'value.formula_error']]);
    expect(c.findings[0].message).toContain('保存');
  });

  it('a missing row is named; a missing unit is a warning that makes the period incomplete', async () => {
    const rows = longRows('2018H1', YZ).filter((r) => r[2] !== '发现问题');
    const c = await checkFile({ file: '鄞州区.csv', bytes: encodeText(longCsv(rows), 'utf-8') }, ctx);
    expect(codes(c.findings)).toEqual(['row.missing_indicator']);
    expect(c.findings[0].message).toContain('发现问题');
  });
});

describe('village-level detail', () => {
  const detailRows = (values: [string, string, string, unknown, unknown][]) => [
    ['村社代码', '村社名称', '类型', '悬挂红色标识的行政村', '悬挂红色标识的城市社区'],
    ...values,
  ];

  it('is summed to the unit and checked against the unit’s own row', async () => {
    const bytes = await longXlsx({
      unitLine: '填报单位：镇海区委组织部',
      rows: longRows('2018H1', { ...YZ, villages_signed: 2, communities_signed: 1 }),
      extraSheets: [{ name: '村社明细', rows: detailRows([['330211001001', 'a', '社区', 0, 1], ['330211001002', 'b', '村', 1, 0]]) }],
    });
    const c = await checkFile({ file: 'zh.xlsx', bytes }, ctx);
    expect(c.findings.map((f) => [f.cell, f.code, f.indicator])).toEqual([['E7', 'rule.detail_sum', 'villages_signed']]);
    expect(c.findings[0].message).toContain('村社明细合计 1');
  });

  it('checks each code against the roster: unknown, another district’s, duplicated, wrong type', async () => {
    const bytes = await longXlsx({
      unitLine: '填报单位：镇海区委组织部',
      rows: longRows('2018H1', { ...YZ, villages_signed: 0, communities_signed: 1 }),
      extraSheets: [{ name: '村社明细', rows: detailRows([
        ['330211999999', 'x', '村', 0, 0],
        ['330212001005', 'y', '社区', 0, 0],
        ['330211001001', 'a', '社区', 0, 1],
        ['330211001001', 'a', '社区', 0, 0],
        ['330211001002', 'b', '社区', 1, 0],
      ]) }],
    });
    const c = await checkFile({ file: 'zh.xlsx', bytes }, ctx);
    expect(findingsAt(c.findings.filter((f) => f.sheet === '村社明细'))).toEqual([
      ['A2', 'rule.detail_unknown_village'],
      ['A3', 'rule.detail_wrong_unit'],
      ['A5', 'rule.detail_duplicate_village'],
      ['C6', 'rule.detail_type'],
    ]);
    // the duplicate names its first row's code cell
    expect(c.findings.find((f) => f.code === 'rule.detail_duplicate_village')?.message).toContain('另见 A4');
  });
});

describe('two files for one unit and period', () => {
  // a second file with other content (here one more line): which stands is the analyst's choice
  const corrected = () => new Uint8Array(Buffer.concat([Buffer.from(sampleInputs('2018H1').find((i) => i.file === '鄞州区_2018H1.csv')!.bytes), Buffer.from('\n')]));

  it('is an error on both by default, and the unit’s figures are not counted', async () => {
    const inputs = [...sampleInputs('2018H1'), { file: '鄞州区_2018H1_更正.csv', bytes: corrected() }];
    const r = await runPeriod(inputs, ctx);
    expect(r.findings.filter((f) => f.code === 'file.duplicate_submission').map((f) => f.file)).toEqual(['鄞州区_2018H1.csv', '鄞州区_2018H1_更正.csv']);
    expect(r.reconciliation.find((x) => x.published_id === 'inspections')!.status).toBe('incomplete');
  });

  it('a recorded choice lets one stand; the other is listed as superseded with the reason', async () => {
    const inputs = [...sampleInputs('2018H1'), { file: '鄞州区_2018H1_更正.csv', bytes: corrected() }];
    const r = await runPeriod(inputs, contextFor('2018H1', { choices: [{ unit: '330212', use: '鄞州区_2018H1_更正.csv', reason: '7月9日重新报送' }] }));
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
    const sup = r.findings.find((f) => f.code === 'file.superseded')!;
    expect(sup).toMatchObject({ file: '鄞州区_2018H1.csv', confirmed: 'choices.yaml：7月9日重新报送' });
    expect(r.values.find((v) => v.unit === '330212' && v.indicator === 'inspections')!.loc!.file).toBe('鄞州区_2018H1_更正.csv');
  });

  it('a byte-identical second file is no conflict: read once, a warning names the copy', async () => {
    const same = sampleInputs('2018H1').find((i) => i.file === '鄞州区_2018H1.csv')!.bytes;
    const r = await runPeriod([...sampleInputs('2018H1'), { file: '鄞州区_2018H1 (1).csv', bytes: same }], ctx);
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(r.findings.filter((f) => f.code === 'file.duplicate_copy')).toMatchObject([{ file: '鄞州区_2018H1 (1).csv', unit: '330212', severity: 'warning', refs: '鄞州区_2018H1.csv' }]);
    expect(r.values.find((v) => v.unit === '330212' && v.indicator === 'inspections')!.loc!.file).toBe('鄞州区_2018H1.csv');
    expect(r.reconciliation.find((x) => x.published_id === 'inspections')!.status).toBe('match');
    expect(r.inputs.map((i) => i.file)).toContain('鄞州区_2018H1 (1).csv');
  });
});
