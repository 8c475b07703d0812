import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import fc from 'fast-check';
import { PublishedFile } from '../../schemas/published.ts';
import { BulletinFile } from '../../schemas/bulletin.ts';
import { computePeriod } from '../../pipeline/report.ts';
import { runPeriod, type PeriodResult } from '../../pipeline/run.ts';
import { listSubmissions, readInput } from '../../pipeline/io.ts';
import { loadCatalogue } from '../../pipeline/reference/load.ts';
import { makeContext } from '../../pipeline/context.ts';
import { DraftRefused, PhrasingError, draftBulletin, type BulletinModel } from '../../pipeline/bulletin/draft.ts';
import { loadPhrasing, scaffoldPhrasing } from '../../pipeline/bulletin/phrasing.ts';
import { bulletinMarkdown } from '../../pipeline/bulletin/markdown.ts';
import { publishFigures } from '../../pipeline/bulletin/publish.ts';
import { parsePublishedText, intervalContains } from '../../pipeline/reconcile/published-interval.ts';
import { DATA, ROOT, reference } from '../helpers.ts';

const silent = { info: () => {}, warn: () => {} };
const GOLDEN = path.join(ROOT, 'test/golden/bulletin/2018H1-通报.md');
const seed = PublishedFile.parse(YAML.parse(readFileSync(path.join(ROOT, 'test/fixtures/bulletin/seed-2018H1.yaml'), 'utf8')));

let result: PeriodResult;
let model: BulletinModel;
const seedStyle = () => loadPhrasing(DATA, '2018H1')!;

beforeAll(async () => {
  const cache = new Map<string, PeriodResult | null>();
  result = (await computePeriod('2018H1', { dataDir: DATA, outDir: '/nonexistent', ref: reference(), log: silent, toolVersion: '' }, cache))!;
  model = draftBulletin({ result, phrasing: seedStyle() });
});

/** The period run again on the shipped submissions, with some left out or a published file of our own. */
async function variant(opts: { drop?: string; published?: PublishedFile }): Promise<PeriodResult> {
  const dir = path.join(DATA, 'submissions/2018H1');
  const files = listSubmissions(dir).files.filter((f) => f !== opts.drop);
  const published = opts.published ?? { period: '2018H1', figures: [] };
  const ctx = makeContext(reference(), loadCatalogue(DATA, '2018H1'), published as never);
  return runPeriod(
    files.map((f) => readInput(path.join(dir, f), f)),
    ctx,
  );
}

describe('the 2018H1 draft in the seed’s style (done-when of #18)', () => {
  it('reproduces the seed’s own phrasing of every 2018H1 city figure the catalogue holds', () => {
    const city = model.figures.filter((f) => f.scope_code === '330200');
    for (const s of seed.figures) {
      if (s.relation === 'yoy_growth') continue;
      const mine = city.find((f) => f.indicator === s.indicator && f.relation === 'value');
      expect(mine, s.id).toBeDefined();
      expect(mine!.text, s.id).toBe(s.text);
    }
    expect(city.filter((f) => f.relation === 'value').map((f) => f.text).sort()).toEqual(
      ['1004', '1248', '127', '1261', '1735', '2498', '3164', '32', '51', '54319', '544', '57', '千名', '近60%'].sort(),
    );
  });

  it('every printed figure reads back, with its quote, to an interval holding the computed value', () => {
    for (const f of model.figures) {
      const p = parsePublishedText(f.text, f.quote);
      expect(p.ok, f.text).toBe(true);
      if (p.ok) expect(intervalContains(p.interval, f.value), `${f.indicator} ${f.text} ${f.value}`).toBe(true);
    }
  });

  it('prints the seed’s clauses', () => {
    const md = bulletinMarkdown(model);
    for (const clause of [
      '选派千名挂职干部到攻坚一线',
      '在攻坚一线表现突出的比例占到近60%',
      '全市2498个行政村，544个城市社区基本悬挂红色标识',
      '调整村社干部127名，其中党组织书记51名',
      '“3315计划”申报数量达1248个',
      '开展正风肃纪监督检查3164次，发现问题1735个，处理人员1261人',
      '查处违反中央八项规定问题57起',
    ])
      expect(md).toContain(clause);
  });

  it('marks 同比增长44% 【待核实】 without 2017H1, and lists why', () => {
    const md = bulletinMarkdown(model);
    expect(md).toContain('“3315计划”申报数量达1248个，同比【待核实：同比需 2017H1 数据，缺少 2017H1 的报送】');
    expect(model.pending).toEqual([{ where: '人才引育·“3315计划”申报（同比）', reasons: ['同比需 2017H1 数据，缺少 2017H1 的报送'] }]);
    expect(model.figures.some((f) => f.relation === 'yoy_growth')).toBe(false);
  });

  it('writes the 汇总表: 类别 | 指标 | 计量单位 | 全市 | districts | 市本级, the city first', () => {
    expect(model.table.title).toBe('党建争强半年度推进情况汇总表（2018年上半年）');
    expect(model.table.issuer).toBe('中共宁波市委组织部');
    expect(model.table.columns[0]).toBe('全市');
    expect(model.table.columns.at(-1)).toBe('市本级');
    expect(model.table.columns).toHaveLength(12);
    expect(model.table.rows).toHaveLength(15);
    const villages = model.table.rows.find((r) => r.name === '悬挂红色标识的行政村')!;
    expect(villages.cells[0]).toBe('2498');
    expect(villages.cells.at(-1)).toBe('—'); // 市本级 does not report villages
    expect(model.table.rows.filter((r) => r.categorySpan > 0).map((r) => r.category)).toEqual(result.ctx.catalogue.categories);
  });

  it('names the top three districts of each category, with their figures read back', () => {
    const md = bulletinMarkdown(model);
    expect(md).toContain('调整村社干部居前三位的是鄞州区（19名）、慈溪市（16名）、象山县（15名）');
    const leaders = model.figures.filter((f) => f.scope_code !== '330200' && f.indicator === 'cadres_adjusted');
    expect(leaders.map((f) => [f.scope, f.text])).toEqual([['鄞州区', '19'], ['慈溪市', '16'], ['象山县', '15']]);
  });

  it('matches the golden 通报.md (regenerate with UPDATE_GOLDEN=1)', () => {
    const md = bulletinMarkdown(model);
    if (process.env.UPDATE_GOLDEN) {
      mkdirSync(path.dirname(GOLDEN), { recursive: true });
      writeFileSync(GOLDEN, md);
    }
    expect(md).toBe(readFileSync(GOLDEN, 'utf8'));
  });
});

