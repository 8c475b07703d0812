import { describe, expect, it } from 'vitest';
import { imbalance } from '../../pipeline/reconcile/reconcile.ts';
import { oneDigitTypos, transpositions, singleCellCorrections } from '../../pipeline/reconcile/hints.ts';
import { parsePublishedText } from '../../pipeline/reconcile/published-interval.ts';
import { editText, historyOf, runSample, sampleInputs } from '../sample.ts';
import type { PublishedFile } from '../../schemas/published.ts';
import { runPeriod } from '../../pipeline/run.ts';
import { contextFor } from '../helpers.ts';
import { Finding } from '../../schemas/finding.ts';

const iv = (t: string) => {
  const p = parsePublishedText(t);
  if (!p.ok) throw new Error(p.reason);
  return p.interval;
};

describe('hints', () => {
  it('lists digit transpositions (2489 ↔ 2498) and one-digit typos', () => {
    expect(transpositions(2489)).toEqual([4289, 2849, 2498]);
    expect(transpositions(1000)).toEqual([]); // 0100 is not a number a clerk types
    expect(oneDigitTypos(57)).toContain(58);
    expect(oneDigitTypos(57)).not.toContain(7);
  });

  it('finds the one unit whose transposed figure closes the gap', () => {
    const fixes = singleCellCorrections(2516, [
      { unit: '330212', unitName: '鄞州区', value: 297, where: 'x.csv!E7' },
      { unit: '330203', unitName: '海曙区', value: 207, where: 'y.xlsx!E7' },
    ], (t) => t === 2498);
    expect(fixes.map((f) => [f.figure.unitName, f.corrected, f.kind])).toEqual([['鄞州区', 279, 'transposition']]);
  });

  it('measures the imbalance to the nearest admissible bound', () => {
    expect(imbalance(iv('3164'), 3170, true)).toBe(6);
    expect(imbalance(iv('120余'), 130, true)).toBe(1); // [120, 130): 129 is the largest count inside
    expect(imbalance(iv('120余'), 118, true)).toBe(-2);
    expect(imbalance(iv('近60%'), 61.2, false)).toBeCloseTo(1.2);
    expect(imbalance(iv('120余'), 125, true)).toBe(0);
  });
});

