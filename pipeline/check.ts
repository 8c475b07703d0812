// One submission checked on its own, as a district would before sending it: the findings the
// pipeline would give for this file (everything but what needs the other units or other periods).
// Pure: the same function runs in the CLI's `validate` and in the browser page check.html.
import type { Finding } from '../schemas/finding.ts';
import type { PeriodContext } from './context.ts';
import { sortFindings } from './messages.ts';
import { readForm, type InputRecord, type SubmissionInput } from './read-form.ts';
import type { ParsedFile } from './normalize/layout.ts';
import { detailUnits, validateValues, type UnitValue } from './validate/values.ts';
import { runRules, type RuleInput } from './validate/rules.ts';
import { applyExplanations } from './validate/explain.ts';
import { type ReadRow, readBack } from './normalize/read-back.ts';

export interface FileCheck {
  file: string;
  record?: InputRecord;
  parsed?: ParsedFile;
  values: UnitValue[];
  findings: Finding[];
  /** the table as read: every figure taken from the file, with its cell and text (#13) */
  read?: ReadRow[];
}

/** Findings that belong to the whole period, not to one file (other units, other periods). */
const PERIOD_ONLY = new Set(['submission.missing', 'rule.share_far_from_city']);

/**
 * `previous`: the last built period's values (reports/<previous>/reconciled.csv, or embedded in
 * check.html), so that a stock that fell or a change over the limit is said before sending.
 */
export async function checkFile(input: SubmissionInput, ctx: PeriodContext, previous?: RuleInput['previous']): Promise<FileCheck> {
  const r = await readForm(input, ctx);
  // a detail file of many units (a province's, the country's) names no unit: each row counts for its
  // own, as in report (run.ts)
  const detail = r.parsed ? detailUnits(r.parsed, ctx) : undefined;
  const findings = detail ? r.findings.filter((f) => f.code !== 'file.unit_unknown') : [...r.findings];
  let values: UnitValue[] = [];
  if (r.parsed) {
    const units = new Set([...(r.parsed.unit ? [r.parsed.unit] : []), ...r.parsed.itemsSeen.keys(), ...(detail ? [...detail.keys()].filter(Boolean) : [])]);
    const v = validateValues([r.parsed], ctx);
    values = v.values.filter((x) => units.has(x.unit));
    // loops, not spreads: a file's findings may be thousands (a spread of a long list overflows the stack)
    for (const f of v.findings) if (!PERIOD_ONLY.has(f.code)) findings.push(f);
    for (const f of runRules({ ctx, values, previous })) if (!PERIOD_ONLY.has(f.code) && units.has(f.unit)) findings.push(f);
  }
  const read = readBack(values, input.file, (code) => ctx.items.get(code)?.name_zh ?? code);
  return { file: input.file, record: r.record, parsed: r.parsed, values, findings: sortFindings(applyExplanations(findings, values, ctx)), read };
}
