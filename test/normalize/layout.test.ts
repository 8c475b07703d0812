import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readSubmission } from '../../pipeline/ingest/read.ts';
import { parseForms } from '../../pipeline/normalize/layout.ts';
import { periodsIn } from '../../pipeline/normalize/match.ts';
import { YZ, codes, contextFor, encodeText, longCsv, longRows, longXlsx } from '../helpers.ts';

const ctx = contextFor('2018H1');
const lctx = (period?: string) => ({ indicators: ctx.matchIndicators, units: ctx.matchUnits, period });

async function parse(bytes: Uint8Array, file: string, period?: string) {
  const { source, findings } = await readSubmission(bytes, file);
  const r = parseForms(source!, lctx(period));
  return { ...r, findings: [...findings, ...r.findings] };
}

describe('periodsIn', () => {
  it.each([
    ['党建争强半年度推进情况表（2018年上半年）', '2018H1'],
    ['2018年下半年', '2018H2'],
    ['鄞州区_2018H1.xlsx', '2018H1'],
    ['2018年1—6月', '2018H1'],
    ['２０１８年７-１２月', '2018H2'],
    ['2018 年度上半年', '2018H1'],
  ])('reads %s as %s', (text, p) => expect(periodsIn(text)).toEqual([p]));
  it('does not read a filing date as a period', () => expect(periodsIn('填报日期：2018年7月5日')).toEqual([]));
});

describe('parseForms: long form', () => {
  it('finds the header below the title lines, reads unit and period from them, and every figure with its cell', async () => {
    const { parsed, findings } = await parse(await longXlsx({ rows: longRows('2018H1', YZ) }), 'upload.xlsx');
    expect(findings).toEqual([]);
    expect(parsed!.unit).toBe('330212');
    expect(parsed!.period).toBe('2018H1');
    expect(parsed!.layouts).toEqual([{ layout: 'long', sheet: '填报表' }]);
    expect(parsed!.observations).toHaveLength(15);
    const insp = parsed!.observations.find((o) => o.indicator === 'inspections')!;
    expect(insp.loc).toEqual({ file: 'upload.xlsx', sheet: '填报表', cell: 'E15', row: 15, col: 5 });
    expect(insp.cell).toEqual({ t: 'number', n: 420 });
  });

  it('knows an indicator by its code or an alias as well as its name', async () => {
    const rows = [[1, '', 'frontline_cadres', '人', 5, ''], [12, '', '开展正风肃纪监督检查', '次', 9, '']];
    const { parsed } = await parse(encodeText(longCsv(rows), 'utf-8'), 'x.csv');
    expect(parsed!.observations.map((o) => [o.indicator, o.raw])).toEqual([['frontline_cadres', '5'], ['inspections', '9']]);
  });

  it('reports an unknown indicator and a duplicated row at their cells', async () => {
    const rows = [[1, '', '一线挂职干部', '人', 5, ''], [2, '', '不存在的指标', '个', 3, ''], [3, '', '一线挂职干部', '人', 6, '']];
    const { findings } = await parse(encodeText(longCsv(rows), 'utf-8'), 'x.csv');
    expect(findings.map((f) => [f.cell, f.code])).toEqual([['C5', 'row.unknown_indicator'], ['E6', 'row.duplicate_indicator']]);
  });

  it('the unit may come from the file name; a title and a file name that disagree are an error naming both', async () => {
    const ok = await parse(encodeText(longCsv([], { unitLine: '填报日期：2018年7月5日' }), 'utf-8'), '慈溪市_2018H1.csv');
    expect(ok.parsed!.unit).toBe('330282');
    const bad = await parse(encodeText(longCsv([]), 'utf-8'), '慈溪市_2018H1.csv');
    expect(codes(bad.findings)).toEqual(['file.unit_conflict']);
    expect(bad.findings[0].message).toContain('鄞州区');
    expect(bad.findings[0].message).toContain('慈溪市');
  });

  it('a period in the title that differs from the file name, or from the folder, is an error', async () => {
    const conflict = await parse(encodeText(longCsv([]), 'utf-8'), '鄞州区_2018H2.csv');
    expect(codes(conflict.findings)).toEqual(['file.period_conflict']);
    const other = await parse(encodeText(longCsv([]), 'utf-8'), '鄞州区.csv', '2018H2');
    expect(codes(other.findings)).toEqual(['file.period_other']);
  });

  it('takes the visible form when a hidden helper sheet is present, and says so when the form itself is hidden', async () => {
    const visible = await parse(await longXlsx({ rows: longRows('2018H1', YZ), extraSheets: [{ name: '参数', rows: [['类别'], ['一线历练']], state: 'hidden' }] }), 'x.xlsx');
    expect(visible.findings).toEqual([]);
    const hidden = await parse(await longXlsx({ rows: longRows('2018H1', YZ), mutate: (ws) => (ws.state = 'hidden'), extraSheets: [{ name: '封面', rows: [['封面']] }] }), 'x.xlsx');
    expect(codes(hidden.findings)).toEqual(['sheet.hidden']);
  });

  it('a file with no form says what a form looks like', async () => {
    const r = await parse(encodeText('姓名,电话\r\n张三,123\r\n', 'utf-8'), 'x.csv');
    expect(codes(r.findings)).toEqual(['file.no_form']);
    expect(r.findings[0].message).toContain('指标名称');
  });
});

