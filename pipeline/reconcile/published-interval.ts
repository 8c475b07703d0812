// What a PUBLISHED figure's Chinese text asserts: the interval of true values the printed words allow, for reconciliation.
/*
 * How printed figures are read — the judgment calls (see test/fixtures/published-figures/README.md).
 *
 * Intervals are [lo, hi): hi is exclusive, except when lo === hi (an exact figure, [x, x]) or
 * for an explicit range such as 1-2 ("1 to 2", both ends meant: [1, 2]). hi === null means
 * unbounded above. Percent figures are in percent points (44% → 44, 二分之一 → 50).
 *
 * "Unit of the last significant digit" u: 120 → 10, 1600 → 100, 200 → 100, 38000 → 1000,
 * 2260 → 10, 120万 → 100000, 5.7亿 → 10^7, 60 → 10. "Unit of the last printed digit" p counts
 * printed zeros: 704亿 → 1亿, 130万 → 1万, 8.6万 → 1000, 44% → 1, 99.8% → 0.1.
 *
 *   3164, 两, 十          exact [x, x]: an integer with no multiplier and no qualifier. A Chinese
 *                         numeral with 万/亿 (两万) follows the 万/亿 rule below; Chinese numerals
 *                         print no zeros, so their last printed digit is their last significant one.
 *   X余 / X多             more_than [X, X + u): 120余 → [120, 130), 120多万 → [1.2M, 1.3M).
 *   X以上 / 突破X / 超过X / 逾X / 超X / 不低于X / 不少于X / 至少X
 *                         more_than [X, ∞). (超过 is strictly "more than", but a printed
 *                         threshold is itself a round number, so X is kept as the floor.)
 *   近X / 将近X / 接近X   nearly [X − u/2, X): 近60% → [55, 60), 近5.7亿 → [5.65亿, 5.7亿).
 *                         Applied without exception, so 近千 (one significant digit) is [500, 1000).
 *   约X / X左右 / X上下   about [X − u/2, X + u/2): 约400 → [350, 450).
 *   X万, X亿              rounded [X − p/2, X + p/2): 8.6万 → [85500, 86500), 704亿 → [703.5亿, 704.5亿).
 *                         EXCEPT a set amount, which is exact: money allocated, a per-unit rate or
 *                         a threshold line is a decision, not a measurement shortened for print.
 *                         Cues in the figure's clause: 安排 拨付 拨款 下拨 划拨 补助 补贴 奖补 奖励
 *                         资助 预算 列支 专项资金 每年 每月 每人 每户 每村 每个 (每年安排130万元,
 *                         每年安排350万元), or 低于/高于 just before it (年收入低于20万元的村).
 *                         超过20万元 is a bound, so it is more_than with the printed floor [200000, ∞).
 *   X%                    rounded to the last printed digit: 99.8% → [99.75, 99.85), 44% → [43.5, 44.5);
 *                         but 100% and 0% as shares are exact (all / none) — unless the clause
 *                         speaks of change (增长 提高 下降 同比 …), where 100% is a rounded rate.
 *   X倍, 2.5 (decimal)    rounded: 2倍 → [1.5, 2.5).
 *   X成                   a share in tenths, percent points ×10 with the last printed digit in tens:
 *                         六成 → [55, 65), 近六成 → [55, 60), 六成多 → [60, 70).
 *   千名 / 百名 / 万人    a bare magnitude as a figure of speech: about [0.9X, 2X), vague
 *                         (千名 → [900, 2000), 百名 → [90, 200); the seeds' own 百名 plans are exceeded).
 *   上千 / 上百 / 上万    more_than [X, ∞), vague.
 *   数万 / 数千 / 数十    about [2X, 10X), nominal 3X, vague (数万 → [20000, 100000)).
 *   X级 (千亿级)          target [X, 10X): the order of magnitude is the claim; not vague, since
 *                         the level is defined by its digit count.
 *   a-b (1-2, 2-3万)      range [a, b], both ends inclusive; nominal b (the CSV's convention).
 *   二分之一, 四分之一    a share printed as a Chinese fraction: exact [50, 50] / [25, 25], qualifier
 *                         target — achieved shares in these reports are printed as percentages
 *                         (99.8%, 近60%), fractions only as goals (占比达到二分之一).
 *   不到X / 不足X / 不超过X / 少于X / X以下 / X以内   rejected (ok: false): "at most" has no lower bound.
 *
 * Where the qualifier sits. The text's own words win (近60, 120余, 50万以上). Otherwise the figure
 * is looked up in `context` (the quote) ignoring whitespace and Chinese-style digit commas, and
 * the words immediately before it (约, 近, 突破, 超过, 低于 …) and immediately after it (余, 多,
 * and — after an optional measure word or bracketed aside — 以上, 左右 …) are read. If the
 * figure is not found verbatim (the quote may spell 2 as 两), the text is read on its own.
 * 约 and 近 that end another word are not qualifiers: 签约26户 is exact (signed 26 households),
 * and so are 预约/合约/节约…, 最近/附近/临近…; 近N年 is "the last N years", not "nearly".
 * A quote can mislead only through such words; the text's own words are never second-guessed.
 *
 * target. A figure is labelled target (the interval is computed as above) when
 *   - its own text carries 以上 (50万以上, 3000以上, and 30以上 whose quote says 超过30人): a
 *     floor written into the figure is the grammar of a quota (新增…50万人以上, 建成3000个以上);
 *     reports of attainment write 突破/超过/余/多, which stay more_than. A reported figure whose
 *     以上 is only in the quote (text 90%, quote 90%以上) is more_than;
 *   - it is a Chinese fraction or an X级 scale (above);
 *   - or the quote has a plan word: 力争 目标 争取 确保 力求 到20xx年 都有 都要 均有 均要 必须
 *     (每个村社都有1-2名…后备人选 is a norm for every village; 随机抽取…1-2个 stays a range).
 *     计划 is deliberately not a cue: programme names contain it (“3315计划”申报数量达1248个).
 *
 * Arithmetic is done on decimal digits (BigInt mantissa × 10^k), converted to a double once, so
 * bounds such as 99.75 or 70350000000 carry no float noise.
 */

