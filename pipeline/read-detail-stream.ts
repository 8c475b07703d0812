// A 村社明细 CSV too large to hold as cells (more than the cell limit: a province's or the country's
// detail, 620,000 rows × 8 fields) is read in a stream instead of refused: its rows are never all
// held as cells. Two passes over the decoded text, row by row as papaparse's step parser gives them
// (eachCsvRow):
//
//   pass 1  every row's cells are made (the same conversion and limit findings as a CSV read whole);
//           the rows above and around the header, and any later row that could name a unit (a
//           填报单位 label, a signature: claims.ts mayClaimBelowHeader), are kept as a skeleton
//           sheet; the code prefixes of every detail row are gathered. parseForms reads the
//           skeleton, so the unit, the period and every claim come from the one reader of forms.
//   pass 2  each row below the header becomes a detail row (read-detail.ts readDetailRow, the row
//           reader of the whole-sheet path) and is summed at once (values.ts detailStream) into its
//           unit, then let go.
//
// A text that is not a detail form (a summary table, no header in the first lines), or that
// papaparse cannot split as written (a quote left open), stays refused by the cell limit.
//
// A workbook (.xlsx) beyond the cell limit is read the same way, each pass through exceljs's
// streaming WorkbookReader with the whole-workbook cell conversion (read.ts xlsxCell). What that
// reader does not give (hidden rows and columns, merged ranges) is scanned from the sheets' XML
// first (xlsx-stream.ts), so the skeleton is the sheet the whole read would have made. A workbook
// may have small sheets beside the list (a 说明 sheet): a sheet within the first rows is kept whole;
// a sheet past them must be a detail list; parseForms must find one form in all, the detail.
import Papa from 'papaparse';
import type { Finding } from '../schemas/finding.ts';
import { finding } from './messages.ts';
import { type Cell, type Sheet, type Source, EMPTY } from './ingest/grid.ts';
import { csvCells, fieldCell, type Limits } from './ingest/read.ts';
import { detectHeader, type DetailHeader } from './normalize/header.ts';
import { parseForms } from './normalize/layout.ts';
import type { ParsedFile } from './normalize/form.ts';
import { type PeriodContext, layoutContextOf } from './context.ts';
import type { LayoutContext } from './normalize/form.ts';
import { scanSheetLayout, streamSheets } from './ingest/xlsx-stream.ts';
import { CLAIM_CHARS, mayClaimBelowHeader } from './normalize/claims.ts';
import { detailCode, isDetailCode, readDetailRow } from './normalize/read-detail.ts';
import { isVillageCode } from './reference/roster.ts';
import { MAX_HEADER_SCAN } from './normalize/vocabulary.ts';
import { detailStream } from './validate/values.ts';
import { CappedFindings, FileFindings } from './validate/finding-cap.ts';

/** Rows read as they are before the header is looked for (the header is within the first MAX_HEADER_SCAN). */
export const HEAD_ROWS = Math.max(100, MAX_HEADER_SCAN + 1);
/** Rows kept for the claims beyond the head: past this, the file is not a plain detail list. */
const MAX_KEPT_ROWS = 10_000;

export interface StreamedCsv {
  parsed?: ParsedFile;
  findings: Finding[];
  /** the most rows held as cells at once (the skeleton's and one row), for the test that bounds memory */
  rowsHeld: number;
  /** the lines pass 1 took whole, without splitting them (SkeletonPass.plainLine), for the test that they are */
  plainLines?: number;
}

const isBlank = (fields: string[]) => fields.every((v) => v.trim() === '');

/** A row csvCells would turn into cells without a finding: within the columns, each field within its length and, in a text with bad bytes, free of them. */
function plainFields(fields: string[], limits: Limits, badBytes: boolean): boolean {
  if (fields.length > limits.maxCols) return false;
  for (const v of fields) if (v.length > limits.maxCellChars || (badBytes && v.includes('\uFFFD'))) return false;
  return true;
}

