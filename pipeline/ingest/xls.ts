// Legacy .xls (BIFF8) and WPS .et saved as BIFF, read through SheetJS (@e965/xlsx 0.20.3, the npm
// build past the 0.19.3 prototype-pollution and 0.20.2 ReDoS advisories) into the same Source the
// .xlsx reader makes, behind the same limits: the caller has checked the byte size; rows are cut at
// maxRows while parsing (sheetRows), columns and cell text are held to the limits here.
import * as XLSX from '@e965/xlsx';
import type { Finding } from '../../schemas/finding.ts';
import { finding } from '../messages.ts';
import { type Cell, type Sheet, EMPTY, a1 } from './grid.ts';
import type { Ingested, Limits } from './read.ts';

const ERRORS: Record<number, string> = { 0x00: '#NULL!', 0x07: '#DIV/0!', 0x0f: '#VALUE!', 0x17: '#REF!', 0x1d: '#NAME?', 0x24: '#NUM!', 0x2a: '#N/A' };

function toCell(c: XLSX.CellObject | undefined): Cell {
  if (!c || c.v === undefined || c.v === null) return c?.t === 'e' ? { t: 'error', s: c.w ?? '#N/A' } : EMPTY;
  switch (c.t) {
    case 'n': {
      const n = c.v as number;
      if (!Number.isFinite(n)) return { t: 'error', s: '#NUM!' };
      return /%/.test(String(c.z ?? '')) ? { t: 'number', n, percent: true } : { t: 'number', n };
    }
    case 's':
      return String(c.v).trim() === '' ? EMPTY : { t: 'text', s: String(c.v) };
    case 'b':
      return { t: 'bool', b: Boolean(c.v) };
    case 'e':
      return { t: 'error', s: c.w ?? ERRORS[c.v as number] ?? '#N/A' };
    case 'd': {
      const d = c.v instanceof Date ? c.v : new Date(String(c.v));
      return Number.isNaN(d.getTime()) ? EMPTY : { t: 'date', iso: d.toISOString().slice(0, 10) };
    }
    default:
      return EMPTY;
  }
}

/** Reads a BIFF workbook (or an HTML table saved as .xls, already decoded to text). Never throws past its caller's catch. */
export function readXls(data: Uint8Array | string, file: string, limits: Limits): Ingested {
  const findings: Finding[] = [];
  // the same cell limit as .xlsx and CSV: an HTML table's cells counted before SheetJS parses them
  if (typeof data === 'string') {
    const cells = (data.match(/<t[dh][\s>]/gi) ?? []).length;
    if (cells > limits.zip.maxCells) return { findings: [finding('limit.exceeded', { file }, { what: '表格的单元格数', limit: `约 ${cells} 个，上限 ${limits.zip.maxCells}` })] };
  }
  let wb: XLSX.WorkBook;
  try {
    wb = XLSX.read(data, { type: typeof data === 'string' ? 'string' : 'array', cellDates: true, cellStyles: true, cellFormula: false, cellHTML: false, sheetRows: limits.maxRows + 1, dense: false });
  } catch (e) {
    const msg = String((e as Error)?.message ?? e);
    if (/password/i.test(msg)) return { findings: [finding('file.encrypted', { file })] };
    return { findings: [finding('file.corrupt', { file }, { detail: msg.slice(0, 160) })] };
  }
  // a BIFF file's cells, counted once parsed (its records are compact: the file's size limit bounds them)
  let cells = 0;
  for (const name of wb.SheetNames) for (const key in wb.Sheets[name] ?? {}) if (key[0] !== '!') cells++;
  if (cells > limits.zip.maxCells) return { findings: [finding('limit.exceeded', { file }, { what: '表格的单元格数', limit: `${cells} 个，上限 ${limits.zip.maxCells}` })] };
  const meta = wb.Workbook?.Sheets ?? [];
  // the sheet shown on opening, when the file says (SheetJS gives WBView only for some writers)
  const activeTab = (wb.Workbook as { WBView?: { activeTab?: number }[] } | undefined)?.WBView?.[0]?.activeTab;
  const sheets: Sheet[] = [];
  wb.SheetNames.forEach((name, i) => {
    const ws = wb.Sheets[name];
    if (!ws || !ws['!ref']) {
      sheets.push({ name, hidden: (meta[i]?.Hidden ?? 0) !== 0, hiddenRows: [], hiddenCols: [], rows: [], merges: [] });
      return;
    }
    const range = XLSX.utils.decode_range(ws['!ref']);
    let lastRow = range.e.r;
    if (lastRow + 1 > limits.maxRows) {
      findings.push(finding('limit.exceeded', { file, sheet: name }, { what: '行数', limit: String(limits.maxRows) }));
      lastRow = limits.maxRows - 1;
    }
    let lastCol = range.e.c;
    if (lastCol + 1 > limits.maxCols) {
      findings.push(finding('limit.exceeded', { file, sheet: name }, { what: '列数', limit: String(limits.maxCols) }));
      lastCol = limits.maxCols - 1;
    }
    const rows: Cell[][] = [];
    for (let r = 0; r <= lastRow; r++) {
      const cells: Cell[] = [];
      for (let c = 0; c <= lastCol; c++) {
        let v = toCell(ws[XLSX.utils.encode_cell({ r, c })] as XLSX.CellObject | undefined);
        if (v.t === 'text' && v.s.length > limits.maxCellChars) {
          findings.push(finding('limit.exceeded', { file, sheet: name, cell: a1(r, c), row: r + 1, col: c + 1 }, { what: '单元格文字长度', limit: String(limits.maxCellChars) }));
          v = { t: 'text', s: v.s.slice(0, limits.maxCellChars) };
        }
        cells.push(v);
      }
      while (cells.length && cells[cells.length - 1].t === 'empty') cells.pop();
      rows.push(cells);
    }
    const hiddenRows = (ws['!rows'] ?? []).flatMap((ri, r) => (ri?.hidden && r <= lastRow ? [r + 1] : []));
    const hiddenCols = (ws['!cols'] ?? []).flatMap((ci, c) => (ci?.hidden && c <= lastCol ? [c + 1] : []));
    const merges = (ws['!merges'] ?? []).map((m) => ({ top: m.s.r, left: m.s.c, bottom: m.e.r, right: m.e.c })).filter((m) => m.top <= lastRow && m.left <= lastCol);
    sheets.push({ name, hidden: (meta[i]?.Hidden ?? 0) !== 0, active: i === activeTab, hiddenRows, hiddenCols, rows, merges });
  });
  if (sheets.length === 0 || sheets.every((s) => s.rows.length === 0)) return { findings: [finding('file.empty', { file })] };
  return { source: { file, format: typeof data === 'string' ? 'html' : 'xls', sheets }, findings };
}
