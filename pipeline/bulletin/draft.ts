// The half-year bulletin (通报) as data: the 汇总表, one paragraph per category, what is 待核实, and
// the figures it printed (for --publish). Every printed figure is proven by reading it back.
//
//   period result (+ previous, year earlier) ─▶ usable? ─┬─ no ─▶ 【待核实：…】 + reasons
//   phrasing file (data/bulletin/<period>.yaml)          └─ yes ─▶ phraseFigure → read back → clause
//
// Pure: no disk, no clock. Writers (markdown.ts, docx.ts) render the model; publish.ts turns its
// figures into data/published/<period>.yaml.
import { regionScope } from '../context.ts';
import type { BulletinFile, BulletinItem, ChangeKind } from '../../schemas/bulletin.ts';
import type { AnyItem, DerivedItem, ReportedItem } from '../../schemas/catalogue.ts';
import type { PublishedFigure } from '../../schemas/published.ts';
import type { PeriodResult } from '../run.ts';
import { previousPeriod, reportersOf, yearEarlier } from '../context.ts';
import { PhraseRefused, phraseFigure, phraseGrowth, zhNumber } from './phrase.ts';
import { cmp } from '../compare.ts';


export interface Run {
  text: string;
  /** a 【待核实：…】 mark */
  pending?: boolean;
}

export interface TableRow {
  category: string;
  /** rows of the same category that follow this one (for a merged 类别 cell); 0 on those rows */
  categorySpan: number;
  name: string;
  measure: string;
  /** 全市, then each district, then 市本级 */
  cells: string[];
}

export interface BulletinTable {
  title: string;
  issuer: string;
  columns: string[];
  rows: TableRow[];
}

export interface Pending {
  /** where the mark is: 后进整转·调整村社干部 */
  where: string;
  reasons: string[];
}

/** A figure the draft printed, as the published record will keep it. */
export interface PrintedFigure {
  indicator: string;
  relation: 'value' | 'yoy_growth' | 'mom_growth';
  scope: string;
  scope_code: string;
  text: string;
  subject_zh: string;
  quote: string;
  value: number;
  interval: string;
}

export interface BulletinModel {
  period: string;
  periodZh: string;
  title: string;
  issuer: string;
  intro: string;
  table: BulletinTable;
  paragraphs: { heading: string; runs: Run[] }[];
  pending: Pending[];
  figures: PrintedFigure[];
}

export interface BulletinInput {
  result: PeriodResult;
  /** the previous half-year (环比), and the same half a year earlier (同比), when computed */
  previous?: PeriodResult;
  yearEarlier?: PeriodResult;
  phrasing: BulletinFile;
}

/** Bad phrasing data: a change the catalogue's basis does not allow, an unknown code. */
export class PhrasingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PhrasingError';
  }
}

/** Every phrase the data refuse, together: the analyst fixes them in one go. */
export class DraftRefused extends Error {
  constructor(readonly refusals: PhraseRefused[]) {
    super(refusals.map((r) => r.message).join('\n'));
    this.name = 'DraftRefused';
  }
}

export function periodZh(period: string): string {
  return `${period.slice(0, 4)}年${period.endsWith('H1') ? '上' : '下'}半年`;
}

const isShare = (it: AnyItem): it is DerivedItem & { type: 'share' } => 'type' in it && it.type === 'share';
const partsOf = (it: AnyItem): string[] =>
  'numerator' in it ? [it.code, it.numerator, it.denominator] : 'of' in it ? [it.code, ...it.of] : [it.code];