import { normalizeText } from '../normalize/chinese-number.ts';

export type Qualifier = 'exact' | 'more_than' | 'nearly' | 'about' | 'rounded' | 'range' | 'target';

export interface PublishedInterval {
  text: string; // as given
  nominal: number; // 8.6万 → 86000, 近60% → 60, 二分之一 → 50 (percent figures are in percent points)
  lo: number;
  hi: number | null; // null = unbounded above
  hiInclusive: boolean; // true only when lo === hi (exact) or for an explicit range "1-2"
  qualifier: Qualifier;
  percent: boolean;
  vague: boolean; // figures of speech (千名, 百名, 上千, 数万): reconcile as a warning, never an error
}

export type PublishedParse = { ok: true; interval: PublishedInterval } | { ok: false; reason: string };

// ── decimal helpers: value = int × 10^exp ───────────────────────────────────────────────────

interface Dec {
  int: bigint;
  exp: number;
}

function toNumber(d: Dec): number {
  const n = Number(`${d.int}e${d.exp}`);
  return n === 0 ? 0 : n;
}

/** Strip trailing zeros: the exponent becomes the place of the last significant digit. */
function significant(d: Dec): Dec {
  let { int, exp } = d;
  if (int === 0n) return { int, exp };
  while (int % 10n === 0n) {
    int /= 10n;
    exp += 1;
  }
  return { int, exp };
}

/** d − 5 × 10^(exp−1), i.e. minus half a unit of d's last digit. */
const minusHalf = (d: Dec): Dec => ({ int: d.int * 10n - 5n, exp: d.exp - 1 });
const plusHalf = (d: Dec): Dec => ({ int: d.int * 10n + 5n, exp: d.exp - 1 });
const plusOne = (d: Dec): Dec => ({ int: d.int + 1n, exp: d.exp });
const times = (d: Dec, k: bigint, shift = 0): Dec => ({ int: d.int * k, exp: d.exp + shift });

// ── numerals ────────────────────────────────────────────────────────────────────────────────

