// A 村社明细 CSV too large to hold as cells (more than the cell limit: a province's or the country's
// detail, 620,000 rows × 8 fields) is read in a stream instead of refused: its rows are never all
// held as cells. Two passes over the decoded text with papaparse's step parser:
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
import Papa from 'papaparse';
import type { Finding } from '../schemas/finding.ts';
import { finding } from './messages.ts';
import { type Cell, type Sheet, EMPTY } from './ingest/grid.ts';
import { csvCells, fieldCell, type Limits } from './ingest/read.ts';
import { detectHeader, type DetailHeader } from './normalize/header.ts';
import { parseForms } from './normalize/layout.ts';
import type { ParsedFile } from './normalize/form.ts';
import { type PeriodContext, layoutContextOf } from './context.ts';
import { mayClaimBelowHeader } from './normalize/claims.ts';
import { detailCode, isDetailCode, readDetailRow } from './normalize/read-detail.ts';
import { MAX_HEADER_SCAN } from './normalize/vocabulary.ts';
import { detailStream } from './validate/values.ts';

/** Rows read as they are before the header is looked for (the header is within the first MAX_HEADER_SCAN). */
export const HEAD_ROWS = Math.max(100, MAX_HEADER_SCAN + 1);
/** Rows kept for the claims beyond the head: past this, the file is not a plain detail list. */
const MAX_KEPT_ROWS = 10_000;

export interface StreamedCsv {
  parsed?: ParsedFile;
  findings: Finding[];
  /** the most rows held as cells at once (the skeleton's and one row), for the test that bounds memory */
  rowsHeld: number;
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

/** Reads a large CSV detail file in a stream; undefined when it is not one (the refusal stands). */
export function readDetailCsvStream(text: string, file: string, encoding: { invalid: boolean }, ctx: PeriodContext, limits: Limits): StreamedCsv | undefined {
  const layoutCtx = layoutContextOf(ctx);
  const guess = Papa.parse<string[]>(text.slice(0, 1 << 16), { header: false, preview: HEAD_ROWS, delimitersToGuess: [',', '\t', ';', '|'] });
  if (guess.errors.some((e) => e.type === 'Quotes')) return undefined;
  const delimiter = guess.meta.delimiter || ',';

  // pass 1: cells, limit findings, the skeleton, the codes' prefixes
  const findings: Finding[] = [];
  const encodingFindings: Finding[] = [];
  const state = { wide: false };
  const skeleton: Cell[][] = [];
  const fieldCounts: number[] = [];
  const prefixes = new Set<string>();
  let header: DetailHeader | undefined;
  let notDetail = false;
  let quotes = false;
  let kept = 0;
  let ri = 0;
  let lastFilled = -1;
  let rowsOver = false;
  const sheet = (): Sheet => ({ name: '', hidden: false, hiddenRows: [], merges: [], fieldCounts, rows: skeleton });
  const cellsOf = (fields: string[], r: number) => csvCells(fields, r, file, limits, findings, state, encoding.invalid ? encodingFindings : undefined);
  const findHeader = () => {
    const h = detectHeader(sheet(), layoutCtx);
    if (h?.layout === 'detail') header = h;
    else notDetail = true;
  };
  Papa.parse<string[]>(text, {
    header: false,
    delimiter,
    skipEmptyLines: false,
    step: (res, parser) => {
      if (res.errors.some((e) => e.type === 'Quotes')) {
        quotes = true;
        parser.abort();
        return;
      }
      const fields = res.data;
      const r = ri++;
      if (!isBlank(fields)) lastFilled = r;
      if (r >= limits.maxRows) {
        if (!isBlank(fields)) rowsOver = true;
        return;
      }
      if (r < HEAD_ROWS) {
        skeleton[r] = cellsOf(fields, r);
        fieldCounts[r] = fields.length;
        return;
      }
      if (!header && !notDetail) findHeader();
      if (notDetail) {
        parser.abort();
        return;
      }
      // a row below the head is made cells only when it has something to say (a limit or an encoding
      // finding: csvCells says it) or to keep (a claim): the rest are looked at as fields
      let cells = plainFields(fields, limits, encoding.invalid) ? undefined : cellsOf(fields, r);
      const codeCol = header!.codeCol;
      const code = detailCode(codeCol < fields.length && codeCol < limits.maxCols ? fieldCell(fields[codeCol], limits) : EMPTY);
      if (isDetailCode(code)) prefixes.add(code.slice(0, 6));
      if (fields.some((v, c) => c < limits.maxCols && v.trim() !== '' && mayClaimBelowHeader(fieldText(v, limits)))) {
        cells ??= cellsOf(fields, r);
        if (++kept > MAX_KEPT_ROWS) {
          notDetail = true;
          parser.abort();
          return;
        }
        skeleton[r] = cells;
        fieldCounts[r] = fields.length;
      }
    },
  });
  if (!header && !notDetail && !quotes) findHeader();
  if (quotes || notDetail || !header) return undefined;
  // the head's own detail rows give their prefixes through parseForms (they are in the skeleton)
  if (skeleton.length > lastFilled + 1) skeleton.length = lastFilled + 1;

  const { parsed, findings: formFindings } = parseForms({ file, format: 'csv', encoding: '', sheets: [sheet()] }, layoutCtx, { detailPrefixes: prefixes });
  if (rowsOver) findings.push(finding('limit.exceeded', { file }, { what: '行数', limit: String(limits.maxRows) }));
  if (state.wide) findings.push(finding('limit.exceeded', { file }, { what: '列数', limit: String(limits.maxCols) }));
  findings.push(...encodingFindings, ...formFindings);
  const rowsHeld = skeleton.reduce((n) => n + 1, 0) + 1;
  if (!parsed) return { findings, rowsHeld };
  if (parsed.layouts.length !== 1 || parsed.layouts[0].layout !== 'detail') return undefined;
  // the header parseForms read (the same sheet, the same rule)
  const h = detectHeader(sheet(), layoutCtx);
  if (h?.layout !== 'detail') return undefined;

  // pass 2: every row below the header, summed as it comes
  parsed.details = [];
  const stream = detailStream(parsed, ctx);
  const row = sheet();
  ri = 0;
  // one accessor for every row (no function made per row): only the columns the row reader asks for
  // become cells (their limits were said in pass 1)
  let fields: string[] = [];
  const cellOf = (c: number) => (c < limits.maxCols && c < fields.length ? fieldCell(fields[c], limits) : EMPTY);
  Papa.parse<string[]>(text, {
    header: false,
    delimiter,
    skipEmptyLines: false,
    step: (res, parser) => {
      const r = ri++;
      if (r >= limits.maxRows) {
        parser.abort();
        return;
      }
      if (r <= h.row) return;
      fields = res.data;
      const d = readDetailRow(cellOf, r, row, h, file, { row: fields.length, header: fieldCounts[h.row] ?? 0 });
      if (d) stream.add(d);
    },
  });
  stream.finish();
  return { parsed, findings, rowsHeld };
}
