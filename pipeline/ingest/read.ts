// Ingest: bytes of one submission → a Source of typed cells, or findings saying why it cannot be read.
// Pure (bytes in, data out): the same code runs in the CLI and in the browser page check.html.
import Papa from 'papaparse';
import ExcelJS from 'exceljs';
import type { Finding } from '../../schemas/finding.ts';
import { finding } from '../messages.ts';
import { decodeText } from './decode.ts';
import { CappedFindings, FileFindings, type FindingSink } from '../validate/finding-cap.ts';
import { type Cell, type Sheet, type Source, EMPTY, a1 } from './grid.ts';
import { DEFAULT_ZIP_LIMITS, type ZipLimits, cellLimitText, verifyEntries, zipBombReason, zipStats } from './zip-guard.ts';
import { NormalizeError, normalizeXlsx, xlsxScanner } from './xlsx-normalize.ts';
import { readXls } from './xls.ts';

export interface Limits {
  maxBytes: number;
  maxRows: number;
  maxCols: number;
  maxCellChars: number;
  zip: ZipLimits;
}

/** Limits checked before and while reading; each breach is a finding, never a crash or a hang. */
export const DEFAULT_LIMITS: Limits = {
  maxBytes: 100 * 1024 * 1024,
  maxRows: 1_000_000,
  maxCols: 500,
  maxCellChars: 32_767, // Excel's own limit for a cell
  zip: DEFAULT_ZIP_LIMITS,
};

export interface Ingested {
  source?: Source;
  findings: Finding[];
  /**
   * A text table refused for its cells (more than limits.zip.maxCells): its decoded text, so that a
   * caller may read it in a stream instead (a large 村社明细: pipeline/read-detail-stream.ts).
   */
  tooManyCells?: { kind: 'csv'; text: string; encoding: string; invalid: boolean } | { kind: 'xlsx'; pkg: Uint8Array; findings: Finding[] };
}

const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

/** Does an OLE2 compound file hold an encrypted OOXML package (EncryptionInfo stream)? */
function isEncryptedOoxml(bytes: Uint8Array): boolean {
  const needle = 'EncryptionInfo';
  const n = Math.min(bytes.length, 1 << 20);
  outer: for (let i = 0; i + needle.length * 2 <= n; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j * 2] !== needle.charCodeAt(j) || bytes[i + j * 2 + 1] !== 0) continue outer;
    return true;
  }
  return false;
}

/** Bytes that open (after a BOM and blanks) with an HTML tag holding a <table>. */
function isHtmlTable(bytes: Uint8Array): boolean {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 4096)).replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trimStart().toLowerCase();
  return /^<(!doctype|html|table|meta|\?xml)/.test(head) && /<table/.test(new TextDecoder('latin1').decode(bytes.subarray(0, 1 << 20)).toLowerCase());
}

function extOf(file: string): string {
  const m = /\.([A-Za-z0-9]+)$/.exec(file);
  return m ? m[1].toLowerCase() : '';
}