const ZH_DIGIT: Record<string, bigint> = {
  零: 0n, 〇: 0n, 一: 1n, 二: 2n, 两: 2n, 三: 3n, 四: 4n, 五: 5n, 六: 6n, 七: 7n, 八: 8n, 九: 9n,
};
const ZH_SMALL_UNIT: Record<string, bigint> = { 十: 10n, 百: 100n, 千: 1000n };

/** A section below 万: 一千零五, 二十, 十二, 千 (bare 千 = 1000), 二〇一八 (digit by digit). */
function zhSection(s: string): bigint | null {
  if (s === '') return 0n;
  if ([...s].every((c) => c in ZH_DIGIT)) {
    if (s.length === 1) return ZH_DIGIT[s];
    return BigInt([...s].map((c) => ZH_DIGIT[c].toString()).join(''));
  }
  let total = 0n;
  let pending: bigint | null = null;
  for (const c of s) {
    if (c in ZH_DIGIT) {
      pending = ZH_DIGIT[c];
    } else if (c in ZH_SMALL_UNIT) {
      total += (pending ?? 1n) * ZH_SMALL_UNIT[c];
      pending = null;
    } else {
      return null;
    }
  }
  return total + (pending ?? 0n);
}

/** A Chinese numeral with 万 and 亿: 两, 十, 一百二十, 两万, 千亿, 十万. */
function zhNumeral(s: string): bigint | null {
  if (s === '') return null;
  const yi = s.indexOf('亿');
  if (yi >= 0) {
    const high = yi === 0 ? 1n : zhNumeral(s.slice(0, yi));
    const low = yi === s.length - 1 ? 0n : zhNumeral(s.slice(yi + 1));
    return high === null || low === null ? null : high * 100000000n + low;
  }
  const wan = s.indexOf('万');
  if (wan >= 0) {
    const high = wan === 0 ? 1n : zhSection(s.slice(0, wan));
    const low = wan === s.length - 1 ? 0n : zhSection(s.slice(wan + 1));
    return high === null || low === null ? null : high * 10000n + low;
  }
  return zhSection(s);
}

const MULT_EXP: Record<string, number> = {
  十: 1, 百: 2, 千: 3, 万: 4, 十万: 5, 百万: 6, 千万: 7, 亿: 8, 十亿: 9, 百亿: 10, 千亿: 11, 万亿: 12,
};

/**
 * A numeral as printed, with the place of its last printed digit: "8.6"+"万" → 86 × 10^3;
 * "130"+"万" → 130 × 10^4; Chinese numerals print no zeros, so 两万 → 2 × 10^4.
 */
function readNumeral(num: string, mult: string | undefined): Dec | null {
  let d: Dec;
  const arabic = /^([+\-−]?)(\d+)(?:\.(\d+))?$/.exec(num.replace(/,/g, ''));
  if (arabic) {
    const [, sign, i, f = ''] = arabic;
    d = { int: BigInt(i + f) * (sign === '-' || sign === '−' ? -1n : 1n), exp: -f.length };
  } else {
    const z = zhNumeral(num);
    if (z === null) return null;
    d = significant({ int: z, exp: 0 });
  }
  if (mult) d = { int: d.int, exp: d.exp + MULT_EXP[mult] };
  return d;
}

const hasMagnitude = (num: string, mult: string | undefined): boolean =>
  (mult !== undefined && MULT_EXP[mult] >= 4) || /[万亿]/.test(num);

// ── grammar ─────────────────────────────────────────────────────────────────────────────────

