// The diff's renderings: the highlighter workbook (read back), the offline HTML page, diff.csv, summary.json.
import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { diffReports } from '../../pipeline/diff/compare.ts';
import { diffHtml } from '../../pipeline/diff/html.ts';
import { DIFF_COLUMNS, type ReportDiff } from '../../pipeline/diff/model.ts';
import { summaryJson, summaryLines } from '../../pipeline/diff/summary.ts';
import { diffWorkbookBytes } from '../../pipeline/diff/workbook.ts';
import { toCsv } from '../../pipeline/outputs/csv.ts';
import { catalogue, f, folder, v } from './fixtures.ts';

function sample(): ReportDiff {
  const after = catalogue('2018H2');
  after.items = after.items.filter((i) => i.code !== 'high_end_teams_new');
  const a = folder({
    values: [v('330212', 'villages_signed', 279, { file: '鄞州区_2018H1.csv', cell: 'E7' }), v('330212', 'high_end_teams_new', 5), v('330213', 'inspections', 205), v('330226', 'inspections', 240)],
    findings: [f('reconcile.incomplete', { unit: '330200', indicator: 'talent_3315_applications' })],
  });
  const b = folder({
    period: '2018H2',
    catalogue: after,
    values: [
      v('330212', 'villages_signed', 238, { file: '鄞州区_2018H2.csv', cell: 'E7', raw: '<script>alert("x")</script>' }),
      v('330212', 'eight_rules_persons', 11),
      v('330213', 'inspections', 330),
      v('330226', 'inspections', 'missing', { file: '' }),
      v('330225', 'inspections', 250),
    ],
    findings: [f('rule.change_large', { unit: '330213', indicator: 'inspections', file: '奉化区_2018H2.xlsx', cell: 'M4', message: '=HYPERLINK("x") 变动超过 50%' })],
  });
  return diffReports(a, b);
}

async function readBack(bytes: Uint8Array) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return wb;
}
const fillOf = (c: ExcelJS.Cell) => ((c.fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb ?? '');

describe('diff.xlsx', () => {
  it('has the sheets 说明, 对比, 差异, 仍存在', async () => {
    const wb = await readBack(await diffWorkbookBytes(sample()));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['说明', '对比', '差异', '仍存在']);
  });

  it('colours the grid like a tabular diff: changed orange old→new, added item green +++, dropped item red ---, missing unit red', async () => {
    const d = sample();
    const ws = (await readBack(await diffWorkbookBytes(d))).getWorksheet('对比')!;
    const col = (code: string) => 4 + d.grid.columns.findIndex((c) => c.indicator === code);
    const rowOf = (unit: string) => 3 + d.grid.rows.findIndex((r) => r.unit === unit);
    expect(ws.getCell(2, 1).value).toBe('@@');
    const yz = ws.getCell(rowOf('330212'), col('villages_signed'));
    expect([yz.value, fillOf(yz)]).toEqual(['279→238', 'FFFFD8A8']);
    expect([ws.getCell(1, col('eight_rules_persons')).value, fillOf(ws.getCell(2, col('eight_rules_persons')))]).toEqual(['+++', 'FFC6EFCE']);
    expect([ws.getCell(1, col('high_end_teams_new')).value, fillOf(ws.getCell(2, col('high_end_teams_new')))]).toEqual(['---', 'FFFFC7CE']);
    expect([ws.getCell(rowOf('330226'), 1).value, fillOf(ws.getCell(rowOf('330226'), 2))]).toEqual(['---', 'FFFFC7CE']);
    expect([ws.getCell(rowOf('330225'), 1).value, fillOf(ws.getCell(rowOf('330225'), 2))]).toEqual(['+++', 'FFC6EFCE']);
    expect(ws.getCell(rowOf('330212'), 1).value).toBe('→');
  });

  it('lists every difference in 差异 with its marker, and numbers as numbers', async () => {
    const d = sample();
    const ws = (await readBack(await diffWorkbookBytes(d))).getWorksheet('差异')!;
    expect(ws.rowCount).toBe(d.rows.length + 1);
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    const at = (h: string) => header.indexOf(h) + 1;
    const yz = d.rows.findIndex((r) => r.section === 'value' && r.indicator === 'villages_signed') + 2;
    expect([ws.getCell(yz, at('标记')).value, ws.getCell(yz, at('旧→新')).value, ws.getCell(yz, at('之前')).value, ws.getCell(yz, at('增减')).value, ws.getCell(yz, at('增减%')).value]).toEqual(['→', '279→238', 279, -41, -0.147]);
    expect(fillOf(ws.getCell(yz, at('旧→新')))).toBe('FFFFD8A8');
  });

  it('is byte-identical when built twice', async () => {
    const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
    expect(sha(await diffWorkbookBytes(sample()))).toBe(sha(await diffWorkbookBytes(sample())));
  });
});