/** A field's text as its cell holds it (cut at the cell limit). */
const fieldText = (v: string, limits: Limits) => (v.length <= limits.maxCellChars ? v : v.slice(0, limits.maxCellChars));

/** Pass 1 of one streamed sheet: the skeleton (the head, and rows that may claim), the codes' prefixes. */
class SkeletonPass {
  readonly skeleton: Cell[][] = [];
  readonly fieldCounts: number[] = [];
  readonly prefixes = new Set<string>();
  header: DetailHeader | undefined;
  /** past the head without a detail header, or too many rows to keep: not a plain detail list */
  notDetail = false;
  /** rows past the head were met */
  long = false;
  private kept = 0;
  private lastFilled = -1;

  constructor(
    private readonly base: Omit<Sheet, 'rows' | 'fieldCounts'>,
    private readonly layoutCtx: LayoutContext,
    private readonly csv: boolean,
  ) {}

  get name(): string {
    return this.base.name;
  }

  sheet(): Sheet {
    return { ...this.base, rows: this.skeleton, ...(this.csv ? { fieldCounts: this.fieldCounts } : {}) };
  }

  private findHeader(): void {
    const h = detectHeader(this.sheet(), this.layoutCtx);
    if (h?.layout === 'detail') this.header = h;
    else this.notDetail = true;
  }

  /** One row (0-based `r`); false when reading should stop (not a plain detail list). */
  row(r: number, src: RowSource): boolean {
    if (!src.blank()) this.lastFilled = r;
    if (r < HEAD_ROWS) {
      this.keep(r, src);
      return true;
    }
    this.long = true;
    if (!this.header && !this.notDetail) this.findHeader();
    if (this.notDetail) return false;
    src.sayFindings();
    const code = detailCode(src.cell(this.header!.codeCol));
    if (isDetailCode(code)) this.prefixes.add(code.slice(0, 6));
    if (src.mayClaim()) {
      if (++this.kept > MAX_KEPT_ROWS) {
        this.notDetail = true;
        return false;
      }
      this.keep(r, src);
    }
    return true;
  }

  /**
   * A CSV line past the head taken without splitting it, when what row() would do with it is certain
   * from the line: within the cell limit and the columns, no bad byte, none of the characters a claim
   * needs (mayClaimBelowHeader), and a village code in the code column. Such a row is filled, says no
   * finding and is not kept: only its code's prefix is noted. False when row() must read the fields.
   */
  plainLine(line: string, r: number, delimiter: string, limits: Limits, badBytes: boolean): boolean {
    const h = this.header;
    if (r < HEAD_ROWS || !h || this.notDetail || line.length > limits.maxCellChars || CLAIM_CHARS.test(line) || (badBytes && line.includes('\uFFFD'))) return false;
    // the code column's field, and the number of fields (within the columns)
    let start = 0;
    let fields = 1;
    for (let p = line.indexOf(delimiter); p >= 0; p = line.indexOf(delimiter, p + delimiter.length)) {
      if (fields === h.codeCol) start = p + delimiter.length;
      if (++fields > limits.maxCols) return false;
    }
    if (h.codeCol >= fields) return false;
    const end = line.indexOf(delimiter, start);
    const code = line.slice(start, end < 0 ? line.length : end);
    if (!isVillageCode(code)) return false;
    this.long = true;
    this.lastFilled = r;
    this.prefixes.add(code.slice(0, 6));
    this.plainLines++;
    return true;
  }

  /** lines taken by plainLine */
  plainLines = 0;

  private keep(r: number, src: RowSource): void {
    this.skeleton[r] = src.cells();
    if (this.csv) this.fieldCounts[r] = src.fieldCount();
  }

  /** After the last row: the skeleton cut at the last filled row; whether the sheet can be streamed. */
  end(mustBeDetail: boolean): boolean {
    if (this.skeleton.length > this.lastFilled + 1) this.skeleton.length = this.lastFilled + 1;
    if (!this.header && !this.notDetail) {
      // a sheet within the head may be anything (a 说明 sheet); one past it must be the list
      const h = detectHeader(this.sheet(), this.layoutCtx);
      if (h?.layout === 'detail') this.header = h;
      else if (mustBeDetail || this.long) this.notDetail = true;
    }
    return !this.notDetail && (this.header !== undefined || !(mustBeDetail || this.long));
  }

