// Outputs of a streamed run: totals.csv (the long table: county, city, province and national totals),
// reconciliation.csv, and findings.csv written while the run goes (a temp file renamed into place at
// the end, like io.ts writeAtomic), so neither the findings nor the rows are ever all in memory.
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { Finding } from '../../schemas/finding.ts';
import { toCsv } from '../outputs/csv.ts';
import { FINDING_COLUMNS, findingRows } from '../outputs/tables.ts';
import { writeAtomic } from '../io.ts';
import type { FindingSink } from './findings-sink.ts';
import type { LevelTotal, ScaleReconciliation } from './rollup.ts';

export const TOTAL_COLUMNS = ['period', 'level', 'code', 'name', 'indicator', 'name_zh', 'value', 'status', 'villages', 'units_reported', 'units_expected'];
export const SCALE_RECONCILIATION_COLUMNS = ['id', 'level', 'code', 'name', 'indicator', 'text', 'interval', 'lo', 'hi', 'computed', 'status', 'difference', 'units_reported', 'units_expected'];

/** toCsv's rows without its BOM and header line, for appending. */
function csvBody(columns: string[], rows: Record<string, unknown>[]): string {
  const text = toCsv(columns, rows);
  return text.slice(text.indexOf('\r\n') + 2);
}

/** Appends findings to findings.csv in batches; close() renames the finished file into place. */
export class FindingCsvWriter implements FindingSink {
  private fd: number;
  private tmp: string;
  private batch: Finding[] = [];
  written = 0;
  constructor(
    readonly file: string,
    readonly batchSize = 1000,
  ) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.tmp = `${file}.tmp-${process.pid}`;
    this.fd = openSync(this.tmp, 'w');
    writeSync(this.fd, toCsv(FINDING_COLUMNS, []));
  }
  add(f: Finding): void {
    this.batch.push(f);
    if (this.batch.length >= this.batchSize) this.flush();
  }
  private flush(): void {
    if (!this.batch.length) return;
    writeSync(this.fd, csvBody(FINDING_COLUMNS, findingRows(this.batch) as unknown as Record<string, unknown>[]));
    this.written += this.batch.length;
    this.batch = [];
  }
  close(): void {
    this.flush();
    fsyncSync(this.fd);
    closeSync(this.fd);
    renameSync(this.tmp, this.file);
  }
}

/** Writes totals.csv and reconciliation.csv; returns the files written. */
export function writeScaleTables(outDir: string, totals: LevelTotal[], reconciliation: ScaleReconciliation[]): string[] {
  const files = [path.join(outDir, 'totals.csv'), path.join(outDir, 'reconciliation.csv')];
  writeAtomic(files[0], toCsv(TOTAL_COLUMNS, totals as unknown as Record<string, unknown>[]));
  writeAtomic(files[1], toCsv(SCALE_RECONCILIATION_COLUMNS, reconciliation as unknown as Record<string, unknown>[]));
  return files;
}
