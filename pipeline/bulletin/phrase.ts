// The published-figure grammar run backwards: a value and a phrasing style → the Chinese text, proven
// by reading it back with parsePublishedText (pipeline/reconcile/published-interval.ts).
//
// Each style is the inverse of one reading there:
//   exact      127        ← exact [x, x]          (a share: 58.0% ← rounded to its last printed digit)
//   more_than  1000余     ← X余 [X, X + u)        X = the value cut down to a multiple of `place`
//   nearly     近60%      ← 近X [X − u/2, X)      X = the next multiple of `place` above the value
//   rounded    1.4万      ← X万 [X − p/2, X + p/2) half-up to `decimals` (a share: 58% ← X%)
//   magnitude  千名 上千 数千 ← figures of speech [0.9X, 2X) · [X, ∞) · [2X, 10X)
//   tenths     近六成 六成 六成多 ← X成, a share in tenths
// composePhrase only proposes; checkPhrase is the judge, and the generator refuses what it rejects.
import type { PhraseStyle } from '../../schemas/bulletin.ts';
import { formatInterval, intervalContains, parsePublishedText } from '../reconcile/published-interval.ts';

export interface Phrase {
  /** the figure as the published record keeps it: 127, 近60%, 千名, 1000余 */
  text: string;
  /** the figure as printed in the sentence: 127名, 近60%, 千名, 1000余名 */
  display: string;
}

export type Composed = { ok: true; phrase: Phrase; alternatives: Phrase[] } | { ok: false; reason: string };

export interface PhraseOptions {
  /** the value is a share in percent points (57.99 → 近60%) */
  percent: boolean;
  /** measure word printed after a count: 名 个 人 */
  measure: string;
  /** places of an exact share */
  decimals: number;
}

