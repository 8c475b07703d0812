// Reconcile, part 2: each published figure, read as the interval its text asserts, against the
// computed value; a status, the imbalance, and hints for every mismatch.
import type { Finding } from '../../schemas/finding.ts';
import type { PublishedFigure } from '../../schemas/published.ts';
import type { ReconciliationRow, ReconcileStatus } from '../../schemas/reconciled.ts';
import { finding } from '../messages.ts';
import { type PeriodContext, inScope, regionScope, scopeByCode, yearEarlier, previousPeriod } from '../context.ts';
import type { UnitValue } from '../validate/values.ts';
import type { LevelTotals, Total, ValueTable } from '../derive/derive.ts';
import {
  type PublishedInterval,
  formatInterval,
  impliedPriorInterval,
  intervalContains,
  parsePublishedText,
} from './published-interval.ts';
import { singleCellCorrections, transpositions } from './hints.ts';
import { cmp } from '../compare.ts';

export interface ReconcileInput {
  ctx: PeriodContext;
  values: UnitValue[];
  /** the derive phase's values: every unit × item, derived items included */
  table: ValueTable;
  totals: Map<string, Total>;
  /** every level's totals (region.yaml scopes), by the level's code */
  levels: LevelTotals;
  /** other periods' derived values, by period (the previous half-year, the year before) */
  history: Map<string, { values: UnitValue[]; table: ValueTable; totals: Map<string, Total>; levels: LevelTotals }>;
}

/**
 * A level's code (a city's, as published-figures.csv scopes city-wide figures) is also its 市本级's
 * (a reporting unit): a figure scoped to a level's code is the level's total. A finding's `unit` is
 * always a reporting unit: findings about a level's total leave it empty.
 */
const scopeUnit = (ctx: PeriodContext, scopeCode: string) => (scopeByCode(ctx, scopeCode) ? '' : scopeCode);
const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

function itemName(ctx: PeriodContext, code: string): string {
  return ctx.items.get(code)?.name_zh ?? ctx.derived.get(code)?.name_zh ?? code;
}

/** The item's name in a finding: a level below the region's own total is named (宁波市调整村社干部), as its finding has no unit. */
function scopedName(ctx: PeriodContext, fig: { scope_code: string; indicator: string }): string {
  const scope = scopeByCode(ctx, fig.scope_code);
  return scope && scope !== regionScope(ctx) ? `${scope.label}${itemName(ctx, fig.indicator)}` : itemName(ctx, fig.indicator);
}

function isCountItem(ctx: PeriodContext, code: string): boolean {
  return ctx.items.has(code) || ctx.derived.get(code)?.type === 'sum';
}

/** The computed value for a figure's scope: a level's total (the city, a province), or one unit's own value. */
function computedFor(ctx: PeriodContext, fig: { scope_code: string; indicator: string }, input: { table: ValueTable; levels: LevelTotals }) {
  if (scopeByCode(ctx, fig.scope_code)) {
    const t = input.levels.get(fig.scope_code)?.get(fig.indicator);
    return { value: t?.value ?? null, expected: t?.expected.length ?? 0, reported: t?.reported.length ?? 0, missing: t?.missing ?? [] };
  }
  const value = input.table.value(fig.scope_code, fig.indicator);
  return { value, expected: 1, reported: value === null ? 0 : 1, missing: value === null ? [fig.scope_code] : [] };
}

/** Computed minus the nearest admissible bound; 0 inside. Counts use the largest integer below an open bound. */
export function imbalance(iv: PublishedInterval, x: number, integer: boolean): number {
  if (x < iv.lo) return round(x - iv.lo);
  if (iv.hi === null) return 0;
  if (x > iv.hi || (x === iv.hi && !iv.hiInclusive)) {
    const top = iv.hiInclusive ? iv.hi : integer ? Math.ceil(iv.hi) - 1 : iv.hi;
    return round(x - top);
  }
  return 0;
}

/** The figures a level's total of a count item adds up: its units' values of the item (or of its parts). */
function unitFigures(ctx: PeriodContext, values: UnitValue[], indicator: string, scopeCode: string) {
  const scope = scopeByCode(ctx, scopeCode)!;
  const parts = ctx.derived.get(indicator)?.type === 'sum' ? (ctx.derived.get(indicator) as { of: string[] }).of : [indicator];
  return values
    .filter((v) => parts.includes(v.indicator) && v.status === 'value' && inScope(scope, v.unit))
    .map((v) => ({
      unit: v.unit,
      unitName: ctx.matchUnits.name(v.unit),
      value: v.value!,
      where: v.loc && v.loc.cell ? `${v.loc.file}${v.loc.sheet ? `!${v.loc.sheet}` : ''}!${v.loc.cell}` : v.loc?.file ?? '',
    }));
}

