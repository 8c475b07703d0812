// The findings of a detail file's rows are bounded (validate/finding-cap.ts): per unit and kind the
// first PER_UNIT are listed, per file and kind the first PER_FILE; the rest are counted and said once,
// with their severity and the place of the first. The figures are judged as if every one were listed.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Finding, FindingCode } from '../../schemas/finding.ts';
import { finding } from '../../pipeline/messages.ts';
import { CappedFindings, FileFindings, PER_FILE, PER_UNIT } from '../../pipeline/validate/finding-cap.ts';
import { runPeriod } from '../../pipeline/run.ts';
import { DEFAULT_LIMITS, type Limits } from '../../pipeline/ingest/read.ts';
import { contextFor, encodeText } from '../helpers.ts';

const ctx = contextFor('2018H1');
const STREAM: Limits = { ...DEFAULT_LIMITS, zip: { ...DEFAULT_LIMITS.zip, maxCells: 50 } };
const HEADER = '村社代码,村社名称,类型,悬挂红色标识的行政村,悬挂红色标识的城市社区,调整村社干部,其中党组织书记';

const at = (code: FindingCode, unit: string, row: number, indicator = 'cadres_adjusted'): Finding =>
  finding(code, { file: 'f.csv', unit, period: '2018H1', indicator, cell: `F${row}`, row, col: 6, raw: 'x' });

describe('bounded findings', () => {
  it('lists a unit’s first PER_UNIT of a kind and says the rest once, with their severity and the first unlisted cell', () => {
    const list = new CappedFindings(new FileFindings());
    for (let r = 2; r < 2 + PER_UNIT + 57; r++) list.push(at('value.negative', '330281', r));
    list.push(at('value.approximate', '330281', 999));
    const out = list.finish();
    expect(out).toHaveLength(PER_UNIT + 2);
    expect(out.slice(0, PER_UNIT).map((f) => f.row)).toEqual(Array.from({ length: PER_UNIT }, (_, k) => k + 2));
    const said = out[PER_UNIT + 1];
    expect(said).toMatchObject({ code: 'findings.omitted', severity: 'error', unit: '330281', indicator: 'cadres_adjusted', file: 'f.csv', refs: 'value.negative ×57' });
    expect(said.message).toBe(`另有 57 处“负数”未逐条列出（每个单位每类只列前 ${PER_UNIT} 处），第一处在 F${PER_UNIT + 2}；它们与已列出的同类问题一样处理，请检查全部同类行`);
  });

  it('a file lists at most PER_FILE of a kind over all its units', () => {
    const file = new FileFindings();
    const units = Array.from({ length: 15 }, () => new CappedFindings(file));
    units.forEach((u, k) => {
      for (let r = 0; r < PER_UNIT; r++) u.push(at('rule.detail_duplicate_village', `u${k}`, r + 2, ''));
    });
    const out = units.map((u) => u.finish());
    expect(out.flat().filter((f) => f.code === 'rule.detail_duplicate_village')).toHaveLength(PER_FILE);
    const said = out.flat().filter((f) => f.code === 'findings.omitted');
    expect(said.reduce((n, f) => n + Number(/另有 (\d+) 处/.exec(f.message)![1]), 0)).toBe(15 * PER_UNIT - PER_FILE);
  });

  it('property: counting what is not wanted gives the list that making and pushing every finding gives', () => {
    const codes: FindingCode[] = ['value.negative', 'value.approximate', 'rule.detail_type', 'rule.detail_duplicate_village'];
    const event = fc.record({ unit: fc.integer({ min: 0, max: 2 }), code: fc.constantFrom(...codes), indicator: fc.constantFrom('a', 'b') });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 2 * PER_FILE }), (events) => {
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
      { numRuns: 60 },
    );
  });

  it('a detail file of more bad cells than PER_UNIT: read whole or streamed, the same bounded list, and the column still invalid', async () => {
    const villages = ctx.roster.ofUnit('330281').slice(0, PER_UNIT + 40);
    expect(villages.length).toBe(PER_UNIT + 40);
    const rows = villages.map((v) => [v.code, v.name, v.type === '村委会' ? '村' : '社区', v.type === '村委会' ? '1' : '0', v.type === '村委会' ? '0' : '1', '-1', '0'].join(','));
    const text = ['余姚市村社明细', HEADER, ...rows].join('\n') + '\n';
    const input = { file: '余姚市_村社明细_2018H1.csv', bytes: encodeText(text, 'utf-8') };
    const whole = await runPeriod([input], ctx);
    const streamed = await runPeriod([input], ctx, new Map(), STREAM);
    const mine = (r: typeof whole) => r.findings.filter((f) => f.file === input.file && f.unit === '330281');
    const view = (r: typeof whole) => mine(r).map((f) => [f.code, f.severity, f.cell, f.indicator, f.message].join(' '));
    expect(view(streamed)).toEqual(view(whole));
    expect(mine(whole).filter((f) => f.code === 'value.negative')).toHaveLength(PER_UNIT);
    const said = mine(whole).filter((f) => f.code === 'findings.omitted');
    expect(said).toHaveLength(1);
    expect(said[0]).toMatchObject({ severity: 'error', indicator: 'cadres_adjusted' });
    expect(said[0].message).toContain('另有 40 处“负数”');
    for (const r of [whole, streamed]) expect(r.values.find((v) => v.unit === '330281' && v.indicator === 'cadres_adjusted')?.status).toBe('invalid');
  });
});
