// How the half-year bulletin (通报) phrases each figure: data/bulletin/<period>.yaml. Truth is checked by code.
import { z } from 'zod';
import { Period } from './catalogue.ts';

const PowerOfTen = z
  .number()
  .positive()
  .refine((n) => Number.isInteger(Math.log10(n)) && Math.abs(10 ** Math.round(Math.log10(n)) - n) < 1e-9, '应为 10 的整数次幂（0.1、1、10、100、1000…）');

/** The printed forms of one figure; each is the inverse of a reading in published-interval.ts. */
export const PhraseStyle = z.discriminatedUnion('style', [
  z.object({ style: z.literal('exact') }).strict().describe('exactly as computed: 127名; a share to `decimals` places'),
  z
    .object({ style: z.literal('more_than'), place: PowerOfTen, word: z.enum(['余', '多']).default('余') })
    .strict()
    .describe('X余 / X多 with X cut down to a multiple of place: 1000余名 (place 1000), 120余个 (place 10)'),
  z
    .object({ style: z.literal('nearly'), place: PowerOfTen })
    .strict()
    .describe('近X with X the next multiple of place above the value: 近60% (place 10); only true in the upper half'),
  z
    .object({ style: z.literal('rounded'), decimals: z.number().int().min(0).max(3), multiplier: z.enum(['万', '亿']).optional() })
    .strict()
    .describe('rounded to decimals: 1.4万个 (multiplier 万, 1 decimal), 58.0% (a share, 1 decimal)'),
  z
    .object({ style: z.literal('magnitude'), form: z.enum(['bare', 'at_least', 'several']).default('bare') })
    .strict()
    .describe('a magnitude as a figure of speech: 千名 (bare, [0.9X, 2X)), 上千 (at_least), 数千 (several, [2X, 10X))'),
  z
    .object({ style: z.literal('tenths'), qualifier: z.enum(['nearly', 'rounded', 'more_than']).default('nearly') })
    .strict()
    .describe('a share in tenths: 近六成 (nearly), 六成 (rounded), 六成多 (more_than)'),
]);
export type PhraseStyle = z.infer<typeof PhraseStyle>;

export const ChangeKind = z.enum(['yoy', 'mom']).describe('yoy: 同比 (same half a year earlier); mom: 环比 (the previous half-year)');
export type ChangeKind = z.infer<typeof ChangeKind>;

export const BulletinItem = z
  .object({
    phrase: PhraseStyle.default({ style: 'exact' }),
    decimals: z.number().int().min(0).max(3).default(1).describe('places for an exact share (exact style only)'),
    template: z
      .string()
      .includes('{figure}', { message: '模板须含 {figure}' })
      .optional()
      .describe('the clause, {figure} where the figure goes: 选派{figure}挂职干部到攻坚一线; default <name_zh>{figure}'),
    measure: z.string().optional().describe('measure word printed after the figure (default: the catalogue’s); 千名 uses 名'),
    omit: z.boolean().default(false).describe('leave the item out of the prose (it stays in the 汇总表)'),
    leaders: z.enum(['value', 'share', 'none']).optional().describe('name the top three districts; default: the first item of a category'),
    change: z
      .array(ChangeKind)
      .optional()
      .describe('changes the draft must state (marked 【待核实】 when they cannot be computed); absent: those the data allow'),
    change_decimals: z.number().int().min(0).max(2).default(1).describe('places of 增长 X% / 下降 X%'),
  })
  .strict();
export type BulletinItem = z.infer<typeof BulletinItem>;

export const BulletinFile = z
  .object({
    period: Period,
    title: z.string().min(1).describe('the document title; {period_zh} is replaced by 2018年上半年'),
    issuer: z.string().min(1).describe('制表单位'),
    intro: z.string().default('').describe('an opening paragraph, printed as written'),
    items: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/), BulletinItem).default({}).describe('per catalogue code; missing codes are phrased exactly'),
  })
  .strict();
export type BulletinFile = z.infer<typeof BulletinFile>;