describe('figures that are not usable are never phrased', () => {
  it('a district that did not report: every city figure it reports is 【待核实】, its cells 未报', async () => {
    const r = await variant({ drop: listSubmissions(path.join(DATA, 'submissions/2018H1')).files.find((f) => f.startsWith('象山县'))! });
    const m = draftBulletin({ result: r, phrasing: seedStyle() });
    const md = bulletinMarkdown(m);
    expect(md).toContain('调整村社干部【待核实：象山县未报或数据不可用】');
    expect(md).not.toMatch(/调整村社干部\d/);
    expect(m.figures.filter((f) => f.scope_code === '330200')).toEqual([]);
    const row = m.table.rows.find((x) => x.name === '调整村社干部')!;
    expect(row.cells[0]).toBe('待核实');
    expect(row.cells[m.table.columns.indexOf('象山县')]).toBe('未报');
    expect(m.pending.find((p) => p.where === '后进整转·调整村社干部')?.reasons).toEqual(['象山县未报或数据不可用']);
    // the ranking is not certain without 象山县
    expect(md).toContain('调整村社干部排名【待核实：象山县未报或数据不可用，排名不完整】');
  });

  it('a city figure that disagrees with what was published is 【待核实】 with both numbers', async () => {
    const published = { period: '2018H1', figures: seed.figures.map((f) => (f.id === 'cadres_adjusted' ? { ...f, text: '128' } : f)) } as PublishedFile;
    const r = await variant({ published });
    const m = draftBulletin({ result: r, phrasing: seedStyle() });
    expect(bulletinMarkdown(m)).toContain('调整村社干部【待核实：与已公布的“128”不符（公布区间 [128, 128]，计算值 127）】');
    expect(m.figures.find((f) => f.indicator === 'cadres_adjusted' && f.scope_code === '330200')).toBeUndefined();
    // the other figures are still phrased
    expect(m.figures.find((f) => f.indicator === 'secretaries_adjusted' && f.scope_code === '330200')?.text).toBe('51');
  });
});

