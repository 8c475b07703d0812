// A workbook's rows one at a time (a 村社明细 beyond the cell limit: pipeline/read-detail-stream.ts),
// through exceljs's streaming WorkbookReader with styles and shared strings cached (PITFALLS.md), each
// cell converted as a workbook read whole converts it (read.ts xlsxCell). What the streaming reader
// does not give — hidden rows, hidden columns, merged ranges — is scanned from each sheet's XML first
// (one more inflate, nothing kept but those lists), so a merged range's other cells are empty and the
// hidden rows and columns are known, as in the whole read.
//
// Node only: the browser build of exceljs (the check page) has no streaming reader; there a workbook
// beyond the cell limit stays refused.
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Finding } from '../../schemas/finding.ts';
import { finding } from '../messages.ts';
import { type Cell, type Sheet, EMPTY } from './grid.ts';
import { type Limits, parseRange, xlsxCell } from './read.ts';
import { verifyEntries, zipStats } from './zip-guard.ts';
import type { FindingSink } from '../validate/finding-cap.ts';

type Merge = Sheet['merges'][number];

/** What one worksheet's XML says beside its cells (1-based rows and columns, as Sheet keeps them). */
export interface SheetLayout {
  hiddenRows: number[];
  hiddenCols: number[];
  merges: Merge[];
}

