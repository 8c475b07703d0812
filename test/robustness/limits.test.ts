// Limits: size, rows, columns, cell length, and archives that expand to far more than they weigh.
// Each breach must come back as a finding (limit.exceeded / file.too_large) with a Chinese message a
// clerk can act on, quickly, and before exceljs is asked to expand anything it should not.
// Small custom Limits keep the cases small; the zip bombs use the shipped DEFAULT_LIMITS.
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_LIMITS, readSubmission, type Limits } from '../../pipeline/ingest/read.ts';
import { DEFAULT_ZIP_LIMITS, zipStats } from '../../pipeline/ingest/zip-guard.ts';
import { readInput } from '../../pipeline/io.ts';
import { readForm } from '../../pipeline/run.ts';
import { codes, contextFor, longCsv, longRows, longXlsx, YZ } from '../helpers.ts';
import { SHEET_XML_HEAD, SHEET_XML_TAIL, deflateBomb, expectWellFormed, minimalXlsxParts, readInChild, writeZip } from './support.ts';

const SMALL: Limits = { maxBytes: 2 * 1024 * 1024, maxRows: 10, maxCols: 10, maxCellChars: 100, zip: DEFAULT_ZIP_LIMITS };
const tmp = mkdtempSync(path.join(os.tmpdir(), 'banbao-limits-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Counts the times exceljs is asked to open a workbook (`wb.xlsx` is a lazy getter on Workbook). */
function watchExcelJs() {
  return vi.spyOn(ExcelJS.Workbook.prototype, 'xlsx', 'get');
}
afterEach(() => vi.restoreAllMocks());

function limitFindings<T extends { code: string }>(f: T[]): T[] {
  return f.filter((x) => x.code === 'limit.exceeded' || x.code === 'file.too_large');
}

describe('size, rows, columns and cell length', () => {
  it('refuses a file larger than maxBytes before reading it: file.too_large, naming the limit', async () => {
    const csv = Buffer.from(longCsv(longRows('2018H1', YZ)) + '备注,'.repeat(500_000), 'utf8');
    expect(csv.length).toBeGreaterThan(SMALL.maxBytes);
    const r = await readSubmission(new Uint8Array(csv), '鄞州区_2018H1.csv', SMALL);
    expect(r.source).toBeUndefined();
    expect(codes(r.findings)).toEqual(['file.too_large']);
    expect(r.findings[0].message).toBe('文件超过大小限制（2 MB）：请只保留填报表');
    expectWellFormed(r.findings);
  });

  it('refuses an .xlsx larger than maxBytes without opening it', async () => {
    const spy = watchExcelJs();
    const bytes = writeZip(minimalXlsxParts(SHEET_XML_HEAD + SHEET_XML_TAIL).map((e) => (e.name.endsWith('sheet1.xml') ? { ...e, method: 0 as const, data: new Uint8Array(SMALL.maxBytes + 10).fill(0x20) } : e)));
    const r = await readSubmission(bytes, 'a.xlsx', SMALL);
    expect(codes(r.findings)).toEqual(['file.too_large']);
    expect(spy).not.toHaveBeenCalled();
  });

  it('refuses a 3 GB file in the submissions folder as too large, without reading it into memory', async () => {
    const big = path.join(tmp, '鄞州区_2018H1.csv');
    writeFileSync(big, '');
    truncateSync(big, 3 * 1024 ** 3); // sparse: costs no disk
    const r = await readForm(readInput(big, '鄞州区_2018H1.csv'), contextFor('2018H1'));
    rmSync(big);
    expectWellFormed(r.findings);
    expect(codes(r.findings)).toEqual(['file.too_large']);
  });

  it('reads the first maxRows rows of a CSV and says the rest was not read (行数)', async () => {
    const csv = longCsv([...longRows('2018H1', YZ), ...Array.from({ length: 40 }, (_, i) => [i, '', `说明${i}`, '', '', ''])]);
    const r = await readSubmission(new Uint8Array(Buffer.from(csv, 'utf8')), '鄞州区_2018H1.csv', SMALL);
    expect(r.source!.sheets[0].rows).toHaveLength(10);
    expect(limitFindings(r.findings).map((f) => f.message)).toEqual(['行数超过上限（10），其余部分未读取']);
    expectWellFormed(r.findings);
  });

  it('reads the first maxRows rows of a worksheet and names the sheet', async () => {
    const bytes = await longXlsx({ rows: longRows('2018H1', YZ), sheetName: '填报表' });
    const r = await readSubmission(bytes, '鄞州区_2018H1.xlsx', SMALL);
    expect(r.source!.sheets[0].rows).toHaveLength(10);
    expect(limitFindings(r.findings).map((f) => [f.sheet, f.message])).toEqual([['填报表', '行数超过上限（10），其余部分未读取']]);
    expectWellFormed(r.findings);
  });

  it('cuts a CSV at maxCols columns and says so (列数)', async () => {
    const wide = Array.from({ length: 30 }, (_, i) => `列${i + 1}`).join(',');
    const r = await readSubmission(new Uint8Array(Buffer.from(`${wide}\r\n${wide}\r\n`, 'utf8')), 'a.csv', SMALL);
    expect(r.source!.sheets[0].rows.every((row) => row.length === 10)).toBe(true);
    expect(limitFindings(r.findings).map((f) => f.message)).toEqual(['列数超过上限（10），其余部分未读取']);
  });

  it('cuts a worksheet whose first row is wider than maxCols and says so', async () => {
    const bytes = await longXlsx({ rows: [], mutate: (ws) => (ws.getCell(1, 30).value = '第30列') });
    const r = await readSubmission(bytes, 'a.xlsx', SMALL);
    expect(limitFindings(r.findings).map((f) => f.message)).toEqual(['列数超过上限（10），其余部分未读取']);
  });

  it('says so when a later row of a worksheet is wider than maxCols, instead of dropping its cells silently', async () => {
    const bytes = await longXlsx({ rows: longRows('2018H1', YZ), mutate: (ws) => (ws.getCell(6, 14).value = 420) });
    const r = await readSubmission(bytes, 'a.xlsx', { ...SMALL, maxRows: 1000 });
    expect(r.source!.sheets[0].rows[5]).toHaveLength(10); // cut, as it should be …
    expect(limitFindings(r.findings).map((f) => [f.sheet, f.message])).toEqual([['填报表', '列数超过上限（10），其余部分未读取']]); // … and said
  });

  it('cuts a CSV cell at maxCellChars and points at the cell', async () => {
    const csv = longCsv(longRows('2018H1', { ...YZ, frontline_cadres: '1'.repeat(150) } as Record<string, unknown>));
    const r = await readSubmission(new Uint8Array(Buffer.from(csv, 'utf8')), '鄞州区_2018H1.csv', { ...SMALL, maxRows: 1000 });
    const f = limitFindings(r.findings);
    expect(f.map((x) => [x.cell, x.row, x.message])).toEqual([['E4', 4, '单元格文字长度超过上限（100），其余部分未读取']]);
    expect(r.source!.sheets[0].rows[3][4]).toEqual({ t: 'text', s: '1'.repeat(100) });
    expectWellFormed(r.findings);
  });

  it('cuts a worksheet cell at maxCellChars and points at sheet and cell', async () => {
    const bytes = await longXlsx({ rows: longRows('2018H1', YZ), mutate: (ws) => (ws.getCell('F5').value = '说明'.repeat(80)) });
    const r = await readSubmission(bytes, 'a.xlsx', { ...SMALL, maxRows: 1000 });
    expect(limitFindings(r.findings).map((f) => [f.sheet, f.cell, f.message])).toEqual([['填报表', 'F5', '单元格文字长度超过上限（100），其余部分未读取']]);
  });

  it('the default limits are the documented ones', () => {
    expect(DEFAULT_LIMITS).toMatchObject({ maxBytes: 100 * 1024 * 1024, maxRows: 1_000_000, maxCols: 500, maxCellChars: 32_767 });
    // maxUncompressed and maxCells from measured memory (issue 17; test/robustness/round2.test.ts holds a file at each under 1 GB)
    expect(DEFAULT_ZIP_LIMITS).toEqual({ maxEntries: 10_000, maxUncompressed: 256 * 1024 ** 2, maxRatio: 200, maxMerges: 5_000, maxMergeRow: 1_000_000, maxMergeCol: 500, maxCells: 500_000 });
  });
});

describe('zip bombs are refused by zip-guard before exceljs expands anything', () => {
  const sheet = SHEET_XML_HEAD + '<row r="1"><c r="A1" t="inlineStr"><is><t>指标名称</t></is></c></row>' + SHEET_XML_TAIL;

  it('a control: an ordinary workbook is opened by exceljs (so the spy below would see it)', async () => {
    const spy = watchExcelJs();
    const r = await readSubmission(writeZip(minimalXlsxParts(sheet)), 'a.xlsx');
    expect(r.source?.sheets[0].rows[0][0]).toEqual({ t: 'text', s: '指标名称' });
    expect(spy).toHaveBeenCalled();
  });

  it('a central directory declaring 4 GB uncompressed → limit.exceeded in milliseconds', async () => {
    const spy = watchExcelJs();
    const bytes = writeZip(minimalXlsxParts(sheet).map((e) => (e.name.endsWith('sheet1.xml') ? { ...e, declaredSize: 0xfffffff0 } : e)));
    const t0 = performance.now();
    const r = await readSubmission(bytes, '鄞州区_2018H1.xlsx');
    expect(performance.now() - t0).toBeLessThan(5_000); // a bound, not a benchmark: expanding would take far longer (and the spy proves it did not)
    expect(codes(r.findings)).toEqual(['limit.exceeded']);
    expect(r.findings[0].message).toBe('文件解压后的大小超过上限（解压后 4096 MB，超过上限 256 MB），其余部分未读取');
    expect(spy).not.toHaveBeenCalled();
    expectWellFormed(r.findings);
  });

  it('a ZIP64 entry declaring 1 TB → limit.exceeded', async () => {
    const spy = watchExcelJs();
    const bytes = writeZip(minimalXlsxParts(sheet).map((e) => (e.name.endsWith('sheet1.xml') ? { ...e, zip64Size: 1n << 40n } : e)));
    const r = await readSubmission(bytes, 'a.xlsx');
    expect(codes(r.findings)).toEqual(['limit.exceeded']);
    expect(r.findings[0].message).toContain('超过上限 256 MB');
    expect(spy).not.toHaveBeenCalled();
  });

  it('a real 50 MB sheet that deflates to ~50 KB (ratio ≈ 1000:1) → limit.exceeded on the ratio, unexpanded', async () => {
    const row = '<row><c t="inlineStr"><is><t>1</t></is></c></row>';
    const xml = SHEET_XML_HEAD + row.repeat(Math.ceil((50 << 20) / row.length)) + SHEET_XML_TAIL;
    const bytes = writeZip(minimalXlsxParts(xml));
    expect(bytes.length).toBeLessThan(200 * 1024);
    const stats = zipStats(bytes);
    expect('error' in stats ? 0 : stats.uncompressed).toBeGreaterThan(50 << 20);
    const spy = watchExcelJs();
    const t0 = performance.now();
    const r = await readSubmission(bytes, '鄞州区_2018H1.xlsx');
    expect(performance.now() - t0).toBeLessThan(5_000); // a bound, not a benchmark: expanding would take far longer (and the spy proves it did not)
    expect(codes(r.findings)).toEqual(['limit.exceeded']);
    expect(r.findings[0].message).toMatch(/^文件解压后的大小超过上限（压缩比 \d+:1 异常（可能是“压缩炸弹”））/);
    expect(spy).not.toHaveBeenCalled();
  });

  it('10,001 entries → limit.exceeded on the entry count, unexpanded', async () => {
    const spy = watchExcelJs();
    const extra = Array.from({ length: 10_001 - 5 }, (_, i) => ({ name: `xl/media/x${i}.bin`, data: new Uint8Array(1), method: 0 as const }));
    const r = await readSubmission(writeZip([...minimalXlsxParts(sheet), ...extra]), 'a.xlsx');
    expect(r.findings.map((f) => f.message)).toEqual(['文件解压后的大小超过上限（压缩包内有 10001 个文件，超过上限 10000），其余部分未读取']);
    expect(spy).not.toHaveBeenCalled();
  });

  it('a zip whose headers understate the size (1,000 bytes declared, 64 MB inflated) is refused before exceljs inflates it', async () => {
    const spy = watchExcelJs();
    const bytes = writeZip(minimalXlsxParts(sheet).map((e) => (e.name.endsWith('sheet1.xml') ? { name: e.name, raw: deflateBomb(64), declaredSize: 1000, crc: 0 } : e)));
    expect(bytes.length).toBeLessThan(100 * 1024);
    const r = await readSubmission(bytes, '鄞州区_2018H1.xlsx');
    expectWellFormed(r.findings); // it does end as a finding (file.corrupt, "size mismatch") …
    expect(codes(r.findings)).toEqual(['limit.exceeded']); // … but only after inflating all of it
    expect(spy).not.toHaveBeenCalled();
  });
});

// Each read in a child process (test/robustness/read-file.ts) with 5 s from when it is ready, all three
// at once: an input that hangs is killed there instead of taking the test run with it.
describe.concurrent('tiny workbooks that make exceljs work for minutes', () => {
  it('a control: an ordinary workbook is read in the child well within the time', async () => {
    const file = path.join(tmp, 'ordinary.xlsx');
    writeFileSync(file, await longXlsx({ rows: longRows('2018H1', YZ) }));
    const r = await readInChild(file, 5_000);
    expect(r).toMatchObject({ finished: true, codes: [] });
  }, 120_000);

  it('a 6 KB workbook whose one merged range covers 20 million cells is answered within 5 s', async () => {
    const xml = SHEET_XML_HEAD + '<row r="1"><c r="A1" t="inlineStr"><is><t>指标名称</t></is></c></row>' + '</sheetData><mergeCells count="1"><mergeCell ref="C3:ALL20000"/></mergeCells></worksheet>';
    const file = path.join(tmp, 'merge-bomb.xlsx');
    writeFileSync(file, writeZip(minimalXlsxParts(xml)));
    const r = await readInChild(file, 5_000);
    expect(r.finished).toBe(true);
  }, 120_000);

  it('a 130 KB workbook with 20,000 one-row merged ranges is answered within 5 s', async () => {
    const merges = Array.from({ length: 20_000 }, (_, i) => `<mergeCell ref="C${i + 3}:D${i + 3}"/>`).join('');
    const xml = SHEET_XML_HEAD + '<row r="1"><c r="A1" t="inlineStr"><is><t>指标名称</t></is></c></row>' + `</sheetData><mergeCells count="20000">${merges}</mergeCells></worksheet>`;
    const file = path.join(tmp, 'merges.xlsx');
    writeFileSync(file, writeZip(minimalXlsxParts(xml)));
    const r = await readInChild(file, 5_000);
    expect(r.finished).toBe(true);
  }, 120_000);
});

describe('zips that are not workbooks', () => {
  const docx = () =>
    writeZip([
      { name: '[Content_Types].xml', data: new Uint8Array(Buffer.from('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')) },
      { name: 'word/document.xml', data: new Uint8Array(Buffer.from('<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>鄞州区 2018年上半年 一线挂职干部 150</w:t></w:r></w:p></w:body></w:document>')) },
    ]);

  it('a Word .docx is unsupported, and says it is a Word document', async () => {
    const spy = watchExcelJs();
    for (const name of ['鄞州区_2018H1.docx', '鄞州区_2018H1.xlsx']) {
      const r = await readSubmission(docx(), name);
      expect(codes(r.findings), name).toEqual(['file.unsupported_format']);
      expect(r.findings[0].message).toContain('Word');
      expectWellFormed(r.findings);
    }
    expect(spy).not.toHaveBeenCalled();
  });

  it('a zip of anything else named .xlsx is unsupported', async () => {
    const r = await readSubmission(writeZip([{ name: 'readme.txt', data: new Uint8Array(Buffer.from('hello')) }]), 'a.xlsx');
    expect(codes(r.findings)).toEqual(['file.unsupported_format']);
    expect(r.findings[0].message).toContain('不是 Excel 工作簿的压缩包');
  });
});
