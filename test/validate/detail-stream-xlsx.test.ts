// A 村社明细 workbook beyond the cell limit is read in a stream (read-detail-stream.ts
// readDetailXlsxStream, ingest/xlsx-stream.ts), not refused: the same values, findings and record as
// the same workbook read whole. The tests lower the cell limit so that a small workbook takes the
// streaming path, and compare it with the workbook read whole under the default limits.
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runPeriod } from '../../pipeline/run.ts';
import { DEFAULT_LIMITS, readSubmission, type Limits } from '../../pipeline/ingest/read.ts';
import { HEAD_ROWS, readDetailXlsxStream } from '../../pipeline/read-detail-stream.ts';
import { DATA, ROOT, contextFor } from '../helpers.ts';

const ctx = contextFor('2018H1');
const STREAM: Limits = { ...DEFAULT_LIMITS, zip: { ...DEFAULT_LIMITS.zip, maxCells: 50 } };
const HEADER = ['村社代码', '村社名称', '类型', '悬挂红色标识的行政村', '悬挂红色标识的城市社区', '调整村社干部', '其中党组织书记'];
type V = { code: string; name: string; type: string };
const villages = (unit: string) => ctx.roster.ofUnit(unit);
const row = (v: V, i: number): ExcelJS.CellValue[] => [v.code, v.name, v.type === '村委会' ? '村' : '社区', v.type === '村委会' ? 1 : 0, v.type === '村委会' ? 0 : 1, i % 3, i % 2];

interface Book {
  title?: string;
  rows: ExcelJS.CellValue[][];
  /** 1-based sheet rows to hide */
  hide?: number[];
  /** a 说明 sheet before the list */
  notes?: boolean;
  /** merge the title across the table */
  mergeTitle?: boolean;
  /** a hidden column after the table (last period's figures) */
  hiddenCol?: boolean;
  footer?: string;
}

async function book(b: Book): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  if (b.notes) wb.addWorksheet('说明').addRow(['填表说明：每村社一行，代码为12位']);
  const ws = wb.addWorksheet('村社明细');
  if (b.title) ws.addRow([b.title]);
  ws.addRow(b.hiddenCol ? [...HEADER, '上期数'] : HEADER);
  for (const r of b.rows) ws.addRow(b.hiddenCol ? [...r, 9] : r);
  if (b.footer) ws.addRow([b.footer]);
  if (b.title && b.mergeTitle) ws.mergeCells(1, 1, 1, HEADER.length);
  for (const r of b.hide ?? []) ws.getRow(r).hidden = true;
  if (b.hiddenCol) ws.getColumn(HEADER.length + 1).hidden = true;
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

async function both(file: string, bytes: Uint8Array) {
  const whole = await runPeriod([{ file, bytes }], ctx);
  const streamed = await runPeriod([{ file, bytes }], ctx, new Map(), STREAM);
  return { whole, streamed };
}
const view = (r: Awaited<ReturnType<typeof runPeriod>>) => ({
  values: r.values.map((v) => [v.unit, v.indicator, v.value, v.status, v.raw, v.loc?.cell ?? ''].join(' ')),
  findings: r.findings.map((f) => [f.code, f.file, f.sheet, f.cell, f.unit, f.indicator, f.raw, f.message].join(' ')),
  inputs: r.inputs.map((i) => [i.file, i.format, i.encoding, i.layouts, i.unit, i.period].join(' ')),
});