const MEASURE_WORDS = [
  '平方公里', '平方米', '个工作日', '工作日', '小时', '公里', '人次', '家次', '户次', '个次', '件次', '项次',
  '批次', '场次', '大类', '个', '人', '名', '位', '次', '起', '件', '项', '户', '家', '支', '条', '元', '期',
  '份', '所', '场', '座', '处', '篇', '批', '对', '种', '步', '年', '天', '日', '月', '亩', '吨', '套', '间',
  '台', '辆', '本', '张', '堂', '节', '届', '轮', '片', '组', '队', '站', '点', '村', '米',
].sort((a, b) => b.length - a.length);
const UNIT = `(?:${MEASURE_WORDS.join('|')})`;
const ZH_NUM_CHARS = '零〇一二两三四五六七八九十百千万亿';
const NUM = `([+\\-−]?\\d[\\d,]*(?:\\.\\d+)?|[${ZH_NUM_CHARS}]+)`;
const MULT = '(十万|百万|千万|十亿|百亿|千亿|万亿|十|百|千|万|亿)';
const MAG = '(十万|百万|千万|十亿|百亿|千亿|万亿|百|千|万|亿)'; // bare figures of speech (十 is a plain count: 十大)

const PREFIXES = {
  nearly: ['将近', '接近', '近'],
  about: ['大约', '大概', '约'],
  floor: ['不低于', '不少于', '至少', '超过', '突破', '逾', '超'],
  ceiling: ['不超过', '不到', '不足', '少于'],
  threshold: ['低于', '高于'],
  neutral: ['达到', '高达', '共计', '累计', '合计', '总计', '共', '达'],
};
const ALL_PREFIXES = Object.values(PREFIXES).flat().sort((a, b) => b.length - a.length);
const SUFFIXES = ['以上', '左右', '上下', '以下', '以内', '余', '多'];

const CORE_RE = new RegExp(
  `^(${ALL_PREFIXES.join('|')})?${NUM}(余|多)?${MULT}?(%|倍|成)?(余|多)?${UNIT}?(${SUFFIXES.join('|')})?${UNIT}?$`,
);
const FRACTION_RE = new RegExp(`^([${ZH_NUM_CHARS}]+|\\d+)分之([${ZH_NUM_CHARS}]+|\\d+)$`);
const SCALE_RE = new RegExp(`^${NUM}${MULT}?级${UNIT}?$`);
const RANGE_RE = new RegExp(
  `^${NUM}${MULT}?(%)?${UNIT}?[-~至到—–]${NUM}${MULT}?(%)?${UNIT}?$`,
);
const AT_LEAST_MAG_RE = new RegExp(`^[上逾过]${MAG}${UNIT}?$`);
const SEVERAL_MAG_RE = new RegExp(`^数(十万|百万|千万|十亿|百亿|千亿|十|百|千|万|亿)${UNIT}?$`);
const BARE_MAG_RE = new RegExp(`^${MAG}${UNIT}?$`);

// In the quote: a qualifier word right before the figure; 余/多 right after it, or 以上/左右…
// after an optional measure word and bracketed aside (20名（个）以上).
const QUALIFIER_BEFORE_RE = new RegExp(`(${ALL_PREFIXES.join('|')})$`);
const QUALIFIER_AFTER_RE = new RegExp(`^(?:(余|多)|${UNIT}?(?:\\([^)]{1,6}\\))?(以上|左右|上下|以下|以内))`);
const MAX_FIGURE_LENGTH = 40;

const PLAN_CUE = /力争|目标|争取|确保|力求|到20\d\d年|都有|都要|均有|均要|必须/;
const GROWTH_CUE = /增长|增加|增幅|提高|提升|上升|下降|减少|降低|降幅|同比|环比/;
const SET_AMOUNT_CUE = /安排|拨付|拨款|下拨|划拨|补助|补贴|奖补|奖励|资助|预算|列支|专项资金|每年|每月|每人|每户|每村|每个/;
// 约 and 近 ending a word, not qualifying the figure: 签约26户 (signed 26), 最近3年 (the last 3 years).
const NOT_A_QUALIFIER_BEFORE = /(?:[签预合公条契特节制相邀履违解续立爽赴守毁失践婚缔誓租]约|[最附临邻靠就亲贴]近)$/;
const CLAUSE_BREAK = /[,，。;；:：!！?？、]/;

/** Compact form used for both text and quote: NFKC, no whitespace, no digit-group commas. */
function compact(s: string): string {
  return normalizeText(s).replace(/\s+/g, '').replace(/(?<=\d),(?=\d{3}(?!\d))/g, '');
}

interface Context {
  before: string; // the quote up to the figure
  after: string; // the quote after the figure
  whole: string;
}