describe('index.html', () => {
  const html = diffHtml(sample());

  it('is a self-contained Chinese page: lang zh-CN, inline CSS, no script, nothing fetched', () => {
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="zh-CN">/);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<script|<link|src=|url\(|https?:\/\//i);
    expect(html).toContain('各单位数值对比');
  });

  it('escapes every text from the data', () => {
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('=HYPERLINK(&quot;x&quot;) 变动超过 50%');
  });

  it('shows a changed cell as old→new in the changed colour', () => {
    expect(html).toMatch(/<td class="change">279→238<\/td>/);
    expect(html).toContain('.change{background:#ffd8a8}');
  });
});

describe('diff.csv and summary.json', () => {
  it('diff.csv follows the table conventions: BOM, CRLF, the DIFF_COLUMNS header, formula text neutralised', () => {
    const d = sample();
    const csv = toCsv(DIFF_COLUMNS, d.rows as unknown as Record<string, unknown>[]);
    expect(csv.startsWith('\ufeffsection,change,unit,')).toBe(true);
    expect(csv.split('\r\n')).toHaveLength(d.rows.length + 2);
    const rows = Papa.parse<Record<string, string>>(csv.slice(1), { header: true, skipEmptyLines: 'greedy' }).data;
    expect(rows.find((r) => r.finding_code === 'rule.change_large')!.message).toBe(`'=HYPERLINK("x") 变动超过 50%`);
    expect(rows.find((r) => r.indicator === 'villages_signed' && r.section === 'value')).toMatchObject({ before: '279', after: '238', delta: '-41', delta_pct: '-14.7', compare_as: 'level' });
  });

  it('summary.json counts each kind of change, with zeros, and holds no clock or path', () => {
    const s = JSON.parse(summaryJson(sample()));
    expect(s.mode).toBe('periods');
    expect(s.counts.value).toEqual({ changed: 3, added: 2, removed: 1 });
    expect(s.counts.unit).toEqual({ added: 1, missing: 1 });
    expect(s.counts.catalogue).toMatchObject({ added: 1, dropped: 1, renamed: 0 });
    expect(s.counts.finding).toEqual({ new: 1, resolved: 1, persisting: 0 });
    expect(s.top_changes[0]).toMatchObject({ unit: '330213', indicator: 'inspections', delta_pct: 61 });
    expect(summaryJson(sample())).toBe(summaryJson(sample()));
    expect(summaryJson(sample())).not.toMatch(/\d{4}-\d\d-\d\dT|\/tmp|\\\\/);
  });

  it('the terminal summary gives counts per kind and the top changes', () => {
    const lines = summaryLines(sample());
    expect(lines[0]).toBe(`差异 2018H1 → 2018H2（两个期别之间）：共 ${sample().rows.length} 处`);
    expect(lines).toContain('  单位数值：变化 3，新增 2，删除 1');
    expect(lines).toContain('    奉化区 正风肃纪监督检查 205 → 330 +125（+61%） 比流量');
  });
});
