// A finding: one thing wrong (error, 强制性审核) or to confirm (warning, 核实性审核), with its location.
import { z } from 'zod';

export const Severity = z.enum(['error', 'warning']);
export type Severity = z.infer<typeof Severity>;

/** The one vocabulary of finding codes. Wording lives apart, in pipeline/messages.ts. */
export const FINDING_CODES = [
  // files
  'file.unsupported_format',
  'file.encrypted',
  'file.corrupt',
  'file.empty',
  'file.too_large',
  'file.unreadable',
  'file.no_form',
  'file.duplicate_submission',
  'file.folder_skipped',
  'file.unit_inferred',
  'file.superseded',
  'file.unit_unknown',
  'file.unit_conflict',
  'file.period_unknown',
  'file.period_conflict',
  'file.period_other',
  'file.encoding',
  // sheets and layout
  'sheet.hidden',
  'sheet.hidden_rows',
  'sheet.several_forms',
  'header.unknown_indicator',
  'header.duplicate_indicator',
  'row.unknown_indicator',
  'row.duplicate_indicator',
  'row.unknown_unit',
  'row.missing_indicator',
  'row.unit_measure',
  'limit.exceeded',
  // values
  'value.missing',
  'value.not_applicable',
  'value.not_reporter',
  'value.approximate',
  'value.formula_error',
  'value.formula_no_cache',
  'value.not_a_number',
  'value.negative',
  'value.fraction',
  'value.percent',
  // rules across values
  'rule.part_exceeds_whole',
  'rule.roster_exceeded',
  'rule.share_out_of_range',
  'rule.share_far_from_city',
  'rule.detail_sum',
  'rule.detail_unknown_village',
  'rule.detail_wrong_unit',
  'rule.detail_duplicate_village',
  'rule.detail_type',
  'rule.ytd_decreased',
  'rule.stock_decreased',
  'rule.change_large',
  'submission.missing',
  // reconciliation with published figures
  'reconcile.mismatch',
  'reconcile.vague_mismatch',
  'reconcile.incomplete',
  'reconcile.sources_disagree',
  'file.duplicate_copy',
  // a reading that is not certain (#13): candidates named, never a silent choice
  'reading.uncertain',
  'sheet.same_period',
  'row.merged_value',
  'row.extra_fields',
  'row.subtotal_mismatch',
  'row.cumulative_differs',
  'header.year_only',
  'value.rounded',
  'value.encoding',
  // ranges a reader would expand cell by cell, dropped before reading (issue 17)
  'file.range_dropped',
  // findings of one kind past the first ones of a unit or file, counted and said once (issue 16)
  'findings.omitted',
] as const;
export const FindingCode = z.enum(FINDING_CODES);
export type FindingCode = z.infer<typeof FindingCode>;

export const Finding = z
  .object({
    severity: Severity,
    code: FindingCode,
    message: z.string().min(1).describe('中文，写给填报人'),
    message_en: z.string().default(''),
    period: z.string().default(''),
    unit: z.string().default('').describe('unit code, where known'),
    indicator: z.string().default(''),
    file: z.string().default('').describe('path relative to the submissions folder'),
    sheet: z.string().default(''),
    cell: z.string().default('').describe('A1 address'),
    row: z.number().int().nonnegative().nullable().default(null),
    col: z.number().int().nonnegative().nullable().default(null),
    raw: z.string().default('').describe('the cell text as read'),
    expected: z.string().default(''),
    confirmed: z.string().default('').describe('上报说明 confirming a warning; errors are never confirmed'),
    confirmed_by: z.string().optional().describe('who explained it: the unit (its 上报说明 column) or the analyst (confirmations.yaml)'),
    refs: z.string().optional().describe('other findings about the same fact, folded into this one (另见)'),
  })
  .strict();
export type Finding = z.infer<typeof Finding>;
export type FindingInput = z.input<typeof Finding>;
