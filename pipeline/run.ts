// One period, end to end, without touching the disk:
//
//   ingest ──────▶ normalize ──────▶ validate ──────────▶ reconcile ─────────────▶ (outputs)
//   bytes → Source   Source → forms     forms → unit values   values → city totals →
//   (CSV / xlsx)     (long / wide /     + findings; rules     published intervals,
//                     detail, claims)    across values         statuses, hints
//
// The CLI (pipeline/cli.ts) is the edge: it reads the files, calls runPeriod, writes the outputs.
import { createHash } from 'node:crypto';
import type { Finding } from '../schemas/finding.ts';
import type { ReconciliationRow } from '../schemas/reconciled.ts';
import type { PeriodContext } from './context.ts';
import { previousPeriod } from './context.ts';
import { readSubmission, type Limits, DEFAULT_LIMITS } from './ingest/read.ts';
import { parseForms, type ParsedFile } from './normalize/layout.ts';
import { validateValues, type UnitValue } from './validate/values.ts';
import { applyConfirmations, runRules } from './validate/rules.ts';
import { aggregateTotals, type Total } from './reconcile/aggregate.ts';
import { reconcilePublished } from './reconcile/reconcile.ts';
import { finding, sortFindings } from './messages.ts';
import { cmp } from './compare.ts';

/** A submission as the edge hands it over: its bytes, or why they could not be read. */
export type SubmissionInput = { file: string; bytes: Uint8Array } | { file: string; readError: string };

export interface InputRecord {
  file: string;
  sha256: string;
  bytes: number;
  format: string;
  encoding: string;
  layouts: string;
  unit: string;
  period: string;
}

export interface PeriodResult {
  period: string;
  ctx: PeriodContext;
  inputs: InputRecord[];
  values: UnitValue[];
  totals: Map<string, Total>;
  reconciliation: ReconciliationRow[];
  findings: Finding[];
}

export type History = Map<string, { values: UnitValue[]; totals: Map<string, Total> }>;

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** ingest + normalize one file: never throws, a bad file is findings. */
export async function readForm(input: SubmissionInput, ctx: PeriodContext, limits: Limits = DEFAULT_LIMITS) {
  if ('readError' in input)
    return { record: undefined, parsed: undefined, findings: [finding('file.unreadable', { file: input.file }, { detail: input.readError })] };
  const record: InputRecord = { file: input.file, sha256: sha256(input.bytes), bytes: input.bytes.length, format: '', encoding: '', layouts: '', unit: '', period: '' };
  const ingested = await readSubmission(input.bytes, input.file, limits);
  const findings = [...ingested.findings];
  if (!ingested.source) return { record, parsed: undefined, findings };
  record.format = ingested.source.format;
  record.encoding = ingested.source.encoding ?? '';
  const { parsed, findings: f2 } = parseForms(ingested.source, { indicators: ctx.matchIndicators, units: ctx.matchUnits, period: ctx.period });
  findings.push(...f2);
  if (parsed) {
    record.layouts = parsed.layouts.map((l) => `${l.layout}${l.sheet ? `@${l.sheet}` : ''}`).join(' ');
    record.unit = parsed.unit ?? [...parsed.itemsSeen.keys()].join(' ');
    record.period = parsed.period ?? '';
  }
  return { record, parsed, findings };
}

/** Runs one period: the submissions, its context, and the history other periods give (may be empty). */
export async function runPeriod(inputs: SubmissionInput[], ctx: PeriodContext, history: History = new Map(), limits?: Limits): Promise<PeriodResult> {
  const findings: Finding[] = [];
  const records: InputRecord[] = [];
  const forms: ParsedFile[] = [];
  for (const input of [...inputs].sort((a, b) => cmp(a.file, b.file))) {
    const r = await readForm(input, ctx, limits);
    if (r.record) records.push(r.record);
    findings.push(...r.findings);
    // a file that is for another period, or whose unit or period is in conflict, is not counted
    const blocking = r.findings.some((f) => ['file.period_other', 'file.period_conflict', 'file.unit_conflict', 'file.unit_unknown', 'file.period_unknown'].includes(f.code));
    if (r.parsed && !blocking) forms.push(r.parsed);
  }
  const validated = validateValues(forms, ctx);
  findings.push(...validated.findings);
  const prev = history.get(previousPeriod(ctx.period));
  findings.push(...runRules({ ctx, values: validated.values, previous: prev ? { period: previousPeriod(ctx.period), values: prev.values } : undefined }));
  const totals = aggregateTotals(validated.values, ctx);
  const rec = reconcilePublished({ ctx, values: validated.values, totals, history });
  findings.push(...rec.findings);
  return {
    period: ctx.period,
    ctx,
    inputs: records,
    values: validated.values,
    totals,
    reconciliation: rec.rows,
    findings: sortFindings(applyConfirmations(findings, ctx)),
  };
}

/** Errors, and warnings nobody confirmed. */
export function countFindings(findings: Finding[]) {
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  const unconfirmed = findings.filter((f) => f.severity === 'warning' && !f.confirmed).length;
  return { errors, warnings, unconfirmed };
}
