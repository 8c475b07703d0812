// The sixth blind round (after the core began streaming large detail CSVs): 14 village-detail
// (村社明细) CSVs made from DOMAIN.md, the catalogue and the Ningbo roster alone by a helper who had
// not read the code — GB18030, GBK, UTF-16LE, UTF-8 with and without BOM; comma, tab, semicolon;
// titles, 填报单位 lines at the top or the very bottom, 合计 rows, footers, blank lines, quoted
// fields, codes spaced or with a leading apostrophe, 是/否, full-width digits, 1个 — kept in
// test/fixtures/real-world/ as b6_* with blind6-answers.json and the generator (blind6-make.py.txt).
// Each file is read whole and, with the cell limit lowered, in the stream a file beyond the limit
// takes: both readings must agree and match the key.
//
// First score: 8 read right; 3 refused with a finding where the key sums around a bad cell (below);
// 3 correct files rejected: 行政区划代码 taken for a wide form's unit column (412 row.unknown_unit), a
// code column headed 代码 (file.no_form), and a file without a 类型 column (329 rule.detail_type: the
// type now comes from the roster). None read wrong without a finding; streamed = whole on all 14.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { streamView, wholeAndStreamed } from '../blind-round.ts';
import { ROOT, contextFor } from '../helpers.ts';

const DIR = path.join(ROOT, 'test/fixtures/real-world');
interface Answer {
  file: string;
  units: Record<string, Record<string, number>>;
  errors: string[];
}
const answers = JSON.parse(readFileSync(path.join(DIR, 'blind6-answers.json'), 'utf8')) as Answer[];
const ctx = contextFor('2018H1');

/**
 * Where the key sums a unit's column around a bad cell (-1, 120余) and banbao refuses the column's
 * sum instead (invalid, with the cell's finding): a sum that leaves out a figure nobody can read is
 * not the unit's figure.
 */
const REFUSED: Record<string, Record<string, string>> = {
  'b6_f08_鄞州奉化_明细.csv': { '330213.cadres_adjusted': 'value.negative' },
  'b6_f09_宁海县村社明细表.csv': { '330226.cadres_adjusted': 'value.approximate' },
  'b6_f13_鄞州区委组织部_村社.csv': { '330212.secretaries_adjusted': 'value.negative' },
};

const IGNORED = new Set(['submission.missing', 'row.missing_indicator']);

describe('blind round 6: village-detail CSVs as offices export them', () => {
  it('has the 14 files of the key', () => {
    expect(answers).toHaveLength(14);
  });

  it.each(answers.map((a) => [a.file, a] as const))('%s', async (file, a) => {
    const bytes = new Uint8Array(readFileSync(path.join(DIR, file)));
    const { whole, streamed } = await wholeAndStreamed(file, bytes, ctx);
    expect(streamView(streamed)).toEqual(streamView(whole));
    for (const r of [whole, streamed]) {
      for (const [unit, items] of Object.entries(a.units))
        for (const [indicator, n] of Object.entries(items)) {
          const v = r.values.find((x) => x.unit === unit && x.indicator === indicator)!;
          const refused = REFUSED[file]?.[`${unit}.${indicator}`];
          if (refused) {
            expect(v.status, `${unit}.${indicator}`).toBe('invalid');
            expect(r.findings.some((f) => f.code === refused && f.unit === unit && f.indicator === indicator)).toBe(true);
          } else expect([`${unit}.${indicator}`, v.value, v.status]).toEqual([`${unit}.${indicator}`, n, 'value']);
        }
      // each intended error is one error finding, and there are no others
      const errors = r.findings.filter((f) => f.severity === 'error' && !IGNORED.has(f.code) && !f.code.startsWith('reconcile.'));
      expect(errors.map((f) => f.code)).toHaveLength(a.errors.length);
      expect(r.findings.some((f) => f.code === 'limit.exceeded')).toBe(false);
    }
  });
});