const isDigit = (c: string | undefined) => c !== undefined && /[0-9]/.test(c);
const isZhNum = (c: string | undefined) => c !== undefined && ZH_NUM_CHARS.includes(c);

/** First occurrence of needle in ctx that is a whole number (not inside a longer numeral). */
function locate(ctx: string, needle: string): Context | null {
  if (needle === '') return null;
  for (let i = ctx.indexOf(needle); i >= 0; i = ctx.indexOf(needle, i + 1)) {
    const prev = ctx[i - 1];
    const next = ctx[i + needle.length];
    const first = needle[0];
    const last = needle[needle.length - 1];
    if (isDigit(first) && (isDigit(prev) || prev === '.')) continue;
    if (isZhNum(first) && isZhNum(prev)) continue;
    if (isDigit(last) && (isDigit(next) || (next === '.' && isDigit(ctx[i + needle.length + 1])))) continue;
    if (isZhNum(last) && isZhNum(next)) continue;
    return { before: ctx.slice(0, i), after: ctx.slice(i + needle.length), whole: ctx };
  }
  return null;
}

const lastClause = (before: string) => before.split(CLAUSE_BREAK).pop() ?? '';
const firstClause = (after: string) => after.split(CLAUSE_BREAK)[0] ?? '';

function prefixKind(p: string | undefined): keyof typeof PREFIXES | undefined {
  if (!p) return undefined;
  return (Object.keys(PREFIXES) as (keyof typeof PREFIXES)[]).find((k) => PREFIXES[k].includes(p));
}

function ok(
  text: string,
  nominal: number,
  lo: number,
  hi: number | null,
  qualifier: Qualifier,
  percent: boolean,
  vague = false,
  inclusiveRange = false,
): PublishedParse {
  return {
    ok: true,
    interval: { text, nominal, lo, hi, hiInclusive: hi !== null && (lo === hi || inclusiveRange), qualifier, percent, vague },
  };
}

/**
 * Contract: total (never throws). Reads a published figure's text — with its surrounding quote
 * as `context` when known — and returns the interval the words assert, per the rules at the top
 * of this file; { ok: false, reason } when the text is not a figure or asserts only an upper
 * bound (不到X).
 */
export function parsePublishedText(text: string, context?: string): PublishedParse {
  try {
    return parseUnsafe(text, context);
  } catch (e) {
    return { ok: false, reason: `unreadable figure: ${String(e)}` };
  }
}

