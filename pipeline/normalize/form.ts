// The shapes normalize produces: a form's figures with where each came from.
import type { Cell, Sheet } from '../ingest/grid.ts';
import { a1 } from '../ingest/grid.ts';
import type { IndicatorMatcher, UnitMatcher } from './match.ts';
import { parseSubmittedValue } from './chinese-number.ts';

/** Where a figure came from: file, sheet, A1 cell, 1-based row and column. */
export interface Loc {
  file: string;
  sheet: string;
  cell: string;
  row: number;
  col: number;
}

export function locOf(file: string, sheet: Sheet, r: number, c: number): Loc {
  return { file, sheet: sheet.name, cell: a1(r, c), row: r + 1, col: c + 1 };
}

/**
 * A Loc whose A1 address is made when it is read (a detail row's cells: a country's detail has five
 * million, and only those with a finding are ever addressed). Read `cell` by name: a spread copies
 * file, sheet, row and col, not the address.
 */
export class CellLoc implements Loc {
  constructor(
    readonly file: string,
    readonly sheet: string,
    readonly row: number,
    readonly col: number,
  ) {}
  get cell(): string {
    return a1(this.row - 1, this.col - 1);
  }
}

export interface Observation {
  unit: string;
  indicator: string;
  cell: Cell;
  raw: string;
  loc: Loc;
  /** the row's 备注 / 上报说明 text, if any */
  note: string;
  /** a figure computed from cells rather than read from one (H2 = 1-12月 − 1-6月): the other cells */
  derivedFrom?: Loc[];
}

/** A figure of a detail row: its item, its cell and the cell's 1-based column (its Loc is made when asked: DetailRow.at). */
export interface DetailValue {
  indicator: string;
  cell: Cell;
  raw: string;
  col: number;
}

/**
 * One row of a detail sheet. Its places are kept as numbers, and a Loc is made only when asked (a
 * finding, the first cell of a sum): a country's detail is 620,000 rows of seven cells.
 */
export class DetailRow {
  constructor(
    readonly code: string,
    readonly name: string,
    readonly type: string, // 村 | 社区 | as written
    readonly file: string,
    readonly sheet: string,
    /** 1-based row, and the columns of its code and type cells (the code's when there is no type column) */
    readonly row: number,
    readonly codeCol: number,
    readonly typeCol: number,
    readonly values: DetailValue[],
    /** a CSV row with more fields than its header (an unquoted 1,234): its cells may be shifted, none is taken */
    readonly extraFields?: { count: number; raw: string },
  ) {}

  /** the code cell */
  get loc(): Loc {
    return new CellLoc(this.file, this.sheet, this.row, this.codeCol);
  }

  /** the type cell (the code cell when the sheet has no type column) */
  get typeLoc(): Loc {
    return new CellLoc(this.file, this.sheet, this.row, this.typeCol);
  }

  /** a cell of the row by its 1-based column */
  at(col: number): Loc {
    return new CellLoc(this.file, this.sheet, this.row, col);
  }
}

export type Layout = 'long' | 'wide' | 'detail';

export interface ParsedFile {
  file: string;
  /** the unit the file is from (long form and detail); wide forms carry a unit per row */
  unit?: string;
  period?: string;
  layouts: { layout: Layout; sheet: string }[];
  observations: Observation[];
  details: DetailRow[];
  /** (unit → items present in the form) for missing-row checks */
  itemsSeen: Map<string, Set<string>>;
  /** (unit → where the unit's row or form is) for findings about a whole unit */
  unitLoc: Map<string, Loc>;
}

export interface LayoutContext {
  indicators: IndicatorMatcher;
  units: UnitMatcher;
  /** the period of the folder the file was found in, if any */
  period?: string;
  /** who reports, in words (十个区县（市）和市本级), for a message naming them */
  reporters?: string;
  /** an item's basis (period / ytd / stock), for cumulative columns in an H2 file */
  basis?: (indicator: string) => 'period' | 'ytd' | 'stock' | undefined;
}

/** A reading decision with more than one candidate: what was to be decided and the candidates' cells. */
export interface Doubt {
  what: string;
  candidates: { loc: Loc; text: string; reason: string }[];
}

/** 0.54万, 1.0万, 3亿: a figure in 万 or 亿 whose digits cannot give an exact count (0.5384万 can). */
/** A cell's number: a number cell, or text the value grammar reads as one (“1,234”, “88人”); else undefined. */
export function numberIn(cell: Cell): number | undefined {
  if (cell.t === 'number') return cell.n;
  if (cell.t !== 'text') return undefined;
  const p = parseSubmittedValue(cell.s);
  return p.kind === 'number' ? p.value : undefined;
}

/**
 * A text line with more fields than its header row (7,013 or 14,935 typed without quotes), with
 * something filled beyond `from`: every field after the comma would be read one column off.
 */
export function hasExtraFields(sheet: Sheet, r: number, headerRow: number, from: number): boolean {
  const fields = sheet.fieldCounts;
  return !!fields && fields[r] > fields[headerRow] && (sheet.rows[r] ?? []).slice(from).some((c) => c.t !== 'empty');
}

export function isRounded(raw: string): boolean {
  const m = /^\s*[+]?(\d[\d,]*)(?:\.(\d+))?\s*(万|亿)\s*[人个名次起件家项]?\s*$/.exec(raw.normalize('NFKC'));
  if (!m) return false;
  return (m[2]?.length ?? 0) < (m[3] === '万' ? 4 : 8);
}

/** 万人, 万个, （万人）: a measure in 万 (or 亿) of the item's own word; the figures are read times 10⁴ (10⁸). */
export function tenThousandMeasure(text: string): '万' | '亿' | undefined {
  const m = /^[(（]?\s*(万|亿)\s*[人个名次起件家项]?\s*[)）]?$/.exec(text.normalize('NFKC').trim());
  return m ? (m[1] as '万' | '亿') : undefined;
}

/** A figure written in 万 (0.7989 in a 万人 column) as the count it stands for: 7989, exactly from its digits. */
export function scaledFigure(cell: Cell, word: '万' | '亿'): { cell: Cell; rounded: boolean } | undefined {
  const digits = cell.t === 'number' && !cell.percent ? String(cell.n) : cell.t === 'text' ? cell.s.normalize('NFKC').trim().replace(/,/g, '') : '';
  if (!/^\d+(\.\d+)?$/.test(digits)) return undefined;
  const [int, frac = ''] = digits.split('.');
  const places = word === '万' ? 4 : 8;
  if (frac.length > places) return undefined; // 0.79891万人 is not a count: left to the value check
  const n = Number(int + frac.padEnd(places, '0'));
  return { cell: { t: 'number', n }, rounded: frac.length < places && n !== 0 };
}
