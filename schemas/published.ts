// Figures the city published, as verbatim Chinese text; the interval is derived from the text by code.
import { z } from 'zod';
import { IndicatorCode, Period } from './catalogue.ts';
import { UnitCode } from './units.ts';

export const PublishedFigure = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_]*$/).describe('a stable snake_case name for this figure, unique in the file (villages_signed, yz_units_signed)'),
    indicator: IndicatorCode.describe('the catalogue item it is reconciled with'),
    relation: z
      .enum(['value', 'yoy_growth'])
      .default('value')
      .describe('value: the figure itself; yoy_growth: 同比增长 X% on the same period a year earlier'),
    scope: z.string().min(1).describe('city, or the district named'),
    scope_code: UnitCode.describe('a level of region.yaml (the city, a province) for its total, else the unit'),
    text: z.string().min(1).describe('the figure exactly as printed'),
    subject_zh: z.string().min(1),
    source: z.object({ doc: z.string().min(1), quote: z.string().min(1) }).strict(),
  })
  .strict();
export type PublishedFigure = z.infer<typeof PublishedFigure>;

export const PublishedFile = z
  .object({
    period: Period,
    figures: z.array(PublishedFigure),
  })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.figures.forEach((f, i) => {
      if (seen.has(f.id)) ctx.addIssue({ code: 'custom', path: ['figures', i, 'id'], message: `id ${f.id} 重复 (duplicate id)` });
      seen.add(f.id);
    });
  });
export type PublishedFile = z.infer<typeof PublishedFile>;
