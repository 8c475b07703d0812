// An annotated copy of a district's .xlsx (never the original): every cell with a finding highlighted
// and carrying a note with the message, plus a sheet 问题清单 listing them all.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Finding } from '../../schemas/finding.ts';
import type { FileCheck } from '../check.ts';
import { safeOutputPath, writeAtomic } from '../io.ts';
import { packageForExceljs } from '../ingest/xlsx-normalize.ts';
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
    cell.note = list.map((f) => `【${f.severity === 'error' ? '错误' : '提示'} ${f.code}】${f.message}`).join('\n');
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
    cell.note = text;
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

/** Writes `<name>.annotated.xlsx` under outDir for every .xlsx input with findings; returns their names. */
export async function writeAnnotatedCopies(checks: FileCheck[], paths: string[], outDir: string): Promise<string[]> {
  const written: string[] = [];
  const used = new Set<string>();
  for (let i = 0; i < checks.length; i++) {
    const check = checks[i];
    if (check.record?.format !== 'xlsx' || !check.findings.length) continue;
    try {
      const bytes = new Uint8Array(readFileSync(path.resolve(paths[i])));
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