function parseUnsafe(text: string, context: string | undefined): PublishedParse {
  if (typeof text !== 'string') return { ok: false, reason: 'text is not a string' };
  const t = compact(text);
  if (t === '') return { ok: false, reason: 'empty text' };
  if (t.length > MAX_FIGURE_LENGTH) return { ok: false, reason: `too long to be one figure: ${t.slice(0, 20)}…` };
  const ctx = typeof context === 'string' ? compact(context) : '';
  const planned = PLAN_CUE.test(ctx) || PLAN_CUE.test(t);

  // 二分之一: a share printed as a fraction — a goal.
  const frac = FRACTION_RE.exec(t);
  if (frac) {
    const den = readNumeral(frac[1], undefined);
    const num = readNumeral(frac[2], undefined);
    if (!den || !num || den.int === 0n) return { ok: false, reason: `not a fraction: ${text}` };
    const v = (toNumber(num) * 100) / toNumber(den);
    return ok(text, v, v, v, 'target', true);
  }

  // 千亿级: [X, 10X).
  const scale = SCALE_RE.exec(t);
  if (scale) {
    const x = readNumeral(scale[1], scale[2]);
    if (!x) return { ok: false, reason: `unreadable scale: ${text}` };
    return ok(text, toNumber(x), toNumber(x), toNumber(times(x, 10n)), 'target', false);
  }

  // 1-2, 2-3万: both ends inclusive.
  const range = RANGE_RE.exec(t);
  if (range) {
    const [, a, aMult, aPct, b, bMult, bPct] = range;
    const lo = readNumeral(a, aMult ?? bMult);
    const hi = readNumeral(b, bMult);
    if (!lo || !hi) return { ok: false, reason: `unreadable range: ${text}` };
    const [l, h] = [toNumber(lo), toNumber(hi)];
    if (l > h) return { ok: false, reason: `range runs backwards: ${text}` };
    return ok(text, h, l, h, planned ? 'target' : 'range', Boolean(aPct || bPct), false, true);
  }

  // Figures of speech.
  const atLeast = AT_LEAST_MAG_RE.exec(t);
  if (atLeast) {
    const x = toNumber(readNumeral('一', atLeast[1])!);
    return ok(text, x, x, null, planned ? 'target' : 'more_than', false, true);
  }
  const several = SEVERAL_MAG_RE.exec(t);
  if (several) {
    const x = readNumeral('一', several[1])!;
    return ok(text, toNumber(times(x, 3n)), toNumber(times(x, 2n)), toNumber(times(x, 10n)), planned ? 'target' : 'about', false, true);
  }
  const bare = BARE_MAG_RE.exec(t);
  if (bare) {
    const x = readNumeral('一', bare[1])!;
    return ok(text, toNumber(x), toNumber({ int: x.int * 9n, exp: x.exp - 1 }), toNumber(times(x, 2n)), planned ? 'target' : 'about', false, true);
  }

  const m = CORE_RE.exec(t);
  if (!m) return { ok: false, reason: `not a published figure: ${text}` };
  const [, prefix, num, post1, mult, pctOrTimes, post2, suffix] = m;
  // X成 is a share in tenths: 六成 = 60%, its last printed digit the tens of percent points
  const tenths = pctOrTimes === '成';
  const read = readNumeral(num, mult);
  const x = read && tenths ? times(read, 1n, 1) : read;
  if (!x) return { ok: false, reason: `unreadable number: ${text}` };
  const value = toNumber(x);
  const post = post1 ?? post2;

  // Find the figure in the quote: the whole text, then its bare number.
  const needles = [t, num + (post1 ?? '') + (mult ?? '') + (pctOrTimes ?? '') + (post2 ?? ''), num + (mult ?? '') + (pctOrTimes ?? ''), num];
  let where: Context | null = null;
  for (const n of needles) if (!where) where = locate(ctx, n);
  const before = where ? where.before : '';
  const after = where ? where.after : '';
  const clause = lastClause(before) + '\u0000' + firstClause(after);

  // The text's own qualifier wins; else the words around it in the quote.
  let kind: keyof typeof PREFIXES | 'few' | 'ceilingSuffix' | 'floorSuffix' | 'aboutSuffix' | undefined;
  if (post) kind = 'few';
  else if (suffix === '余' || suffix === '多') kind = 'few';
  else if (suffix === '以上') kind = 'floorSuffix';
  else if (suffix === '左右' || suffix === '上下') kind = 'aboutSuffix';
  else if (suffix === '以下' || suffix === '以内') kind = 'ceilingSuffix';
  const own = prefixKind(prefix);
  if (!kind && own && own !== 'neutral') kind = own;
  if (!kind && where) {
    const b = QUALIFIER_BEFORE_RE.exec(before);
    const a = QUALIFIER_AFTER_RE.exec(after);
    if (a?.[1]) kind = 'few';
    else if (a?.[2] === '以上') kind = 'floorSuffix';
    else if (a?.[2] === '左右' || a?.[2] === '上下') kind = 'aboutSuffix';
    else if (a?.[2]) kind = 'ceilingSuffix';
    else if (b && !NOT_A_QUALIFIER_BEFORE.test(before) && !(b[1].endsWith('近') && after.startsWith('年'))) {
      const k = prefixKind(b[1]);
      if (k && k !== 'neutral') kind = k;
    }
  }

  const percent = pctOrTimes === '%' || tenths || (!pctOrTimes && after.startsWith('%'));
  const multiple = pctOrTimes === '倍';
  const target = planned || suffix === '以上';
  const label = (q: Qualifier): Qualifier => (target ? 'target' : q);
  const sig = significant(x);

  switch (kind) {
    case 'few':
      return ok(text, value, value, toNumber(plusOne(sig)), label('more_than'), percent);
    case 'floor':
    case 'floorSuffix':
      return ok(text, value, value, null, label('more_than'), percent);
    case 'nearly':
      return ok(text, value, toNumber(minusHalf(sig)), value, label('nearly'), percent);
    case 'about':
    case 'aboutSuffix':
      return ok(text, value, toNumber(minusHalf(sig)), toNumber(plusHalf(sig)), label('about'), percent);
    case 'ceiling':
    case 'ceilingSuffix':
      return { ok: false, reason: `asserts only an upper bound (不到/不足/以下): ${text}` };
    case 'threshold':
      return ok(text, value, value, value, label('exact'), percent);
    default:
      break;
  }

  const rounded = () => ok(text, value, toNumber(minusHalf(x)), toNumber(plusHalf(x)), label('rounded'), percent);
  if (percent) {
    const whole = (value === 100 || value === 0) && !GROWTH_CUE.test(clause);
    return whole ? ok(text, value, value, value, label('exact'), true) : rounded();
  }
  if (multiple) return rounded();
  if (hasMagnitude(num, mult)) return SET_AMOUNT_CUE.test(clause) ? ok(text, value, value, value, label('exact'), false) : rounded();
  if (x.exp < 0) return rounded();
  return ok(text, value, value, value, label('exact'), false);
}