/** Why a period's city figure for an item may not be phrased; empty when it may. */
export function cityIssues(r: PeriodResult, code: string): string[] {
  const CITY = regionScope(r.ctx).code;
  const ctx = r.ctx;
  const item = ctx.items.get(code) ?? ctx.derived.get(code);
  if (!item) return [`${r.period} 的指标目录没有此项`];
  const reasons: string[] = [];
  const total = r.totals.get(code);
  const name = (u: string) => ctx.matchUnits.name(u);
  if (!total || total.value === null) reasons.push('全市合计无法计算');
  if (total?.missing.length) reasons.push(`${total.missing.map(name).join('、')}未报或数据不可用`);
  const parts = new Set(partsOf(item));
  const errors = r.findings.filter((f) => f.severity === 'error' && parts.has(f.indicator) && !f.code.startsWith('reconcile.'));
  for (const f of errors) reasons.push(`${f.unit ? name(f.unit) : '全市'}${f.cell ? `（${f.file}${f.sheet ? `!${f.sheet}` : ''}!${f.cell}）` : ''}：${f.message}`);
  for (const row of r.reconciliation) {
    if (row.scope_code !== CITY || row.indicator !== code || row.status !== 'mismatch') continue;
    const fig = ctx.published.figures.find((f) => f.id === row.published_id);
    if (fig?.relation === 'yoy_growth') continue;
    reasons.push(`与已公布的“${row.text}”不符（公布区间 ${row.interval}，计算值 ${row.computed}）`);
  }
  return [...new Set(reasons)];
}

/** One unit's usable value of an item (a share from its parts), or why not. */
function unitValue(r: PeriodResult, unit: string, code: string): { value: number | null; why: string } {
  const ctx = r.ctx;
  const item = ctx.items.get(code) ?? ctx.derived.get(code)!;
  const parts = partsOf(item);
  const bad = r.findings.find((f) => f.severity === 'error' && f.unit === unit && parts.includes(f.indicator) && !f.code.startsWith('reconcile.'));
  if (bad) return { value: null, why: `${ctx.matchUnits.name(unit)}：${bad.message}` };
  const value = r.table.value(unit, code);
  if (value === null) return { value: null, why: `${ctx.matchUnits.name(unit)}未报或数据不可用` };
  return { value, why: '' };
}

function tableCell(r: PeriodResult, unit: string, item: ReportedItem): string {
  if (!reportersOf(r.ctx, item).includes(unit)) return '—';
  const v = r.values.find((x) => x.unit === unit && x.indicator === item.code);
  const bad = r.findings.some((f) => f.severity === 'error' && f.unit === unit && f.indicator === item.code && !f.code.startsWith('reconcile.'));
  if (!v || v.status === 'missing') return '未报';
  if (v.status === 'na') return '—';
  if (v.status === 'invalid' || bad || v.value === null) return '待核实';
  return String(v.value);
}

function buildTable(r: PeriodResult, title: string, issuer: string): BulletinTable {
  const ctx = r.ctx;
  const districts = ctx.units.filter((u) => u.level === 'district');
  const municipal = ctx.units.filter((u) => u.level === 'municipal');
  const rows: TableRow[] = [];
  for (const cat of ctx.catalogue.categories) {
    const items = ctx.catalogue.items.filter((i) => i.category === cat);
    items.forEach((item, i) => {
      const city = cityIssues(r, item.code).length ? '待核实' : String(r.totals.get(item.code)!.value);
      rows.push({
        category: cat,
        categorySpan: i === 0 ? items.length : 0,
        name: item.name_zh,
        measure: item.measure,
        cells: [city, ...districts.map((u) => tableCell(r, u.code, item)), ...municipal.map((u) => tableCell(r, u.code, item))],
      });
    });
  }
  return { title, issuer, columns: ['全市', ...districts.map((u) => u.name), ...municipal.map((u) => u.name)], rows };
}

/** Whether the catalogue's basis lets an item's change be stated: 环比 of a cumulative (ytd) figure is not a change. */
function changeAllowed(item: AnyItem, kind: ChangeKind): boolean {
  if (isShare(item)) return false;
  return kind === 'yoy' || item.basis !== 'ytd';
}

const CHANGE_WORD: Record<ChangeKind, '同比' | '环比'> = { yoy: '同比', mom: '环比' };

/**
 * Contract: the bulletin model of a period. Throws DraftRefused when a phrase the phrasing file asks
 * for is not true of the data (every refusal listed), PhrasingError when the file asks for
 * something the catalogue does not allow. Unusable figures become 【待核实：…】, never phrases.
 */
