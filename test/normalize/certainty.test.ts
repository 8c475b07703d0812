// Certain, or a finding (#13): each reading decision with more than one candidate names them; the
// classes of the issue, on workbooks made as offices make them (exceljs, merged cells, two sheets).
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readForm } from '../../pipeline/read-form.ts';
import { runPeriod } from '../../pipeline/run.ts';
import { isRounded } from '../../pipeline/normalize/form.ts';
import { YZ, contextFor, findingsAt, longRows, longXlsx } from '../helpers.ts';

const H1 = contextFor('2018H1');
const H2 = contextFor('2018H2');
const YZ2: Record<string, number> = { ...YZ, eight_rules_persons: 9 };
const own = (r: { values: { unit: string }[] }) => r.values.filter((v) => v.unit === '330212') as Awaited<ReturnType<typeof runPeriod>>['values'];

async function wb(build: (wb: ExcelJS.Workbook) => void): Promise<Uint8Array> {
  const w = new ExcelJS.Workbook();
  w.created = w.modified = new Date('2019-01-08T00:00:00Z');
  build(w);
  return new Uint8Array((await w.xlsx.writeBuffer()) as ArrayBuffer);
}

/** An H2 long form with two figure columns (e.g. 1-6月 | 1-12月) for 鄞州区. */
function h2Sheet(w: ExcelJS.Workbook, heads: string[], cols: ((code: string, v: number) => number)[], name = '填报表') {
  const ws = w.addWorksheet(name);
  ws.addRow(['党建争强半年度推进情况表（2018年下半年）']);
  ws.addRow(['填报单位：鄞州区委组织部']);
  ws.addRow(['序号', '指标名称', '单位', ...heads, '备注']);
  for (const r of longRows('2018H2', YZ2)) ws.addRow([r[0], r[2], r[3], ...cols.map((f) => f('', Number(r[4]))), '']);
  return ws;
}

describe('class 1: cumulative columns in an H2 file', () => {
  it('1-6月 | 1-12月: a period item is the year minus the first half (both cells kept); a stock item the year-end column', async () => {
    const bytes = await wb((w) => h2Sheet(w, ['1-6月', '1-12月'], [(_c, v) => v, (_c, v) => v * 3]));
    const r = await runPeriod([{ file: '鄞州区_2018H2.xlsx', bytes }], H2);
    const promoted = own(r).find((v) => v.indicator === 'promoted_total')!;
    expect(promoted.value).toBe(YZ.promoted_total * 2); // 3v − v
    expect(promoted.raw).toBe(`E5 ${YZ.promoted_total * 3} − D5 ${YZ.promoted_total}`);
    const stock = own(r).find((v) => v.indicator === 'frontline_cadres')!;
    expect(stock.value).toBe(YZ.frontline_cadres * 3);
    expect(stock.loc?.cell).toBe('E4');
    // the first half is never read as an H2 figure
    expect(own(r).some((v) => v.loc?.cell.startsWith('D'))).toBe(false);
  });

  it('上半年 | 全年 reads the same way', async () => {
    const bytes = await wb((w) => h2Sheet(w, ['上半年', '全年'], [(_c, v) => v, (_c, v) => v * 3]));
    const r = await runPeriod([{ file: '鄞州区_2018H2.xlsx', bytes }], H2);
    expect(own(r).find((v) => v.indicator === 'inspections')!.value).toBe(YZ.inspections * 2);
  });

  it('only 1-12月: a period item is an error that says so, a stock item is read', async () => {
    const bytes = await wb((w) => h2Sheet(w, ['1-12月'], [(_c, v) => v]));
    const f = (await readForm({ file: '鄞州区_2018H2.xlsx', bytes }, H2)).findings;
    const yearOnly = f.filter((x) => x.code === 'header.year_only');
    expect(yearOnly.map((x) => x.indicator).sort()).toEqual(
      ['promoted_total', 'promoted_frontline', 'cadres_adjusted', 'secretaries_adjusted', 'talent_3315_applications', 'high_end_teams_new', 'inspections', 'problems_found', 'persons_handled', 'eight_rules_cases', 'eight_rules_persons'].sort(),
    );
    expect(yearOnly[0].message).toContain('全年');
    const r = await runPeriod([{ file: '鄞州区_2018H2.xlsx', bytes }], H2);
    expect(own(r).find((v) => v.indicator === 'nonpublic_members')!.value).toBe(YZ.nonpublic_members);
  });

  it('only 1-6月 in an H2 file: no figure is read from it', async () => {
    const bytes = await wb((w) => h2Sheet(w, ['1-6月'], [(_c, v) => v]));
    const r = await runPeriod([{ file: '鄞州区_2018H2.xlsx', bytes }], H2);
    expect(own(r).filter((v) => v.status === 'value')).toEqual([]);
  });
});

