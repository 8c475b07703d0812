import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_LIMITS, readSubmission } from '../../pipeline/ingest/read.ts';
import { cellText } from '../../pipeline/ingest/grid.ts';
import { ROOT, codes, encodeText, longCsv, longXlsx } from '../helpers.ts';

describe('readSubmission: workbooks', () => {
  it('keeps a merged title in its master cell only, and lists the merge', async () => {
    const bytes = await longXlsx({ rows: [[1, '一线历练', '一线挂职干部', '人', 120, '']] });
    const { source, findings } = await readSubmission(bytes, 'a.xlsx');
    expect(findings).toEqual([]);
    const s = source!.sheets[0];
    expect(cellText(s.rows[0][0])).toContain('2018年上半年');
    expect(s.rows[0][1]).toEqual({ t: 'empty' });
    expect(s.merges).toContainEqual({ top: 0, left: 0, bottom: 0, right: 5 });
    expect(s.rows[3][4]).toEqual({ t: 'number', n: 120 });
  });

  it('uses a formula’s cached result, and marks a formula without one, and error values', async () => {
    const bytes = await longXlsx({
      rows: [],
      mutate: (ws) => {
        ws.getCell('E4').value = { formula: '60+28', result: 88 } as ExcelJS.CellFormulaValue;
        ws.getCell('E5').value = { formula: 'SUM(E1:E2)' } as ExcelJS.CellFormulaValue;
        ws.getCell('E6').value = { error: '#REF!' } as ExcelJS.CellErrorValue;
        ws.getCell('E7').value = { richText: [{ text: '12' }, { text: '48', font: { bold: true } }] };
        ws.getCell('E8').value = new Date('2018-07-05T00:00:00Z');
      },
    });
    const s = (await readSubmission(bytes, 'a.xlsx')).source!.sheets[0];
    expect(s.rows[3][4]).toEqual({ t: 'number', n: 88 });
    expect(s.rows[4][4]).toEqual({ t: 'nocache', formula: 'SUM(E1:E2)' });
    expect(s.rows[5][4]).toEqual({ t: 'error', s: '#REF!' });
    expect(s.rows[6][4]).toEqual({ t: 'text', s: '1248' });
    expect(s.rows[7][4]).toEqual({ t: 'date', iso: '2018-07-05' });
  });

  it('reads hidden sheets and rows and says which are hidden', async () => {
    const bytes = await longXlsx({
      rows: [[1, '一线历练', '一线挂职干部', '人', 120, ''], [2, '担当作为', '提拔干部', '人', 30, '']],
      extraSheets: [{ name: '参数', rows: [['x']], state: 'hidden' }],
      mutate: (ws) => (ws.getRow(5).hidden = true),
    });
    const s = (await readSubmission(bytes, 'a.xlsx')).source!.sheets;
    expect(s.map((x) => [x.name, x.hidden])).toEqual([['填报表', false], ['参数', true]]);
    expect(s[0].hiddenRows).toEqual([5]);
    expect(s[0].rows[4][4]).toEqual({ t: 'number', n: 30 });
  });

  it('reads a WPS-made workbook (app.xml says WPS 表格) like any other', async () => {
    const zip = await JSZip.loadAsync(await longXlsx({ rows: [[1, '一线历练', '一线挂职干部', '人', '１２０', '']] }));
    zip.file('docProps/app.xml', '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>WPS 表格</Application></Properties>');
    const { source } = await readSubmission(await zip.generateAsync({ type: 'uint8array' }), 'wps.xlsx');
    expect(source!.sheets[0].rows[3][4]).toEqual({ t: 'text', s: '１２０' });
  });
});

