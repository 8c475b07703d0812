// Normalize + validate village-level detail (村社明细) row by row, for files too large to hold:
// the streaming counterpart of normalize/layout.ts readDetail + validate/values.ts sumDetail.
//
//   rows (CSV strings or xlsx cells) ─▶ header (layout.ts detectHeader, claims via parseForms)
//     ─▶ per row: code · roster · duplicate · type · each value through values.ts readCount
//     ─▶ per-file scratch sums by town ─▶ merged into the run's town sums when the file ends
//
// What is reused, not copied: the header matchers (detectHeader), the claims of title lines and file
// names (parseForms on the head), the value grammar and its findings (readCount, memoised per distinct
// text: readCount is pure, so a text that gave a clean number gives it again), the finding templates.
// Rows the fast path cannot vouch for (a code that is not 12 ASCII digits, a new type text) are handed
// to the core itself (parseForms on a one-row sheet), so the rules for codes, footers and 村/社区
// spellings live in layout.ts only. What is mirrored, because the core keeps it private: the
// readCsv cell rule (blank → empty), and sumDetail's loop (roster, wrong unit, duplicate, type, sum);
// test/scale/streaming.test.ts holds both against the core on the same rows.
import type { Finding } from '../../schemas/finding.ts';
import type { ReportedItem } from '../../schemas/catalogue.ts';
import type { PeriodContext } from '../context.ts';
import { type Cell, type Sheet, EMPTY, a1, cellText } from '../ingest/grid.ts';
import { type DetailRow, type LayoutContext, type Loc, detectHeader, locOf, parseForms } from '../normalize/layout.ts';
import { readCount, type ValueStatus } from '../validate/values.ts';
import { finding } from '../messages.ts';
import { KEEP_OUT } from '../read-form.ts';
import { type RosterIndex, countyIndexOf, newCursor, rosterSeek } from './roster-index.ts';
import type { FindingSink } from './findings-sink.ts';

/** What a streamed run knows: the period context (catalogue, matchers, units = counties) and the roster index. */
export interface ScaleContext {
  ctx: PeriodContext;
  roster: RosterIndex;
}

/** layout.ts looks for a header in the first 30 rows (MAX_HEADER_SCAN). */
export const HEAD_ROWS = 30;
/** Distinct texts remembered per item (a column of counts has a few dozen). */
export const MEMO_LIMIT = 10_000;
/** Findings held for a file before they are passed on (so a GB18030 re-read can drop them). */
const FINDINGS_BUFFER = 5_000;
/** The findings that make runPeriod leave a file out (run.ts). */
/** The core's keep-out list (read-form.ts), but for file.unit_unknown: a national file counts each row for its own county. */
const BLOCKING = new Set([...KEEP_OUT].filter((c) => c !== 'file.unit_unknown'));

const DIGITS12 = /^\d{12}$/;

/** A CSV field (or an .xlsx string) as a cell, as ingest/read.ts makes it: blank → empty, else text. */
export function textCell(v: string): Cell {
  return v.trim() === '' ? EMPTY : { t: 'text', s: v };
}

/** An .xlsx number as a cell, as ingest/read.ts toCell makes it. */
export function numberCell(n: number): Cell {
  return Number.isFinite(n) ? { t: 'number', n } : { t: 'error', s: '#NUM!' };
}

/**
 * A row as readers hand it over: CSV fields and .xlsx strings and numbers as they are (no object per
 * value: on 200k-row workbooks, one cell object per value made exceljs's row batches outlive the
 * young generation and tripled GC time), anything else as a typed cell.
 */
export type RowIn = readonly (string | number | Cell | undefined)[];
type Outcome = { value: number | null; status: ValueStatus };

/** One value of a RowIn as the typed cell the core would have made. */
export function cellOf(v: string | number | Cell | undefined): Cell {
  return typeof v === 'string' ? textCell(v) : typeof v === 'number' ? numberCell(v) : (v ?? EMPTY);
}

function toCells(row: RowIn): Cell[] {
  return Array.from(row, cellOf);
}

export interface ScaleStats {
  files: number;
  /** rows seen, header and title lines included */
  rows: number;
  /** rows with a village code that reached the roster check */
  detailRows: number;
  /** the most rows held at once: a parser batch plus the head kept while looking for the header */
  maxRowsHeld: number;
  /** values read (each through readCount or its memo) / computed by readCount itself */
  values: number;
  memoMisses: number;
  /** rows handed to the core (parseForms on a one-row sheet) because the fast path could not vouch for them */
  coreRows: number;
}

