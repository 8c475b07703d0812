// Names to codes: indicators (code, Chinese name, aliases), units (code, name, aliases), periods.
import type { Catalogue } from '../../schemas/catalogue.ts';
import type { Unit } from '../../schemas/units.ts';

/** A matching key: NFKC, lower case, no spaces, quotes, brackets or punctuation around words. */
export function matchKey(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\u3000"'“”‘’「」『』《》〈〉【】\[\]()（）:：,，.。、;；*＊※]/g, '');
}

export interface IndicatorMatcher {
  /** reported item code for a header or row label, or undefined. */
  reported(text: string): string | undefined;
  /** derived item code (computed by the pipeline, not reported). */
  derived(text: string): string | undefined;
  category(text: string): string | undefined;
  /** the catalogue name a label most resembles, for a suggestion in a message (never for reading) */
  closest?(text: string): string | undefined;
  measure(code: string): string;
  /**
   * One detail column for items that differ only by village type (是否悬挂红色标识 for 悬挂红色标识的行政村
   * and …的城市社区): type (村 / 社区) → item code, or undefined.
   */
  byType(text: string): Record<string, string> | undefined;
}

export function indicatorMatcher(cat: Catalogue): IndicatorMatcher {
  const reported = new Map<string, string>();
  const derived = new Map<string, string>();
  for (const it of cat.items) for (const n of [it.code, it.name_zh, ...it.aliases]) reported.set(matchKey(n), it.code);
  for (const it of cat.derived) for (const n of [it.code, it.name_zh, ...it.aliases]) derived.set(matchKey(n), it.code);
  const categories = new Map(cat.categories.map((c) => [matchKey(c), c]));
  const measures = new Map<string, string>([...cat.items, ...cat.derived].map((i) => [i.code as string, i.measure]));
  // Looser keys, tried only when the exact ones fail: without 的 (悬挂红色标识行政村), and in the label
  // without a trailing count word (发现问题数, 监督检查次数, 一线挂职干部人数). A loose key two items share
  // names neither.
  const loose = (key: string) => key.replace(/的/g, '');
  const looseMaps = [reported, derived].map((map) => {
    const m = new Map<string, string | null>();
    for (const [key, code] of map) {
      const l = loose(key);
      m.set(l, m.has(l) && m.get(l) !== code ? null : code);
    }
    return m;
  });
  const COUNT_WORD = /(人次数|次数|人数|个数|起数|名数|数量|数|情况)$/;
  /** Keys to try for a label: as is, without its numbering (1. / （一） / 一、), without a trailing (人). */
  const candidates = (t: string): string[] => {
    const nfkc = t.normalize('NFKC').trim();
    const unnumbered = nfkc.replace(/^(\(?[一二三四五六七八九十]+[)、.]|\(?\d+(?:\.\d+)*(?:[)、]|\.(?!\d)|\s))\s*/, '');
    const unsuffixed = unnumbered.replace(/\s*\([^()]{1,8}\)$/, '');
    return [...new Set([nfkc, unnumbered, unsuffixed].map(matchKey))];
  };
  const lookup = (map: Map<string, string>, t: string) => {
    const keys = candidates(t);
    for (const key of keys) {
      const hit = map.get(key);
      if (hit) return hit;
    }
    const looseMap = looseMaps[map === reported ? 0 : 1];
    for (const key of keys)
      for (const l of new Set([loose(key), loose(key).replace(COUNT_WORD, '')])) {
        const hit = l ? looseMap.get(l) : undefined;
        if (hit) return hit;
      }
    return undefined;
  };
  // items told apart only by their village type: their names without the type word
  const TYPE_WORD = /的?(行政村|城市社区|村|社区)$/;
  const stems = new Map<string, Record<string, string>>();
  for (const it of cat.items) {
    if (it.village_level !== '村' && it.village_level !== '社区') continue;
    for (const n of [it.name_zh, ...it.aliases]) {
      if (!TYPE_WORD.test(n)) continue;
      const stem = loose(matchKey(n.replace(TYPE_WORD, '')));
      stems.set(stem, { ...stems.get(stem), [it.village_level]: it.code });
    }
  }
  const byType = (t: string) => {
    const key = loose(matchKey(t.normalize('NFKC').replace(/\s*\([^()]{1,8}\)$/, ''))).replace(/^是否(已)?/, '').replace(/(情况|与否)$/, '');
    const hit = stems.get(key);
    return hit && Object.keys(hit).length > 1 ? hit : undefined;
  };
  // the closest item by shared character pairs (Dice), for the unknown-item message only: never read
  const pairs = (t: string) => {
    const k = loose(matchKey(t)).replace(/^其中/, '');
    return new Set(Array.from({ length: Math.max(k.length - 1, 0) }, (_, i) => k.slice(i, i + 2)));
  };
  const named = cat.items.flatMap((it) => [it.name_zh, ...it.aliases].map((n) => ({ code: it.code as string, name: it.name_zh, grams: pairs(n) })));
  const closest = (t: string) => {
    const g = pairs(t);
    if (g.size === 0) return undefined;
    const best = new Map<string, { name: string; score: number }>();
    for (const n of named) {
      let common = 0;
      for (const x of g) if (n.grams.has(x)) common++;
      const score = (2 * common) / (g.size + n.grams.size);
      if (score > (best.get(n.code)?.score ?? 0)) best.set(n.code, { name: n.name, score });
    }
    const ranked = [...best.values()].sort((a, b) => b.score - a.score);
    // a suggestion only when one item stands out
    return ranked[0] && ranked[0].score >= 0.4 && (ranked[1]?.score ?? 0) < ranked[0].score - 0.1 ? ranked[0].name : undefined;
  };
  return {
    byType,
    closest,
    reported: (t) => lookup(reported, t),
    derived: (t) => lookup(derived, t),
    category: (t) => categories.get(matchKey(t)),
    measure: (c) => measures.get(c) ?? '',
  };
}