describe('the phrasing file decides the words, the data decide whether they may be printed', () => {
  it('refuses a phrase that is false, naming the item, the value and the phrase', () => {
    const phrasing = BulletinFile.parse({ ...seedStyle(), items: { ...seedStyle().items, cadres_adjusted: { phrase: { style: 'nearly', place: 100 } } } });
    expect(() => draftBulletin({ result, phrasing })).toThrow(DraftRefused);
    expect(() => draftBulletin({ result, phrasing })).toThrow('措辞不成立：调整村社干部，计算值 127，措辞“近200名”：“近200”读作 [150, 200)，不含计算值 127');
  });

  it('lists every refusal at once', () => {
    const items = { ...seedStyle().items, cadres_adjusted: { phrase: { style: 'nearly', place: 100 } }, inspections: { phrase: { style: 'magnitude', form: 'bare' } } };
    try {
      draftBulletin({ result, phrasing: BulletinFile.parse({ ...seedStyle(), items }) });
      expect.unreachable();
    } catch (e) {
      expect((e as DraftRefused).refusals.map((r) => [r.item, r.value])).toEqual([
        ['调整村社干部', 127],
        ['正风肃纪监督检查', 3164],
      ]);
    }
  });

  it('writes 1000余名, 近六成 and 5.4万人 when asked, each read back', () => {
    const items = {
      frontline_cadres: { ...seedStyle().items.frontline_cadres, phrase: { style: 'more_than', place: 1000 } },
      promoted_frontline_share: { ...seedStyle().items.promoted_frontline_share, phrase: { style: 'tenths', qualifier: 'nearly' } },
      nonpublic_members: { ...seedStyle().items.nonpublic_members, phrase: { style: 'rounded', decimals: 1, multiplier: '万' } },
    };
    const m = draftBulletin({ result, phrasing: BulletinFile.parse({ ...seedStyle(), items: { ...seedStyle().items, ...items } }) });
    const md = bulletinMarkdown(m);
    expect(md).toContain('选派1000余名挂职干部到攻坚一线');
    expect(md).toContain('比例占到近六成');
    expect(md).toContain('全市非公企业党员5.4万人');
  });

  it('refuses a 同比 of a share, or a phrasing for an item the catalogue lacks', () => {
    const bad = BulletinFile.parse({ ...seedStyle(), items: { ...seedStyle().items, promoted_frontline_share: { change: ['yoy'] } } });
    expect(() => draftBulletin({ result, phrasing: bad })).toThrow(PhrasingError);
    const unknown = BulletinFile.parse({ ...seedStyle(), items: { no_such_item: {} } });
    expect(() => draftBulletin({ result, phrasing: unknown })).toThrow(/no_such_item/);
  });

  it('the default scaffold phrases every figure exactly and passes its own schema', () => {
    const text = scaffoldPhrasing(result.ctx.catalogue);
    const phrasing = BulletinFile.parse(YAML.parse(text));
    const m = draftBulletin({ result, phrasing });
    const md = bulletinMarkdown(m);
    expect(md).toContain('调整村社干部127名');
    expect(md).toContain('一线挂职干部1050人');
    expect(md).toContain('提拔干部中攻坚一线表现突出的比例58.0%');
    expect(m.pending).toEqual([]); // nothing asked for a 同比 it cannot compute
    expect(md).not.toContain('【待核实');
  });
});

describe('publishing the approved draft', () => {
  it('replaces the figures it printed, keeps the others (the seed’s 同比 44%), sorted by id', () => {
    const { file, changes } = publishFigures(model, seed, '2018H1/通报.docx');
    const byId = new Map(file.figures.map((f) => [f.id, f]));
    expect(byId.get('cadres_adjusted')).toMatchObject({ text: '127', scope_code: '330200', source: { doc: '2018H1/通报.docx', quote: '调整村社干部127名' } });
    expect(byId.get('talent_3315_growth')).toEqual(seed.figures.find((f) => f.id === 'talent_3315_growth'));
    expect(byId.get('cadres_adjusted_330212')).toMatchObject({ scope: '鄞州区', text: '19', source: { quote: '鄞州区（19名）' } });
    expect(file.figures.map((f) => f.id)).toEqual([...file.figures.map((f) => f.id)].sort());
    expect(changes.find((c) => c.id === 'talent_3315_growth')?.kind).toBe('kept');
    expect(changes.find((c) => c.id === 'cadres_adjusted')?.kind).toBe('replaced');
    // publishing again from the same draft changes nothing
    const again = publishFigures(model, file, '2018H1/通报.docx');
    expect(again.file).toEqual(file);
    expect(again.changes.filter((c) => c.kind !== 'kept')).toEqual([]);
  });
});