/**
 * Contract: 同比增长 g — last year's figure = current / (1 + g/100). With current in [c₁, c₂]
 * (a number is [c, c]) and growth in [g₁, g₂) it lies in (c₁ / (1 + g₂/100), c₂ / (1 + g₁/100)]:
 * the low end is open because g < g₂, the high end closed because g ≥ g₁ (loInclusive /
 * hiInclusive say so, taking the inputs' own ends into account). 1248 at 44% ([43.5, 44.5))
 * → (863.67, 869.69], i.e. 864…869 for a count. A growth figure that is not a percent (2倍) is
 * read as the ratio current / prior. hi = null when unbounded (unbounded current, or a growth
 * floor at or below −100%); an unbounded growth gives lo = 0.
 */
export function impliedPriorInterval(
  current: PublishedInterval | number,
  growth: PublishedInterval,
): { lo: number; hi: number | null; loInclusive: boolean; hiInclusive: boolean } {
  const c =
    typeof current === 'number'
      ? { lo: current, hi: current as number | null, hiInclusive: true }
      : { lo: current.lo, hi: current.hi, hiInclusive: current.hiInclusive };
  // ratio r = 1 + g/100, written as (100 + g) / 100 so that 1248 / 1.435 is one division.
  const scale = growth.percent ? 100 : 1;
  const base = growth.percent ? 100 : 0;
  const rLo = base + growth.lo; // ratio × scale at the growth floor
  const rHi = growth.hi === null ? null : base + growth.hi;

  const lo = rHi === null ? 0 : rHi <= 0 ? 0 : (c.lo * scale) / rHi;
  const loInclusive = rHi !== null && rHi > 0 && growth.hiInclusive;
  const hi = c.hi === null || rLo <= 0 ? null : (c.hi * scale) / rLo;
  const hiInclusive = hi !== null && c.hiInclusive;
  return { lo, hi, loInclusive, hiInclusive };
}

/** Contract: true when x is one of the values the published text allows (NaN never is). */
export function intervalContains(iv: PublishedInterval, x: number): boolean {
  if (Number.isNaN(x) || x < iv.lo) return false;
  if (iv.hi === null) return true;
  return x < iv.hi || (iv.hiInclusive && x === iv.hi);
}

function formatNumber(n: number): string {
  if (Number.isInteger(n)) return n.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 0 });
  return String(Number(n.toPrecision(12)));
}

/** Contract: the interval in mathematical notation — "[120, 130)", "[3164, 3164]", "[500, ∞)". */
export function formatInterval(iv: PublishedInterval): string {
  const hi = iv.hi === null ? '∞' : formatNumber(iv.hi);
  return `[${formatNumber(iv.lo)}, ${hi}${iv.hi !== null && iv.hiInclusive ? ']' : ')'}`;
}
