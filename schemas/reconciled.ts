// Rows of the two tables a period produces: the reconciled long table and the reconciliation table.
import { z } from 'zod';

export const ValueStatus = z
  .enum(['value', 'missing', 'na', 'invalid'])
  .describe('value: a number; missing: empty or not submitted; na: not applicable (—, /, 无); invalid: unreadable (see findings)');
export type ValueStatus = z.infer<typeof ValueStatus>;

/** One unit × indicator figure with its provenance (reconciled.csv). */
export const ReconciledRow = z
  .object({
    period: z.string(),
    unit: z.string().describe('reporting unit code (330200 = 市本级)'),
    unit_name: z.string(),
    indicator: z.string(),
    name_zh: z.string(),
    category: z.string(),
    value: z.number().nullable(),
    status: ValueStatus,
    file: z.string(),
    sheet: z.string(),
    cell: z.string(),
    raw: z.string(),
    note: z.string().default('').describe('the unit’s 上报说明 / 备注 on the figure’s row, as written'),
  })
  .strict();
export type ReconciledRow = z.infer<typeof ReconciledRow>;

export const ReconcileStatus = z.enum(['match', 'within', 'mismatch', 'incomplete', 'unpublished']);
export type ReconcileStatus = z.infer<typeof ReconcileStatus>;

/** One published figure (or unpublished item) against the computed value (reconciliation.csv). */
export const ReconciliationRow = z
  .object({
    period: z.string(),
    indicator: z.string(),
    name_zh: z.string(),
    scope: z.string().describe('the level’s label (全市, 全省, 宁波市) for a total, else the unit’s name'),
    scope_code: z.string().describe('the level’s code (region.yaml scopes) for a total, else the unit'),
    published_id: z.string(),
    text: z.string(),
    interval: z.string(),
    lo: z.number().nullable(),
    hi: z.number().nullable(),
    computed: z.number().nullable(),
    status: ReconcileStatus,
    difference: z.number().nullable().describe('computed minus the nearest bound; 0 inside'),
    units_reported: z.number().int(),
    units_expected: z.number().int(),
    hints: z.string(),
    explanation: z.string(),
  })
  .strict();
export type ReconciliationRow = z.infer<typeof ReconciliationRow>;