interface FileHeader {
  row: number;
  codeCol: number;
  typeCol?: number;
  cells: Cell[];
  cols: Col[];
}

/** An item column, with the arrays its values go to (looked up once per file, not per value). */
interface Col {
  col: number;
  j: number;
  item: ReportedItem;
  /** the item counts only rows of this type (村 / 社区), or '' */
  level: string;
  ascii: (Outcome | undefined)[];
  memo: Map<string, Outcome>;
  touched: Uint8Array;
  invalid: Int32Array;
  sums: Float64Array;
  rows: Int32Array;
}

/** The run's accumulators: sums by item and town, per-county flags; one instance per run. */
export class DetailAccumulator {
  readonly items: ReportedItem[];
  readonly nItems: number;
  readonly lctx: LayoutContext;
  // Per item (allocated when a header first names it): Σ values and the village rows that gave them,
  // by town; by county, whether any row reached the item (core: a DetailSum exists) and how many
  // rows were invalid or of the wrong type (core: complete = false).
  readonly townSums: Float64Array[] = [];
  readonly townRows: Int32Array[] = [];
  readonly countyTouched: Uint8Array[] = [];
  readonly countyInvalid: Int32Array[] = [];
  /** county → index of the first file that gave it rows (for the value's provenance) */
  readonly countyFile: Int32Array;
  /** item indices seen in any header */
  readonly itemsSeen = new Set<number>();
  readonly files: string[] = [];
  readonly stats: ScaleStats = { files: 0, rows: 0, detailRows: 0, maxRowsHeld: 0, values: 0, memoMisses: 0, coreRows: 0 };
  // per-file scratch of the same shape, merged in commitScratch(): lets a file be dropped and read again
  readonly fTownSums: Float64Array[] = [];
  readonly fTownRows: Int32Array[] = [];
  readonly fCountyTouched: Uint8Array[] = [];
  readonly fCountyInvalid: Int32Array[] = [];
  readonly townStamp: Int32Array;
  readonly countyStamp: Int32Array;
  touchedTowns: number[] = [];
  touchedCounties: number[] = [];
  /** roster index → the file pass that last saw it, and on which row (duplicates within a file) */
  readonly seen: Int32Array;
  readonly seenRow: Int32Array;
  pass = 0;
  readonly memo: Map<string, Outcome>[];
  readonly ascii: (Outcome | undefined)[][];
  /** where the last row was found in the roster: rows usually come in roster order */
  readonly cursor = newCursor();
  readonly typeMemo = new Map<string, string>();
  readonly countyCode: string[];

  constructor(
    readonly sc: ScaleContext,
    readonly sink: FindingSink,
  ) {
    const { ctx, roster } = sc;
    this.items = ctx.catalogue.items;
    this.nItems = this.items.length;
    this.lctx = { indicators: ctx.matchIndicators, units: ctx.matchUnits, period: ctx.period };
    this.countyFile = new Int32Array(roster.counties.length).fill(-1);
    this.townStamp = new Int32Array(roster.towns.length).fill(-1);
    this.countyStamp = new Int32Array(roster.counties.length).fill(-1);
    this.seen = new Int32Array(roster.size).fill(-1);
    this.seenRow = new Int32Array(roster.size);
    this.memo = this.items.map(() => new Map());
    this.ascii = this.items.map(() => new Array<Outcome | undefined>(256).fill(undefined));
    this.countyCode = Array.from(roster.counties, (c) => String(c));
  }

  /** Starts a file (`sheet` is '' for CSV). Rows go to push(), then end(). */
  openFile(file: string, format: 'csv' | 'xlsx', sheet = '', opts: { quietNoForm?: boolean } = {}): DetailFile {
    if (this.files[this.files.length - 1] !== file) {
      this.files.push(file);
      this.stats.files++;
    }
    return new DetailFile(this, file, this.files.length - 1, format, sheet, opts.quietNoForm ?? false);
  }

  /** Makes the arrays of item j (a header named it). */
  useItem(j: number): void {
    if (this.itemsSeen.has(j)) return;
    this.itemsSeen.add(j);
    const nT = this.sc.roster.towns.length;
    const nC = this.sc.roster.counties.length;
    this.townSums[j] = new Float64Array(nT);
    this.townRows[j] = new Int32Array(nT);
    this.countyTouched[j] = new Uint8Array(nC);
    this.countyInvalid[j] = new Int32Array(nC);
    this.fTownSums[j] = new Float64Array(nT);
    this.fTownRows[j] = new Int32Array(nT);
    this.fCountyTouched[j] = new Uint8Array(nC);
    this.fCountyInvalid[j] = new Int32Array(nC);
  }

