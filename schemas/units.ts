// Reporting units and the village-level roster.
import { z } from 'zod';

/** A GB/T 2260 county-level code, or a city's code for its 市本级 (declared in the region file). */
export const UnitCode = z.string().regex(/^\d{6}$/, '单位代码应为6位数字').brand<'UnitCode'>();
export type UnitCode = z.infer<typeof UnitCode>;

export const Unit = z
  .object({
    code: UnitCode,
    name: z.string().min(1).describe('标准名称，如 鄞州区'),
    short_name: z.string().min(1),
    level: z.enum(['municipal', 'district']).describe('市本级 (a city\'s own departments) or a county-level unit'),
    aliases: z.array(z.string().min(1)).describe('names seen in files'),
  })
  .strict();
export type Unit = z.infer<typeof Unit>;

/** One village-level unit (村委会 / 居委会) of the national statistical division codes. */
export const RosterEntry = z
  .object({
    code: z.string().regex(/^\d{12}$/),
    name: z.string().min(1),
    town_code: z.string().regex(/^\d{9}$/),
    town_name: z.string(),
    unit_code: UnitCode,
    type: z.enum(['居委会', '村委会']),
  })
  .strict();
export type RosterEntry = z.infer<typeof RosterEntry>;

/**
 * A level the units add up to (a city, a province, the country): every unit whose code starts with
 * `prefix`. Its code is the GB/T 2260 code published figures are scoped to (a city 330200, a
 * province 330000, the country 000000); a figure with that scope_code is the level's total, never a
 * unit's own figure of the same code (a city's 市本级).
 */
export const Scope = z
  .object({
    code: UnitCode,
    name: z.string().min(1).describe('标准名称，如 宁波市 / 浙江省'),
    label: z.string().min(1).describe('shown for its total, as 全市 / 全省 / 全国 for the region itself'),
    level: z.enum(['city', 'province', 'country']),
    prefix: z.string().regex(/^(\d\d){0,2}$/).describe('the unit codes it adds up: 3302, 33, or empty for the country'),
  })
  .strict();
export type Scope = z.infer<typeof Scope>;

/**
 * The region a run answers for (data/reference/region.yaml, built by `make roster` from the GB/T 2260
 * roster by prefix): its reporting units, the levels they add up to (the first is the region's own
 * total) and the village roster behind the units' counts.
 */
export const Region = z
  .object({
    code: z.string().regex(/^(\d\d){0,2}$/).describe('the prefix it was built from: 3302, 33, or empty for the country'),
    name: z.string().min(1),
    roster: z.string().describe('file of its village-level units under data/reference/, or empty when none is kept').default(''),
    scopes: z.array(Scope).min(1).describe('levels the units add up to; the first is the region\'s total'),
    units: z.array(Unit).min(1),
  })
  .strict();
export type Region = z.infer<typeof Region>;