describe('parseForms: wide form and village-level detail', () => {
  it('reads a two-row header (category merged over items) and a unit per row', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('汇总表');
    ws.addRow(['党建争强半年度推进情况汇总表（2018年上半年）']);
    ws.addRow(['单位', '正风肃纪', null, '八项规定']);
    ws.addRow([null, '正风肃纪监督检查', '发现问题', '查处违反中央八项规定问题']);
    ws.addRow(['北仑区', 300, 150, 5]);
    ws.addRow(['江北', 200, 90, 3]);
    ws.addRow(['合计', 500, 240, 8]);
    ws.mergeCells('A2:A3');
    ws.mergeCells('B2:C2');
    const { parsed, findings } = await parse(new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer), 'sum.xlsx');
    expect(findings).toEqual([]);
    expect(parsed!.layouts[0].layout).toBe('wide');
    expect(parsed!.observations.map((o) => `${o.unit} ${o.indicator} ${o.raw} ${o.loc.cell}`)).toEqual([
      '330206 inspections 300 B4', '330206 problems_found 150 C4', '330206 eight_rules_cases 5 D4',
      '330205 inspections 200 B5', '330205 problems_found 90 C5', '330205 eight_rules_cases 3 D5',
    ]);
  });

  it('an item in two columns: a hidden one (last period’s, left in) gives way to the visible one; two visible ones are an error', async () => {
    const make = async (hideB: boolean) => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('汇总表');
      ws.addRow(['党建争强半年度推进情况汇总表（2018年上半年）']);
      ws.addRow(['单位', '正风肃纪监督检查', '正风肃纪监督检查', '发现问题', '辅助列']);
      ws.addRow(['北仑区', 280, 300, 150, 'x']);
      ws.getColumn(5).hidden = true;
      if (hideB) ws.getColumn(2).hidden = true;
      return parse(new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer), 'sum.xlsx');
    };
    const hidden = await make(true);
    expect(hidden.findings).toEqual([]);
    expect(hidden.parsed!.observations.map((o) => `${o.indicator} ${o.raw} ${o.loc.cell}`)).toEqual(['inspections 300 C3', 'problems_found 150 D3']);
    const both = await make(false);
    expect(both.findings.map((f) => [f.code, f.cell, f.message])).toEqual([['header.duplicate_indicator', 'C2', '指标“正风肃纪监督检查”出现了两列：请删除重复的一列']]);
  });

  it('reads a 村社明细 sheet next to the 填报表: 12-digit codes kept as text, type normalised', async () => {
    const bytes = await longXlsx({
      rows: longRows('2018H1', YZ),
      extraSheets: [{ name: '村社明细', rows: [['村社代码', '村社名称', '类型', '悬挂红色标识的行政村', '悬挂红色标识的城市社区'], ['330212001001', '某社区', '城市社区', 0, 1], ['330212100201', '某村', '行政村', '是', 0]] }],
    });
    const { parsed } = await parse(bytes, 'x.xlsx');
    expect(parsed!.layouts.map((l) => l.layout)).toEqual(['long', 'detail']);
    expect(parsed!.details.map((d) => [d.code, d.type, d.values.map((v) => v.raw).join('/')])).toEqual([
      ['330212001001', '社区', '0/1'],
      ['330212100201', '村', '是/0'],
    ]);
  });
});

describe('labels as offices write them', () => {
  it.each([
    ['1.一线挂职干部', 'frontline_cadres'],
    ['（一）一线挂职干部', 'frontline_cadres'],
    ['一、正风肃纪监督检查', 'inspections'],
    ['一线挂职干部（人）', 'frontline_cadres'],
    ['其中：党组织书记', 'secretaries_adjusted'],
    ['“3315计划”申报数量', 'talent_3315_applications'],
    ['INSPECTIONS', 'inspections'],
  ])('knows %s as %s', (label, code) => expect(ctx.matchIndicators.reported(label)).toBe(code));

  it('reads a year in Chinese numerals: 二〇一八年上半年', () => expect(periodsIn('二〇一八年上半年')).toEqual(['2018H1']));
});