/** Reads one submission. `file` is the name shown in findings. Never throws. */
export async function readSubmission(bytes: Uint8Array, file: string, limits: Limits = DEFAULT_LIMITS): Promise<Ingested> {
  try {
    if (bytes.length === 0) return { findings: [finding('file.empty', { file })] };
    if (bytes.length > limits.maxBytes)
      return { findings: [finding('file.too_large', { file }, { limit: `${Math.round(limits.maxBytes / 1048576)} MB` })] };
    const ext = extOf(file);
    if (startsWith(bytes, OLE_MAGIC)) {
      if (isEncryptedOoxml(bytes)) return { findings: [finding('file.encrypted', { file })] };
      // legacy .xls (BIFF8) and WPS .et: the same readers after SheetJS; an OLE2 file SheetJS cannot
      // read as a workbook (no Workbook stream, Excel 95, a .doc renamed) asks to be saved as .xlsx
      const xls = readXls(bytes, file, limits);
      if (!xls.source && xls.findings.some((f) => f.code === 'file.corrupt' || f.code === 'file.empty'))
        return { findings: [finding('file.unsupported_format', { file }, { what: ext === 'et' ? '（WPS .et）' : '（旧版 .xls）' })] };
      return xls;
    }
    if (bytes[0] === 0x50 && bytes[1] === 0x4b) return await readXlsx(bytes, file, limits);
    if ((ext === 'xls' || ext === 'et') && isHtmlTable(bytes)) {
      // an OA system's "xls" that is an HTML table: read as Excel opens it
      const text = decodeText(bytes).text;
      return readXls(text, file, limits);
    }
    if (['xlsx', 'xlsm', 'xls', 'et', 'ods', 'numbers'].includes(ext)) {
      // Named like a workbook but not a zip: a truncated download, an HTML "xls", or junk.
      return { findings: [finding(ext === 'xlsx' || ext === 'xlsm' ? 'file.corrupt' : 'file.unsupported_format', { file }, { what: `（.${ext}）`, detail: '不是有效的 xlsx 压缩包' })] };
    }
    if (['pdf', 'doc', 'docx', 'png', 'jpg', 'jpeg', 'zip', 'rar', '7z'].includes(ext))
      return { findings: [finding('file.unsupported_format', { file }, { what: `（.${ext}）` })] };
    return readCsv(bytes, file, limits);
  } catch (e) {
    return { findings: [finding('file.corrupt', { file }, { detail: String((e as Error)?.message ?? e).slice(0, 200) })] };
  }
}

/** Lines times the fields of the widest of the first lines (by the delimiter it has most of), without parsing. */
function csvCellEstimate(text: string): number {
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < text.length - 1; i = text.indexOf('\n', i + 1)) lines++;
  // the widest of the first 50 lines (a title line above the header has no delimiter)
  const head = text.slice(0, 1 << 20).split('\n').slice(0, 50);
  const fields = 1 + Math.max(0, ...head.map((line) => Math.max(...[',', '\t', ';', '|'].map((d) => line.split(d).length - 1))));
  return lines * fields;
}

function readCsv(bytes: Uint8Array, file: string, limits: Limits): Ingested {
  const decoded = decodeText(bytes);
  const findings: Finding[] = [];
  if (decoded.text.includes('\u0000')) return { findings: [finding('file.corrupt', { file }, { detail: '含有二进制内容，不是文本表格' })] };
  // CRLF and bare LF mixed (a file edited in two editors): one line ending, so papaparse's guess of
  // \r\n does not fold the LF lines into one cell
  let text = decoded.text;
  if (text.includes('\r\n') && /(^|[^\r])\n/.test(text)) text = text.replace(/\r\n/g, '\n');
  // cells held as strings cost memory as exceljs's do (a 99 MB CSV of 26.7M short cells peaked at
  // 2 GB): lines × fields of the first line, counted before parsing, against the same cell limit
  const estimate = csvCellEstimate(text);
  if (estimate > limits.zip.maxCells)
    return {
      findings: [finding('limit.exceeded', { file }, { what: '表格的单元格数', limit: `约 ${estimate} 个，上限 ${limits.zip.maxCells}` })],
      tooManyCells: { kind: 'csv', text, encoding: decoded.encoding, invalid: !!decoded.invalid },
    };
  const parsed = Papa.parse<string[]>(text, {
    header: false,
    dynamicTyping: false,
    skipEmptyLines: false,
    delimitersToGuess: [',', '\t', ';', '|'],
  });
  // a field that opens with a quote and goes on after it ("3315计划"申报 typed in a text file):
  // papaparse folds the rest of the file into that cell; read the text as Excel does instead
  let rows = parsed.errors.some((e) => e.type === 'Quotes') ? splitAsExcel(text, parsed.meta.delimiter || ',') : parsed.data;
  while (rows.length && rows[rows.length - 1].every((v) => v.trim() === '')) rows.pop();
  if (rows.length === 0) return { findings: [finding('file.empty', { file })] };
  if (rows.length > limits.maxRows) {
    findings.push(finding('limit.exceeded', { file }, { what: '行数', limit: String(limits.maxRows) }));
    rows = rows.slice(0, limits.maxRows);
  }
  const state = { wide: false };
  // a finding per cell (too long, a bad byte), bounded as a detail file's row findings are
  const cellFindings = new CappedFindings(new FileFindings());
  const encoding = new CappedFindings(new FileFindings());
  const sheet: Sheet = {
    name: '',
    hidden: false,
    hiddenRows: [],
    merges: [],
    fieldCounts: rows.map((r) => r.length),
    rows: rows.map((r, ri) => csvCells(r, ri, file, limits, cellFindings, state, decoded.invalid ? encoding : undefined)),
  };
  for (const f of cellFindings.finish()) findings.push(f);
  if (state.wide) findings.push(finding('limit.exceeded', { file }, { what: '列数', limit: String(limits.maxCols) }));
  for (const f of encoding.finish()) findings.push(f);
  return { source: { file, format: 'csv', encoding: decoded.encoding, sheets: [sheet] }, findings };
}