export interface UnitMatcher {
  /** exact: a cell that holds a unit's code, name or alias (鄞州区, 鄞州, 330212). */
  exact(text: string): string | undefined;
  /** within free text (填报单位：鄞州区委组织部, a file name): every unit named, longest names first. */
  within(text: string): string[];
  name(code: string): string;
}

export function unitMatcher(units: Unit[]): UnitMatcher {
  // a name two units of the region share (鼓楼区 in four cities, 市中区) names neither: the file must say which
  const owners = new Map<string, Set<string>>();
  for (const u of units) for (const n of [u.code, u.name, u.short_name, ...u.aliases]) owners.set(matchKey(n), (owners.get(matchKey(n)) ?? new Set()).add(u.code));
  const exact = new Map<string, string>();
  const names: [string, string][] = [];
  for (const [k, codes] of owners) {
    if (codes.size !== 1) continue;
    const [code] = codes;
    exact.set(k, code);
    if (!/^\d+$/.test(k)) names.push([k, code]);
  }
  names.sort((a, b) => b[0].length - a[0].length);
  // the names by their first character (a region of thousands of units: only the names that can be
  // in the text are tried, in the order of `names`)
  const byFirst = new Map<string, number[]>();
  const always: number[] = []; // a name that is empty after matchKey is in every text
  names.forEach(([n], i) => {
    if (!n) return void always.push(i);
    const list = byFirst.get(n[0]);
    if (list) list.push(i);
    else byFirst.set(n[0], [i]);
  });
  const byCode = new Map(units.map((u) => [u.code as string, u.name]));
  return {
    exact: (t) => exact.get(matchKey(t)),
    within: (t) => {
      let k = matchKey(t);
      const found: string[] = [];
      // a name is found only where its first character is (the text only loses characters as names are cut out)
      const candidates = [...always];
      const chars = new Set<string>();
      for (let j = 0; j < k.length; j++) chars.add(k[j]);
      for (const ch of chars) for (const i of byFirst.get(ch) ?? []) candidates.push(i);
      candidates.sort((a, b) => a - b);
      for (const i of candidates) {
        const [n, code] = names[i];
        if (k.includes(n)) {
          if (!found.includes(code)) found.push(code);
          k = k.split(n).join('|');
        }
      }
      // the first six-digit number that is a unit's code (a code inside a longer number is not one)
      const code = [...t.matchAll(/(?<!\d)(\d{6})(?!\d)/g)].map((m) => m[1]).find((c) => byCode.has(c));
      if (code && !found.includes(code)) found.push(code);
      return found;
    },
    name: (c) => byCode.get(c) ?? c,
  };
}