export function draftBulletin(input: BulletinInput): BulletinModel {
  const { result: r, phrasing } = input;
  const ctx = r.ctx;
  const CITY = regionScope(ctx).code;
  const pz = periodZh(r.period);
  const known = new Set([...ctx.items.keys(), ...ctx.derived.keys()]);
  for (const code of Object.keys(phrasing.items))
    if (!known.has(code)) throw new PhrasingError(`措辞文件中的指标 ${code} 不在 ${r.period} 的指标目录中`);

  const refusals: PhraseRefused[] = [];
  const pending: Pending[] = [];
  const figures: PrintedFigure[] = [];
  const paragraphs: BulletinModel['paragraphs'] = [];
  const mark = (where: string, reasons: string[]): Run => {
    pending.push({ where, reasons });
    return { text: `【待核实：${reasons[0]}${reasons.length > 1 ? `等 ${reasons.length} 项` : ''}】`, pending: true };
  };
  const districts = ctx.units.filter((u) => u.level === 'district');

  ctx.catalogue.categories.forEach((cat, ci) => {
    const items: AnyItem[] = [...ctx.catalogue.items, ...ctx.catalogue.derived].filter((i) => i.category === cat);
    const runs: Run[] = [];
    const push = (t: string) => {
      const last = runs[runs.length - 1];
      if (last && !last.pending) last.text += t;
      else runs.push({ text: t });
    };
    const clauses: Run[][] = [];
    const leaderSentences: Run[][] = [];
    items.forEach((item) => {
      const cfg: BulletinItem = phrasing.items[item.code] ?? ({ phrase: { style: 'exact' }, decimals: 1, omit: false, change_decimals: 1 } as BulletinItem);
      const share = isShare(item);
      const measure = cfg.measure ?? (share ? '' : item.measure);
      const template = cfg.template ?? `${item.name_zh}{figure}`;
      const [before, after] = template.split('{figure}');
      const where = `${cat}·${item.name_zh}`;
      const opts = { percent: share, measure, decimals: cfg.decimals };
      for (const kind of cfg.change ?? [])
        if (!changeAllowed(item, kind))
          throw new PhrasingError(`${item.code}：${share ? '比例' : `累计数（${item.basis}）`}不能写${CHANGE_WORD[kind]}变化，请从措辞文件的 change 中删去 ${kind}`);

      if (!cfg.omit) {
        const clause: Run[] = [];
        const issues = cityIssues(r, item.code);
        let value: number | null = null;
        if (issues.length) clause.push({ text: before }, mark(where, issues), { text: after });
        else {
          value = r.totals.get(item.code)!.value!;
          try {
            const p = phraseFigure(item.name_zh, value, cfg.phrase, opts, (d) => `${before}${d}${after}`);
            clause.push({ text: `${before}${p.phrase.display}${after}` });
            figures.push({ indicator: item.code, relation: 'value', scope: 'city', scope_code: CITY, text: p.phrase.text, subject_zh: item.name_zh, quote: p.quote, value, interval: p.interval });
          } catch (e) {
            if (!(e instanceof PhraseRefused)) throw e;
            refusals.push(e);
            clause.push({ text: `${before}${e.phrase}${after}` });
          }
        }
        // changes: those asked for (待核实 when they cannot be computed), else those the data allow
        const asked = cfg.change;
        const kinds: ChangeKind[] = asked ?? (['yoy', 'mom'] as ChangeKind[]).filter((k) => changeAllowed(item, k));
        for (const kind of kinds) {
          const other = kind === 'yoy' ? input.yearEarlier : input.previous;
          const otherPeriod = kind === 'yoy' ? yearEarlier(r.period) : previousPeriod(r.period);
          const word = CHANGE_WORD[kind];
          const why: string[] = [];
          if (!other) why.push(`${word}需 ${otherPeriod} 数据，缺少 ${otherPeriod} 的报送`);
          else why.push(...cityIssues(other, item.code).map((s) => `${otherPeriod}：${s}`));
          if (issues.length) why.push(`本期数待核实`);
          const prior = other?.totals.get(item.code)?.value ?? null;
          if (!why.length && (prior === null || prior === 0)) why.push(`${otherPeriod} 为 ${prior ?? '空'}，无法计算${word}增速`);
          if (kind === 'yoy' && !why.length) {
            const mismatch = r.reconciliation.find(
              (row) => row.scope_code === CITY && row.indicator === item.code && row.status === 'mismatch' && ctx.published.figures.find((f) => f.id === row.published_id)?.relation === 'yoy_growth',
            );
            if (mismatch) why.push(`同比增速与已公布的“${mismatch.text}”不符（计算值 ${mismatch.computed}%）`);
          }
          if (why.length) {
            if (asked) clause.push({ text: `，${word}` }, mark(`${where}（${word}）`, why));
            continue;
          }
          try {
            const g = phraseGrowth(item.name_zh, value!, prior!, cfg.change_decimals, word);
            clause.push({ text: `，${g.display}` });
            figures.push({
              indicator: item.code,
              relation: kind === 'yoy' ? 'yoy_growth' : 'mom_growth',
              scope: 'city',
              scope_code: CITY,
              text: g.text,
              subject_zh: `${item.name_zh}${word}增长`,
              quote: g.quote,
              value: g.growth,
              interval: '',
            });
          } catch (e) {
            if (!(e instanceof PhraseRefused)) throw e;
            refusals.push(e);
          }
        }
        clauses.push(clause);
      }

      // district leaders: the top three (ties at third included), only when every district is usable
      const firstPhrased = items.find((i) => !(phrasing.items[i.code]?.omit ?? false));
      const leaders = cfg.leaders ?? (item === firstPhrased ? (share ? 'share' : 'value') : 'none');
      if (leaders === 'none') return;
      if (leaders === 'share' && !share) throw new PhrasingError(`${item.code}：不是比例，leaders 应为 value`);
      // only the districts that report the item (all its parts) are ranked
      const expected = new Set(r.totals.get(item.code)?.expected ?? []);
      const vals = districts.filter((u) => expected.has(u.code)).map((u) => ({ unit: u, ...unitValue(r, u.code, item.code) }));
      if (vals.length < 2) return;
      const missing = vals.filter((v) => v.value === null);
      const label = `${item.name_zh}${share ? '较高' : '居前三位'}的是`;
      if (missing.length) {
        leaderSentences.push([{ text: `从各地看，${item.name_zh}排名` }, mark(`${where}（各地排名）`, missing.map((m) => `${m.why}，排名不完整`)), { text: '。' }]);
        return;
      }
      const sorted = vals.sort((a, b) => b.value! - a.value! || cmp(a.unit.code, b.unit.code));
      const third = sorted[Math.min(2, sorted.length - 1)].value!;
      const top = sorted.filter((v) => v.value! >= third);
      const parts: string[] = [];
      for (const t of top) {
        try {
          const p = phraseFigure(`${t.unit.name}${item.name_zh}`, t.value!, share ? { style: 'rounded', decimals: cfg.decimals } : { style: 'exact' }, opts, (d) => `${t.unit.name}（${d}）`);
          parts.push(`${t.unit.name}（${p.phrase.display}）`);
          figures.push({ indicator: item.code, relation: 'value', scope: t.unit.name, scope_code: t.unit.code, text: p.phrase.text, subject_zh: item.name_zh, quote: p.quote, value: t.value!, interval: p.interval });
        } catch (e) {
          if (!(e instanceof PhraseRefused)) throw e;
          refusals.push(e);
        }
      }
      const tie = top.length > 3 ? `（第三位并列）` : '';
      leaderSentences.push([{ text: `从各地看，${label}${parts.join('、')}${tie}。` }]);
    });
    if (!clauses.length && !leaderSentences.length) return;
    clauses.forEach((c, i) => {
      if (i > 0) push('，');
      for (const run of c) run.pending ? runs.push(run) : push(run.text);
    });
    if (clauses.length) push('。');
    for (const s of leaderSentences) for (const run of s) run.pending ? runs.push(run) : push(run.text);
    paragraphs.push({ heading: `${zhNumber(ci + 1)}、${cat}`, runs: runs.filter((x) => x.text !== '') });
  });

  if (refusals.length) throw new DraftRefused(refusals);
  const title = phrasing.title.replaceAll('{period_zh}', pz);
  return {
    period: r.period,
    periodZh: pz,
    title,
    issuer: phrasing.issuer,
    intro: phrasing.intro.replaceAll('{period_zh}', pz),
    table: buildTable(r, `${ctx.catalogue.title}（${pz}）`, phrasing.issuer),
    paragraphs,
    pending,
    figures,
  };
}
