// Reporting units and the village-level roster.
import { z } from 'zod';

/** A GB/T 2260 county-level code (330212) or 330200 for 市本级. */
export const UnitCode = z.string().regex(/^\d{6}$/, '单位代码应为6位数字').brand<'UnitCode'>();
export type UnitCode = z.infer<typeof UnitCode>;

export const CITY_CODE = '330200' as UnitCode;

export const Unit = z
  .object({
    code: UnitCode,
    name: z.string().min(1).describe('标准名称，如 鄞州区'),
    short_name: z.string().min(1),
    level: z.enum(['municipal', 'district']).describe('市本级 or a county-level district'),
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