describe('two candidates, never the first by order', () => {
  it('two 本期数-like columns (本期数 | 完成数): reading.uncertain naming both cells, nothing read', async () => {
    const bytes = await longXlsx({ rows: longRows('2018H1', YZ), mutate: (ws) => { ws.getCell('F3').value = '完成数'; } });
    const r = await runPeriod([{ file: 'x.xlsx', bytes }], H1);
    const u = r.findings.find((f) => f.code === 'reading.uncertain')!;
    expect(u).toMatchObject({ severity: 'error', cell: 'E3' });
    expect(u.message).toContain('E3“本期数”');
    expect(u.message).toContain('F3“完成数”');
    expect(own(r).filter((v) => v.status === 'value')).toEqual([]);
  });

  it('a code and a name naming different items: reading.uncertain on that row', async () => {
    const bytes = await wb((w) => {
      const ws = w.addWorksheet('填报表');
      ws.addRow(['填报单位：鄞州区委组织部　2018年上半年']);
      ws.addRow(['指标代码', '指标名称', '本期数']);
      ws.addRow(['inspections', '发现问题', 420]);
      ws.addRow(['frontline_cadres', '一线挂职干部', 150]);
    });
    const f = (await readForm({ file: 'x.xlsx', bytes }, H1)).findings;
    expect(findingsAt(f)).toContainEqual(['C3', 'reading.uncertain']);
    expect(f.find((x) => x.code === 'reading.uncertain')!.message).toContain('A3“inspections”');
  });

  it('class 3: 填报表 and the corrected 填报表 (2) for one period: an error naming both and the active one', async () => {
    const bytes = await longXlsx({
      rows: longRows('2018H1', YZ),
      mutate: (_ws, w) => {
        const b = w.addWorksheet('填报表 (2)');
        b.addRow(['党建争强半年度推进情况表（2018年上半年）']);
        b.addRow(['填报单位：鄞州区委组织部']);
        b.addRow(['序号', '指标类别', '指标名称', '单位', '本期数', '备注']);
        for (const r of longRows('2018H1', { ...YZ, inspections: 421 })) b.addRow(r as ExcelJS.CellValue[]);
        w.views = [{ activeTab: 1 } as ExcelJS.WorkbookView];
      },
    });
    const r = await runPeriod([{ file: '鄞州区.xlsx', bytes }], H1);
    const f = r.findings.find((x) => x.code === 'sheet.same_period')!;
    expect(f.severity).toBe('error');
    expect(f.message).toContain('“填报表”、“填报表 (2)”');
    expect(f.message).toContain('显示的是“填报表 (2)”');
    expect(own(r).filter((v) => v.status === 'value')).toEqual([]);
  });
});

describe('class 4, 5, 7: merged figures, subtotal rows, rounded figures', () => {
  it('one value cell merged over the rows of two items: an error on both, neither read', async () => {
    const bytes = await longXlsx({ rows: longRows('2018H1', { ...YZ, villages_signed: 407, communities_signed: null }), mutate: (ws) => ws.mergeCells('E7:E8') });
    const r = await runPeriod([{ file: '鄞州区.xlsx', bytes }], H1);
    expect(findingsAt(r.findings.filter((f) => f.code === 'row.merged_value'))).toEqual([['E7', 'row.merged_value'], ['E8', 'row.merged_value']]);
    expect(r.findings.find((f) => f.code === 'row.merged_value')!.message).toContain('E7:E8');
    expect(own(r).find((v) => v.indicator === 'villages_signed')?.status).not.toBe('value');
  });

  it('小计 / 合计 rows are not items: skipped, their sum held to the items above (a warning if it disagrees)', async () => {
    const rows = longRows('2018H1', YZ);
    const withTotals = [...rows.slice(0, 3), ['', '', '小计', '人', 1, ''], ...rows.slice(3), ['', '', '合计', '', rows.reduce((a, r) => a + Number(r[4]), 0), '']];
    const r = await runPeriod([{ file: '鄞州区.xlsx', bytes: await longXlsx({ rows: withTotals }) }], H1);
    expect(r.findings.filter((f) => f.code === 'row.unknown_indicator')).toEqual([]);
    expect(findingsAt(r.findings.filter((f) => f.code === 'row.subtotal_mismatch'))).toEqual([['E7', 'row.subtotal_mismatch']]);
    expect(r.findings.find((f) => f.code === 'row.subtotal_mismatch')!.message).toContain(String(YZ.promoted_total + YZ.promoted_frontline)) // the items of 担当作为, the category above it;
    expect(own(r).filter((v) => v.status === 'value')).toHaveLength(15);
  });

  it('0.54万 / 1.0万 is a warning "请填写准确数字" (read), 0.5384万 is exact', async () => {
    expect(['0.54万', '1.0万', '2万', '1.2亿', ' 0.5万人 '].map(isRounded)).toEqual([true, true, true, true, true]);
    expect(['0.5384万', '5384', '1.23456789亿', '54%'].map(isRounded)).toEqual([false, false, false, false]);
    const r = await runPeriod([{ file: '鄞州区.xlsx', bytes: await longXlsx({ rows: longRows('2018H1', { ...YZ, nonpublic_members: '0.54万' }) }) }], H1);
    const w = r.findings.find((f) => f.code === 'value.rounded')!;
    expect(w).toMatchObject({ severity: 'warning', cell: 'E11' });
    expect(w.message).toContain('请填写准确数字');
  });
});