/** One CSV field as a cell: blank is empty, text is cut at the cell limit. */
export function fieldCell(v: string, limits: Limits): Cell {
  if (v.trim() === '') return EMPTY;
  return v.length <= limits.maxCellChars ? { t: 'text', s: v } : { t: 'text', s: v.slice(0, limits.maxCellChars) };
}

/**
 * One CSV row's fields as cells, within the limits (columns, a cell's length: each breach a finding);
 * `encoding` collects value.encoding for a cell holding a byte that was not UTF-8 (UTF-8 read with a
 * few invalid bytes). The one conversion for a CSV read whole and one read in a stream.
 */
export function csvCells(fields: string[], ri: number, file: string, limits: Limits, findings: FindingSink, state: { wide: boolean }, encoding?: FindingSink): Cell[] {
  let r = fields;
  if (r.length > limits.maxCols) (r = r.slice(0, limits.maxCols)), (state.wide = true);
  const cells = r.map((v, ci): Cell => {
    if (v.length > limits.maxCellChars && v.trim() !== '')
      findings.push(finding('limit.exceeded', { file, cell: a1(ri, ci), row: ri + 1, col: ci + 1 }, { what: '单元格文字长度', limit: String(limits.maxCellChars) }));
    return fieldCell(v, limits);
  });
  if (encoding)
    cells.forEach((c, ci) => {
      if (c.t === 'text' && c.s.includes('\uFFFD'))
        encoding.push(finding('value.encoding', { file, cell: a1(ri, ci), row: ri + 1, col: ci + 1, raw: c.s.slice(0, 40) }, { raw: c.s.slice(0, 40) }));
    });
  return cells;
}

/**
 * Text split into rows and fields as Excel opens it: a field that starts with a quote is quoted up to
 * the quote closing it ("" is a quote); text after that closing quote is kept as written, so
 * "3315计划"申报 is 3315计划申报 and the next line is the next row.
 */