function hintsFor(input: ReconcileInput, fig: { scope_code: string; indicator: string }, iv: PublishedInterval, computed: number): string[] {
  const { ctx } = input;
  const hints: string[] = [];
  const inside = (x: number) => intervalContains(iv, x);
  for (const t of transpositions(computed)) if (inside(t)) hints.push(`合计 ${computed} 与公布的 ${t} 数字顺序颠倒，可能是录入时两位数字对调`);
  const scope = scopeByCode(ctx, fig.scope_code);
  if (scope && isCountItem(ctx, fig.indicator)) {
    const fixes = singleCellCorrections(computed, unitFigures(ctx, input.values, fig.indicator, scope.code), inside);
    for (const f of fixes.slice(0, 5))
      hints.push(
        `${f.figure.unitName}${f.figure.where ? `（${f.figure.where}）` : ''}填 ${f.figure.value}，若为 ${f.corrected}（${f.kind === 'transposition' ? '数字颠倒' : '一位数字之差'}）则合计落入公布区间`,
      );
    if (!fixes.length) {
      const gap = imbalance(iv, computed, true);
      const near = unitFigures(ctx, input.values, fig.indicator, scope.code).filter((f) => f.value >= Math.abs(gap));
      if (near.length && Math.abs(gap) > 0)
        hints.push(`差额 ${gap > 0 ? '+' : ''}${gap}：需一个单位${gap > 0 ? '减少' : '增加'} ${Math.abs(gap)}，可能的单位：${near.map((f) => f.unitName).slice(0, 5).join('、')}`);
    }
  }
  const prev = input.history.get(previousPeriod(ctx.period));
  if (prev && scope) {
    let best: { unit: string; delta: number } | undefined;
    for (const u of ctx.units.filter((x) => inScope(scope, x.code))) {
      const a = prev.table.value(u.code, fig.indicator);
      const b = input.table.value(u.code, fig.indicator);
      if (a === null || b === null) continue;
      if (!best || Math.abs(b - a) > Math.abs(best.delta)) best = { unit: u.code, delta: round(b - a, 2) };
    }
    if (best && best.delta !== 0)
      hints.push(`较上期变动最大的是${ctx.matchUnits.name(best.unit)}（${best.delta > 0 ? '+' : ''}${best.delta}）`);
  }
  return hints;
}

/**
 * The status judgement, the one of every reconciliation: a computed value inside the interval the text
 * asserts is a match (an exact figure) or within (a rounded one); outside, a mismatch by its imbalance,
 * a warning when the text is vague (近, 约) and an error otherwise.
 */
export function judge(iv: PublishedInterval, x: number, integer: boolean): { status: 'match' | 'within' | 'mismatch'; difference: number; code?: 'reconcile.mismatch' | 'reconcile.vague_mismatch' } {
  if (intervalContains(iv, x)) return { status: iv.qualifier === 'exact' ? 'match' : 'within', difference: 0 };
  return { status: 'mismatch', difference: imbalance(iv, x, integer), code: iv.vague ? 'reconcile.vague_mismatch' : 'reconcile.mismatch' };
}

/** Reconciles every published figure of the period, plus a row per catalogue item nobody published. */
export function reconcilePublished(input: ReconcileInput): { rows: ReconciliationRow[]; findings: Finding[] } {
  const { ctx } = input;
  const rows: ReconciliationRow[] = [];
  const findings: Finding[] = [];
  const published = new Set<string>();
  for (const fig of ctx.published.figures) {
    if (!ctx.items.has(fig.indicator) && !ctx.derived.has(fig.indicator)) continue;
    published.add(`${fig.scope_code}\u0000${fig.indicator}`);
    const r = reconcileFigure(input, fig);
    rows.push(r.row);
    findings.push(...r.findings);
  }
  const top = regionScope(ctx).code;
  for (const code of [...ctx.items.keys(), ...ctx.derived.keys()]) {
    if (published.has(`${top}\u0000${code}`)) continue;
    const c = computedFor(ctx, { scope_code: top, indicator: code }, input);
    rows.push(baseRow(ctx, { indicator: code, scope: 'city', scope_code: top, id: '', text: '' }, c, 'unpublished'));
  }
  const order = new Map([...ctx.items.keys(), ...ctx.derived.keys()].map((c, i) => [c, i]));
  rows.sort((a, b) => cmp(a.scope_code, b.scope_code) || (order.get(a.indicator) ?? 0) - (order.get(b.indicator) ?? 0) || cmp(a.published_id, b.published_id));
  return { rows, findings };
}

function baseRow(
  ctx: PeriodContext,
  fig: { indicator: string; scope: string; scope_code: string; id: string; text: string },
  c: { value: number | null; expected: number; reported: number },
  status: ReconcileStatus,
): ReconciliationRow {
  return {
    period: ctx.period,
    indicator: fig.indicator,
    name_zh: itemName(ctx, fig.indicator),
    scope: scopeByCode(ctx, fig.scope_code)?.label ?? ctx.matchUnits.name(fig.scope_code),
    scope_code: fig.scope_code,
    published_id: fig.id,
    text: fig.text,
    interval: '',
    lo: null,
    hi: null,
    computed: c.value === null ? null : round(c.value),
    status,
    difference: null,
    units_reported: c.reported,
    units_expected: c.expected,
    hints: '',
    explanation: '',
  };
}

