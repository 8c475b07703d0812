// A province or the whole country in one run, without holding the rows: the streaming counterpart
// of pipeline/run.ts for village-level detail (村社明细) files of any size and number.
//
//   ingest ───────────▶ normalize + validate ─────────▶ reconcile ─────────────────▶ (outputs)
//   csv-stream.ts        detail-stream.ts                rollup.ts                     outputs.ts
//   (decode, papaparse)  (header, claims, readCount,     (town → county →
//   xlsx-stream.ts        roster, type, sums by town)     city → province → nation;
//   (exceljs reader)                                      rules.ts; published intervals)
//
// Memory is the roster index, the sums by town and one parser batch (or one small file: ≤ 1 MiB files
// are read whole, which spares 2,900 county files 2,900 stream set-ups) — not the input.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Catalogue } from '../../schemas/catalogue.ts';
import { type PeriodContext, makeContext } from '../context.ts';
import { finding } from '../messages.ts';
import { WHOLE_FILE_BYTES, parseCsvWhole, streamCsvRows, type CsvStreamStats } from './csv-stream.ts';
import { DetailAccumulator, HEAD_ROWS, type RowIn, type ScaleContext } from './detail-stream.ts';
import { FindingCollector, type FindingSink } from './findings-sink.ts';
import { scaledUnitMatcher } from './unit-matcher.ts';
import { countyUnits, reconcileLevels, rollupDetail, type Rollup, type ScaleFigure, type ScaleReconciliation } from './rollup.ts';
import type { RosterIndex } from './roster-index.ts';

/** The core's context with the roster's counties as its units (each reports like a district). */
export function scaleContext(catalogue: Catalogue, roster: RosterIndex, period = catalogue.period as string): ScaleContext {
  // makeContext with no units (its matcher would key every name of ≈3,000 counties up front), then the
  // counties and a matcher that answers as the core's, built as it is used
  const base = makeContext({ units: [], roster: [] }, catalogue, { period, figures: [] } as unknown as PeriodContext['published']);
  const units = countyUnits(roster);
  return { ctx: { ...base, units, matchUnits: scaledUnitMatcher(units) }, roster };
}

export interface ScaleInput {
  /** where to read it */
  path: string;
  /** the name findings use (relative to the submissions folder) */
  file?: string;
  /** a text file's bytes from elsewhere than `path` (tests feed chunks of any size) */
  bytes?: () => AsyncIterable<Uint8Array>;
}

export interface ScaleResult {
  rollup: Rollup;
  reconciliation: ScaleReconciliation[];
  findings: FindingCollector;
  acc: DetailAccumulator;
  /** the last CSV's stream stats (decode, batches), for tests and the benchmark */
  csv?: CsvStreamStats;
  /** the most CSV rows any parser batch held */
  maxBatchRows: number;
  /** milliseconds: reading, normalizing and validating the rows; the rollup with the rules; the reconciliation */
  timings: { stream: number; rollup: number; reconcile: number };
}

/** Streams every input into one run, then rolls up, runs the rules and reconciles. */
export async function runScale(
  inputs: ScaleInput[],
  sc: ScaleContext,
  opts: { figures?: ScaleFigure[]; sink?: FindingSink; chunkBytes?: number; wholeFileBytes?: number; keepFindings?: number; scope?: string[] } = {},
): Promise<ScaleResult> {
  const t0 = performance.now();
  const collector = new FindingCollector(opts.keepFindings ?? 10_000, opts.sink);
  const acc = new DetailAccumulator(sc, collector);
  let csv: CsvStreamStats | undefined;
  let maxBatchRows = 0;
  for (const input of inputs) {
    const file = input.file ?? path.basename(input.path);
    const ext = path.extname(input.path).toLowerCase();
    try {
      if (ext === '.xlsx' || ext === '.xlsm') await readXlsx(acc, input.path, file);
      else {
        const f = acc.openFile(file, 'csv');
        const push = (rows: string[][], first: number) => f.push(rows, first);
        csv =
          !input.bytes && statSync(input.path).size <= (opts.wholeFileBytes ?? WHOLE_FILE_BYTES)
            ? parseCsvWhole(readFileSync(input.path), push)
            : await streamCsvRows(input.bytes ?? input.path, push, { chunkBytes: opts.chunkBytes, onRestart: () => f.restart() });
        if (csv.maxBatchRows > maxBatchRows) maxBatchRows = csv.maxBatchRows;
        f.end();
      }
    } catch (e) {
      acc.dropScratch(); // a file that cannot be read to its end counts for nothing
      collector.add(finding('file.corrupt', { file }, { detail: String((e as Error)?.message ?? e).slice(0, 200) }));
    }
  }
  const t1 = performance.now();
  const rollup = rollupDetail(acc, { scope: opts.scope });
  const t2 = performance.now();
  const rec = reconcileLevels(rollup, opts.figures ?? [], rollup.ctx);
  for (const f of [...rollup.findings, ...rec.findings]) collector.add(f);
  const timings = { stream: t1 - t0, rollup: t2 - t1, reconcile: performance.now() - t2 };
  return { rollup, reconciliation: rec.rows, findings: collector, acc, csv, maxBatchRows, timings };
}

async function readXlsx(acc: DetailAccumulator, full: string, file: string): Promise<void> {
  const { streamXlsxRows } = await import('./xlsx-stream.ts'); // exceljs only when a workbook comes
  let found = false;
  await streamXlsxRows(full, (sheet) => {
    const f = acc.openFile(file, 'xlsx', sheet, { quietNoForm: true });
    let next = 0;
    const batch: RowIn[] = [[]];
    return {
      row(cells, r) {
        // exceljs skips empty rows: while the head is read, keep row indices true
        for (; next < Math.min(r, HEAD_ROWS); next++) f.push([[]], next);
        batch[0] = cells;
        f.push(batch, r);
        next = r + 1;
      },
      end() {
        f.end();
        found ||= f.found;
      },
    };
  });
  if (!found) acc.sink.add(finding('file.no_form', { file }));
}