/** Periods named in free text: 2018年上半年, 2018H1, 2018年1-6月, 2018上半年, 2018年7—12月. */
const CN_DIGITS: Record<string, string> = { 〇: '0', 零: '0', 一: '1', 二: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9' };

export function periodsIn(text: string): string[] {
  // 二〇一八年 → 2018年
  const t = text.normalize('NFKC').replace(/[〇零一二三四五六七八九]{4}(?=\s*年)/g, (y) => [...y].map((c) => CN_DIGITS[c]).join(''));
  const out = new Set<string>();
  for (const m of t.matchAll(/(20\d\d)\s*年?\s*度?\s*(上|下)\s*半\s*年/g)) out.add(`${m[1]}H${m[2] === '上' ? 1 : 2}`);
  for (const m of t.matchAll(/(20\d\d)\s*[-_ ]?\s*H\s*([12])(?!\d)/gi)) out.add(`${m[1]}H${m[2]}`);
  for (const m of t.matchAll(/(20\d\d)\s*年\s*(\d{1,2})\s*[-—–~～至到]\s*(\d{1,2})\s*月/g)) {
    const [a, b] = [Number(m[2]), Number(m[3])];
    if (a === 1 && b === 6) out.add(`${m[1]}H1`);
    else if (a === 7 && b === 12) out.add(`${m[1]}H2`);
  }
  return [...out];
}

/**
 * Periods that are not half-years, named in free text (a full-year or quarterly report sent for a
 * half-year): 2018年1-12月, 2018年度, 2018年全年, 2018年1-3月. Empty when the text names a half-year.
 */
export function otherPeriodsIn(text: string): string[] {
  if (periodsIn(text).length || /[上下]\s*半\s*年|H\s*[12](?!\d)/i.test(text.normalize('NFKC'))) return [];
  const t = text.normalize('NFKC').replace(/[〇零一二三四五六七八九]{4}(?=\s*年)/g, (y) => [...y].map((c) => CN_DIGITS[c]).join(''));
  const out = new Set<string>();
  for (const m of t.matchAll(/(20\d\d)\s*年\s*(\d{1,2})\s*[-—–~～至到]\s*(\d{1,2})\s*月/g)) out.add(`${m[1]}年${Number(m[2])}-${Number(m[3])}月`);
  for (const m of t.matchAll(/(20\d\d)\s*(年度|年全年|全年)/g)) out.add(`${m[1]}年全年`);
  return [...out];
}

/** A column header that names a span of months or a half-year without the year: 1-6月, 7—12月, 上半年. */
export function isPeriodSpanHeader(text: string): boolean {
  const t = text.normalize('NFKC').replace(/\s/g, '');
  return /^(\d{1,2}[-—–~～至到]\d{1,2}月(份)?|[上下]半年|本年度?|本半年)(数|累计|完成数?)?$/.test(t);
}

/** The half a span header names without the year: 1-6月 / 上半年 → H1, 7—12月 / 下半年 → H2. */
export function halfOfSpan(text: string): 'H1' | 'H2' | undefined {
  if (!isPeriodSpanHeader(text)) return undefined;
  const t = text.normalize('NFKC').replace(/\s/g, '');
  if (/^(1[-—–~～至到]6月|上半年)/.test(t)) return 'H1';
  if (/^(7[-—–~～至到]12月|下半年)/.test(t)) return 'H2';
  return undefined;
}
