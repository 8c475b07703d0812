import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { PhraseStyle } from '../../schemas/bulletin.ts';
import { PhraseRefused, checkPhrase, composePhrase, phraseFigure, phraseGrowth, zhNumber } from '../../pipeline/bulletin/phrase.ts';
import { intervalContains, parsePublishedText } from '../../pipeline/reconcile/published-interval.ts';

const COUNT = { percent: false, measure: '名', decimals: 1 };
const SHARE = { percent: true, measure: '', decimals: 1 };

/** The property every style must keep: a phrase it writes is true when read back, or it is refused by name. */
function truthful(item: string, value: number, style: PhraseStyle, opts: typeof COUNT, template = (d: string) => `全市调整村社干部${d}`): 'written' | 'refused' {
  try {
    const r = phraseFigure(item, value, style, opts, template);
    const p = parsePublishedText(r.phrase.text, r.quote);
    expect(p.ok).toBe(true);
    if (p.ok) expect(intervalContains(p.interval, value)).toBe(true);
    expect(r.quote).toContain(r.phrase.display);
    return 'written';
  } catch (e) {
    expect(e).toBeInstanceOf(PhraseRefused);
    const msg = (e as Error).message;
    expect(msg).toContain(item);
    expect(msg).toContain(String(Math.round(value * 10000) / 10000));
    return 'refused';
  }
}

const count = fc.integer({ min: 0, max: 2_000_000_000 });
const share = fc.double({ min: 0, max: 100, noNaN: true });
const place = fc.constantFrom(1, 10, 100, 1000, 10000);
const sharePlace = fc.constantFrom(0.1, 1, 10);

describe('phraseFigure: every phrase it writes reads back true (fast-check)', () => {
  it('exact: always writes an integer count, verbatim', () => {
    fc.assert(fc.property(count, (v) => void expect(truthful('计数', v, { style: 'exact' }, COUNT)).toBe('written')));
  });
  it('exact share to 0–3 places: writes every share that does not round to 0% or 100% (which mean none / all)', () => {
    fc.assert(
      fc.property(share, fc.integer({ min: 0, max: 3 }), (v, d) => {
        const got = truthful('比例', v, { style: 'exact' }, { ...SHARE, decimals: d });
        const n = Math.round(v * 10 ** d);
        if (n > 0 && n < 100 * 10 ** d) expect(got).toBe('written');
        if (v === 0 || v === 100) expect(got).toBe('written');
      }),
    );
  });
  it('more_than (余/多): writes whenever the value reaches the place, else refuses', () => {
    fc.assert(
      fc.property(count, place, fc.constantFrom('余' as const, '多' as const), (v, p, word) => {
        const got = truthful('计数', v, { style: 'more_than', place: p, word }, COUNT);
        expect(got).toBe(v >= p ? 'written' : 'refused');
      }),
    );
  });
  it('more_than on shares', () => {
    fc.assert(fc.property(share, sharePlace, (v, p) => void truthful('比例', v, { style: 'more_than', place: p, word: '余' }, SHARE)));
  });
  it('nearly (近): writes exactly when the value lies in the upper half below the next multiple', () => {
    fc.assert(
      fc.property(count, place, (v, p) => {
        const got = truthful('计数', v, { style: 'nearly', place: p }, COUNT);
        const next = (Math.floor(v / p) + 1) * p;
        // 近X reads [X − u/2, X) with u the unit of X's last significant digit (≥ place)
        const u = 10 ** Math.max(0, String(next).length - String(next).replace(/0+$/, '').length);
        expect(got).toBe(v >= next - u / 2 ? 'written' : 'refused');
      }),
    );
  });
  it('nearly on shares (近60%)', () => {
    fc.assert(fc.property(share, sharePlace, (v, p) => void truthful('比例', v, { style: 'nearly', place: p }, SHARE)));
  });
  it('rounded with 万/亿: writes every value that does not round to zero', () => {
    fc.assert(
      fc.property(count, fc.integer({ min: 0, max: 3 }), fc.constantFrom('万' as const, '亿' as const), (v, d, m) => {
        const got = truthful('计数', v, { style: 'rounded', decimals: d, multiplier: m }, COUNT, (x) => `党员户${x}`);
        const scaled = v / (m === '万' ? 1e4 : 1e8) * 10 ** d;
        if (scaled >= 1) expect(got).toBe('written');
      }),
    );
  });
  it('rounded shares (58%)', () => {
    fc.assert(fc.property(fc.double({ min: 0.5, max: 99.4, noNaN: true }), fc.integer({ min: 0, max: 2 }), (v, d) => void expect(truthful('比例', v, { style: 'rounded', decimals: d }, SHARE)).toBe('written')));
  });
  it('magnitude (千名 / 上千 / 数千): writes only inside the word’s range', () => {
    fc.assert(
      fc.property(count, fc.constantFrom('bare' as const, 'at_least' as const, 'several' as const), (v, form) => {
        const got = truthful('计数', v, { style: 'magnitude', form }, COUNT, (x) => `选派${x}挂职干部到攻坚一线`);
        if (form === 'bare' && [1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8].some((m) => v >= 0.9 * m && v < 2 * m)) expect(got).toBe('written');
        if (form === 'at_least' && v >= 100) expect(got).toBe('written');
      }),
    );
  });
  it('tenths (近六成 / 六成 / 六成多)', () => {
    fc.assert(
      fc.property(share, fc.constantFrom('nearly' as const, 'rounded' as const, 'more_than' as const), (v, qualifier) => {
        const got = truthful('比例', v, { style: 'tenths', qualifier }, SHARE, (x) => `比例占到${x}`);
        if (qualifier === 'nearly' && v % 10 >= 5 && v < 90) expect(got).toBe('written');
        if (qualifier === 'more_than' && v >= 10 && v < 100) expect(got).toBe('written');
      }),
    );
  });
  it('growth (增长 X% / 下降 X%) reads back as the reconciliation reads 同比', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e7 }), fc.integer({ min: 1, max: 1e7 }), fc.integer({ min: 0, max: 2 }), (c, p, d) => {
        const g = phraseGrowth('申报', c, p, d, '同比');
        const r = checkPhrase(g.text, g.quote, g.growth);
        expect(r.ok).toBe(true);
        expect(g.display).toMatch(/^同比(增长|下降)\d/);
      }),
    );
  });
  it('never proposes a style for the wrong kind of figure', () => {
    expect(composePhrase(57.9, { style: 'magnitude', form: 'bare' }, SHARE).ok).toBe(false);
    expect(composePhrase(127, { style: 'tenths', qualifier: 'nearly' }, COUNT).ok).toBe(false);
    expect(composePhrase(12.5, { style: 'exact' }, COUNT).ok).toBe(false);
  });
});

