// The fourth blind round (#13): 71 files made from DOMAIN.md alone by a session that had not read the
// code, with the reading each must give or that it must be refused (blind4-answers.json), kept in
// test/fixtures/real-world/ as b4_*. Scored by test/blind-round.ts: read right / refused with a clear
// finding / wrong without a finding (must be 0) / correct file rejected / crash (must be 0).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type BlindAnswer, type Outcome, expectAnswer, score } from '../blind-round.ts';
import { ROOT } from '../helpers.ts';

const DIR = path.join(ROOT, 'test/fixtures/real-world');
const answers = JSON.parse(readFileSync(path.join(DIR, 'blind4-answers.json'), 'utf8')) as BlindAnswer[];

/** The one correct file still rejected: a table transposed by period (items across, one row per period). */
const STILL_REJECTED: Record<string, string> = { 'b4_海曙区_2019年下半年_党建争强_转置.xlsx': 'file.no_form' };
/** Refusals that must come from the reading itself (the finding that names the doubt), not a later rule. */
const REFUSED_BY: Record<string, string> = {
  'b4_镇海区_2018年上半年_党建争强_导出.csv': 'row.extra_fields',
  'b4_鄞州区_2018年下半年_党建争强_村社.xlsx': 'row.merged_value',
  'b4_象山县_2018年下半年_党建争强（修改）.xlsx': 'sheet.same_period',
  'b4_江北区_2019年下半年_党建争强_核定.xlsx': 'reading.uncertain',
  'b4_镇海区_2020年上半年_党建争强_错行.xlsx': 'reading.uncertain',
  'b4_鄞州区_2020年下半年_党建争强_重复行.xlsx': 'row.duplicate_indicator',
  'b4_象山县_2020年上半年_党建争强.xlsx': 'file.period_conflict',
  'b4_奉化区_2020年下半年_党建争强_损坏.xlsx': 'file.corrupt',
  'b4_高新区_2019年上半年_党建争强.xlsx': 'file.unit_unknown',
};

describe('fourth blind round (test/fixtures/real-world/b4_*)', () => {
  const outcomes = new Map<string, Outcome>();

  it.each(answers.map((a) => [a.file, a] as const))('%s', async (file, a) => {
    const s = await score(a, new Uint8Array(readFileSync(path.join(DIR, file))));
    outcomes.set(file, s.outcome);
    expectAnswer(file, a, s, { stillRejected: STILL_REJECTED, refusedBy: REFUSED_BY });
  });

  it('counts: no figure wrong without a finding, no crash, at most one correct file rejected', () => {
    const count = (o: Outcome) => [...outcomes.values()].filter((x) => x === o).length;
    expect(outcomes.size).toBe(answers.length);
    expect(answers.length).toBeGreaterThanOrEqual(60);
    expect(count('wrong without finding')).toBe(0);
    expect(count('crash')).toBe(0);
    expect(count('correct rejected')).toBeLessThanOrEqual(1);
    expect([count('read right'), count('refused'), count('wrong without finding'), count('correct rejected'), count('crash')]).toEqual([50, 20, 0, 1, 0]);
  });
});