const TAG_PREFIX = '(?:[A-Za-z_][\\w.-]*:)?';
const ROW_TAG = new RegExp(`<${TAG_PREFIX}row\\b([^>]*)>`, 'g');
const COL_TAG = new RegExp(`<${TAG_PREFIX}col\\b([^>]*)>`, 'g');
const MERGE_TAG = new RegExp(`<${TAG_PREFIX}mergeCell\\b[^>]*\\bref="([^"]+)"`, 'g');
const attr = (attrs: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(attrs)?.[1];
const isTrue = (v: string | undefined) => v === '1' || v === 'true';

/** Each worksheet's hidden rows and columns and merged ranges, by entry name; undefined when the package cannot be read. */
export function scanSheetLayout(pkg: Uint8Array, limits: Limits): Map<string, SheetLayout> | undefined {
  const stats = zipStats(pkg);
  if ('error' in stats) return undefined;
  const found = new Map<string, { rows: Set<number>; cols: Set<number>; merges: Map<string, Merge> }>();
  const reason = verifyEntries(
    pkg,
    stats,
    { ...limits.zip, maxCells: Number.POSITIVE_INFINITY },
    {
      sheet(e, text) {
        let s = found.get(e.name);
        if (!s) found.set(e.name, (s = { rows: new Set(), cols: new Set(), merges: new Map() }));
        // a tag cut by a chunk's end comes again whole: sets, so a tag seen twice counts once
        for (const m of text.matchAll(ROW_TAG)) {
          const r = Number(attr(m[1], 'r'));
          if (Number.isInteger(r) && r > 0 && r <= limits.maxRows && isTrue(attr(m[1], 'hidden'))) s.rows.add(r);
        }
        for (const m of text.matchAll(COL_TAG)) {
          if (!isTrue(attr(m[1], 'hidden'))) continue;
          const min = Number(attr(m[1], 'min'));
          const max = Math.min(Number(attr(m[1], 'max')), limits.maxCols);
          for (let c = min; c <= max; c++) s.cols.add(c);
        }
        for (const m of text.matchAll(MERGE_TAG)) {
          const range = parseRange(m[1]);
          if (range) s.merges.set(m[1], range);
        }
      },
    },
  );
  if (reason) return undefined;
  return new Map(
    [...found].map(([name, s]) => [name, { hiddenRows: [...s.rows].sort((a, b) => a - b), hiddenCols: [...s.cols].sort((a, b) => a - b), merges: [...s.merges.values()] }]),
  );
}

const isUnresolved = (v: unknown) => typeof v === 'object' && v !== null && 'sharedString' in v;

/** One worksheet as it opens: the sheet without its rows. */
export interface StreamedSheet {
  base: Omit<Sheet, 'rows' | 'fieldCounts'>;
}

/** A sheet's row handler: a row's cells (0-based `r`); false stops the reading. */
export type RowHandler = (r: number, cells: Cell[]) => boolean;

type WorksheetReader = AsyncIterable<ExcelJS.Row> & { id: number; name: string; state?: string };
interface WorkbookReader extends AsyncIterable<WorksheetReader> {
  model?: { sheets?: { name: string; rId: string }[]; views?: { activeTab?: number }[] };
  workbookRels?: { Id: string; Target: string }[];
}

/** The package entry of a worksheet the reader emits, through workbook.xml and its relationships. */
function entryOf(reader: WorkbookReader, ws: WorksheetReader, layout: Map<string, SheetLayout>): string | undefined {
  const rId = reader.model?.sheets?.find((s) => s.name === ws.name)?.rId;
  const target = rId === undefined ? undefined : reader.workbookRels?.find((r) => r.Id === rId)?.Target;
  if (target !== undefined) return target.startsWith('/') ? target.slice(1) : `xl/${target}`;
  const sheets = [...layout.keys()];
  return sheets.length === 1 ? sheets[0] : undefined;
}

/**
 * Streams every worksheet: `open` is told of each sheet and returns its row handler (undefined: the
 * sheet's rows are passed over). The findings of the cells (a text beyond the cell limit, a row too
 * wide, rows beyond the limit) go to `findings`, as the whole read says them. Returns the workbook's
 * active tab, or undefined when exceljs cannot read it or a handler stopped the reading.
 */
export async function streamSheets(
  pkg: Uint8Array,
  layout: Map<string, SheetLayout>,
  limits: Limits,
  open: (sheet: StreamedSheet) => RowHandler | undefined,
  findings: FindingSink,
  file = '',
): Promise<{ activeTab: number; order: string[] } | undefined> {
  const Reader = (ExcelJS as unknown as { stream?: { xlsx?: { WorkbookReader?: new (input: unknown, options: unknown) => WorkbookReader } } }).stream?.xlsx?.WorkbookReader;
  if (!Reader) return undefined;
  const reader = new Reader(Readable.from([Buffer.from(pkg.buffer, pkg.byteOffset, pkg.byteLength)]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  try {
    for await (const ws of reader) {
      const entry = entryOf(reader, ws, layout);
      if (entry === undefined) return undefined; // which sheet's XML this is cannot be told: not read
      const sheetLayout = layout.get(entry) ?? { hiddenRows: [], hiddenCols: [], merges: [] };
      const handler = open({ base: { name: ws.name, hidden: ws.state !== 'visible' && ws.state !== undefined, hiddenRows: sheetLayout.hiddenRows, hiddenCols: sheetLayout.hiddenCols, merges: sheetLayout.merges } });
      // merged ranges by their first row; those covering the current row are `active`
      const pending = [...sheetLayout.merges].sort((a, b) => a.top - b.top);
      let next = 0;
      let active: Merge[] = [];
      const covered = (r: number, c: number) => active.some((m) => c >= m.left && c <= m.right && !(r === m.top && c === m.left));
      let tooWide = false;
      let rowsOver = false;
      for await (const row of ws) {
        if (!handler) continue;
        if (row.number > limits.maxRows) {
          rowsOver = true;
          continue;
        }
        const r = row.number - 1;
        while (next < pending.length && pending[next].top <= r) active.push(pending[next++]);
        if (active.length) active = active.filter((m) => m.bottom >= r);
        const nCols = Math.min(row.cellCount, limits.maxCols);
        if (row.cellCount > limits.maxCols && !tooWide) {
          tooWide = true;
          findings.push(finding('limit.exceeded', { file, sheet: ws.name, row: row.number, cell: `A${row.number}` }, { what: '列数', limit: String(limits.maxCols) }));
        }
        const cells: Cell[] = new Array(nCols);
        for (let c = 0; c < nCols; c++) {
          if (active.length && covered(r, c)) {
            cells[c] = EMPTY;
            continue;
          }
          const cell = row.getCell(c + 1);
          // a shared string the reader could not resolve (sharedStrings.xml after the sheet in the
          // package: exceljs gives {sharedString: n}): the text is not known, so the workbook is not read
          if (isUnresolved(cell.value)) return undefined;
          cells[c] = xlsxCell(cell, file, ws.name, row.number, c + 1, limits, findings);
        }
        if (!handler(r, cells)) return undefined;
      }
      if (rowsOver) findings.push(finding('limit.exceeded', { file, sheet: ws.name }, { what: '行数', limit: String(limits.maxRows) }));
    }
    // the sheets in the workbook's order (the reader gives them in the package's)
    return { activeTab: reader.model?.views?.[0]?.activeTab ?? 0, order: (reader.model?.sheets ?? []).map((s) => s.name) };
  } catch {
    return undefined;
  }
}
