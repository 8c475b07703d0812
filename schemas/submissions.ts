// Files the analyst keeps next to the submissions: confirmed warnings and choices between files.
import { z } from 'zod';

/** A warning confirmed by the analyst with the district's written explanation (上报说明). */
export const Confirmation = z
  .object({
    code: z.string().regex(/^[a-z]+\.[a-z_]+$/).describe('the warning’s rule code, e.g. rule.stock_decreased'),
    unit: z.string().regex(/^(\d{6})?$/).default('').describe('unit code; empty = any unit'),
    indicator: z.string().default('').describe('indicator code; empty = any'),
    explanation: z.string().min(4).describe('上报说明: why the figure is right'),
    by: z.string().default('').describe('who confirmed it'),
  })
  .strict();
export type Confirmation = z.infer<typeof Confirmation>;

/** confirmations.yaml: warnings confirmed with the district's written explanation (上报说明). */
export const ConfirmationsFile = z
  .object({
    confirmations: z.array(Confirmation),
  })
  .strict();
export type ConfirmationsFile = z.infer<typeof ConfirmationsFile>;

/** choices.yaml: which of two files of the same unit and period stands, and why. */
/** The analyst's recorded choice between two submissions of one unit. */
export const Choice = z
  .object({
    unit: z.string().regex(/^\d{6}$/),
    use: z.string().min(1).describe('file name of the submission that stands'),
    reason: z.string().min(4),
  })
  .strict();
export type Choice = z.infer<typeof Choice>;

export const ChoicesFile = z
  .object({
    choices: z.array(Choice),
  })
  .strict();
export type ChoicesFile = z.infer<typeof ChoicesFile>;
