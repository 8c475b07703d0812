// A 村社明细 of many units in one file (a province's or the country's detail, here two of Ningbo's
// districts): it names no unit of its own, and each row counts for the unit its code starts with —
// in the core, the one path every command takes (issue 16).
import { describe, expect, it } from 'vitest';
import { runPeriod } from '../../pipeline/run.ts';
import { checkFile } from '../../pipeline/check.ts';
import { makeContext } from '../../pipeline/context.ts';
import { Roster } from '../../pipeline/reference/roster.ts';
import { contextFor, encodeText } from '../helpers.ts';

const ctx = contextFor('2018H1');
const detail = (rows: string[][]) =>
  encodeText(['2018年上半年村社明细', '村社代码,村社名称,类型,悬挂红色标识的行政村,悬挂红色标识的城市社区', ...rows.map((r) => r.join(','))].join('\n') + '\n', 'utf-8');

describe('a detail file of many units', () => {
  it('sums each row into the unit its code starts with; a code of no unit of the region is said once', async () => {
    const bytes = detail([
      ['330211001001', '城东社区', '社区', '0', '1'],
      ['330211001002', '胜利路社区', '社区', '0', '1'],
      ['330212001005', '东兴社区居委会', '社区', '0', '1'],
      ['330212001207', '河东村村委会', '村', '1', '0'],
      ['330101001001', '杭州的社区', '社区', '0', '1'],
    ]);
    const r = await runPeriod([{ file: '村社明细_2018H1.csv', bytes }], ctx);
    const v = (unit: string, ind: string) => r.values.find((x) => x.unit === unit && x.indicator === ind)!;
    expect([v('330211', 'communities_signed').value, v('330211', 'villages_signed').value]).toEqual([2, 0]);
    expect([v('330212', 'communities_signed').value, v('330212', 'villages_signed').value]).toEqual([1, 1]);
    expect(v('330211', 'communities_signed')).toMatchObject({ origin: 'detail', raw: '明细合计 2 行', status: 'value' });
    expect(v('330203', 'communities_signed').status).toBe('missing');
    expect(r.findings.filter((f) => f.code === 'file.unit_unknown')).toEqual([]);
    expect(r.findings.filter((f) => f.code.startsWith('rule.detail_')).map((f) => [f.code, f.cell, f.unit, f.raw])).toEqual([['rule.detail_unknown_village', 'A7', '', '330101001001']]);
    expect(r.totals.get('communities_signed')!.reported).toEqual(['330211', '330212']);
  });

  it('validate and the check page read it as report does: no file.unit_unknown, each unit’s sums', async () => {
    const bytes = detail([
      ['330211001001', '城东社区', '社区', '0', '1'],
      ['330212001207', '河东村村委会', '村', '1', '0'],
    ]);
    const c = await checkFile({ file: '村社明细_2018H1.csv', bytes }, ctx);
    expect(c.findings.filter((f) => f.code === 'file.unit_unknown')).toEqual([]);
    // the same findings as report gives the same file (the items a detail does not carry are missing in both)
    const r = await runPeriod([{ file: '村社明细_2018H1.csv', bytes }], ctx);
    const mine = (fs: { code: string; unit: string; indicator: string }[]) => fs.filter((f) => !['submission.missing', 'rule.share_far_from_city'].includes(f.code) && !f.code.startsWith('reconcile.')).map((f) => `${f.code} ${f.unit} ${f.indicator}`).sort();
    expect(mine(c.findings)).toEqual(mine(r.findings.filter((f) => f.unit === '330211' || f.unit === '330212' || f.file === '村社明细_2018H1.csv')));
    const v = (unit: string, ind: string) => c.values.find((x) => x.unit === unit && x.indicator === ind)?.value;
    expect([v('330211', 'communities_signed'), v('330212', 'villages_signed')]).toEqual([1, 1]);
  });

  it('a detail file of one unit is still that unit’s own', async () => {
    const bytes = detail([
      ['330211001001', '城东社区', '社区', '0', '1'],
      ['330211001002', '胜利路社区', '社区', '0', '1'],
    ]);
    const r = await runPeriod([{ file: '镇海区_2018H1.csv', bytes }], ctx);
    expect(r.values.find((x) => x.unit === '330211' && x.indicator === 'communities_signed')!.value).toBe(2);
  });

  it('holds one file’s detail rows at a time: each file is summed as it is read and its rows let go (a count, not a timer)', async () => {
    // three districts' detail files of 120, 300 and 45 of their roster's villages, the largest in the middle
    const file = (unit: string, n: number) =>
      detail(ctx.roster.ofUnit(unit).slice(0, n).map((v) => [v.code, v.name, v.type === '村委会' ? '村' : '社区', v.type === '村委会' ? '1' : '0', v.type === '村委会' ? '0' : '1']));
    const inputs = [
      { file: '北仑区_2018H1.csv', bytes: file('330206', 120) },
      { file: '鄞州区_2018H1.csv', bytes: file('330212', 300) },
      { file: '镇海区_2018H1.csv', bytes: file('330211', 45) },
    ];
    const r = await runPeriod(inputs, ctx);
    expect(r.detailRowsHeld).toBe(300);
    // every row was summed all the same, into its own unit
    const raw = (unit: string) => r.values.find((x) => x.unit === unit && x.indicator === 'villages_signed')!.raw;
    expect([raw('330206'), raw('330212'), raw('330211')]).toEqual(['明细合计 120 行', '明细合计 300 行', '明细合计 45 行']);
    expect(r.findings.filter((f) => f.code.startsWith('rule.detail_'))).toEqual([]);
  });
});

describe('a 填报单位 that is not a reporting unit', () => {
  it('is told with the region’s own reporting units (from the region file, not a fixed text)', async () => {
    const form = (unitLine: string) => encodeText(['党建争强半年度推进情况表（2018年上半年）', unitLine, '序号,指标类别,指标名称,单位,本期数', '1,基层亮显,悬挂红色标识的行政村,个,3'].join('\n') + '\n', 'utf-8');
    const ningbo = await runPeriod([{ file: 'form.csv', bytes: form('填报单位：杭州湾新区') }], ctx);
    const f = ningbo.findings.find((x) => x.code === 'file.unit_unknown')!;
    expect(f.message).toContain('（十个区县（市）和市本级）');
    // a region of two districts and no 市本级: its own words
    const units = ctx.units.filter((u) => u.code === '330203' || u.code === '330205');
    const small = makeContext({ units, roster: Roster.empty() }, ctx.catalogue, { ...ctx.published, figures: [] });
    const g = (await runPeriod([{ file: 'form.csv', bytes: form('填报单位：杭州湾新区') }], small)).findings.find((x) => x.code === 'file.unit_unknown')!;
    expect(g.message).toContain('（两个区县（市））');
  });
});
