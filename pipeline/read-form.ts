// Ingest + normalize for one file: bytes → a parsed form and findings. Apart from run.ts so that
// the browser page check.html can bundle the per-file check without the period's aggregation.
import { createHash } from 'node:crypto';
import { type PeriodContext, layoutContextOf } from './context.ts';
import { readSubmission, type Limits, DEFAULT_LIMITS } from './ingest/read.ts';
import { parseForms, type ParsedFile } from './normalize/layout.ts';
import { readDetailCsvStream, readDetailXlsxStream } from './read-detail-stream.ts';
import { finding } from './messages.ts';

/**
 * Findings that keep a file out of the totals: it is for another period, or its unit or period is in
 * conflict or unknown. The one list: the streaming detail reader takes it from here (a national file
 * answers file.unit_unknown for itself by counting each row for its own county).
 */
export const KEEP_OUT: ReadonlySet<string> = new Set(['file.period_other', 'file.period_conflict', 'file.unit_conflict', 'file.unit_unknown', 'file.period_unknown']);

/** A submission as the edge hands it over: its bytes, or why they could not be read. */
export type SubmissionInput = { file: string; bytes: Uint8Array; mtime?: string } | { file: string; readError: string; size?: number };

export interface InputRecord {
  file: string;
  sha256: string;
  bytes: number;
  format: string;
  encoding: string;
  layouts: string;
  unit: string;
  period: string;
  /** the file's modification time as the disk gave it (ISO), for 报送情况; absent in memory */
  mtime?: string;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** ingest + normalize one file: never throws, a bad file is findings. */
export async function readForm(input: SubmissionInput, ctx: PeriodContext, limits: Limits = DEFAULT_LIMITS, release = false) {
  if ('readError' in input) {
    const f =
      input.size !== undefined
        ? finding('file.too_large', { file: input.file }, { limit: `${Math.round(limits.maxBytes / 1048576)} MB，本文件 ${Math.round(input.size / 1048576)} MB` })
        : finding('file.unreadable', { file: input.file }, { detail: input.readError });
    return { record: undefined, parsed: undefined, findings: [f] };
  }
  const record: InputRecord = { file: input.file, sha256: sha256(input.bytes), bytes: input.bytes.length, format: '', encoding: '', layouts: '', unit: '', period: '' };
  if (input.mtime) record.mtime = input.mtime;
  const ingested = await readSubmission(input.bytes, input.file, limits);
  const many = ingested.tooManyCells;
  if (many) {
    // a CSV read in a stream needs its text, not its bytes: up to 100 MB given back before two passes
    if (release && many.kind === 'csv') delete (input as { bytes?: Uint8Array }).bytes;
    // what the file is, streamed or refused: the record says it either way
    record.format = many.kind;
    record.encoding = many.kind === 'csv' ? many.encoding : '';
    // more cells than the limit: a large 村社明细 is read in a stream instead (else the refusal stands)
    const streamed =
      many.kind === 'csv' ? readDetailCsvStream(many.text, input.file, { invalid: many.invalid }, ctx, limits) : await readDetailXlsxStream(many.pkg, input.file, ctx, limits);
    if (streamed) {
      if (streamed.parsed) describe(record, streamed.parsed);
      return { record, parsed: streamed.parsed, findings: many.kind === 'xlsx' ? [...many.findings, ...streamed.findings] : streamed.findings };
    }
  }
  const findings = [...ingested.findings];
  if (!ingested.source) return { record, parsed: undefined, findings };
  record.format = ingested.source.format;
  record.encoding = ingested.source.encoding ?? '';
  const { parsed, findings: f2 } = parseForms(ingested.source, layoutContextOf(ctx));
  for (const f of f2) findings.push(f);
  if (parsed) describe(record, parsed);
  return { record, parsed, findings };
}

/** What the record says of a parsed file: its forms, its unit(s), its period. */
function describe(record: InputRecord, parsed: ParsedFile): void {
  record.layouts = parsed.layouts.map((l) => `${l.layout}${l.sheet ? `@${l.sheet}` : ''}`).join(' ');
  record.unit = parsed.unit ?? [...parsed.itemsSeen.keys()].join(' ');
  record.period = parsed.period ?? '';
}