  /** rows held as cells (the skeleton's) */
  get held(): number {
    return this.skeleton.reduce((n) => n + 1, 0);
  }
}

/** A row as pass 1 sees it: cells are made only when asked (a CSV row is its fields until then). */
interface RowSource {
  blank(): boolean;
  /** the row's cells (their findings said, once) */
  cells(): Cell[];
  /** one cell, without findings */
  cell(c: number): Cell;
  /** say the row's findings (a limit, a bad byte) if it has any, without keeping its cells */
  sayFindings(): void;
  mayClaim(): boolean;
  fieldCount(): number;
}

/** A CSV line in pass 1: one object for every line (no function made per line). */
class CsvRow implements RowSource {
  fields: string[] = [];
  r = 0;
  private made: Cell[] | undefined;
  constructor(private readonly make: (fields: string[], r: number) => Cell[], private readonly limits: Limits, private readonly badBytes: boolean) {}
  set(fields: string[], r: number): this {
    this.fields = fields;
    this.r = r;
    this.made = undefined;
    return this;
  }
  blank(): boolean {
    return isBlank(this.fields);
  }
  cells(): Cell[] {
    return (this.made ??= this.make(this.fields, this.r));
  }
  cell(c: number): Cell {
    return c < this.fields.length && c < this.limits.maxCols ? fieldCell(this.fields[c], this.limits) : EMPTY;
  }
  sayFindings(): void {
    // csvCells says a row's findings: it is called only for a row that has some
    if (!plainFields(this.fields, this.limits, this.badBytes)) this.cells();
  }
  mayClaim(): boolean {
    const { fields, limits } = this;
    for (let c = 0; c < fields.length && c < limits.maxCols; c++) if (fields[c].trim() !== '' && mayClaimBelowHeader(fieldText(fields[c], limits))) return true;
    return false;
  }
  fieldCount(): number {
    return this.fields.length;
  }
}

/** A workbook row in pass 1: its cells were made as it was read (with their findings). */
class CellsRow implements RowSource {
  cellsNow: Cell[] = [];
  set(cells: Cell[]): this {
    this.cellsNow = cells;
    return this;
  }
  blank(): boolean {
    return this.cellsNow.every((c) => c.t === 'empty');
  }
  cells(): Cell[] {
    return this.cellsNow;
  }
  cell(c: number): Cell {
    return this.cellsNow[c] ?? EMPTY;
  }
  sayFindings(): void {}
  mayClaim(): boolean {
    return this.cellsNow.some((c) => c.t === 'text' && mayClaimBelowHeader(c.s));
  }
  fieldCount(): number {
    return this.cellsNow.length;
  }
}

/**
 * After pass 1: the forms read from the skeleton sheets; the sheet to stream, its header and the
 * summing its rows go to in pass 2 — or undefined when the file is not one detail list (the refusal
 * stands). `{}` when parseForms read no file (its findings say why).
 */
function readSkeleton(
  source: Source,
  passes: SkeletonPass[],
  ctx: PeriodContext,
  findings: Finding[],
): { parsed?: ParsedFile; target?: { sheet: Sheet; header: DetailHeader; stream: ReturnType<typeof detailStream> } } | undefined {
  const layoutCtx = layoutContextOf(ctx);
  const prefixes = new Set(passes.flatMap((p) => [...p.prefixes]));
  const { parsed, findings: formFindings } = parseForms(source, layoutCtx, { detailPrefixes: prefixes });
  findings.push(...formFindings);
  if (!parsed) return {};
  if (parsed.layouts.length !== 1 || parsed.layouts[0].layout !== 'detail') return undefined;
  // the sheet and header parseForms read (the same sheet, the same rule)
  const sheet = source.sheets.find((s) => s.name === parsed.layouts[0].sheet);
  if (!sheet) return undefined;
  const header = detectHeader(sheet, layoutCtx);
  if (header?.layout !== 'detail') return undefined;
  // pass 2 sums every row below the header as it comes
  parsed.details = [];
  return { parsed, target: { sheet, header, stream: detailStream(parsed, ctx) } };
}

