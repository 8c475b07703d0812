// One period, end to end, without touching the disk:
//
//   ingest ──────▶ normalize ──────▶ validate ──────────▶ reconcile ─────────────▶ (outputs)
//   bytes → Source   Source → forms     forms → unit values   values → city totals →
//   (CSV / xlsx)     (long / wide /     + findings; rules     published intervals,
//                     detail, claims)    across values         statuses, hints
//
// The CLI (pipeline/cli.ts) is the edge: it reads the files, calls runPeriod, writes the outputs.
import type { Finding } from '../schemas/finding.ts';
import type { ReconciliationRow } from '../schemas/reconciled.ts';
import type { PeriodContext } from './context.ts';
import { previousPeriod, regionScope } from './context.ts';
import type { Limits } from './ingest/read.ts';
import type { ParsedFile } from './normalize/layout.ts';
import { readForm, type InputRecord, type SubmissionInput } from './read-form.ts';
import { validateValues, type UnitValue } from './validate/values.ts';
import { applyConfirmations, runRules } from './validate/rules.ts';
import { aggregateLevels, type LevelTotals, type Total } from './reconcile/aggregate.ts';
import { reconcilePublished } from './reconcile/reconcile.ts';
import { sortFindings } from './messages.ts';

export { readForm, sha256, type InputRecord, type SubmissionInput } from './read-form.ts';
import { cmp } from './compare.ts';

export interface PeriodResult {
  period: string;
  ctx: PeriodContext;
  inputs: InputRecord[];
  values: UnitValue[];
  /** the region's own totals (全市) */
  totals: Map<string, Total>;
  /** every level's totals (region.yaml scopes), by the level's code; the first level's are `totals` */
  levels: LevelTotals;
  reconciliation: ReconciliationRow[];
  findings: Finding[];
}

export type History = Map<string, { values: UnitValue[]; totals: Map<string, Total>; levels: LevelTotals }>;

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
  const levels = aggregateLevels(validated.values, ctx);
  const totals = levels.get(regionScope(ctx).code)!;
  const rec = reconcilePublished({ ctx, values: validated.values, totals, levels, history });
  findings.push(...rec.findings);
  return {
    period: ctx.period,
    ctx,
    inputs: records,
    values: validated.values,
    totals,
    levels,
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
