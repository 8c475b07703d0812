// An annotated copy of a district's .xlsx (never the original): every cell with a finding highlighted
// and carrying a note with the message, plus a sheet 问题清单 listing them all. The copy holds no
// formula (a workbook banbao writes computes nothing when opened): a formula cell keeps its cached
// value, and its note says what the formula was. A workbook of more than ANNOTATE_MAX_CELLS cells
// gets no copy (exceljs would hold it twice and write it back for minutes): a note says so.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Finding } from '../../schemas/finding.ts';
import type { FileCheck } from '../check.ts';
import { safeOutputPath, writeAtomic } from '../io.ts';
import { packageForExceljs } from '../ingest/xlsx-normalize.ts';
import { DEFAULT_ZIP_LIMITS, verifyEntries, zipStats } from '../ingest/zip-guard.ts';
import { annotateDeclined, formulaNote } from '../messages.ts';

/** Above this many cells no annotated copy is written (measured: ~1.6 KB per cell while exceljs rewrites). */
export const ANNOTATE_MAX_CELLS = 100_000;
import { deterministicZip } from './deterministic-zip.ts';
import { type ReadRow, shownValue } from '../normalize/read-back.ts';

const FILL = { error: 'FFFFC7CE', warning: 'FFFFEB9C' } as const;
/** A cell a figure was read from (#13): light green, with a note saying what was taken. */
export const READ_FILL = 'FFE2F0D9';

/** The annotated workbook's bytes, from the original bytes and the file's findings. */
export async function annotateWorkbook(original: Uint8Array, findings: Finding[], read: ReadRow[] = []): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  // the package ingest read (prefixed SpreadsheetML, odd part names, cells without r= normalised)
  await wb.xlsx.load(packageForExceljs(original) as unknown as ArrayBuffer);
  // formulas out, cached values kept: the note says what each cell held. All are read before any
  // is changed (a shared formula's other cells are worked out from its first one).
  const formulas: { cell: ExcelJS.Cell; formula: string; result: unknown }[] = [];
  wb.eachSheet((ws) =>
    ws.eachRow({ includeEmpty: false }, (row) =>
      row.eachCell({ includeEmpty: false }, (cell) => {
        if (cell.type !== ExcelJS.ValueType.Formula) return;
        const v = cell.value as { formula?: string; sharedFormula?: string; result?: unknown };
        let formula = v.formula ?? '';
        try {
          formula = cell.formula ?? formula;
        } catch {
          /* a shared formula whose first cell is missing */
        }
        formulas.push({ cell, formula: formula || v.sharedFormula || '', result: v.result });
      }),
    ),
  );
  const formulaNotes = new Map<ExcelJS.Cell, string>();
  for (const { cell, formula, result } of formulas) {
    const cached = result === undefined || (typeof result === 'object' && result !== null && !('error' in result) && !(result instanceof Date)) ? null : result;
    cell.value = cached as ExcelJS.CellValue;
    formulaNotes.set(cell, formulaNote(formula));
    cell.note = formulaNote(formula);
  }
  const byCell = new Map<string, Finding[]>();
  for (const f of findings) {
    if (!f.cell) continue;
    const key = `${f.sheet}\u0000${f.cell}`;
    byCell.set(key, [...(byCell.get(key) ?? []), f]);
  }
  for (const [key, list] of byCell) {
    const [sheetName, addr] = key.split('\u0000');
    const ws = wb.getWorksheet(sheetName);
    if (!ws) continue;
    const cell = ws.getCell(addr);
    const severity = list.some((f) => f.severity === 'error') ? 'error' : 'warning';
    // exceljs shares one style object among the cells loaded with the same style: copy, then change
    cell.style = { ...cell.style, fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: FILL[severity] } } };
    const was = formulaNotes.get(cell);
    cell.note = [...list.map((f) => `【${f.severity === 'error' ? '错误' : '提示'} ${f.code}】${f.message}`), ...(was ? [was] : [])].join('\n');
  }
  // every cell a figure was read from: green with “已读取：非公企业党员 = 5384” (a problem cell keeps its colour)
  for (const r of read) {
    const ws = wb.getWorksheet(r.sheet);
    if (!ws || !r.cell) continue;
    const cell = ws.getCell(r.cell);
    const text = `已读取：${r.item} = ${shownValue(r)}`;
    if (byCell.has(`${r.sheet}\u0000${r.cell}`)) {
      cell.note = `${text}\n${typeof cell.note === 'string' ? cell.note : ''}`;
      continue;
    }
    cell.style = { ...cell.style, fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: READ_FILL } } };
    // a note already there (原为公式 =40+50, the file's own comment) stays under the read-back line
    cell.note = typeof cell.note === 'string' && cell.note ? `${text}\n${cell.note}` : text;
  }
  const name = wb.getWorksheet('问题清单') ? '问题清单（banbao）' : '问题清单';
  const ws = wb.addWorksheet(name);
  ws.addRow(['级别', '工作表', '单元格', '代码', '说明', '原文']);
  ws.getRow(1).font = { bold: true };
  for (const f of findings) ws.addRow([f.severity === 'error' ? '错误' : '提示', f.sheet, f.cell, f.code, f.message, f.raw]);
  ws.columns.forEach((c, i) => (c.width = [6, 12, 8, 26, 80, 20][i]));
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  return deterministicZip((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

/** The cells of a workbook (zip-guard's count), or undefined when it cannot be counted. */
function cellsOf(bytes: Uint8Array): number | undefined {
  const stats = zipStats(bytes);
  if ('error' in stats) return undefined;
  return verifyEntries(bytes, stats, DEFAULT_ZIP_LIMITS) ? undefined : stats.cells;
}

/**
 * Writes `<name>.annotated.xlsx` under outDir for every .xlsx input with findings; returns their
 * names. A workbook too large for a copy is passed to `declined` with the note to show.
 */
export async function writeAnnotatedCopies(checks: FileCheck[], paths: string[], outDir: string, declined?: (note: string) => void): Promise<string[]> {
  const written: string[] = [];
  const used = new Set<string>();
  for (let i = 0; i < checks.length; i++) {
    const check = checks[i];
    if (check.record?.format !== 'xlsx' || !check.findings.length) continue;
    try {
      const bytes = new Uint8Array(readFileSync(path.resolve(paths[i])));
      const cells = cellsOf(bytes);
      if (cells !== undefined && cells > ANNOTATE_MAX_CELLS) {
        declined?.(annotateDeclined(paths[i], cells, ANNOTATE_MAX_CELLS));
        continue;
      }
      const stem = path.basename(paths[i]).replace(/\.[^.]+$/, '').replace(/[^\p{L}\p{N}_.-]/gu, '_');
      // two inputs whose names clean up alike (a/鄞州区.xlsx, b/鄞州区.xlsx) get copies of their own
      let name = `${stem}.annotated.xlsx`;
      for (let n = 2; used.has(name); n++) name = `${stem}-${n}.annotated.xlsx`;
      used.add(name);
      writeAtomic(safeOutputPath(outDir, name), await annotateWorkbook(bytes, check.findings, check.read));
      written.push(name);
    } catch {
      // an annotated copy is a courtesy: a workbook exceljs cannot rewrite still has its findings listed
    }
  }
  return written;
}