/** Reads a large CSV detail file in a stream; undefined when it is not one (the refusal stands). */
export function readDetailCsvStream(text: string, file: string, encoding: { invalid: boolean }, ctx: PeriodContext, limits: Limits): StreamedCsv | undefined {
  const layoutCtx = layoutContextOf(ctx);
  const guess = Papa.parse<string[]>(text.slice(0, 1 << 16), { header: false, preview: HEAD_ROWS, delimitersToGuess: [',', '\t', ';', '|'] });
  if (guess.errors.some((e) => e.type === 'Quotes')) return undefined;
  const delimiter = guess.meta.delimiter || ',';

  // pass 1: limit findings, the skeleton, the codes' prefixes
  // a finding per cell (too long, a bad byte), bounded as in a CSV read whole (read.ts readCsv)
  const cellFindings = new CappedFindings(new FileFindings());
  const encodingFindings = new CappedFindings(new FileFindings());
  const state = { wide: false };
  const pass = new SkeletonPass({ name: '', hidden: false, hiddenRows: [], merges: [] }, layoutCtx, true);
  const line = new CsvRow((fields, r) => csvCells(fields, r, file, limits, cellFindings, state, encoding.invalid ? encodingFindings : undefined), limits, encoding.invalid);
  let ri = 0;
  let rowsOver = false;
  const whole = eachCsvRow(
    text,
    delimiter,
    (fields) => {
      const r = ri++;
      if (r >= limits.maxRows) {
        if (!isBlank(fields)) rowsOver = true;
        return true;
      }
      return pass.row(r, line.set(fields, r));
    },
    // most lines of a detail list: taken whole, not split (a third of the pass)
    (text) => ri < limits.maxRows && pass.plainLine(text, ri, delimiter, limits, encoding.invalid) && ri++ >= 0,
  );
  if (whole === 'quotes' || !pass.end(true)) return undefined;

  const findings = cellFindings.finish();
  if (rowsOver) findings.push(finding('limit.exceeded', { file }, { what: '行数', limit: String(limits.maxRows) }));
  if (state.wide) findings.push(finding('limit.exceeded', { file }, { what: '列数', limit: String(limits.maxCols) }));
  for (const f of encodingFindings.finish()) findings.push(f);
  const rowsHeld = pass.held + 1;
  const read = readSkeleton({ file, format: 'csv', encoding: '', sheets: [pass.sheet()] }, [pass], ctx, findings);
  if (!read) return undefined;
  const { parsed, target } = read;
  if (!parsed || !target) return { findings, rowsHeld };
  const { sheet: row, header: h, stream } = target;

  // pass 2: every row below the header, summed as it comes
  ri = 0;
  // one accessor for every row (no function made per row): only the columns the row reader asks for
  // become cells (their limits were said in pass 1)
  const cellOf = (c: number) => line.cell(c);
  const fieldsOf = { row: 0, header: pass.fieldCounts[h.row] ?? 0 };
  eachCsvRow(text, delimiter, (fields) => {
    const r = ri++;
    if (r >= limits.maxRows) return false;
    if (r <= h.row) return true;
    line.set(fields, r);
    fieldsOf.row = fields.length;
    const d = readDetailRow(cellOf, r, row, h, file, fieldsOf);
    if (d) stream.add(d);
    return true;
  });
  stream.finish();
  return { parsed, findings, rowsHeld, plainLines: pass.plainLines };
}

/**
 * Each row of a CSV text as papaparse's step parser gives it (with `header: false`, no empty line
 * skipped), to `take` until it returns false. A text with no quote, no CR and no BOM is split by hand,
 * as papaparse itself splits such a text (its "fast mode": lines at \n, fields at the delimiter, the
 * text's last line too, empty or not), without a result object per row: a third of a pass's time.
 * Any other text goes through papaparse; a quote it cannot close ends the reading with 'quotes'.
 * `quick`, in the hand split only, may take a line whole first (true: taken, not split, not given to `take`).
 */
