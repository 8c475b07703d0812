import { derive } from '../../pipeline/derive/derive.ts';
import { describe, expect, it } from 'vitest';
import { RULES, applyConfirmations, runRules } from '../../pipeline/validate/rules.ts';
import type { UnitValue } from '../../pipeline/validate/values.ts';
import { loadCatalogue } from '../../pipeline/reference/load.ts';
import { makeContext } from '../../pipeline/context.ts';
import { DATA, contextFor, reference } from '../helpers.ts';
import { editText, historyOf, runSample, sampleInputs } from '../sample.ts';

const ctx = contextFor('2018H1');
const loc = (cell: string) => ({ file: 'f.csv', sheet: '', cell, row: 1, col: 5 });
const v = (unit: string, indicator: string, value: number | null, cell = 'E1'): UnitValue => ({
  unit, indicator, value, status: value === null ? 'missing' : 'value', loc: loc(cell), raw: String(value ?? ''), note: '', origin: 'form',
});

describe('rules declared by the catalogue', () => {
  it('every rule in the registry has a stable code, a severity and what declares it', () => {
    expect(RULES.map((r) => `${r.code}:${r.severity}`)).toEqual([
      'rule.part_exceeds_whole:error', 'rule.roster_exceeded:error', 'rule.share_out_of_range:error', 'rule.share_far_from_city:warning',
      'rule.ytd_decreased:error', 'rule.stock_decreased:warning', 'rule.change_large:warning',
    ]);
    for (const r of RULES) expect(r.declaredBy.length).toBeGreaterThan(0);
  });

  it('part ≤ whole: 其中党组织书记 may not exceed 调整村社干部', () => {
    const f = runRules({ ctx, values: [v('330212', 'cadres_adjusted', 5, 'E9'), v('330212', 'secretaries_adjusted', 7, 'E10')] });
    expect(f.map((x) => [x.code, x.cell, x.severity])).toEqual([['rule.part_exceeds_whole', 'E10', 'error']]);
    expect(f[0].message).toContain('其中党组织书记（7）大于调整村社干部（5）');
  });

  it('villages + communities signed may not exceed the district’s units in the roster (鄞州区: 407)', () => {
    const ok = runRules({ ctx, values: [v('330212', 'villages_signed', 279), v('330212', 'communities_signed', 128)] });
    expect(ok).toEqual([]);
    const bad = runRules({ ctx, values: [v('330212', 'villages_signed', 300, 'E7'), v('330212', 'communities_signed', 128)] });
    expect(bad.map((x) => [x.code, x.cell, x.indicator])).toEqual([['rule.roster_exceeded', 'E7', 'units_signed']]);
    expect(bad[0].message).toContain('428');
    expect(bad[0].message).toContain('407');
  });

  it('a share with a zero denominator and a positive numerator is out of range', () => {
    const f = runRules({ ctx, values: [v('330212', 'promoted_total', 0), v('330212', 'promoted_frontline', 3)] });
    expect(f.map((x) => x.code)).toEqual(expect.arrayContaining(['rule.share_out_of_range', 'rule.part_exceeds_whole']));
  });

  it('a unit’s share far from the city’s is a warning', () => {
    const values = [
      v('330212', 'promoted_total', 100), v('330212', 'promoted_frontline', 90),
      v('330203', 'promoted_total', 400), v('330203', 'promoted_frontline', 200),
    ];
    const f = runRules({ ctx, values });
    expect(f.map((x) => [x.code, x.unit, x.severity])).toEqual([['rule.share_far_from_city', '330212', 'warning']]);
  });

  it('a unit’s share is compared with the region’s share the report shows (the totals), not one recomputed from some units', () => {
    // 330205 gave its frontline promotions but not its total: the report's 全市 share counts its 150
    // (440 / 500 = 88%); the units that gave both alone would make it 290 / 500 = 58%
    const values = [
      v('330212', 'promoted_total', 100), v('330212', 'promoted_frontline', 90),
      v('330203', 'promoted_total', 400), v('330203', 'promoted_frontline', 200),
      v('330205', 'promoted_frontline', 150),
    ];
    const { totals } = derive(values, ctx);
    expect(totals.get('promoted_frontline_share')!.value).toBeCloseTo(88, 6);
    const far = (fs: ReturnType<typeof runRules>) => fs.filter((x) => x.code === 'rule.share_far_from_city');
    const f = far(runRules({ ctx, values, totals }));
    expect(f.map((x) => x.unit)).toEqual(['330203']);
    expect(f[0].message).toContain('88.0%');
    // one file checked alone has no totals: its units that gave both
    expect(far(runRules({ ctx, values })).map((x) => x.unit)).toEqual(['330212']);
  });

  it('across periods: a stock that falls and a change over 50% are warnings, a ytd that falls within a year is an error', () => {
    const cat = loadCatalogue(DATA, '2018H2');
    const ytdCat = { ...cat, items: cat.items.map((i) => (i.code === 'talent_3315_applications' ? { ...i, basis: 'ytd' as const } : i)) };
    const c2 = makeContext(reference(), ytdCat, { period: cat.period, figures: [] });
    const previous = { period: '2018H1', values: [v('330212', 'villages_signed', 279), v('330212', 'talent_3315_applications', 200), v('330212', 'inspections', 100), v('330212', 'eight_rules_cases', 4)] };
    const now = [v('330212', 'villages_signed', 238, 'E7'), v('330212', 'talent_3315_applications', 150, 'E13'), v('330212', 'inspections', 161, 'E15'), v('330212', 'eight_rules_cases', 9, 'E18')];
    const f = runRules({ ctx: c2, values: now, previous });
    expect(f.map((x) => [x.code, x.cell, x.severity])).toEqual([
      ['rule.ytd_decreased', 'E13', 'error'],
      ['rule.stock_decreased', 'E7', 'warning'],
      ['rule.change_large', 'E15', 'warning'], // +61%; eight_rules 4 → 9 is below the base of 10
    ]);
  });

  it('a confirmed warning carries its explanation; an error is never confirmed', () => {
    const c = contextFor('2018H2', { confirmations: [
      { code: 'rule.stock_decreased', unit: '330212', indicator: 'villages_signed', explanation: '行政村撤并', by: '' },
      { code: 'rule.part_exceeds_whole', unit: '330212', indicator: '', explanation: '想把错误说明掉', by: '' },
    ] });
    const findings = applyConfirmations([
      { ...runRules({ ctx, values: [v('330212', 'cadres_adjusted', 5), v('330212', 'secretaries_adjusted', 7)] })[0] },
      { severity: 'warning', code: 'rule.stock_decreased', message: 'm', message_en: '', period: '2018H2', unit: '330212', indicator: 'villages_signed', file: '', sheet: '', cell: '', row: null, col: null, raw: '', expected: '', confirmed: '' },
    ], c);
    expect(findings.map((f) => [f.code, f.confirmed])).toEqual([['rule.part_exceeds_whole', ''], ['rule.stock_decreased', '行政村撤并']]);
  });
});

describe('rules on the sample', () => {
  it('2018H2 carries exactly the deliberate warnings and no error', async () => {
    const h1 = await runSample('2018H1');
    const h2 = await runSample('2018H2', sampleInputs('2018H2'), { history: historyOf(h1) });
    expect(h2.findings.map((f) => `${f.severity} ${f.code} ${f.unit}`).sort()).toEqual([
      'warning rule.change_large 330213',
      'warning rule.stock_decreased 330212', // with the other stock row and the published 353 folded in (one fact)
    ]);
  });

  it('an edited 2018H1 where secretaries exceed cadres is an error at the cell', async () => {
    const inputs = editText(sampleInputs('2018H1'), '鄞州区_2018H1.csv', '其中党组织书记', ',8,', ',80,');
    const r = await runSample('2018H1', inputs);
    expect(r.findings.filter((f) => f.code === 'rule.part_exceeds_whole').map((f) => [f.file, f.cell])).toEqual([['鄞州区_2018H1.csv', 'E10']]);
  });
});