describe('readSubmission: files it cannot read say what to do', () => {
  it('an OLE2 file that holds no readable workbook, named .xls or .et, asks to be saved as .xlsx', async () => {
    const ole = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Array(504).fill(0)]);
    const xls = await readSubmission(ole, '鄞州区.xls');
    expect(codes(xls.findings)).toEqual(['file.unsupported_format']);
    expect(xls.findings[0].message).toContain('另存为');
    expect((await readSubmission(ole, '鄞州区.et')).findings[0].message).toContain('WPS .et');
  });

  it('a password-protected workbook (encrypted OOXML in OLE2) is file.encrypted', async () => {
    const name = [...'EncryptionInfo'].flatMap((c) => [c.charCodeAt(0), 0]);
    const ole = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Array(100).fill(0), ...name, 0, 0]);
    expect(codes((await readSubmission(ole, 'x.xlsx')).findings)).toEqual(['file.encrypted']);
  });

  it('an HTML table saved as .xls is held to the same cell limit as .xlsx and CSV, before it is parsed', async () => {
    const limits = { ...DEFAULT_LIMITS, zip: { ...DEFAULT_LIMITS.zip, maxCells: 1000 } };
    const table = (n: number) => `<html><body><table>${Array.from({ length: n / 10 }, () => `<tr>${'<td>1</td>'.repeat(10)}</tr>`).join('')}</table></body></html>`;
    const over = await readSubmission(new TextEncoder().encode(table(1010)), '鄞州区.xls', limits);
    expect(codes(over.findings)).toEqual(['limit.exceeded']);
    expect(over.findings[0].message).toContain('1000');
    const under = await readSubmission(new TextEncoder().encode(table(990)), '鄞州区.xls', limits);
    expect(codes(under.findings)).not.toContain('limit.exceeded');
  });

  it('a truncated .xlsx is file.corrupt; an empty file is file.empty; a PDF is unsupported', async () => {
    const good = await longXlsx({ rows: [] });
    expect(codes((await readSubmission(good.subarray(0, good.length / 2), 'x.xlsx')).findings)).toEqual(['file.corrupt']);
    expect(codes((await readSubmission(new Uint8Array(), 'x.csv')).findings)).toEqual(['file.empty']);
    expect(codes((await readSubmission(encodeText('%PDF-1.4', 'utf-8'), 'x.pdf')).findings)).toEqual(['file.unsupported_format']);
    expect(codes((await readSubmission(encodeText('<html></html>', 'utf-8'), 'x.xlsx')).findings)).toEqual(['file.corrupt']);
  });
});

describe('readSubmission: text files', () => {
  it.each(['gbk', 'utf-8-bom', 'utf-16le-bom'] as const)('reads a %s long-form CSV with title lines, CRLF and quoted 1,248', async (enc) => {
    const text = longCsv([[10, '人才引育', '“3315计划”申报', '个', '1,248', '含市直\n两个平台']]);
    const { source } = await readSubmission(encodeText(text, enc), '鄞州区.csv');
    const rows = source!.sheets[0].rows;
    expect(cellText(rows[0][0])).toBe('党建争强半年度推进情况表（2018年上半年）');
    expect(rows[3].map(cellText)).toEqual(['10', '人才引育', '“3315计划”申报', '个', '1,248', '含市直\n两个平台']);
  });

  it('reads tab- and semicolon-separated text', async () => {
    for (const sep of ['\t', ';']) {
      const { source } = await readSubmission(encodeText(longCsv([[12, '正风肃纪', '正风肃纪监督检查', '次', '3164', '']], { sep }), 'utf-8'), 'x.txt');
      expect(source!.sheets[0].rows[3][4]).toEqual({ t: 'text', s: '3164' });
    }
  });
});

describe('readSubmission: legacy .xls / WPS .et (BIFF, through @e965/xlsx)', () => {
  const RW = path.join(ROOT, 'test/fixtures/real-world');
  it('reads a LibreOffice BIFF8 .xls into the same Source: sheets, hidden sheet, typed cells', async () => {
    const bytes = new Uint8Array(readFileSync(path.join(RW, 'b4_江北区_2018年下半年_党建争强_含隐藏表.xls')));
    const { source, findings } = await readSubmission(bytes, '江北区.xls');
    expect(findings).toEqual([]);
    expect(source!.format).toBe('xls');
    expect(source!.sheets.map((s) => [s.name, s.hidden])).toEqual([['上期', true], ['本期', false]]);
    const numbers = source!.sheets[1].rows.flat().filter((c) => c.t === 'number');
    expect(numbers.length).toBeGreaterThanOrEqual(15);
  });

  it('holds a BIFF workbook to the same limits: rows cut while parsing, columns cut, each said', async () => {
    const bytes = new Uint8Array(readFileSync(path.join(RW, 'b4_象山县_2018年上半年_党建争强.xls')));
    const { source, findings } = await readSubmission(bytes, '象山县.xls', { ...DEFAULT_LIMITS, maxRows: 5, maxCols: 3 });
    expect(codes(findings)).toEqual(['limit.exceeded', 'limit.exceeded']);
    expect(source!.sheets[0].rows.length).toBeLessThanOrEqual(5);
    expect(Math.max(...source!.sheets[0].rows.map((r) => r.length))).toBeLessThanOrEqual(3);
  });

  it('a WPS .et saved as BIFF reads like the .xls', async () => {
    const bytes = new Uint8Array(readFileSync(path.join(RW, 'b4_象山县_2019年上半年_党建争强.et')));
    const { source, findings } = await readSubmission(bytes, '象山县.et');
    expect(findings).toEqual([]);
    expect(source!.format).toBe('xls');
  });
});