const ZH_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (1…99): category numbers, tenths. */
export function zhNumber(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 99) throw new RangeError(`zhNumber: ${n}`);
  if (n < 10) return ZH_DIGITS[n];
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : ZH_DIGITS[tens]}十${ones ? ZH_DIGITS[ones] : ''}`;
}

/** An integer count of 10^-d as a decimal string: (5799, 2) → "57.99", (58, 0) → "58". */
function fixed(n: number, d: number): string {
  const neg = n < 0;
  const digits = String(Math.abs(n)).padStart(d + 1, '0');
  const s = d === 0 ? digits : `${digits.slice(0, -d)}.${digits.slice(-d)}`;
  return neg ? `-${s}` : s;
}

/** A positive power of ten as a decimal exponent: 1000 → 3, 0.1 → −1. */
function exponentOf(place: number): number {
  return Math.round(Math.log10(place));
}

/** v / 10^e as a float, avoiding 0.1-style noise by scaling with an integer power. */
function scaled(v: number, e: number): number {
  return e >= 0 ? v / 10 ** e : v * 10 ** -e;
}

/** A multiple k of 10^e printed in plain digits: (6, 1) → "60", (579, −1) → "57.9". */
function multiple(k: number, e: number): string {
  return e >= 0 ? String(k * 10 ** e) : fixed(k, -e);
}

const MAGNITUDES: [number, string][] = [
  [1e2, '百'], [1e3, '千'], [1e4, '万'], [1e5, '十万'], [1e6, '百万'], [1e7, '千万'], [1e8, '亿'],
];

/**
 * Contract: proposes the printed form of `value` in `style` — the nearest candidate first, then
 * neighbours that float noise at a rounding boundary may need; { ok: false } when the style cannot
 * print this value at all (a share as 千名, 0 as 0余). Never checks truth: that is checkPhrase.
 */
export function composePhrase(value: number, style: PhraseStyle, opts: PhraseOptions): Composed {
  if (!Number.isFinite(value)) return { ok: false, reason: '数值不可用' };
  const pct = opts.percent ? '%' : '';
  const withMeasure = (t: string) => (opts.percent ? t : `${t}${opts.measure}`);
  const many = (texts: string[], display: (t: string) => string = withMeasure): Composed => {
    const uniq = [...new Set(texts)];
    const [first, ...rest] = uniq.map((text) => ({ text, display: display(text) }));
    return { ok: true, phrase: first, alternatives: rest };
  };
  switch (style.style) {
    case 'exact': {
      if (!opts.percent) {
        if (!Number.isInteger(value)) return { ok: false, reason: `${value} 不是整数，不能照印为准确数` };
        return many([String(value)]);
      }
      const d = opts.decimals;
      const n = Math.round(value * 10 ** d);
      return many([n, n + 1, n - 1].map((k) => `${fixed(k, d)}%`));
    }
    case 'more_than': {
      const e = exponentOf(style.place);
      const k = Math.floor(scaled(value, e));
      const ks = [k, k - 1].filter((x) => x > 0);
      if (!ks.length) return { ok: false, reason: `${value} 小于 ${style.place}，不能写作“${style.place}${style.word}”` };
      return many(ks.map((x) => `${multiple(x, e)}${style.word}${pct}`));
    }
    case 'nearly': {
      const e = exponentOf(style.place);
      const k = Math.floor(scaled(value, e)) + 1;
      return many([`近${multiple(k, e)}${pct}`]);
    }
    case 'rounded': {
      const m = style.multiplier === '亿' ? 8 : style.multiplier === '万' ? 4 : 0;
      const d = style.decimals;
      const n = Math.round(scaled(value, m - d));
      const ns = [n, n + 1, n - 1].filter((x) => x > 0);
      if (!ns.length) return { ok: false, reason: `${value} 按${style.multiplier ?? ''}保留 ${d} 位小数为 0` };
      return many(ns.map((x) => `${fixed(x, d)}${style.multiplier ?? ''}${pct}`));
    }
    case 'magnitude': {
      if (opts.percent) return { ok: false, reason: '比例不能写作“千名”之类的约数' };
      const word = (x: number) => MAGNITUDES.find(([m]) => m === x)?.[1];
      let pick: number | undefined;
      if (style.form === 'bare') pick = MAGNITUDES.map(([m]) => m).find((m) => value >= 0.9 * m && value < 2 * m);
      else if (style.form === 'at_least') pick = [...MAGNITUDES].reverse().map(([m]) => m).find((m) => value >= m);
      else pick = MAGNITUDES.map(([m]) => m).find((m) => value >= 2 * m && value < 10 * m);
      if (pick === undefined) {
        const form = { bare: '千名/万人', at_least: '上千/上万', several: '数千/数万' }[style.form];
        return { ok: false, reason: `${value} 不在任何“${form}”所说的范围内` };
      }
      const prefix = { bare: '', at_least: '上', several: '数' }[style.form];
      return many([`${prefix}${word(pick)}${opts.measure}`], (t) => t);
    }
    case 'tenths': {
      if (!opts.percent) return { ok: false, reason: '“成”只用于比例' };
      const k = style.qualifier === 'nearly' ? Math.floor(value / 10) + 1 : style.qualifier === 'rounded' ? Math.round(value / 10) : Math.floor(value / 10);
      if (k < 1 || k > 9) return { ok: false, reason: `${value}% 不能写成“几成”（需在 1 至 9 成之间）` };
      const t = style.qualifier === 'nearly' ? `近${zhNumber(k)}成` : style.qualifier === 'rounded' ? `${zhNumber(k)}成` : `${zhNumber(k)}成多`;
      return many([t], (x) => x);
    }
  }
}

export type Checked = { ok: true; interval: string } | { ok: false; interval: string; reason: string };

/**
 * Contract: reads `text` back with its `quote` exactly as the reconciliation will (parsePublishedText)
 * and says whether the asserted interval contains `value`.
 */
export function checkPhrase(text: string, quote: string, value: number): Checked {
  const p = parsePublishedText(text, quote);
  if (!p.ok) return { ok: false, interval: '', reason: `无法读回：${p.reason}` };
  const interval = formatInterval(p.interval);
  if (!intervalContains(p.interval, value)) return { ok: false, interval, reason: `“${text}”读作 ${interval}，不含计算值 ${value}` };
  return { ok: true, interval };
}

/** A phrase the generator will not write: the item, the value and the phrase, in the analyst's words. */
export class PhraseRefused extends Error {
  constructor(
    readonly item: string,
    readonly value: number,
    readonly phrase: string,
    readonly reason: string,
  ) {
    super(`措辞不成立：${item}，计算值 ${round(value)}，措辞“${phrase}”：${reason}`);
    this.name = 'PhraseRefused';
  }
}

const round = (x: number) => Math.round(x * 10000) / 10000;

/** How a style is named to the analyst when no phrase of it can be written at all. */
const STYLE_ZH: Record<PhraseStyle['style'], string> = {
  exact: '准确数',
  more_than: 'X余',
  nearly: '近X',
  rounded: '约整数（X万）',
  magnitude: '千名/上千/数千',
  tenths: '几成',
};

/**
 * Contract: the first proposed phrase whose reading, with the quote built from it, contains the
 * value; otherwise throws PhraseRefused naming the item, the value and the phrase.
 */
export function phraseFigure(
  item: string,
  value: number,
  style: PhraseStyle,
  opts: PhraseOptions,
  quoteOf: (display: string) => string = (d) => d,
): { phrase: Phrase; quote: string; interval: string } {
  const c = composePhrase(value, style, opts);
  if (!c.ok) throw new PhraseRefused(item, value, STYLE_ZH[style.style], c.reason);
  let first: Checked | undefined;
  for (const p of [c.phrase, ...c.alternatives]) {
    const quote = quoteOf(p.display);
    const r = checkPhrase(p.text, quote, value);
    if (r.ok) return { phrase: p, quote, interval: r.interval };
    first ??= r;
  }
  throw new PhraseRefused(item, value, c.phrase.display, (first as { reason: string }).reason);
}

/**
 * Contract: 增长 X% / 下降 X% for a change from `prior` to `current`, read back as the
 * reconciliation reads a 同比 figure (text "44%" or "-12%", quote "同比增长44%").
 */
export function phraseGrowth(
  item: string,
  current: number,
  prior: number,
  decimals: number,
  word: '同比' | '环比',
): { text: string; display: string; quote: string; growth: number } {
  const growth = (current / prior - 1) * 100;
  const n = Math.round(Math.abs(growth) * 10 ** decimals);
  const tries = [n, n + 1, n - 1].filter((k) => k >= 0);
  let firstReason = '';
  for (const k of tries) {
    const abs = `${fixed(k, decimals)}%`;
    const down = growth < 0 && k > 0;
    const text = down ? `-${abs}` : abs;
    const display = `${word}${down ? '下降' : '增长'}${abs}`;
    const r = checkPhrase(text, display, growth);
    if (r.ok) return { text, display, quote: display, growth };
    firstReason ||= r.reason;
  }
  throw new PhraseRefused(`${item}（${word}）`, growth, `${word}${growth < 0 ? '下降' : '增长'}${fixed(n, decimals)}%`, firstReason);
}
