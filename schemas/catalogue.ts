// The indicator catalogue of one period: items districts report, derived items, rule settings.
import { z } from 'zod';
import { UnitCode } from './units.ts';

export const Period = z
  .string()
  .regex(/^\d{4}H[12]$/, '期别格式应为 2018H1 / 2018H2')
  .brand<'Period'>();
export type Period = z.infer<typeof Period>;

export const IndicatorCode = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'indicator codes are ASCII snake_case')
  .brand<'IndicatorCode'>();
export type IndicatorCode = z.infer<typeof IndicatorCode>;

export const Basis = z
  .enum(['period', 'ytd', 'stock'])
  .describe('period: counted within the half-year; ytd: cumulative since 1 Jan; stock: state at the period end');
export type Basis = z.infer<typeof Basis>;

/** Which units report an item: everyone, the ten districts, or a list of codes. */
export const Reporters = z.union([z.literal('all'), z.literal('districts'), z.array(UnitCode).min(1)]);
export type Reporters = z.infer<typeof Reporters>;

const ItemCommon = {
  code: IndicatorCode,
  category: z.string().min(1).describe('指标类别, e.g. 正风肃纪'),
  name_zh: z.string().min(1),
  name_en: z.string().min(1),
  aliases: z.array(z.string().min(1)).default([]).describe('other names districts use in files'),
  measure: z.string().min(1).describe('measure word: 人 个 名 次 起 %'),
  basis: Basis,
};

export const ReportedItem = z
  .object({
    ...ItemCommon,
    no: z.number().int().positive().describe('序号 in the summary table'),
    type: z.literal('count'),
    reporters: Reporters,
    part_of: IndicatorCode.optional().describe('this item is a part of that one: part ≤ whole'),
    na_allowed: z.boolean().default(false).describe('may a reporter write —, /, 无 (not applicable)?'),
    village_level: z
      .enum(['村', '社区', 'any'])
      .optional()
      .describe('reported per village-level unit in 村社明细 and summed to the unit; 村/社区 restricts the rows'),
  })
  .strict();
export type ReportedItem = z.infer<typeof ReportedItem>;

export const DerivedItem = z
  .discriminatedUnion('type', [
    z
      .object({
        ...ItemCommon,
        type: z.literal('share'),
        numerator: IndicatorCode,
        denominator: IndicatorCode,
        far_from_city: z.number().positive().optional().describe('warn when a unit’s share is this many points from the city’s'),
      })
      .strict(),
    z
      .object({
        ...ItemCommon,
        type: z.literal('sum'),
        of: z.array(IndicatorCode).min(2),
        max_roster: z.boolean().default(false).describe('a unit’s value may not exceed its village-level units in the roster'),
      })
      .strict(),
  ])
  .describe('computed from reported items, never summed over units or periods');
export type DerivedItem = z.infer<typeof DerivedItem>;

export const RuleSettings = z
  .object({
    change_warning: z.number().positive().default(0.5).describe('warn when a unit’s value changes by more than this share on the previous period'),
    change_min_base: z.number().nonnegative().default(10).describe('…and the previous value is at least this (tiny bases swing)'),
  })
  .strict();

export const Catalogue = z
  .object({
    period: Period,
    version: z.string().min(1),
    title: z.string().min(1),
    categories: z.array(z.string().min(1)).min(1),
    items: z.array(ReportedItem).min(1),
    derived: z.array(DerivedItem).default([]),
    rules: RuleSettings.default({ change_warning: 0.5, change_min_base: 10 }),
  })
  .strict()
  .superRefine((cat, ctx) => {
    const codes = new Set<string>();
    for (const it of [...cat.items, ...cat.derived]) {
      if (codes.has(it.code)) ctx.addIssue({ code: 'custom', message: `duplicate indicator code ${it.code}` });
      codes.add(it.code);
      if (!cat.categories.includes(it.category))
        ctx.addIssue({ code: 'custom', message: `${it.code}: category ${it.category} is not in categories` });
    }
    const reported = new Set(cat.items.map((i) => i.code as string));
    const need = (code: string, by: string) => {
      if (!reported.has(code)) ctx.addIssue({ code: 'custom', message: `${by} refers to unknown item ${code}` });
    };
    for (const it of cat.items) if (it.part_of) need(it.part_of, it.code);
    for (const d of cat.derived) {
      if (d.type === 'share') (need(d.numerator, d.code), need(d.denominator, d.code));
      else d.of.forEach((c) => need(c, d.code));
    }
  });
export type Catalogue = z.infer<typeof Catalogue>;
export type AnyItem = ReportedItem | DerivedItem;
