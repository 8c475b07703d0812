// One period, end to end, without touching the disk:
//
//   ingest ──────▶ normalize ──────▶ validate ──────────▶ derive ──────────▶ reconcile ───────────▶ (outputs)
//   bytes → Source   Source → forms     forms → unit values   derived items,    published intervals
//   (CSV / xlsx)     (long / wide /     + findings; rules     the value table,  at any level,
//                     detail, claims)    across values         level totals      statuses, hints
//
// The CLI (pipeline/cli.ts) is the edge: it reads the files, calls runPeriod, writes the outputs.
import type { Finding } from '../schemas/finding.ts';
import type { ReconciliationRow } from '../schemas/reconciled.ts';
import type { PeriodContext } from './context.ts';
import { previousPeriod } from './context.ts';
import type { Limits } from './ingest/read.ts';
import type { ParsedFile } from './normalize/layout.ts';
import { KEEP_OUT, readForm, type InputRecord, type SubmissionInput } from './read-form.ts';
import { detailUnits, settleDetails, validateValues, type UnitValue } from './validate/values.ts';
import { applyConfirmations, runRules } from './validate/rules.ts';
import { derive, type LevelTotals, type Total, type ValueTable } from './derive/derive.ts';
import { reconcilePublished } from './reconcile/reconcile.ts';
import { finding, sortFindings } from './messages.ts';
import { identicalCopies } from './ingest/copies.ts';
import { consolidateFindings } from './status.ts';
import { applyExplanations } from './validate/explain.ts';

export { readForm, sha256, type InputRecord, type SubmissionInput } from './read-form.ts';
import { cmp } from './compare.ts';

export interface PeriodResult {
  period: string;
  ctx: PeriodContext;
  inputs: InputRecord[];
  values: UnitValue[];
  /** the derive phase's table: get(unit, indicator), value(unit, indicator) of reported and derived items */
  table: ValueTable;
  /** the region's own totals (全市) */
  totals: Map<string, Total>;
  /** every level's totals (region.yaml scopes), by the level's code; the first level's are `totals` */
  levels: LevelTotals;
  reconciliation: ReconciliationRow[];
  findings: Finding[];
  /** the most village-detail rows held at once while the files were read (one file's, since each is summed and let go) */
  detailRowsHeld?: number;
}

export type History = Map<string, { values: UnitValue[]; table: ValueTable; totals: Map<string, Total>; levels: LevelTotals }>;

/**
 * Runs one period: the submissions, its context, and the history other periods give (may be empty).
 * With `release`, the inputs are the caller's to give up: a large CSV's bytes are let go once it is
 * decoded, before it is read in a stream (computePeriod's inputs; a test's are kept).
 */
export async function runPeriod(inputs: SubmissionInput[], ctx: PeriodContext, history: History = new Map(), limits?: Limits, release = false): Promise<PeriodResult> {
  const findings: Finding[] = [];
  const records: InputRecord[] = [];
  const forms: ParsedFile[] = [];
  const copies = identicalCopies(inputs);
  let detailRowsHeld = 0;
  for (const input of [...inputs].sort((a, b) => cmp(a.file, b.file))) {
    if (copies.has(input.file)) continue; // read once, as the file it copies (below)
    const r = await readForm(input, ctx, limits, release);
    detailRowsHeld = Math.max(detailRowsHeld, (r.parsed?.details.length ?? 0) + forms.reduce((n, f) => n + f.details.length, 0));
    if (r.record) records.push(r.record);
    // a detail file of many units (a province's, the country's) names no unit: each row counts for its own
    const own = r.parsed && detailUnits(r.parsed, ctx) ? r.findings.filter((f) => f.code !== 'file.unit_unknown') : r.findings;
    for (const f of own) findings.push(f);
    const blocking = own.some((f) => KEEP_OUT.has(f.code));
    if (r.parsed && !blocking) {
      // a detail file's rows are summed now and let go: one file's rows are held at a time
      settleDetails(r.parsed, ctx);
      forms.push(r.parsed);
    }
  }
  for (const [copy, kept] of copies) {
    const of = records.find((r) => r.file === kept);
    const input = inputs.find((i) => i.file === copy);
    if (of) records.push({ ...of, file: copy, mtime: input && 'mtime' in input ? input.mtime : undefined });
    findings.push({ ...finding('file.duplicate_copy', { file: copy, unit: of?.unit.includes(' ') ? '' : (of?.unit ?? ''), period: ctx.period }, { other: kept }), refs: kept });
  }
  records.sort((a, b) => cmp(a.file, b.file));
  const validated = validateValues(forms, ctx);
  for (const f of validated.findings) findings.push(f); // a loop: a spread of a long list overflows the stack
  const { table, levels, totals } = derive(validated.values, ctx);
  const prev = history.get(previousPeriod(ctx.period));
  for (const f of runRules({ ctx, values: validated.values, table, totals, previous: prev ? { period: previousPeriod(ctx.period), values: prev.values, table: prev.table } : undefined })) findings.push(f);
  const rec = reconcilePublished({ ctx, values: validated.values, table, totals, levels, history });
  for (const f of rec.findings) findings.push(f);
  return {
    period: ctx.period,
    ctx,
    inputs: records,
    values: validated.values,
    table,
    totals,
    levels,
    reconciliation: rec.rows,
    findings: sortFindings(applyConfirmations(applyExplanations(consolidateFindings(findings, rec.rows, ctx), validated.values, ctx), ctx)),
    detailRowsHeld,
  };
}

/** Errors, and warnings nobody confirmed. */
export function countFindings(findings: Finding[]) {
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  const unconfirmed = findings.filter((f) => f.severity === 'warning' && !f.confirmed).length;
  return { errors, warnings, unconfirmed };
}