describe('a large detail workbook is read in a stream', () => {
  it('gives the values and findings of the same workbook read whole: title merged, hidden rows and column, a 说明 sheet, errors', async () => {
    const a = villages('330211').slice(0, 70);
    const b = villages('330212').slice(0, 90);
    const [c1, c2] = villages('330212').slice(100, 102);
    const rows = [
      ...a.map(row),
      ...b.map(row),
      ['330212999999', '不在名录的村', '村', 1, 0, 0, 0],
      row(a[3], 3),
      [c1.code, c1.name, '社区', 1, 0, 0, 0],
      [c2.code, c2.name, '村', '120余', 0, -1, 0.5],
      ['330101001001', '杭州的社区', '社区', 0, 1, 0, 0],
    ];
    const bytes = await book({ title: '2018年上半年村社明细', mergeTitle: true, rows, hide: [5, 150], notes: true, hiddenCol: true, footer: '填表人：张三' });
    const { whole, streamed } = await both('村社明细_2018H1.xlsx', bytes);
    expect(whole.findings.some((f) => f.code === 'limit.exceeded')).toBe(false);
    expect(streamed.findings.some((f) => f.code === 'limit.exceeded')).toBe(false);
    expect(view(streamed)).toEqual(view(whole));
    expect(streamed.inputs[0].format).toBe('xlsx');
    expect(streamed.values.find((v) => v.unit === '330211' && v.indicator === 'cadres_adjusted')!.raw).toMatch(/^明细合计 \d+ 行$/);
    expect(streamed.findings.map((f) => f.code)).toEqual(
      expect.arrayContaining(['sheet.hidden_rows', 'rule.detail_unknown_village', 'rule.detail_duplicate_village', 'rule.detail_type', 'value.approximate', 'value.negative', 'value.fraction']),
    );
    // read whole, the rows were held as a ParsedFile's; streamed, never
    expect(whole.detailRowsHeld).toBeGreaterThan(HEAD_ROWS);
    expect(streamed.detailRowsHeld).toBe(0);
  });

  it('a 填报单位 line below the rows (past the first rows) is still the workbook’s claim', async () => {
    const rows = villages('330212').slice(0, HEAD_ROWS + 40).map(row);
    const { whole, streamed } = await both('明细.xlsx', await book({ title: '村社明细', rows, footer: '填报单位：镇海区委组织部' }));
    expect(view(streamed)).toEqual(view(whole));
    expect(streamed.inputs[0].unit).toBe('330211');
    expect(streamed.findings.filter((f) => f.code === 'rule.detail_wrong_unit').length).toBe(HEAD_ROWS + 40);
  });

  it('holds the rows above the header and a few more, however long the workbook (a count, not a timer)', async () => {
    const rows = Array.from({ length: 3 }, () => villages('330212').map(row)).flat();
    expect(rows.length).toBeGreaterThan(1000);
    const ingested = await readSubmission(await book({ title: '村社明细（鄞州区）', rows }), '鄞州区_2018H1.xlsx', STREAM);
    expect(ingested.tooManyCells?.kind).toBe('xlsx');
    const r = (await readDetailXlsxStream((ingested.tooManyCells as { pkg: Uint8Array }).pkg, '鄞州区_2018H1.xlsx', ctx, STREAM))!;
    expect(r.parsed?.layouts.map((l) => l.layout)).toEqual(['detail']);
    expect(r.rowsHeld).toBeLessThanOrEqual(HEAD_ROWS + 1);
  });

  it('a workbook with a summary sheet beside the list is not streamed: the cell limit stands', async () => {
    // the shipped 镇海区 workbook: 汇总表 and 村社明细
    const bytes = new Uint8Array(readFileSync(path.join(DATA, 'submissions', '2018H1', '镇海区_2018H1.xlsx')));
    const r = await runPeriod([{ file: '镇海区_2018H1.xlsx', bytes }], ctx, new Map(), STREAM);
    expect(r.findings.filter((f) => f.file === '镇海区_2018H1.xlsx').map((f) => f.code)).toEqual(['limit.exceeded']);
    expect(r.inputs[0].layouts).toBe('');
  });

  it('property: any mix of roster rows, bad rows, blanks and hidden rows reads the same streamed or whole', async () => {
    const pool = [...villages('330211').slice(0, 40), ...villages('330206').slice(0, 40)];
    const noise: ExcelJS.CellValue[][] = [[], ['330212999999', '无此村', '村', 1, 0, 0, 0], ['合计'], ['备注：以上数据截至6月底'], ['12345', '短代码', '村', 1, 0, 0, 0], ['330211001001', '文字', '社区', '0', '1', '2', '1']];
    const counts = { streamed: 0, refused: 0 };
    const rowArb = fc.oneof(
      { weight: 4, arbitrary: fc.tuple(fc.integer({ min: 0, max: pool.length - 1 }), fc.integer({ min: 0, max: 5 })).map(([i, k]) => row(pool[i], k)) },
      { weight: 1, arbitrary: fc.constantFrom(...noise) },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(rowArb, { minLength: HEAD_ROWS - 10, maxLength: HEAD_ROWS + 30 }), fc.boolean(), fc.array(fc.integer({ min: 2, max: HEAD_ROWS + 30 }), { maxLength: 3 }), async (rows, title, hide) => {
        const bytes = await book({ title: title ? '村社明细' : undefined, mergeTitle: title, rows, hide });
        const { whole, streamed } = await both('村社明细.xlsx', bytes);
        const refused = streamed.findings.some((f) => f.code === 'limit.exceeded');
        // streamed, it reads as whole; or it is refused as before (never another reading)
        if (refused) expect(streamed.inputs[0].layouts).toBe('');
        else expect(view(streamed)).toEqual(view(whole));
        counts[refused ? 'refused' : 'streamed']++;
      }),
      { numRuns: 12 },
    );
    // most lists are read (a list of noise alone, with no header found, may be refused)
    expect(counts.streamed).toBeGreaterThan(counts.refused);
  });
});

describe('the workbook stream refuses what it cannot read', () => {
  it('a shared string the streaming reader cannot resolve (sharedStrings.xml after the sheet) stops the reading, never becomes “[object Object]”', async () => {
    const { scanSheetLayout, streamSheets } = await import('../../pipeline/ingest/xlsx-stream.ts');
    // blind round 7's f04: its sheet comes before sharedStrings.xml in the package
    const file = path.join(ROOT, 'test/fixtures/real-world/b7_f04_镇海区村社干部调整及红色标识明细.xlsx');
    const ingested = await readSubmission(new Uint8Array(readFileSync(file)), 'f04.xlsx', STREAM);
    const pkg = (ingested.tooManyCells as { pkg: Uint8Array }).pkg;
    const texts: string[] = [];
    const r = await streamSheets(pkg, scanSheetLayout(pkg, STREAM)!, STREAM, () => (_, cells) => (cells.forEach((c) => c.t === 'text' && texts.push(c.s)), true), [], 'f04.xlsx');
    expect(texts.some((t) => t.includes('[object Object]'))).toBe(false);
    // exceljs resolves such strings or not depending on when the deferred sheet is read (under load it
    // may have the strings by then): either the reading stops, or every text is the whole read's
    if (r) {
      const whole = await readSubmission(new Uint8Array(readFileSync(file)), 'f04.xlsx');
      const wholeTexts = whole.source!.sheets.flatMap((sh) => sh.rows.flat()).flatMap((c) => (c.t === 'text' ? [c.s] : []));
      expect(texts.length).toBeGreaterThan(0);
      expect(new Set(texts)).toEqual(new Set(wholeTexts));
    }
  });
});
