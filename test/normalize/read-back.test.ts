// Read-back (#13): what was taken, from where — under each file in `validate`, in findings.json, on the
// check page and as green cells with a note in the annotated copy.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { checkFile } from '../../pipeline/check.ts';
import { formatReadBack } from '../../pipeline/normalize/read-back.ts';
import { annotateWorkbook, READ_FILL } from '../../pipeline/outputs/annotate.ts';
import { renderCheck } from '../../pipeline/browser/render.ts';
import { ROOT, YZ, contextFor, longRows, longXlsx } from '../helpers.ts';

const ctx = contextFor('2018H1');

describe('the table as read', () => {
  it('lists every figure with its item, cell and text as written, in cell order', async () => {
    const bytes = await longXlsx({ rows: longRows('2018H1', { ...YZ, nonpublic_members: '5,384', inspections: '约400' }) });
    const c = await checkFile({ file: '鄞州区.xlsx', bytes }, ctx);
    expect(c.read!.map((r) => r.cell)).toEqual(Array.from({ length: 15 }, (_, i) => `E${i + 4}`));
    expect(c.read!.find((r) => r.indicator === 'nonpublic_members')).toMatchObject({ item: '非公企业党员', value: 5384, raw: '5,384', sheet: '填报表', cell: 'E11' });
    expect(c.read!.find((r) => r.indicator === 'inspections')).toMatchObject({ value: null, raw: '约400' });
    const lines = formatReadBack(c.read!, (u) => u);
    expect(lines[0]).toBe('  已读取 15 个数：');
    expect(lines.join('\n')).toContain('非公企业党员 = 5384（“5,384”） [填报表!E11]');
    expect(lines.join('\n')).toContain('正风肃纪监督检查 = （未读：“约400”） [填报表!E15]');
    expect(lines).toHaveLength(1 + 5); // 15 figures, 3 a line
  });

  it('a wide form names the unit of each group; a derived H2 figure shows both cells', async () => {
    const c = await checkFile({ file: 'w.xlsx', bytes: new Uint8Array(readFileSync(path.join(ROOT, 'test/fixtures/2018年上半年党建争强推进情况汇总表（北仑区、镇海区）.xlsx'))) }, ctx);
    expect(new Set(c.read!.map((r) => r.unit))).toEqual(new Set(['330206', '330211']));
    expect(formatReadBack(c.read!, ctx.matchUnits.name).join('\n')).toContain('北仑区：');
  });

  it('the check page shows the same table; the annotated copy marks each cell read in green with a note', async () => {
    const bytes = await longXlsx({ rows: longRows('2018H1', { ...YZ, inspections: '约400' }) });
    const c = await checkFile({ file: '鄞州区.xlsx', bytes }, ctx);
    const html = renderCheck(c, ctx);
    expect(html).toContain('已读取 15 个数');
    expect(html).toMatch(/<tr class="read" data-cell="E11" data-sheet="填报表" data-indicator="nonpublic_members"><td>非公企业党员<\/td><td class="num">5200<\/td>/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await annotateWorkbook(bytes, c.findings, c.read)) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('填报表')!;
    expect((ws.getCell('E11').fill as ExcelJS.FillPattern).fgColor?.argb).toBe(READ_FILL);
    expect(ws.getCell('E11').note).toBe('已读取：非公企业党员 = 5200');
    // the problem cell keeps its red, its note says what was (not) read too
    expect((ws.getCell('E15').fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFC7CE');
    expect(String(ws.getCell('E15').note)).toContain('已读取：正风肃纪监督检查 = （未读：“约400”）');
    expect(ws.getCell('C11').fill).toBeUndefined();
  });
});