export function splitAsExcel(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let atStart = true;
  const endField = () => (row.push(field), (field = ''), (atStart = true));
  while (i < text.length) {
    const ch = text[i];
    if (atStart && ch === '"') {
      atStart = false;
      i++;
      for (;;) {
        if (i >= text.length) break;
        if (text[i] === '"') {
          if (text[i + 1] === '"') (field += '"'), (i += 2);
          else {
            i++;
            break;
          }
        } else field += text[i++];
      }
      continue;
    }
    atStart = false;
    if (text.startsWith(delimiter, i)) {
      endField();
      i += delimiter.length;
    } else if (ch === '\r' || ch === '\n') {
      endField();
      rows.push(row);
      row = [];
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else (field += ch), i++;
  }
  if (field !== '' || row.length) (endField(), rows.push(row));
  return rows;
}

/** An exceljs cell value → a typed cell (formulas by their cached result). Shared with the streaming reader. */
export function toCell(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined) return EMPTY;
  if (typeof v === 'number') return Number.isFinite(v) ? { t: 'number', n: v } : { t: 'error', s: '#NUM!' };
  if (typeof v === 'string') return v.trim() === '' ? EMPTY : { t: 'text', s: v };
  if (typeof v === 'boolean') return { t: 'bool', b: v };
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? EMPTY : { t: 'date', iso: v.toISOString().slice(0, 10) };
  if (typeof v === 'object') {
    if ('error' in v) return { t: 'error', s: String(v.error) };
    if ('richText' in v) {
      // struck-through text is set on lines of its own, so 200 (struck) 215 is not read as 200215
      const s = v.richText.map((r) => (r.font?.strike && /\d/.test(r.text) ? `\n${r.text}\n` : r.text)).join('').replace(/^\n+|\n+$/g, '');
      return s.trim() === '' ? EMPTY : { t: 'text', s };
    }
    if ('formula' in v || 'sharedFormula' in v) {
      const f = v as { formula?: string; sharedFormula?: string; result?: unknown };
      if (f.result === undefined || f.result === null) return { t: 'nocache', formula: f.formula ?? f.sharedFormula ?? '' };
      return toCell(f.result as ExcelJS.CellValue);
    }
    if ('hyperlink' in v) return toCell((v as { text: ExcelJS.CellValue }).text);
    if ('text' in v) return toCell((v as { text: ExcelJS.CellValue }).text);
  }
  return { t: 'text', s: String(v) };
}

/**
 * One workbook cell as a typed cell, within the cell limit (a breach is a finding): the one conversion
 * for a workbook read whole and one read in a stream (`r`, `c` 1-based).
 */
export function xlsxCell(cell: ExcelJS.Cell, file: string, sheet: string, r: number, c: number, limits: Limits, findings: FindingSink): Cell {
  let v = toCell(cell.value);
  // Excel keeps 57.8% as 0.578 with a % format: keep that it was a percentage
  if (v.t === 'number' && /%/.test(cell.numFmt ?? '')) v = { t: 'number', n: v.n, percent: true };
  if (v.t === 'text' && v.s.length > limits.maxCellChars) {
    findings.push(finding('limit.exceeded', { file, sheet, cell: a1(r - 1, c - 1), row: r, col: c }, { what: '单元格文字长度', limit: String(limits.maxCellChars) }));
    v = { t: 'text', s: v.s.slice(0, limits.maxCellChars) };
  }
  return v;
}

export function parseRange(r: string): Sheet['merges'][number] | null {
  const m = /^\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$/.exec(r);
  if (!m) return null;
  const col = (s: string) => [...s].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
  return { top: +m[2] - 1, left: col(m[1]), bottom: +(m[4] ?? m[2]) - 1, right: col(m[3] ?? m[1]) };
}

