// The findings of a detail file's rows are bounded (validate/finding-cap.ts): a file lists its first
// LISTED findings of each kind over all its units; the rest are counted and said once per unit and
// kind, with their severity and the place of the first. The figures are judged as if all were listed.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Finding, FindingCode } from '../../schemas/finding.ts';
import { finding } from '../../pipeline/messages.ts';
import { CappedFindings, FileFindings, LISTED } from '../../pipeline/validate/finding-cap.ts';
import { runPeriod } from '../../pipeline/run.ts';
import { checkFile } from '../../pipeline/check.ts';
import { STREAM_LIMITS as STREAM } from '../blind-round.ts';
import { contextFor, encodeText } from '../helpers.ts';

const ctx = contextFor('2018H1');
const HEADER = '村社代码,村社名称,类型,悬挂红色标识的行政村,悬挂红色标识的城市社区,调整村社干部,其中党组织书记';

const at = (code: FindingCode, unit: string, row: number, indicator = 'cadres_adjusted'): Finding =>
  finding(code, { file: 'f.csv', unit, period: '2018H1', indicator, cell: `F${row}`, row, col: 6, raw: 'x' });
const omittedCount = (fs: Finding[]) => fs.filter((f) => f.code === 'findings.omitted').reduce((n, f) => n + Number(/另有 (\d+) 处/.exec(f.message)![1]), 0);

describe('bounded findings', () => {
  it('lists a file’s first LISTED of a kind and says the rest once, with their severity and the first unlisted cell', () => {
    const list = new CappedFindings(new FileFindings());
    for (let r = 2; r < 2 + LISTED + 57; r++) list.push(at('value.negative', '330212', r));
    list.push(at('value.approximate', '330212', 9999));
    const out = list.finish();
    expect(out).toHaveLength(LISTED + 2);
    expect(out.slice(0, LISTED).map((f) => f.row)).toEqual(Array.from({ length: LISTED }, (_, k) => k + 2));
    const said = out[LISTED + 1];
    expect(said).toMatchObject({ code: 'findings.omitted', severity: 'error', unit: '330212', indicator: 'cadres_adjusted', file: 'f.csv', refs: 'value.negative ×57' });
    expect(said.message).toBe(`另有 57 处“负数”未逐条列出（每个文件每类只列前 ${LISTED} 处），第一处在 F${LISTED + 2}；它们与已列出的同类问题一样处理，请检查全部同类行`);
  });

  it('the bound is the file’s, over its units: a later unit’s findings of a full kind are counted, each unit’s said once', () => {
    const file = new FileFindings();
    const units = Array.from({ length: 3 }, () => new CappedFindings(file));
    units.forEach((u, k) => {
      for (let r = 0; r < 600; r++) u.push(at('rule.detail_duplicate_village', `u${k}`, r + 2, ''));
    });
    const out = units.map((u) => u.finish());
    expect(out.map((fs) => fs.filter((f) => f.code === 'rule.detail_duplicate_village').length)).toEqual([600, LISTED - 600, 0]);
    expect(out.map(omittedCount)).toEqual([0, 1200 - LISTED, 600]);
    expect(out[2].filter((f) => f.code === 'findings.omitted')[0]).toMatchObject({ unit: 'u2', indicator: '', cell: '', raw: 'F2' });
  });

  it('property: counting what is not wanted gives the list that making and pushing every finding gives', () => {
    const codes: FindingCode[] = ['value.negative', 'value.approximate', 'rule.detail_type', 'rule.detail_duplicate_village'];
    const event = fc.record({ unit: fc.integer({ min: 0, max: 2 }), code: fc.constantFrom(...codes), indicator: fc.constantFrom('a', 'b') });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 3 * LISTED }), (events) => {
        const run = (lazy: boolean) => {
          const file = new FileFindings();
          const units = [0, 1, 2].map(() => new CappedFindings(file));
          events.forEach((e, k) => {
            const u = units[e.unit];
            if (lazy && !u.wants(e.code)) u.count(e.code, e.indicator);
            else u.push(at(e.code, `u${e.unit}`, k + 2, e.indicator));
          });
          return units.map((u) => u.finish());
        };
        expect(run(true)).toEqual(run(false));
      }),
      { numRuns: 40 },
    );
  });

  it('a file of two units whose rows alternate: read whole, streamed or checked, the same findings listed and counted', async () => {
    const [a, b] = [ctx.roster.ofUnit('330212'), ctx.roster.ofUnit('330203')];
    const rows = a.slice(0, 280).flatMap((v, i) => [v, b[i]].filter(Boolean)).map((v) => [v.code, v.name, v.type === '村委会' ? '村' : '社区', '-1', '-1', '-1', '0'].join(','));
    const text = ['村社明细', HEADER, ...rows].join('\n') + '\n';
    const input = { file: '村社明细_2018H1.csv', bytes: encodeText(text, 'utf-8') };
    const whole = await runPeriod([input], ctx);
    const streamed = await runPeriod([input], ctx, new Map(), STREAM);
    const checked = await checkFile(input, ctx);
    const view = (fs: Finding[]) => fs.filter((f) => f.file === input.file && (f.code === 'value.negative' || f.code === 'findings.omitted')).map((f) => [f.code, f.unit, f.cell, f.message].join(' ')).sort();
    expect(view(streamed.findings)).toEqual(view(whole.findings));
    expect(view(checked.findings)).toEqual(view(whole.findings));
    const negatives = whole.findings.filter((f) => f.code === 'value.negative');
    expect(negatives).toHaveLength(LISTED);
    // the bound is spent in the file's order: both units' first rows are listed
    expect([...new Set(negatives.map((f) => f.unit))].sort()).toEqual(['330203', '330212']);
    expect(negatives.length + omittedCount(whole.findings)).toBe(rows.length * 3);
  });

  it('a district’s detail file with more bad cells of a kind than LISTED: read whole or streamed, the same bounded list, the columns still invalid', async () => {
    const villages = ctx.roster.ofUnit('330212');
    const cells = villages.length * 3;
    expect(cells).toBeGreaterThan(LISTED);
    const rows = villages.map((v) => [v.code, v.name, v.type === '村委会' ? '村' : '社区', '-1', '-1', '-1', '0'].join(','));
    const text = ['鄞州区村社明细', HEADER, ...rows].join('\n') + '\n';
    const input = { file: '鄞州区_村社明细_2018H1.csv', bytes: encodeText(text, 'utf-8') };
    const whole = await runPeriod([input], ctx);
    const streamed = await runPeriod([input], ctx, new Map(), STREAM);
    const mine = (r: typeof whole) => r.findings.filter((f) => f.file === input.file && f.unit === '330212');
    const view = (r: typeof whole) => mine(r).map((f) => [f.code, f.severity, f.cell, f.indicator, f.message].join(' '));
    expect(view(streamed)).toEqual(view(whole));
    expect(mine(whole).filter((f) => f.code === 'value.negative')).toHaveLength(LISTED);
    const said = mine(whole).filter((f) => f.code === 'findings.omitted');
    expect(said).toHaveLength(1);
    expect(said[0]).toMatchObject({ severity: 'error', indicator: '' }); // of three items
    expect(said[0].message).toContain(`另有 ${cells - LISTED} 处“负数”`);
    for (const r of [whole, streamed])
      for (const item of ['villages_signed', 'communities_signed', 'cadres_adjusted'])
        expect(r.values.find((v) => v.unit === '330212' && v.indicator === item)?.status, item).toBe('invalid');
  });
});