  /** Moves a file's scratch sums into the run's, and clears the scratch for the next file. */
  commitScratch(fileNo: number): void {
    for (const j of this.itemsSeen) {
      const [s, r, fs, fr] = [this.townSums[j], this.townRows[j], this.fTownSums[j], this.fTownRows[j]];
      for (const t of this.touchedTowns) (s[t] += fs[t]), (r[t] += fr[t]), (fs[t] = 0), (fr[t] = 0);
      const [ct, ci, fct, fci] = [this.countyTouched[j], this.countyInvalid[j], this.fCountyTouched[j], this.fCountyInvalid[j]];
      for (const c of this.touchedCounties) (ct[c] |= fct[c]), (ci[c] += fci[c]), (fct[c] = 0), (fci[c] = 0);
    }
    for (const c of this.touchedCounties) if (this.countyFile[c] < 0) this.countyFile[c] = fileNo;
    this.touchedTowns = [];
    this.touchedCounties = [];
  }

  /** Drops a file's scratch (its rows will be read again). */
  dropScratch(): void {
    for (const j of this.itemsSeen) {
      for (const t of this.touchedTowns) (this.fTownSums[j][t] = 0), (this.fTownRows[j][t] = 0);
      for (const c of this.touchedCounties) (this.fCountyTouched[j][c] = 0), (this.fCountyInvalid[j][c] = 0);
    }
    this.touchedTowns = [];
    this.touchedCounties = [];
  }
}

/** One file being streamed into a DetailAccumulator. */
export class DetailFile {
  private head: RowIn[] = [];
  private header: FileHeader | undefined;
  private skip = false;
  private findings: Finding[] = [];
  private flushed = false;
  /** county index the file claims (title line, file name), or -1: each row counts for its own county */
  private unit = -1;
  private unitCode = '';
  private pass: number;

  constructor(
    private readonly acc: DetailAccumulator,
    readonly file: string,
    private readonly fileNo: number,
    private readonly format: 'csv' | 'xlsx',
    private readonly sheet: string,
    private readonly quietNoForm: boolean,
  ) {
    this.pass = ++acc.pass;
  }

  /** Did the file (sheet) hold a village-level detail form? Known once the head has been read. */
  get found(): boolean {
    return this.header !== undefined;
  }

  /** A batch of rows; `first` is the 0-based row index of rows[0] in the sheet. */
  push(rows: readonly RowIn[], first: number): void {
    const acc = this.acc;
    acc.stats.rows += rows.length;
    const held = rows.length + this.head.length;
    if (held > acc.stats.maxRowsHeld) acc.stats.maxRowsHeld = held;
    if (this.skip) return;
    let i = 0;
    if (!this.header) {
      for (; i < rows.length && this.head.length < HEAD_ROWS; i++) this.head.push(rows[i]);
      if (this.head.length < HEAD_ROWS) return;
      this.locateHeader();
      if (!this.header) return;
    }
    for (; i < rows.length; i++) this.row(rows[i], first + i);
  }

  /** The file ended: find the header of a short file, then pass its sums and findings on. */
  end(): void {
    if (!this.header && !this.skip) this.locateHeader();
    this.acc.commitScratch(this.fileNo);
    this.flush();
  }

  /** The file will be read again from its first byte (it was not UTF-8 after all). */
  restart(): void {
    this.acc.dropScratch();
    this.pass = ++this.acc.pass;
    this.head = [];
    this.header = undefined;
    this.skip = false;
    if (!this.flushed) this.findings = [];
  }

  private add(f: Finding): void {
    this.findings.push(f);
    if (this.findings.length >= FINDINGS_BUFFER) this.flush();
  }

  private flush(): void {
    for (const f of this.findings) this.acc.sink.add(f);
    if (this.findings.length) this.flushed = true;
    this.findings = [];
  }

  private sheetOf(rows: Cell[][]): Sheet {
    return { name: this.sheet, hidden: false, hiddenRows: [], merges: [], rows };
  }

