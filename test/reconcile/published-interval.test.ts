import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Papa from 'papaparse';
import {
  formatInterval,
  impliedPriorInterval,
  intervalContains,
  parsePublishedText,
  type PublishedInterval,
  type Qualifier,
} from '../../pipeline/reconcile/published-interval.ts';

// every published figure with the interval it asserts, the parser's oracle (test/fixtures/published-figures/README.md)
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const csvPath = path.resolve(repoRoot, 'test/fixtures/published-figures/published-figures.csv');

interface FigureRow {
  id: string;
  text: string;
  value: string;
  lo: string;
  hi: string;
  qualifier: string;
  quote: string;
}

const rows = Papa.parse<FigureRow>(fs.readFileSync(csvPath, 'utf8'), {
  header: true,
  dynamicTyping: false,
  skipEmptyLines: 'greedy',
}).data;

/**
 * Rows read differently from the CSV on purpose, with the reason and the value asserted instead.
 * Empty: every row of published-figures.csv is read as the CSV reads it.
 */
const documentedDifferences: Record<string, { reason: string; lo: number; hi: number | null; qualifier: Qualifier }> = {};

function close(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

function read(text: string, context?: string): PublishedInterval {
  const out = parsePublishedText(text, context);
  if (!out.ok) throw new Error(`expected ${text} to parse: ${out.reason}`);
  return out.interval;
}

describe('published-figures.csv', () => {
  it('has rows to check', () => {
    expect(rows.length).toBeGreaterThanOrEqual(184);
  });

  it('lists only real rows among the documented differences', () => {
    const ids = new Set(rows.map((r) => r.id));
    for (const id of Object.keys(documentedDifferences)) expect(ids.has(id), id).toBe(true);
  });

  it.each(rows.map((r) => [r.id, r.text, r.quote, r] as const))('reads %s: %s in “%s” as the CSV does', (id, text, quote, row) => {
    const out = parsePublishedText(text, quote);
    expect(out.ok, out.ok ? '' : out.reason).toBe(true);
    if (!out.ok) return;
    const iv = out.interval;
    const want = documentedDifferences[id] ?? {
      lo: Number(row.lo),
      hi: row.hi === '' ? null : Number(row.hi),
      qualifier: row.qualifier as Qualifier,
    };
    expect(close(iv.lo, want.lo), `lo ${iv.lo} ≠ ${want.lo}`).toBe(true);
    expect(close(iv.hi, want.hi), `hi ${iv.hi} ≠ ${want.hi}`).toBe(true);
    expect(iv.qualifier).toBe(want.qualifier);
    expect(close(iv.nominal, Number(row.value)), `nominal ${iv.nominal} ≠ ${row.value}`).toBe(true);
    expect(iv.text).toBe(text);
  });
});

describe('parsePublishedText: the forms of a printed figure', () => {
  it.each<[string, string, string | undefined, number, number, number | null, Qualifier, boolean]>([
    // label, text, context, nominal, lo, hi, qualifier, vague
    ['an integer as exact', '3164', undefined, 3164, 3164, 3164, 'exact', false],
    ['120余 as [120, 130)', '120余', undefined, 120, 120, 130, 'more_than', false],
    ['130余 as [130, 140)', '130余', undefined, 130, 130, 140, 'more_than', false],
    ['1600余 as [1600, 1700)', '1600余', undefined, 1600, 1600, 1700, 'more_than', false],
    ['200余 as [200, 300)', '200余', undefined, 200, 200, 300, 'more_than', false],
    ['38000余 as [38000, 39000)', '38000余', undefined, 38000, 38000, 39000, 'more_than', false],
    ['2260余 as [2260, 2270)', '2260余', undefined, 2260, 2260, 2270, 'more_than', false],
    ['20多 as [20, 30)', '20多', undefined, 20, 20, 30, 'more_than', false],
    ['120多万 as [1.2M, 1.3M)', '120多万', undefined, 1200000, 1200000, 1300000, 'more_than', false],
    ['1.5万余 as [15000, 16000)', '1.5万余', undefined, 15000, 15000, 16000, 'more_than', false],
    ['a measure word after 余', '1600余人次', undefined, 1600, 1600, 1700, 'more_than', false],
    ['近60% as [55, 60)', '近60%', undefined, 60, 55, 60, 'nearly', false],
    ['近5.7亿 as [5.65亿, 5.7亿)', '近5.7亿', undefined, 570000000, 565000000, 570000000, 'nearly', false],
    ['8.6万 as [85500, 86500)', '8.6万', undefined, 86000, 85500, 86500, 'rounded', false],
    ['704亿 as [703.5亿, 704.5亿)', '704亿', undefined, 70400000000, 70350000000, 70450000000, 'rounded', false],
    ['99.8% as [99.75, 99.85)', '99.8%', undefined, 99.8, 99.75, 99.85, 'rounded', false],
    ['44% as [43.5, 44.5)', '44%', undefined, 44, 43.5, 44.5, 'rounded', false],
    ['100% as exact', '100%', '签约率100%', 100, 100, 100, 'exact', false],
    ['0% as exact', '0%', undefined, 0, 0, 0, 'exact', false],
    ['100% growth as rounded', '100%', '同比增长100%', 100, 99.5, 100.5, 'rounded', false],
    ['2倍 as [1.5, 2.5)', '2倍', undefined, 2, 1.5, 2.5, 'rounded', false],
    ['a decimal as rounded', '2.5', undefined, 2.5, 2.45, 2.55, 'rounded', false],
    ['约400 as [350, 450)', '约400', undefined, 400, 350, 450, 'about', false],
    ['400左右 as [350, 450)', '400左右', undefined, 400, 350, 450, 'about', false],
    ['千名 as a vague [900, 2000)', '千名', undefined, 1000, 900, 2000, 'about', true],
    ['百名 as a vague [90, 200)', '百名', undefined, 100, 90, 200, 'about', true],
    ['上千 as a vague [1000, ∞)', '上千', undefined, 1000, 1000, null, 'more_than', true],
    ['数万 as a vague [20000, 100000)', '数万', undefined, 30000, 20000, 100000, 'about', true],
    ['X以上 as a target floor', '3000以上', undefined, 3000, 3000, null, 'target', false],
    ['50万以上 as a target floor', '50万以上', '新增各类人才50万人以上', 500000, 500000, null, 'target', false],
    ['突破X as [X, ∞)', '突破500', undefined, 500, 500, null, 'more_than', false],
    ['超过X as [X, ∞)', '超过20万', undefined, 200000, 200000, null, 'more_than', false],
    ['1-2 as the closed range [1, 2]', '1-2', undefined, 2, 1, 2, 'range', false],
    ['2-3万 as [20000, 30000]', '2-3万', undefined, 30000, 20000, 30000, 'range', false],
    ['二分之一 as the target 50%', '二分之一', undefined, 50, 50, 50, 'target', false],
    ['四分之一 as the target 25%', '四分之一', undefined, 25, 25, 25, 'target', false],
    ['千亿级 as the target [1e11, 1e12)', '千亿级', undefined, 1e11, 1e11, 1e12, 'target', false],
    ['两 as 2', '两', undefined, 2, 2, 2, 'exact', false],
    ['十 as 10', '十', undefined, 10, 10, 10, 'exact', false],
    ['四 as 4', '四', undefined, 4, 4, 4, 'exact', false],
    ['一百二十 as 120', '一百二十', undefined, 120, 120, 120, 'exact', false],
    ['千余 as [1000, 2000)', '千余', undefined, 1000, 1000, 2000, 'more_than', false],
    ['两万余 as [20000, 30000)', '两万余', undefined, 20000, 20000, 30000, 'more_than', false],
    ['a figure with thousands separators', '1,248', undefined, 1248, 1248, 1248, 'exact', false],
  ])('reads %s', (_label, text, context, nominal, lo, hi, qualifier, vague) => {
    const iv = read(text, context);
    expect({ nominal: iv.nominal, lo: iv.lo, hi: iv.hi, qualifier: iv.qualifier, vague: iv.vague }).toEqual({
      nominal,
      lo,
      hi,
      qualifier,
      vague,
    });
  });

  it('marks percent figures and fractions as percent', () => {
    expect(read('44%').percent).toBe(true);
    expect(read('近60%').percent).toBe(true);
    expect(read('二分之一').percent).toBe(true);
    expect(read('1248').percent).toBe(false);
  });

  it('makes hi inclusive only for exact figures and explicit ranges', () => {
    expect(read('3164').hiInclusive).toBe(true);
    expect(read('1-2').hiInclusive).toBe(true);
    expect(read('120余').hiInclusive).toBe(false);
    expect(read('8.6万').hiInclusive).toBe(false);
    expect(read('上千').hiInclusive).toBe(false);
  });

  it.each(['', '   ', 'abc', '元', '同比', '约', '1.2.3'])('rejects %j as not a figure', (text) => {
    expect(parsePublishedText(text).ok).toBe(false);
  });

  it.each(['不到100', '不足100', '100以下'])('rejects %s, which asserts only an upper bound', (text) => {
    const out = parsePublishedText(text);
    expect(out.ok).toBe(false);
    expect(!out.ok && out.reason).toMatch(/upper bound/);
  });
});

describe('parsePublishedText: qualifiers read from the quote', () => {
  it.each<[string, string, string, number, number | null, Qualifier]>([
    ['约 before the figure', '400', '面积约400平方米', 350, 450, 'about'],
    ['突破 before the figure', '500', '全市各类人才平台突破500个', 500, null, 'more_than'],
    ['超过 before a 万 figure', '20万', '所有行政村集体收入超过20万元', 200000, null, 'more_than'],
    ['余 after the figure', '400', '座谈400余人次', 400, 500, 'more_than'],
    ['以上 after a measure word', '90%', '满意率90%以上', 90, null, 'more_than'],
    ['左右 after a measure word', '400', '面积400平方米左右', 350, 450, 'about'],
    ['a growth rate as rounded', '44%', '同比增长44%', 43.5, 44.5, 'rounded'],
    ['a figure split by spaces in the quote', '近5.7亿', '近5.7 亿涉农资金', 565000000, 570000000, 'nearly'],
    ['签约 as a word, not 约', '26', '在两个月内实现签约26户', 26, 26, 'exact'],
    ['最近 as a word, not 近', '3', '最近3次检查', 3, 3, 'exact'],
    ['近N年 as "the last N years"', '3', '近3年来', 3, 3, 'exact'],
    ['达 as no qualifier', '1248', '“3315计划”申报数量达1248个', 1248, 1248, 'exact'],
    ['the whole number only, not a digit inside another', '12', '新入选“国万”人才12名，共112名', 12, 12, 'exact'],
    ['a figure the quote spells in Chinese, on its own', '2', '两大创新平台建设', 2, 2, 'exact'],
  ])('reads %s', (_label, text, quote, lo, hi, qualifier) => {
    const iv = read(text, quote);
    expect([iv.lo, iv.hi, iv.qualifier]).toEqual([lo, hi, qualifier]);
  });

  it('lets the text’s own qualifier win over the quote (30以上 where the quote says 超过30人)', () => {
    const iv = read('30以上', '新入选“国千”“国万”的分别超过30人');
    expect([iv.lo, iv.hi, iv.qualifier]).toEqual([30, null, 'target']);
  });

  it.each<[string, string, string, number, number | null, Qualifier]>([
    ['a yearly budget (每年安排)', '130万', '每年安排130万元用于两新', 1300000, 1300000, 'exact'],
    ['a per-village grant (每村补助)', '20万', '每村补助20万元', 200000, 200000, 'exact'],
    ['a special fund (专项资金)', '1000万', '设立1000万元专项资金', 10000000, 10000000, 'exact'],
    ['a threshold line (低于)', '20万', '年收入低于20万元的村', 200000, 200000, 'exact'],
    ['an investment total as rounded', '704亿', '合计总投资704亿元', 70350000000, 70450000000, 'rounded'],
    ['a head count as rounded', '2.8万', '全市2.8万名机关干部', 27500, 28500, 'rounded'],
  ])('reads a 万/亿 figure in %s', (_label, text, quote, lo, hi, qualifier) => {
    const iv = read(text, quote);
    expect([iv.lo, iv.hi, iv.qualifier]).toEqual([lo, hi, qualifier]);
  });

  it.each<[string, string, string, Qualifier]>([
    ['a norm for every unit (都有) as a target', '1-2', '每个村社都有1-2名主职干部后备人选', 'target'],
    ['a sample drawn as a range', '1-2', '随机抽取机关支部1-2个', 'range'],
    ['力争 as a target', '3000', '力争建成3000个锋领党支部', 'target'],
    ['a programme named 计划 as no target', '1248', '“3315计划”申报数量达1248个', 'exact'],
  ])('labels %s', (_label, text, quote, qualifier) => {
    expect(read(text, quote).qualifier).toBe(qualifier);
  });
});

describe('intervalContains and formatInterval', () => {
  it.each<[string, string, number[], number[]]>([
    ['3164', '[3164, 3164]', [3164], [3163, 3165, 3164.5]],
    ['120余', '[120, 130)', [120, 125, 129.99], [119, 130]],
    ['突破500', '[500, ∞)', [500, 1e9], [499]],
    ['1-2', '[1, 2]', [1, 2], [0, 3]],
    ['99.8%', '[99.75, 99.85)', [99.75, 99.813], [99.85, 99.7]],
    ['近60%', '[55, 60)', [55, 57.8], [60, 54.9]],
    ['704亿', '[70350000000, 70450000000)', [70400000000], [70450000000]],
  ])('formats %s as %s and holds exactly the values inside it', (text, formatted, inside, outside) => {
    const iv = read(text);
    expect(formatInterval(iv)).toBe(formatted);
    for (const x of inside) expect(intervalContains(iv, x), `${x}`).toBe(true);
    for (const x of outside) expect(intervalContains(iv, x), `${x}`).toBe(false);
  });

  it('never contains NaN', () => {
    expect(intervalContains(read('上千'), Number.NaN)).toBe(false);
  });
});

describe('impliedPriorInterval', () => {
  it('puts last year’s 3315 applications at 864–869 (1248 at +44%)', () => {
    const prior = impliedPriorInterval(1248, read('44%', '同比增长44%'));
    expect(prior.lo).toBeCloseTo(863.67, 2);
    expect(prior.hi).toBeCloseTo(869.69, 2);
    expect([prior.loInclusive, prior.hiInclusive]).toEqual([false, true]);
    const counts: number[] = [];
    for (let n = 800; n <= 900; n++) {
      const aboveLo = prior.loInclusive ? n >= prior.lo : n > prior.lo;
      const belowHi = prior.hi === null || (prior.hiInclusive ? n <= prior.hi : n < prior.hi);
      if (aboveLo && belowHi) counts.push(n);
    }
    expect(counts).toEqual([864, 865, 866, 867, 868, 869]);
  });

  it('widens with a current figure that is itself an interval', () => {
    const prior = impliedPriorInterval(read('8.6万'), read('20.9%'));
    expect(prior.lo).toBeCloseTo(85500 / 1.2095, 6);
    expect(prior.hi).toBeCloseTo(86500 / 1.2085, 6);
    expect(prior.hiInclusive).toBe(false);
  });

  it('reads a multiple (是去年同期的2倍) as the ratio current / prior', () => {
    const prior = impliedPriorInterval(37168, read('2倍'));
    expect(prior.lo).toBeCloseTo(37168 / 2.5, 6);
    expect(prior.hi).toBeCloseTo(37168 / 1.5, 6);
  });

  it('leaves the prior unbounded above when the current figure is', () => {
    expect(impliedPriorInterval(read('突破500'), read('10%')).hi).toBeNull();
  });
});

// ── properties ─────────────────────────────────────────────────────────────────────────────

interface Form {
  text: string;
  qualifier: Qualifier;
}

const count = fc.integer({ min: 1, max: 9_999_999 });
const oneDecimal = fc.integer({ min: 1, max: 99_999 }).map((k) => (k / 10).toFixed(1));
const share = fc.integer({ min: 1, max: 999 }).map((k) => (k / 10).toFixed(1)); // 0.1 … 99.9

const forms: fc.Arbitrary<Form> = fc.oneof(
  count.map((n) => ({ text: `${n}`, qualifier: 'exact' as const })),
  count.map((n) => ({ text: `${n}余`, qualifier: 'more_than' as const })),
  count.map((n) => ({ text: `${n}多个`, qualifier: 'more_than' as const })),
  count.map((n) => ({ text: `${n}余万`, qualifier: 'more_than' as const })),
  count.map((n) => ({ text: `突破${n}`, qualifier: 'more_than' as const })),
  count.map((n) => ({ text: `近${n}`, qualifier: 'nearly' as const })),
  share.map((p) => ({ text: `近${p}%`, qualifier: 'nearly' as const })),
  count.map((n) => ({ text: `约${n}`, qualifier: 'about' as const })),
  count.map((n) => ({ text: `${n}左右`, qualifier: 'about' as const })),
  oneDecimal.map((d) => ({ text: `${d}万`, qualifier: 'rounded' as const })),
  oneDecimal.map((d) => ({ text: `${d}亿`, qualifier: 'rounded' as const })),
  share.map((p) => ({ text: `${p}%`, qualifier: 'rounded' as const })),
  fc.integer({ min: 1, max: 99 }).map((p) => ({ text: `${p}%`, qualifier: 'rounded' as const })),
  fc.integer({ min: 2, max: 50 }).map((m) => ({ text: `${m}倍`, qualifier: 'rounded' as const })),
  count.map((n) => ({ text: `${n}以上`, qualifier: 'target' as const })),
  fc.tuple(count, count).map(([a, b]) => ({ text: `${Math.min(a, b)}-${Math.max(a, b)}`, qualifier: 'range' as const })),
  fc.constantFrom<Form>(
    { text: '千名', qualifier: 'about' },
    { text: '百名', qualifier: 'about' },
    { text: '上千', qualifier: 'more_than' },
    { text: '数万', qualifier: 'about' },
    { text: '千亿级', qualifier: 'target' },
    { text: '三分之一', qualifier: 'target' },
  ),
);

describe('parsePublishedText: properties', () => {
  it('never throws, with or without a quote', () => {
    const grammarish = fc
      .array(fc.constantFrom(...'0123456789.,%万亿余多近约左右以上突破超过千百数上级分之两十-'.split('')), { maxLength: 10 })
      .map((p) => p.join(''));
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), grammarish),
        fc.option(fc.oneof(fc.string({ unit: 'grapheme' }), grammarish), { nil: undefined }),
        (text, quote) => {
          const out = parsePublishedText(text, quote);
          if (out.ok) {
            expect(Number.isFinite(out.interval.lo)).toBe(true);
            expect(out.interval.hi === null || out.interval.hi >= out.interval.lo).toBe(true);
          } else {
            expect(typeof out.reason).toBe('string');
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('puts the nominal inside [lo, hi] and gives each form its qualifier', () => {
    fc.assert(
      fc.property(forms, ({ text, qualifier }) => {
        const iv = read(text);
        expect(iv.qualifier, text).toBe(qualifier);
        expect(iv.nominal >= iv.lo, text).toBe(true);
        expect(iv.hi === null || iv.nominal <= iv.hi, text).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with lo and hi: contains lo and the nominal, contains hi only when inclusive, nothing outside', () => {
    fc.assert(
      fc.property(forms, fc.double({ min: 0, max: 1, noNaN: true }), ({ text }, t) => {
        const iv = read(text);
        expect(intervalContains(iv, iv.lo), text).toBe(true);
        expect(intervalContains(iv, iv.lo - Math.max(1e-6, Math.abs(iv.lo) * 1e-9)), text).toBe(false);
        if (iv.hi === null) {
          expect(intervalContains(iv, iv.lo + t * 1e12), text).toBe(true);
        } else {
          expect(intervalContains(iv, iv.hi), text).toBe(iv.hiInclusive);
          expect(intervalContains(iv, iv.hi + Math.max(1e-6, Math.abs(iv.hi) * 1e-9)), text).toBe(false);
          const x = iv.lo + t * (iv.hi - iv.lo);
          if (x < iv.hi) expect(intervalContains(iv, x), `${text} ${x}`).toBe(true);
        }
        if (iv.nominal !== iv.hi || iv.hiInclusive) expect(intervalContains(iv, iv.nominal), text).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps the true prior inside the implied interval for any counts and a whole-percent growth', () => {
    const floorDiv = (a: number, b: number) => Math.floor(a / b);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 1_000_000 }), (prior, current) => {
        // Growth printed to the whole percent, rounding half up: round(100 (c − p) / p).
        const g = floorDiv(200 * (current - prior) + prior, 2 * prior);
        const iv = impliedPriorInterval(current, read(`${g}%`, `同比增长${g}%`));
        expect(iv.loInclusive ? prior >= iv.lo : prior > iv.lo, `${prior} ${current} ${g}%`).toBe(true);
        expect(iv.hi === null || (iv.hiInclusive ? prior <= iv.hi : prior < iv.hi), `${prior} ${current} ${g}%`).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('成: a share in tenths (the bulletin writes 近六成, #18)', () => {
  const read = (t: string) => {
    const r = parsePublishedText(t);
    if (!r.ok) throw new Error(r.reason);
    return [formatInterval(r.interval), r.interval.qualifier, r.interval.percent];
  };
  it('reads 近六成 as [55, 60) percent, nearly', () => expect(read('近六成')).toEqual(['[55, 60)', 'nearly', true]));
  it('reads 六成 as [55, 65) percent, rounded', () => expect(read('六成')).toEqual(['[55, 65)', 'rounded', true]));
  it('reads 六成多 as [60, 70) percent, more_than', () => expect(read('六成多')).toEqual(['[60, 70)', 'more_than', true]));
  it('reads 3成 as [25, 35) percent', () => expect(read('3成')).toEqual(['[25, 35)', 'rounded', true]));
});