describe('class 2: text files', () => {
  const csv = (lines: string[], eol: string[]) => new Uint8Array(Buffer.from(lines.map((l, i) => l + (eol[i % eol.length] ?? '\r\n')).join(''), 'utf8'));
  const lines = () => ['填报单位：鄞州区委组织部,2018年上半年', '指标名称,本期数,备注', ...longRows('2018H1', YZ).map((r) => `${r[2]},${r[4]},`)];

  it('a row with more fields than its header (an unquoted 7,013): an error at that row, never a cut figure', async () => {
    const l = lines();
    l[9] = '非公企业党员,5,200,'; // 5,200 typed in Notepad
    const r = await runPeriod([{ file: '鄞州区.csv', bytes: csv(l, ['\r\n']) }], H1);
    const f = r.findings.find((x) => x.code === 'row.extra_fields')!;
    expect(f).toMatchObject({ severity: 'error', cell: 'B10' });
    expect(f.message).toContain('5,200');
    expect(own(r).find((v) => v.indicator === 'nonpublic_members')?.value ?? null).toBeNull();
    expect(r.findings.filter((x) => x.code === 'row.missing_indicator' && x.unit === '330212')).toEqual([]);
  });

  it('CRLF and LF mixed do not fold the LF lines into one cell', async () => {
    const r = await runPeriod([{ file: '鄞州区.csv', bytes: csv(lines(), ['\r\n', '\n', '\n']) }], H1);
    expect(r.findings.filter((x) => x.file === '鄞州区.csv' && x.severity === 'error')).toEqual([]);
    expect(own(r).filter((v) => v.status === 'value')).toHaveLength(15);
  });
});

describe('figures in 万', () => {
  it('a 万人 measure: 0.7989 is read as 7989 from its digits; 0.8 is read as 8000 with value.rounded', async () => {
    const rows = longRows('2018H1', { ...YZ, nonpublic_members: 0.7989, four_star_orgs: '0.8' }).map((r, i) => (i === 7 ? [...r.slice(0, 3), '万人', ...r.slice(4)] : i === 8 ? [...r.slice(0, 3), '万个', ...r.slice(4)] : r));
    const r = await runPeriod([{ file: '鄞州区.xlsx', bytes: await longXlsx({ rows }) }], H1);
    expect(own(r).find((v) => v.indicator === 'nonpublic_members')).toMatchObject({ value: 7989, raw: '0.7989（万人）' });
    expect(own(r).find((v) => v.indicator === 'four_star_orgs')).toMatchObject({ value: 8000 });
    expect(findingsAt(r.findings.filter((f) => f.file === '鄞州区.xlsx' && f.unit === '330212'))).toEqual([['E12', 'value.rounded']]);
  });
});

describe('class 11: a UTF-8 file with a few invalid bytes', () => {
  it('is read as UTF-8 with the cells holding them flagged, not re-read as GB18030 whole', async () => {
    const text = ['填报单位：鄞州区委组织部,2018年上半年', '指标名称,本期数,备注', ...longRows('2018H1', YZ).map((r) => `${r[2]},${r[4]},`)].join('\r\n') + '\r\n';
    const good = Buffer.from(text, 'utf8');
    const at = good.indexOf(Buffer.from('备注'));
    const bytes = new Uint8Array(Buffer.concat([good.subarray(0, at), Buffer.from([0xc3, 0x28]), good.subarray(at)])); // one broken sequence in the header
    const r = await runPeriod([{ file: '鄞州区.csv', bytes }], H1);
    expect(r.findings.filter((f) => f.file === '鄞州区.csv').map((f) => [f.cell, f.code])).toEqual([['C2', 'value.encoding']]);
    expect(own(r).filter((v) => v.status === 'value')).toHaveLength(15);
    expect(r.inputs[0].encoding).toBe('utf-8');
  });
});

describe('class 2: a quote in the middle of a field', () => {
  it('"3315计划"申报 in a tab-separated file is read as Excel reads it, the rows after it stay rows', async () => {
    const lines = ['填报单位：鄞州区委组织部\t2018年上半年', '指标名称\t本期数\t备注', ...longRows('2018H1', YZ).map((r) => `${r[2] === '“3315计划”申报' ? '"3315计划"申报' : r[2]}\t${r[4]}\t`)];
    const r = await runPeriod([{ file: '鄞州区.txt', bytes: new Uint8Array(Buffer.from(lines.join('\r\n') + '\r\n', 'utf8')) }], H1);
    expect(r.findings.filter((f) => f.file === '鄞州区.txt' && f.severity === 'error')).toEqual([]);
    expect(own(r).find((v) => v.indicator === 'talent_3315_applications')).toMatchObject({ value: YZ.talent_3315_applications });
    expect(own(r).filter((v) => v.status === 'value')).toHaveLength(15);
  });
});