  private locateHeader(): void {
    const acc = this.acc;
    const headRows = this.head.map(toCells);
    const h = detectHeader(this.sheetOf(headRows), acc.lctx);
    if (!h || h.layout !== 'detail') {
      if (!this.quietNoForm) this.add(finding('file.no_form', { file: this.file, sheet: this.sheet }));
      this.skip = true;
      this.head = [];
      return;
    }
    // unit and period claims of the title lines and the file name, as the core reads them
    const claims = parseForms({ file: this.file, format: this.format, sheets: [this.sheetOf(headRows.slice(0, h.row + 1))] }, acc.lctx);
    for (const f of claims.findings) {
      if (f.code === 'file.unit_unknown') continue; // a national file: each row counts for its own county
      this.add(f);
      if (BLOCKING.has(f.code)) this.skip = true;
    }
    if (this.skip) {
      this.head = [];
      return;
    }
    if (claims.parsed?.unit) {
      this.unitCode = claims.parsed.unit;
      this.unit = countyIndexOf(acc.sc.roster, Number(claims.parsed.unit));
      if (this.unit < 0) this.unit = -2; // a unit outside the roster: every row is in the wrong unit
    }
    const cols: FileHeader['cols'] = [];
    for (const it of h.items) {
      const j = acc.items.findIndex((x) => x.code === it.indicator);
      if (j < 0) continue;
      acc.useItem(j);
      const item = acc.items[j];
      const level = item.village_level && item.village_level !== 'any' ? item.village_level : '';
      cols.push({ col: it.col, j, item, level, ascii: acc.ascii[j], memo: acc.memo[j], touched: acc.fCountyTouched[j], invalid: acc.fCountyInvalid[j], sums: acc.fTownSums[j], rows: acc.fTownRows[j] });
    }
    this.header = { row: h.row, codeCol: h.codeCol, typeCol: h.typeCol, cells: headRows[h.row], cols };
    const head = this.head;
    this.head = [];
    for (let r = h.row + 1; r < head.length; r++) this.row(head[r], r);
  }

  /** The core's reading of one row (layout.ts readDetail via parseForms on [header, row]). */
  private coreRow(row: Cell[]): DetailRow | undefined {
    this.acc.stats.coreRows++;
    const { parsed } = parseForms({ file: this.file, format: this.format, sheets: [this.sheetOf([this.header!.cells, row])] }, this.acc.lctx);
    return parsed?.details[0];
  }

  private lastTypeKey: string | undefined;
  private lastType = '';

  private typeOf(v: string | number | Cell | undefined): string {
    const key = typeof v === 'string' ? v : typeof v === 'number' ? String(v) : cellText(v);
    if (key === this.lastTypeKey) return this.lastType;
    this.lastTypeKey = key;
    this.lastType = this.typeOfKey(key, v);
    return this.lastType;
  }

  private typeOfKey(key: string, v: string | number | Cell | undefined): string {
    const known = this.acc.typeMemo.get(key);
    if (known !== undefined) return known;
    const h = this.header!;
    const cells: Cell[] = h.cells.map(() => EMPTY);
    cells[h.codeCol] = { t: 'text', s: '000000000000' };
    if (h.typeCol !== undefined) cells[h.typeCol] = cellOf(v);
    const type = this.coreRow(cells)?.type ?? key.trim();
    this.acc.typeMemo.set(key, type);
    return type;
  }

  private loc(r: number, c: number): Loc {
    return locOf(this.file, this.sheetOf([]), r, c);
  }

  private at(r: number, c: number, unit: string, raw: string, extra: { indicator?: string } = {}) {
    const l = this.loc(r, c);
    return { file: l.file, sheet: l.sheet, cell: l.cell, row: l.row, col: l.col, unit, period: this.acc.sc.ctx.period, raw, ...extra };
  }