export function eachCsvRow(text: string, delimiter: string, take: (fields: string[]) => boolean, quick?: (line: string) => boolean): 'quotes' | 'aborted' | 'done' {
  if (text.includes('"') || text.includes('\r') || text.charCodeAt(0) === 0xfeff) {
    let end: 'quotes' | 'aborted' | 'done' = 'done';
    Papa.parse<string[]>(text, {
      header: false,
      delimiter,
      skipEmptyLines: false,
      step: (res, parser) => {
        if (res.errors.some((e) => e.type === 'Quotes')) end = 'quotes';
        else if (!take(res.data)) end = 'aborted';
        if (end !== 'done') parser.abort();
      },
    });
    return end;
  }
  if (text === '') return 'done'; // papaparse gives no row at all
  for (let p = 0; ; ) {
    const e = text.indexOf('\n', p);
    const line = text.slice(p, e < 0 ? text.length : e);
    if (!quick?.(line) && !take(line.split(delimiter))) return 'aborted';
    if (e < 0) return 'done';
    p = e + 1;
  }
}

/**
 * Reads a large workbook's detail list in a stream; undefined when it is not one (the refusal stands).
 * `pkg` is the package as read.ts checked and normalised it.
 */
export async function readDetailXlsxStream(pkg: Uint8Array, file: string, ctx: PeriodContext, limits: Limits): Promise<StreamedCsv | undefined> {
  const layoutCtx = layoutContextOf(ctx);
  const layout = scanSheetLayout(pkg, limits);
  if (!layout) return undefined;

  // pass 1: every sheet's skeleton (a sheet within the head is kept whole); its findings per cell or
  // row (a text too long, a row too wide) bounded as a detail file's row findings are
  const cellFindings = new CappedFindings(new FileFindings());
  const passes: SkeletonPass[] = [];
  const holder = new CellsRow();
  let stopped = false;
  const first = await streamSheets(pkg, layout, limits, (ws) => {
    const pass = new SkeletonPass(ws.base, layoutCtx, false);
    passes.push(pass);
    return (r, cells) => {
      if (stopped) return false;
      if (!pass.row(r, holder.set(cells))) stopped = true;
      return !stopped;
    };
  }, cellFindings, file);
  if (!first || stopped) return undefined;
  const findings = cellFindings.finish();
  if (!passes.every((p) => p.end(false)) || !passes.some((p) => p.header)) return undefined;

  const rowsHeld = passes.reduce((n, p) => n + p.held, 0) + 1;
  // the sheets in the workbook's order, as a whole read lists them
  const rank = (p: SkeletonPass) => first.order.indexOf(p.name);
  if (passes.some((p) => rank(p) < 0)) return undefined;
  passes.sort((a, b) => rank(a) - rank(b));
  const source: Source = { file, format: 'xlsx', sheets: passes.map((p) => p.sheet()) };
  if (source.sheets[first.activeTab]) source.sheets[first.activeTab].active = true;
  const read = readSkeleton(source, passes, ctx, findings);
  if (!read) return undefined;
  const { parsed, target } = read;
  if (!parsed || !target) return { findings, rowsHeld };
  const { sheet, header: h, stream } = target;

  // pass 2: the detail sheet's rows below the header, summed as they come
  let cellsNow: Cell[] = [];
  const cellOf = (c: number) => cellsNow[c] ?? EMPTY;
  const second = await streamSheets(pkg, layout, limits, (ws) => {
    if (ws.base.name !== sheet.name) return undefined;
    return (r, cells) => {
      if (r <= h.row) return true;
      cellsNow = cells;
      const d = readDetailRow(cellOf, r, sheet, h, file);
      if (d) stream.add(d);
      return true;
    };
  }, { push: () => 0 }, file); // said in pass 1
  if (!second) return undefined;
  stream.finish();
  return { parsed, findings, rowsHeld };
}
