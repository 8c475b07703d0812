// Streaming .xlsx rows: exceljs's WorkbookReader (styles and shared strings cached, as PITFALLS.md
// requires) → each row's values as typed cells, one row at a time. Merged ranges are not known while
// streaming (exceljs reads <mergeCells> after the rows), which only matters for titles and headers:
// the cells a merge covers are empty in the file, as the core's master-only rule makes them.
import ExcelJS from 'exceljs';
import type { Cell } from '../ingest/grid.ts';
import type { RowIn } from './detail-stream.ts';
import { toCell } from '../ingest/read.ts';

/** An exceljs cell value → a typed cell: the very rule of ingest/read.ts. */
export const xlsxCell: (v: ExcelJS.CellValue) => Cell = toCell;

/** The reader options every streamed read uses (the floor in the benchmark uses the same). */
export const XLSX_READER_OPTIONS = {
  worksheets: 'emit',
  sharedStrings: 'cache',
  styles: 'cache',
  hyperlinks: 'ignore',
  entries: 'ignore',
} as const;

export interface XlsxSheetSink {
  /** one row's values (0-based columns): strings and finite numbers as they are, else typed cells; `r` is the 0-based row index */
  row(cells: RowIn, r: number): void;
  end(): void;
}

/** A value as the detail reader takes it: plain strings and finite numbers stay as they are (no object per value). */
function rowValue(v: ExcelJS.CellValue): string | number | Cell | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) return v;
  return xlsxCell(v);
}

export interface XlsxStreamStats {
  sheets: number;
  rows: number;
  /** rows handed over at once (always 1: a row is gone when its callback returns) */
  maxRowsHeld: number;
}

/** Streams every worksheet's rows to the sink `open(name, hidden)` returns (undefined skips the sheet). */
export async function streamXlsxRows(file: string, open: (sheet: string, hidden: boolean) => XlsxSheetSink | undefined): Promise<XlsxStreamStats> {
  const stats: XlsxStreamStats = { sheets: 0, rows: 0, maxRowsHeld: 0 };
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, XLSX_READER_OPTIONS as unknown as ExcelJS.stream.xlsx.WorkbookStreamReaderOptions);
  for await (const ws of reader) {
    const w = ws as unknown as { name: string; state?: string } & AsyncIterable<ExcelJS.Row>;
    stats.sheets++;
    const sink = open(w.name, w.state !== undefined && w.state !== 'visible');
    for await (const row of w) {
      stats.rows++;
      if (!sink) continue;
      stats.maxRowsHeld = 1;
      const values = row.values as ExcelJS.CellValue[];
      const cells: (string | number | Cell | undefined)[] = new Array(Math.max(0, values.length - 1));
      for (let c = 1; c < values.length; c++) cells[c - 1] = rowValue(values[c]);
      sink.row(cells, row.number - 1);
    }
    sink?.end();
  }
  return stats;
}