describe('phraseFigure: the seed’s own phrasings', () => {
  it('writes 1050 挂职干部 as 千名 ([900, 2000))', () => {
    const r = phraseFigure('一线挂职干部', 1050, { style: 'magnitude', form: 'bare' }, COUNT, (d) => `选派${d}挂职干部到攻坚一线`);
    expect(r.phrase).toEqual({ text: '千名', display: '千名' });
    expect(r.interval).toBe('[900, 2000)');
  });
  it('writes a share of 57.99% as 近60% and 近六成', () => {
    expect(phraseFigure('比例', 57.989, { style: 'nearly', place: 10 }, SHARE).phrase.text).toBe('近60%');
    expect(phraseFigure('比例', 57.989, { style: 'tenths', qualifier: 'nearly' }, SHARE).phrase.text).toBe('近六成');
  });
  it('writes 1234 as 1000余名, 14230 as 1.4万个, 127 as 120余名', () => {
    expect(phraseFigure('x', 1234, { style: 'more_than', place: 1000, word: '余' }, COUNT).phrase.display).toBe('1000余名');
    expect(phraseFigure('x', 14230, { style: 'rounded', decimals: 1, multiplier: '万' }, { ...COUNT, measure: '个' }).phrase.display).toBe('1.4万个');
    expect(phraseFigure('x', 127, { style: 'more_than', place: 10, word: '余' }, COUNT).phrase.display).toBe('120余名');
  });
  it('refuses 近60% for 52%, naming the item, the value and the phrase', () => {
    expect(() => phraseFigure('提拔干部中攻坚一线表现突出的比例', 52, { style: 'nearly', place: 10 }, SHARE)).toThrow(
      /措辞不成立：提拔干部中攻坚一线表现突出的比例，计算值 52，措辞“近60%”：“近60%”读作 \[55, 60\)/,
    );
  });
  it('refuses 近60% for exactly 60% (近 means below)', () => {
    expect(() => phraseFigure('比例', 60, { style: 'nearly', place: 10 }, SHARE)).toThrow(PhraseRefused);
  });
  it('refuses a phrase the quote turns into a set amount (每年安排 makes 1.4万 exact)', () => {
    expect(() => phraseFigure('经费', 14230, { style: 'rounded', decimals: 1, multiplier: '万' }, { ...COUNT, measure: '元' }, (d) => `每年安排${d}`)).toThrow(/1\.4万元/);
  });
  it('writes 1248 on 866.67 as 同比增长44%, and a fall as 同比下降', () => {
    expect(phraseGrowth('申报', 1248, 866.67, 0, '同比')).toMatchObject({ text: '44%', display: '同比增长44%' });
    expect(phraseGrowth('申报', 88, 100, 0, '环比')).toMatchObject({ text: '-12%', display: '环比下降12%' });
  });
  it('counts in Chinese for headings and tenths', () => {
    expect([1, 9, 10, 12, 20, 21].map(zhNumber)).toEqual(['一', '九', '十', '十二', '二十', '二十一']);
  });
});

describe('a style that cannot print the value at all', () => {
  it('is refused in words the analyst knows: 3164 is no 千名', () => {
    expect(() => phraseFigure('正风肃纪监督检查', 3164, { style: 'magnitude', form: 'bare' }, { ...COUNT, measure: '次' })).toThrow(
      '措辞不成立：正风肃纪监督检查，计算值 3164，措辞“千名/上千/数千”：3164 不在任何“千名/万人”所说的范围内',
    );
  });
});
