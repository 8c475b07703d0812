// Names to codes and periods: the looser keys tried after the exact ones, and the periods that are
// not half-years. Property tests: a loose key never names an item an exact key would not allow.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { indicatorMatcher, isPeriodSpanHeader, otherPeriodsIn, periodsIn } from '../../pipeline/normalize/match.ts';
import { loadCatalogue } from '../../pipeline/reference/load.ts';
import { DATA } from '../helpers.ts';

const cat = loadCatalogue(DATA, '2018H2');
const m = indicatorMatcher(cat);

describe('indicator names as offices write them', () => {
  it.each([
    ['悬挂红色标识行政村数', 'villages_signed'],
    ['悬挂红色标识城市社区数', 'communities_signed'],
    ['正风肃纪监督检查次数', 'inspections'],
    ['发现问题数', 'problems_found'],
    ['处理人员数', 'persons_handled'],
    ['一线挂职干部人数', 'frontline_cadres'],
    ['1.1 一线挂职干部', 'frontline_cadres'],
    ['12 发现问题', 'problems_found'],
    ['（三）提拔干部', 'promoted_total'],
  ])('%s → %s', (label, code) => expect(m.reported(label)).toBe(code));

  it('a count word is only dropped from the label, never makes up a name: 干部数, 问题, 数 name nothing', () => {
    for (const t of ['干部数', '问题', '数', '次数', '检查']) expect(m.reported(t), t).toBeUndefined();
  });

  it('every catalogue name, with 的 removed or a count word added, still names its own item (property)', () => {
    const names = cat.items.flatMap((it) => [it.name_zh, ...it.aliases].map((n) => [n, it.code] as const));
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.constantFrom('', '数', '次数', '人数', '个数', '数量'), fc.boolean(), ([name, code], suffix, dropDe) => {
        const label = (dropDe ? name.replace(/的/g, '') : name) + suffix;
        expect(m.reported(label)).toBe(code);
      }),
      { numRuns: 300 },
    );
  });
});

describe('periods that are not half-years', () => {
  it.each([
    ['党建争强推进情况表（2018年1-12月）', ['2018年1-12月']],
    ['2018年度党建争强推进情况', ['2018年全年']],
    ['二〇一八年全年', ['2018年全年']],
    ['2019年1—3月', ['2019年1-3月']],
  ])('%s → %j', (text, want) => expect(otherPeriodsIn(text)).toEqual(want));

  it('names none where the text names a half-year (2018年度上半年, 2018年1-6月, 2018H2)', () => {
    for (const t of ['2018年度上半年', '2018年1-6月', '2018年7—12月', '2018H2 全年目标'])
      expect(otherPeriodsIn(t), t).toEqual([]);
    expect(periodsIn('2018年度上半年')).toEqual(['2018H1']);
  });

  it('knows a value column headed by a span without the year: 1-6月, 7—12月份, 上半年', () => {
    for (const t of ['1-6月', '1—6月', '7-12月份', '上半年', '下半年数']) expect(isPeriodSpanHeader(t), t).toBe(true);
    for (const t of ['2018年', '合计', '一季度', '同比增减']) expect(isPeriodSpanHeader(t), t).toBe(false);
  });
});

describe('one detail column for items told apart by village type', () => {
  it.each(['是否悬挂红色标识', '悬挂红色标识', '是否已悬挂红色标识', '悬挂红色标识情况'])('%s → 村: villages_signed, 社区: communities_signed', (t) =>
    expect(m.byType(t)).toEqual({ 村: 'villages_signed', 社区: 'communities_signed' }),
  );
  it('names nothing for an item of its own or an unrelated header', () => {
    for (const t of ['悬挂红色标识的行政村', '调整村社干部', '类型', '是否']) expect(m.byType(t), t).toBeUndefined();
  });
});

describe('units named within free text', () => {
  it('property: the first-character index finds what trying every name in turn finds, in the same order', async () => {
    const { matchKey, unitMatcher } = await import('../../pipeline/normalize/match.ts');
    const { loadUnits } = await import('../../pipeline/reference/load.ts');
    // Ningbo's units and some of another region's: 鼓楼区 twice (names neither), names inside names
    const extra = [
      ['350102', '鼓楼区', '鼓楼'],
      ['320106', '鼓楼区', '鼓楼'],
      ['330102', '上城区', '上城'],
      ['330105', '拱墅区', '拱墅'],
      ['330106', '西湖区', '西湖'],
      ['330110', '余杭区', '余杭'],
      ['330111', '富阳区', '富阳'],
    ].map(([code, name, short]) => ({ code, name, short_name: short, level: 'district' as const, aliases: [`${short}区委组织部`] }));
    const units = [...loadUnits(DATA), ...extra] as Parameters<typeof unitMatcher>[0];
    const fast = unitMatcher(units);
    // the former way: every name, longest first, tried in turn
    const owners = new Map<string, Set<string>>();
    for (const u of units) for (const n of [u.code, u.name, u.short_name, ...u.aliases]) owners.set(matchKey(n), (owners.get(matchKey(n)) ?? new Set()).add(u.code));
    const names = [...owners].filter(([k, c]) => c.size === 1 && !/^\d+$/.test(k)).map(([k, c]) => [k, [...c][0]] as const);
    names.sort((a, b) => b[0].length - a[0].length);
    const slow = (t: string) => {
      let k = matchKey(t);
      const found: string[] = [];
      for (const [n, code] of names)
        if (k.includes(n)) {
          if (!found.includes(code)) found.push(code);
          k = k.split(n).join('|');
        }
      const code = [...t.matchAll(/(?<!\d)(\d{6})(?!\d)/g)].map((m) => m[1]).find((c) => units.some((u) => u.code === c));
      if (code && !found.includes(code)) found.push(code);
      return found;
    };
    const words = [...units.flatMap((u) => [u.name, u.short_name, ...u.aliases, u.code]), '填报单位：', '委组织部', '市', '区', '县', '（盖章）', ' ', '2018年上半年', '鄞州区海曙区'];
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...words), fc.string({ maxLength: 3 })), { maxLength: 6 }), (parts) => {
        const t = parts.join('');
        expect(fast.within(t)).toEqual(slow(t));
      }),
      { numRuns: 3000 },
    );
  });
});
