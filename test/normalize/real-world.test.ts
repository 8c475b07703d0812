// 168 files shaped the way district offices send them, made blind (from DOMAIN.md, without reading
// this code) and kept in test/fixtures/real-world/ with what each must give (expected.json): the
// findings (code, sheet, cell) and, for every figure read, the shipped sample's value for that unit —
// or the value the file deliberately differs by (1.2万 → 12000, a part above its whole …).
// Among them the layouts the first blind run got wrong: a 去年同期 column before 本期数, 累计数 before
// 本期数, value headers 1-6月 / 上半年 / 合计 / 实际完成, name headers 填报项目 / 内容, a two-row header,
// the previous period's sheet in front, the unit only in a title / signature / sheet name / next cell,
// 悬挂红色标识行政村数-style names, 205.00000000000003 from a formula, a full-year title.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runPeriod, type PeriodResult } from '../../pipeline/run.ts';
import { ROOT, contextFor } from '../helpers.ts';
import { runSample } from '../sample.ts';

const DIR = path.join(ROOT, 'test/fixtures/real-world');
interface Expected {
  file: string;
  period: string;
  what: string;
  findings: string[];
  values: number;
  differs_from_sample: Record<string, string>;
}
const cases = JSON.parse(readFileSync(path.join(DIR, 'expected.json'), 'utf8')) as Expected[];
const sample: Record<string, PeriodResult> = {};

beforeAll(async () => {
  sample['2018H1'] = await runSample('2018H1');
  sample['2018H2'] = await runSample('2018H2');
});

describe('files as offices send them (test/fixtures/real-world/)', () => {
  it('covers what the blind run found wrong, and more than a hundred files', () => {
    expect(cases.length).toBeGreaterThan(100);
    expect(cases.filter((c) => c.what.startsWith('was wrong')).length).toBeGreaterThanOrEqual(25);
  });

  it.each(cases.map((c) => [c.file, c] as const))('%s', async (file, c) => {
    const r = await runPeriod([{ file, bytes: new Uint8Array(readFileSync(path.join(DIR, file))) }], contextFor(c.period));
    const own = r.findings.filter((f) => f.file === file);
    expect([...new Set(own.map((f) => `${f.code}@${f.sheet ? f.sheet + '!' : ''}${f.cell || '-'}`))].sort(), c.what).toEqual(c.findings);
    // every finding a clerk sees says where and what, in Chinese
    for (const f of own) expect(f.message).toMatch(/[\u4e00-\u9fff]/);
    const read = r.values.filter((v) => v.loc?.file === file && v.status === 'value');
    expect(read).toHaveLength(c.values);
    const base = sample[c.period].values;
    const got = Object.fromEntries(read.map((v) => [`${v.unit}.${v.indicator}`, v.value]));
    const want = Object.fromEntries(
      read.map((v) => {
        const key = `${v.unit}.${v.indicator}`;
        return [key, key in c.differs_from_sample ? Number(c.differs_from_sample[key]) : base.find((b) => b.unit === v.unit && b.indicator === v.indicator)?.value];
      }),
    );
    expect(got).toEqual(want);
  });
});