describe('the change on the last period, where the catalogue’s basis allows it', () => {
  let h2: PeriodResult;
  let h1: PeriodResult;
  beforeAll(async () => {
    const cache = new Map<string, PeriodResult | null>();
    h2 = (await computePeriod('2018H2', { dataDir: DATA, outDir: '/nonexistent', ref: reference(), log: silent, toolVersion: '' }, cache))!;
    h1 = (cache.get('2018H1') ?? cache.get('2018H1#history'))!;
  });
  const exact = () => BulletinFile.parse(YAML.parse(scaffoldPhrasing(h2.ctx.catalogue)));

  it('states 环比 on 2018H1 where the data allow, each growth read back as the reconciliation reads it', () => {
    const m = draftBulletin({ result: h2, previous: h1, phrasing: exact() });
    expect(bulletinMarkdown(m)).toContain('一线挂职干部1087人，环比增长3.5%');
    expect(bulletinMarkdown(m)).toContain('悬挂红色标识的行政村2457个，环比下降1.6%');
    const g = m.figures.find((f) => f.indicator === 'frontline_cadres' && f.relation === 'mom_growth')!;
    expect(g).toMatchObject({ text: '3.5%', quote: '环比增长3.5%' });
    const read = parsePublishedText(g.text, g.quote);
    expect(read.ok && intervalContains(read.interval, g.value)).toBe(true);
    // the published record has no relation for 环比: it is not published
    expect(publishFigures(m, { period: '2018H2', figures: [] } as never, 'x').file.figures.some((f) => f.text === '3.5%')).toBe(false);
  });

  it('marks a 同比 it is asked for 【待核实】 without the year before', () => {
    const phrasing = exact();
    phrasing.items.frontline_cadres = { ...phrasing.items.frontline_cadres, change: ['yoy'] };
    const md = bulletinMarkdown(draftBulletin({ result: h2, previous: h1, phrasing }));
    expect(md).toContain('一线挂职干部1087人，同比【待核实：同比需 2017H2 数据，缺少 2017H2 的报送】');
    expect(md).not.toContain('一线挂职干部1087人，环比'); // asked for 同比 only
  });

  it('never states 环比 of a cumulative (ytd) figure, and refuses to be asked for it', () => {
    const items = h2.ctx.catalogue.items.map((i) => (i.code === 'frontline_cadres' ? { ...i, basis: 'ytd' as const } : i));
    const ytd = { ...h2, ctx: { ...h2.ctx, catalogue: { ...h2.ctx.catalogue, items } } } as PeriodResult;
    expect(bulletinMarkdown(draftBulletin({ result: ytd, previous: h1, phrasing: exact() }))).toContain('一线挂职干部1087人。');
    const phrasing = exact();
    phrasing.items.frontline_cadres = { ...phrasing.items.frontline_cadres, change: ['mom'] };
    expect(() => draftBulletin({ result: ytd, previous: h1, phrasing })).toThrow(/frontline_cadres：累计数（ytd）不能写环比变化/);
  });
});

describe('any phrasing of the real 2018H1 figures (fast-check)', () => {
  const style = fc.oneof(
    fc.constant({ style: 'exact' }),
    fc.record({ style: fc.constant('more_than'), place: fc.constantFrom(1, 10, 100, 1000), word: fc.constantFrom('余', '多') }),
    fc.record({ style: fc.constant('nearly'), place: fc.constantFrom(1, 10, 100, 1000) }),
    fc.record({ style: fc.constant('rounded'), decimals: fc.integer({ min: 0, max: 2 }), multiplier: fc.constantFrom(undefined, '万') }),
    fc.record({ style: fc.constant('magnitude'), form: fc.constantFrom('bare', 'at_least', 'several') }),
    fc.record({ style: fc.constant('tenths'), qualifier: fc.constantFrom('nearly', 'rounded', 'more_than') }),
  );
  it('either writes a draft whose every figure reads back true, or refuses by name', () => {
    const codes = [...result.ctx.items.keys(), ...result.ctx.derived.keys()];
    fc.assert(
      fc.property(fc.array(style, { minLength: codes.length, maxLength: codes.length }), (styles) => {
        const items = Object.fromEntries(codes.map((c, i) => [c, { ...(seedStyle().items[c] ?? {}), phrase: JSON.parse(JSON.stringify(styles[i])) }]));
        const phrasing = BulletinFile.parse({ ...seedStyle(), items });
        try {
          const m = draftBulletin({ result, phrasing });
          for (const f of m.figures) {
            const p = parsePublishedText(f.text, f.quote);
            expect(p.ok && intervalContains(p.interval, f.value), `${f.indicator} ${f.text} ${f.value}`).toBe(true);
          }
        } catch (e) {
          expect(e).toBeInstanceOf(DraftRefused);
          for (const r of (e as DraftRefused).refusals) expect(r.message).toMatch(/^措辞不成立：.+，计算值 [\d.]+，措辞“.+”：/);
        }
      }),
      { numRuns: 60 },
    );
  });
});