describe('reconciling the sample', () => {
  it('2018H1: matches, within and the honest incomplete of a growth rate without last year', async () => {
    const r = await runSample('2018H1');
    const status = Object.fromEntries(r.reconciliation.map((x) => [`${x.published_id || x.indicator}`, x.status]));
    expect(status).toMatchObject({
      villages_signed: 'match', communities_signed: 'match', inspections: 'match', problems_found: 'match',
      persons_handled: 'match', eight_rules_cases: 'match', cadres_adjusted: 'match', secretaries_adjusted: 'match',
      talent_3315_applications: 'match', frontline_cadres: 'within', promoted_frontline_share: 'within',
      talent_3315_growth: 'incomplete', nonpublic_members: 'unpublished', units_signed: 'unpublished',
    });
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('a district off by a transposition: mismatch with its imbalance, and a hint naming the district’s cell', async () => {
    const inputs = editText(sampleInputs('2018H1'), '鄞州区_2018H1.csv', '悬挂红色标识的行政村', '279', '297');
    const r = await runSample('2018H1', inputs);
    const row = r.reconciliation.find((x) => x.published_id === 'villages_signed')!;
    expect(row).toMatchObject({ status: 'mismatch', computed: 2516, difference: 18 });
    expect(row.hints).toContain('鄞州区（鄞州区_2018H1.csv!E7）填 297，若为 279（数字颠倒）');
    for (const x of r.findings) expect(Finding.safeParse(x).success, x.code).toBe(true);
    const f = r.findings.filter((x) => x.severity === 'error').map((x) => [x.code, x.unit, x.cell]);
    expect(f).toEqual(expect.arrayContaining([
      ['reconcile.mismatch', '', ''],
      ['rule.roster_exceeded', '330212', 'E7'], // 297 + 128 > the 407 units in 鄞州区's roster
    ]));
  });

  it('a city total that is itself a transposition of the published figure says so', async () => {
    const inputs = editText(sampleInputs('2018H1'), '鄞州区_2018H1.csv', '悬挂红色标识的行政村', '279', '270');
    const r = await runSample('2018H1', inputs);
    expect(r.reconciliation.find((x) => x.published_id === 'villages_signed')!.hints).toContain('合计 2489 与公布的 2498 数字顺序颠倒');
  });

  it('a unit that did not submit makes the figures it reports incomplete, not mismatched', async () => {
    const r = await runSample('2018H1', sampleInputs('2018H1').filter((i) => !i.file.startsWith('鄞州区')));
    const row = r.reconciliation.find((x) => x.published_id === 'inspections')!;
    expect(row).toMatchObject({ status: 'incomplete', units_reported: 10, units_expected: 11 });
    expect(row.hints).toContain('鄞州区');
    expect(r.findings.find((f) => f.code === 'submission.missing')).toMatchObject({ unit: '330212', severity: 'warning' });
  });

  it('a figure of speech (千名) outside its bound is a warning, not an error', async () => {
    const inputs = editText(sampleInputs('2018H1'), '鄞州区_2018H1.csv', '一线挂职干部', '125', '1125');
    const r = await runSample('2018H1', inputs);
    expect(r.reconciliation.find((x) => x.published_id === 'frontline_cadres')!.status).toBe('mismatch');
    const f = r.findings.find((x) => x.code === 'reconcile.vague_mismatch')!;
    expect(f.severity).toBe('warning');
  });

  it('a growth rate is checked when the year before was submitted: the same data a year earlier at +44%', async () => {
    const h1 = await runSample('2018H1');
    // pretend 2017H1 had 867 applications in all (1248 / 867 − 1 = 43.9%)
    const totals = new Map(h1.totals);
    totals.set('talent_3315_applications', { ...h1.totals.get('talent_3315_applications')!, value: 867 });
    const lastYear = { values: h1.values, table: h1.table, totals, levels: new Map([[h1.ctx.region.scopes[0].code as string, totals]]) };
    const again = await runSample('2018H1', sampleInputs('2018H1'), { history: new Map([['2017H1', lastYear]]) });
    expect(again.reconciliation.find((x) => x.published_id === 'talent_3315_growth')).toMatchObject({ status: 'within', computed: 43.9446 });
  });

  it('2018H2: the district-scope figure matches, and the disagreement between sources is said, not smoothed', async () => {
    const h1 = await runSample('2018H1');
    const h2 = await runSample('2018H2', sampleInputs('2018H2'), { history: historyOf(h1) });
    expect(h2.reconciliation.find((x) => x.published_id === 'yz_units_signed')).toMatchObject({ status: 'match', computed: 353, scope: '鄞州区' });
    // one fact (鄞州区's signed villages fell), one finding: the published figure's disagreement is folded in, referenced
    expect(h2.findings.find((f) => f.code === 'reconcile.sources_disagree')).toBeUndefined();
    const warn = h2.findings.find((f) => f.code === 'rule.stock_decreased' && f.unit === '330212')!;
    expect(warn.message).toContain('407');
    expect(warn.refs).toContain('reconcile.sources_disagree');
    expect(warn.severity).toBe('warning');
  });

  it('reads a published 3000余 as [3000, 4000), so the sample’s 3164 is within it', async () => {
    const published: PublishedFile = {
      period: '2018H1' as PublishedFile['period'],
      figures: [{ id: 'x_inspections', indicator: 'inspections' as never, relation: 'value', scope: 'city', scope_code: '330200' as never, text: '3000余', subject_zh: 'x', source: { doc: 'd', quote: '开展监督检查3000余次' } }],
    };
    const r = await runPeriod(sampleInputs('2018H1'), contextFor('2018H1', { published }));
    expect(r.reconciliation.find((x) => x.published_id === 'x_inspections')).toMatchObject({ status: 'within', interval: '[3000, 4000)' });
  });

  it('a mismatch names the unit that changed most from the previous period', async () => {
    const h1 = await runSample('2018H1');
    const published: PublishedFile = {
      period: '2018H2' as PublishedFile['period'],
      figures: [{ id: 'x_inspections', indicator: 'inspections' as never, relation: 'value', scope: 'city', scope_code: '330200' as never, text: '3500', subject_zh: 'x', source: { doc: 'd', quote: '监督检查3500次' } }],
    };
    const r = await runPeriod(sampleInputs('2018H2'), contextFor('2018H2', { published }), historyOf(h1));
    const row = r.reconciliation.find((x) => x.published_id === 'x_inspections')!;
    expect(row.status).toBe('mismatch');
    expect(row.hints).toContain('较上期变动最大的是奉化区（+125）');
  });
});