  private row(row: RowIn, r: number): void {
    const acc = this.acc;
    const h = this.header!;
    const ix = acc.sc.roster;
    // the village code, as readDetail reads it
    const cv = row[h.codeCol];
    let code: string;
    if (typeof cv === 'string') {
      if (cv.length === 12 && DIGITS12.test(cv)) code = cv;
      else {
        if (cv.trim() === '') return;
        const d = this.coreRow(toCells(row));
        if (!d) return;
        code = d.code;
      }
    } else if (typeof cv === 'number' && Number.isInteger(cv) && cv >= 1e11 && cv < 1e12) code = String(cv);
    else if (cv === undefined || (typeof cv === 'object' && cv.t === 'empty')) return;
    else if (typeof cv === 'object' && cv.t === 'text' && cv.s.length === 12 && DIGITS12.test(cv.s)) code = cv.s;
    else if (typeof cv === 'object' && cv.t === 'number' && Number.isInteger(cv.n) && cv.n >= 1e11 && cv.n < 1e12) code = String(cv.n);
    else {
      const d = this.coreRow(toCells(row));
      if (!d) return;
      code = d.code;
    }
    acc.stats.detailRows++;
    // sumDetail: roster, unit, duplicate (a code from the core may be anything: only 12 digits can be listed)
    const cur = acc.cursor;
    if (!(code.length === 12 && (code === cv || DIGITS12.test(code)) && rosterSeek(ix, code, cur))) {
      const prefix = code.slice(0, 6);
      const unit = this.unit >= 0 ? this.unitCode : countyIndexOf(ix, Number(prefix)) >= 0 && /^\d{6}$/.test(prefix) ? prefix : this.unitCode;
      this.add(finding('rule.detail_unknown_village', this.at(r, h.codeCol, unit, code)));
      return;
    }
    const idx = cur.idx;
    const town = cur.town;
    const county = ix.countyOfTown[town];
    if (this.unit !== -1 && county !== this.unit) {
      const name = acc.sc.ctx.matchUnits.name;
      this.add(finding('rule.detail_wrong_unit', this.at(r, h.codeCol, this.unitCode, code), { other: name(acc.countyCode[county]), unit: name(this.unitCode) }));
      return;
    }
    if (acc.seen[idx] === this.pass) {
      this.add(finding('rule.detail_duplicate_village', this.at(r, h.codeCol, acc.countyCode[county], code), { other: a1(acc.seenRow[idx], h.codeCol) }));
      return;
    }
    acc.stats.values += h.cols.length;
    acc.seen[idx] = this.pass;
    acc.seenRow[idx] = r;
    if (acc.townStamp[town] !== this.pass) (acc.townStamp[town] = this.pass), acc.touchedTowns.push(town);
    if (acc.countyStamp[county] !== this.pass) (acc.countyStamp[county] = this.pass), acc.touchedCounties.push(county);
    let type: string | undefined;
    const cols = h.cols;
    for (let k = 0; k < cols.length; k++) {
      const c = cols[k];
      c.touched[county] = 1;
      const v = row[c.col];
      // one ASCII character ('0', '1' …) or a small whole number (0, 1 … from .xlsx) is looked up in a table
      let ch = 256;
      if (typeof v === 'string') {
        if (v.length === 1 && (ch = v.charCodeAt(0)) >= 128) ch = 256;
      } else if (typeof v === 'number' && v >= 0 && v < 128 && Number.isInteger(v)) ch = 128 + v;
      let out = ch < 256 ? c.ascii[ch] : undefined;
      if (!out) out = this.miss(c, v, ch, r, county);
      if (out.status === 'invalid') c.invalid[county]++;
      const value = out.value;
      if (value === null) continue;
      if (c.level && value > 0) {
        type ??= h.typeCol === undefined ? '' : this.typeOf(row[h.typeCol]);
        if (type !== c.level) {
          const tc = h.typeCol ?? h.codeCol;
          this.add(finding('rule.detail_type', this.at(r, tc, acc.countyCode[county], type, { indicator: c.item.code }), { item: c.item.name_zh, expected: c.level }));
          c.invalid[county]++;
          continue;
        }
      }
      c.sums[town] += value;
      c.rows[town]++;
    }
  }

  /** A value not answered by the ASCII table: the Map memo, else readCount itself (with its findings). */
  private miss(c: Col, v: string | number | Cell | undefined, ch: number, r: number, county: number): Outcome {
    const acc = this.acc;
    // text and numbers are told apart: the grammar reads '1' and 1 alike today, the memo does not assume it
    const key = typeof v === 'string' ? v : typeof v === 'number' ? `#${v}` : v === undefined ? '' : v.t === 'number' ? `#${v.n}` : v.t === 'text' ? v.s : v.t === 'empty' ? '' : undefined;
    const known = key === undefined ? undefined : c.memo.get(key);
    if (known) return known;
    acc.stats.memoMisses++;
    const cell = cellOf(v);
    const res = readCount(cell, cellText(cell), c.item, false, { loc: this.loc(r, c.col), unit: acc.countyCode[county], period: acc.sc.ctx.period }, { yesNo: true });
    const out = { value: res.value, status: res.status };
    if (res.findings.length) for (const f of res.findings) this.add(f);
    else if (ch < 256) c.ascii[ch] = out;
    else if (key !== undefined && c.memo.size < MEMO_LIMIT) c.memo.set(key, out);
    return out;
  }
}