function reconcileFigure(input: ReconcileInput, fig: PublishedFigure): { row: ReconciliationRow; findings: Finding[] } {
  const { ctx } = input;
  const findings: Finding[] = [];
  const name = scopedName(ctx, fig);
  const at = { period: ctx.period, unit: scopeUnit(ctx, fig.scope_code), indicator: fig.indicator, raw: fig.text };
  const parsed = parsePublishedText(fig.text, fig.source.quote);
  const c = computedFor(ctx, fig, input);
  const row = baseRow(ctx, fig, c, 'incomplete');
  if (!parsed.ok) {
    row.hints = `公布文字无法解析：${parsed.reason}`;
    findings.push(finding('reconcile.incomplete', at, { item: name, detail: row.hints }));
    return { row, findings };
  }
  const iv = parsed.interval;

  if (fig.relation === 'yoy_growth') {
    const earlier = yearEarlier(ctx.period);
    const prior = input.history.get(earlier);
    const pc = prior ? computedFor(ctx, fig, prior) : null;
    const implied = c.value !== null ? impliedPriorInterval(c.value, iv) : null;
    row.interval = `同比 ${formatInterval(iv)}%`;
    row.lo = iv.lo;
    row.hi = iv.hi;
    if (!pc || pc.value === null || c.value === null || c.missing.length) {
      const impliedText = implied ? `据此 ${earlier} 应在 (${round(implied.lo, 2)}, ${implied.hi === null ? '∞' : round(implied.hi, 2)}] 之间` : '';
      row.hints = [`缺少 ${earlier} 的数据，无法核对同比增速`, impliedText].filter(Boolean).join('；');
      findings.push(finding('reconcile.incomplete', at, { item: `${name}（同比）`, detail: row.hints }));
      return { row, findings };
    }
    const growth = (c.value / pc.value - 1) * 100;
    row.computed = round(growth);
    return finishRow(input, fig, iv, growth, row, findings, false);
  }

  row.interval = formatInterval(iv);
  row.lo = iv.lo;
  row.hi = iv.hi;
  if (c.value === null || c.missing.length) {
    // a province or the country may miss hundreds: the first 20 by name, then how many more
    const who = c.missing.slice(0, 20).map((u) => ctx.matchUnits.name(u)).join('、') + (c.missing.length > 20 ? ` 等（另 ${c.missing.length - 20} 个）` : '');
    row.hints = `${c.missing.length} 个单位未报或数据不可用：${who}`;
    findings.push(finding('reconcile.incomplete', at, { item: name, detail: row.hints }));
    return { row, findings };
  }
  return finishRow(input, fig, iv, c.value, row, findings, isCountItem(ctx, fig.indicator));
}

function finishRow(
  input: ReconcileInput,
  fig: PublishedFigure,
  iv: PublishedInterval,
  x: number,
  row: ReconciliationRow,
  findings: Finding[],
  integer: boolean,
): { row: ReconciliationRow; findings: Finding[] } {
  const { ctx } = input;
  const name = scopedName(ctx, fig);
  const at = { period: ctx.period, unit: scopeUnit(ctx, fig.scope_code), indicator: fig.indicator, raw: fig.text };
  const verdict = judge(iv, x, integer);
  row.status = verdict.status;
  row.difference = verdict.difference;
  if (verdict.code) {
    const code = verdict.code;
    row.hints = hintsFor(input, fig, iv, x).join('；');
    const diff = `${row.difference > 0 ? '+' : ''}${row.difference}`;
    findings.push(finding(code, { ...at, expected: row.interval }, { item: name, value: String(round(x, 2)), expected: row.interval, detail: diff }));
  }
  // sources that disagree: a stock published below what the unit had the period before
  const prev = input.history.get(previousPeriod(ctx.period));
  const basis = ctx.items.get(fig.indicator)?.basis ?? ctx.derived.get(fig.indicator)?.basis;
  if (prev && basis === 'stock' && !scopeByCode(ctx, fig.scope_code)) {
    const before = computedFor(ctx, fig, prev).value;
    if (before !== null && iv.hi !== null && before > iv.hi) {
      const detail = `${row.scope}${name}${ctx.period}公布为“${fig.text}”，而${previousPeriod(ctx.period)}为 ${before}，存量下降了 ${round(before - x, 2)}`;
      findings.push(finding('reconcile.sources_disagree', at, { detail }));
      row.hints = [row.hints, detail].filter(Boolean).join('；');
    }
  }
  const confirmed = ctx.confirmations.find((c) => c.indicator === fig.indicator && (c.unit === fig.scope_code || c.unit === ''));
  if (confirmed) row.explanation = confirmed.explanation;
  return { row, findings };
}
