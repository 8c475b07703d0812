// Chinese labels: every finding code has a kind, layouts and statuses read as words, and a published
// interval is said without notation — a property over the intervals formatInterval writes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FINDING_CODES } from '../../schemas/finding.ts';
import { formatInterval } from '../../pipeline/reconcile/published-interval.ts';
import { FINDING_KIND_ZH, findingKind, intervalWords, layoutLabel, statusSentence, STATUS_ZH } from '../../pipeline/outputs/labels.ts';

describe('labels', () => {
  it('names every finding code in Chinese, each kind once', () => {
    for (const code of FINDING_CODES) expect(FINDING_KIND_ZH[code], code).toMatch(/[\u4e00-\u9fff]/);
    expect(new Set(Object.values(FINDING_KIND_ZH)).size).toBe(FINDING_CODES.length);
    expect(findingKind('rule.stock_decreased')).toBe('存量减少');
    expect(findingKind('value.approximate')).toBe('约数');
    expect(findingKind('no.such_code')).toBe('no.such_code');
  });

  it('says layouts in Chinese: long@Sheet1 → 纵表…，工作表“Sheet1”', () => {
    expect(layoutLabel('long@Sheet1')).toBe('纵表（每行一项指标），工作表“Sheet1”');
    expect(layoutLabel('long@填报表 detail@村社明细')).toBe('纵表（每行一项指标），工作表“填报表”；村社明细表，工作表“村社明细”');
    expect(layoutLabel('wide@汇总表')).toBe('汇总表（每列一项指标），工作表“汇总表”');
    expect(layoutLabel('long')).toBe('纵表（每行一项指标）');
  });

  it('says intervals in words: [55, 60) → 55 至不足 60, exact, unbounded, open-closed', () => {
    expect(intervalWords('[55, 60)', '%')).toBe('55% 至不足 60%');
    expect(intervalWords('[900, 2000)')).toBe('900 至不足 2,000');
    expect(intervalWords('[2498, 2498]')).toBe('恰为 2,498');
    expect(intervalWords('[500, ∞)')).toBe('500 及以上');
    expect(intervalWords('[1, 2]')).toBe('1 至 2');
    expect(intervalWords('(863.67, 869.69]')).toBe('多于 863.67、至多 869.69');
  });

  it('never leaves interval notation in the words for any interval formatInterval writes (property)', () => {
    const bound = fc.double({ min: -1e6, max: 1e7, noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(bound, fc.option(fc.double({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true }), { nil: null }), fc.boolean(), (lo, width, inclusive) => {
        const hi = width === null ? null : lo + width;
        const text = formatInterval({ text: '', nominal: lo, lo, hi, hiInclusive: hi === lo || inclusive, qualifier: 'exact', percent: false, vague: false } as never);
        const words = intervalWords(text);
        expect(words, text).not.toMatch(/[[\]()∞]/);
        expect(words, text).toMatch(/\d/);
      }),
      { numRuns: 300 },
    );
  });

  it('explains each status in a sentence, with no notation', () => {
    const base = { text: '近60%', interval: '[55, 60)', computed: 57.989, difference: 0, hints: '' };
    expect(statusSentence({ ...base, status: 'within' }, '%')).toBe('公布“近60%”是约数，表示 55% 至不足 60%；汇总值 58.0% 在此范围内');
    expect(statusSentence({ ...base, status: 'mismatch', computed: 61.2, difference: 1.2 }, '%')).toBe('公布“近60%”表示 55% 至不足 60%；汇总值 61.2% 不在此范围内，比上限多 1.2 个百分点');
    expect(statusSentence({ status: 'mismatch', text: '120余', interval: '[120, 130)', computed: 118, difference: -2, hints: '' })).toBe('公布“120余”表示 120 至不足 130；汇总值 118 不在此范围内，比下限少 2');
    expect(statusSentence({ status: 'match', text: '2498', interval: '[2498, 2498]', computed: 2498, difference: 0, hints: '' })).toBe('公布“2498”是确数，汇总值 2,498 与之相同');
    expect(statusSentence({ status: 'incomplete', text: '44%', interval: '同比 [43.5, 44.5)%', computed: 1248, difference: null, hints: '缺少 2017H1 的数据，无法核对同比增速；据此 2017H1 应在 (863.67, 869.69] 之间' })).toBe(
      '无法核对：缺少 2017H1 的数据，无法核对同比增速；据此 2017H1 应多于 863.67、至多 869.69',
    );
    expect(Object.keys(STATUS_ZH)).toEqual(['match', 'within', 'mismatch', 'incomplete', 'unpublished']);
  });
});
