// The common shape every input becomes: sheets of typed cells with their A1 addresses.

/** One cell as read, before any meaning is given to it. */
export type Cell =
  | { t: 'empty' }
  | { t: 'number'; n: number; percent?: boolean } // percent: formatted as % in the workbook (0.578 shown 57.8%)
  | { t: 'text'; s: string }
  | { t: 'bool'; b: boolean }
  | { t: 'date'; iso: string }
  | { t: 'error'; s: string } // #REF!, #DIV/0! …
  | { t: 'nocache'; formula: string }; // a formula whose result was never computed

export const EMPTY: Cell = { t: 'empty' };

export interface Sheet {
  name: string; // '' for CSV
  hidden: boolean;
  /** the sheet shown when the workbook is opened (.xlsx / .xls) */
  active?: boolean;
  /** 1-based row numbers of hidden rows. */
  hiddenRows: number[];
  /** 1-based column numbers of hidden columns (.xlsx only). */
  hiddenCols?: number[];
  /** rows[r][c]: 0-based; merged ranges keep their value in the master (top-left) cell only. */
  rows: Cell[][];
  /** CSV only: how many fields each line has (a line with more than its header's is not cut silently). */
  fieldCounts?: number[];
  /** merged ranges, 0-based inclusive. */
  merges: { top: number; left: number; bottom: number; right: number }[];
}

export interface Source {
  /** path as shown to users (relative to the submissions folder or as given). */
  file: string;
  format: 'csv' | 'xlsx' | 'xls' | 'html';
  /** CSV only: the encoding used and how it was chosen. */
  encoding?: string;
  sheets: Sheet[];
}

/** 0-based column → letters (0 → A, 26 → AA). */
export function colLetters(c: number): string {
  let s = '';
  let n = c + 1;
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** 0-based row and column → A1 address. */
export function a1(row: number, col: number): string {
  return `${colLetters(col)}${row + 1}`;
}

/** The cell's text as a person would see it (for headers, titles, messages). */
export function cellText(c: Cell | undefined): string {
  if (!c) return '';
  switch (c.t) {
    case 'empty':
      return '';
    case 'number':
      return c.percent ? `${Math.round(c.n * 100 * 1e9) / 1e9}%` : String(c.n);
    case 'text':
      return c.s;
    case 'bool':
      return c.b ? 'TRUE' : 'FALSE';
    case 'date':
      return c.iso;
    case 'error':
      return c.s;
    case 'nocache':
      return `=${c.formula}`;
  }
}

export function cellAt(sheet: Sheet, row: number, col: number): Cell {
  return sheet.rows[row]?.[col] ?? EMPTY;
}