async function readXlsx(bytes: Uint8Array, file: string, limits: Limits): Promise<Ingested> {
  const findings: Finding[] = [];
  const stats = zipStats(bytes);
  if ('error' in stats) return { findings: [finding('file.corrupt', { file }, { detail: stats.error })] };
  const bomb = zipBombReason(stats, limits.zip);
  if (bomb) return { findings: [finding('limit.exceeded', { file }, { what: '文件解压后的大小', limit: bomb })] };
  const { scan, hints } = xlsxScanner();
  // every entry's size is checked; the cells are counted to the end (a workbook of more cells than
  // the limit is not read whole, but a large 村社明细 may be read in a stream: read-detail-stream.ts)
  const lie = verifyEntries(bytes, stats, { ...limits.zip, maxCells: Number.POSITIVE_INFINITY }, scan);
  if (lie) return { findings: [finding('limit.exceeded', { file }, { what: '文件内容', limit: lie })] };
  if (!stats.names.some((n) => n === 'xl/workbook.xml' || n.endsWith('/workbook.xml')))
    return { findings: [finding('file.unsupported_format', { file }, { what: stats.names.some((n) => n === 'word/document.xml') ? '（Word 文档）' : '（不是 Excel 工作簿的压缩包）' })] };
  // A valid package exceljs would misread (prefixed SpreadsheetML, a worksheet not named sheetN.xml,
  // xl/SharedStrings.xml, cells without r=) is rewritten first; the rewrite passes the same guard.
  let pkg = bytes;
  try {
    const normalized = normalizeXlsx(bytes, stats, hints, limits.zip);
    if (normalized) {
      const again = zipStats(normalized);
      const reason = 'error' in again ? again.error : (zipBombReason(again, limits.zip) ?? verifyEntries(normalized, again, { ...limits.zip, maxCells: Number.POSITIVE_INFINITY }));
      if (reason) return { findings: [finding('limit.exceeded', { file }, { what: '文件内容', limit: reason })] };
      pkg = normalized;
    }
    for (const d of hints.dropped) findings.push(finding('file.range_dropped', { file, sheet: d.sheet }, { what: d.what }));
  } catch (e) {
    if (!(e instanceof NormalizeError)) throw e;
    if (e.kind === 'limit') return { findings: [finding('limit.exceeded', { file }, { what: '文件解压后的大小', limit: e.message })] };
    return { findings: [finding('file.corrupt', { file }, { detail: e.message })] };
  }
  if ((stats.cells ?? 0) > limits.zip.maxCells)
    return { findings: [finding('limit.exceeded', { file }, { what: '文件内容', limit: cellLimitText(limits.zip.maxCells) })], tooManyCells: { kind: 'xlsx', pkg, findings } };
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(pkg as unknown as ArrayBuffer);
  } catch (e) {
    const msg = String((e as Error)?.message ?? e);
    return { findings: [finding('file.corrupt', { file }, { detail: msg.slice(0, 160) })] };
  }
  const sheets: Sheet[] = [];
  wb.eachSheet((ws) => {
    const rows: Cell[][] = [];
    const hiddenRows: number[] = [];
    let tooWide = false;
    const nRows = Math.min(ws.rowCount, limits.maxRows);
    if (ws.rowCount > limits.maxRows)
      findings.push(finding('limit.exceeded', { file, sheet: ws.name }, { what: '行数', limit: String(limits.maxRows) }));
    for (let r = 1; r <= nRows; r++) {
      const row = ws.getRow(r);
      if (row.hidden) hiddenRows.push(r);
      const cells: Cell[] = [];
      const nCols = Math.min(row.cellCount, limits.maxCols);
      if (row.cellCount > limits.maxCols && !tooWide) {
        tooWide = true;
        findings.push(finding('limit.exceeded', { file, sheet: ws.name, row: r, cell: `A${r}` }, { what: '列数', limit: String(limits.maxCols) }));
      }
      for (let c = 1; c <= nCols; c++) {
        const cell = row.getCell(c);
        // A merged range's other cells echo the master's value: keep it in the master only.
        cells.push(cell.isMerged && cell.master !== cell ? EMPTY : xlsxCell(cell, file, ws.name, r, c, limits, findings));
      }
      rows.push(cells);
    }
    const merges = ((ws.model as { merges?: string[] }).merges ?? []).map(parseRange).filter((m) => m !== null);
    const hiddenCols: number[] = [];
    for (let c = 1; c <= Math.min(ws.columnCount, limits.maxCols); c++) if (ws.getColumn(c).hidden) hiddenCols.push(c);
    sheets.push({ name: ws.name, hidden: ws.state !== 'visible' && ws.state !== undefined, hiddenRows, hiddenCols, rows, merges });
  });
  if (sheets.length === 0) return { findings: [finding('file.empty', { file })] };
  const activeTab = (wb.views?.[0] as { activeTab?: number } | undefined)?.activeTab ?? 0;
  if (sheets[activeTab]) sheets[activeTab].active = true;
  return { source: { file, format: 'xlsx', sheets }, findings };
}
