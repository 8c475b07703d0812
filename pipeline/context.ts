// What every stage of one period's run knows: the period, its catalogue, the units and the roster.
import type { Catalogue, ReportedItem, DerivedItem } from '../schemas/catalogue.ts';
import type { Region, Scope, Unit } from '../schemas/units.ts';
import type { Roster } from './reference/roster.ts';
import type { PublishedFile } from '../schemas/published.ts';
import { type IndicatorMatcher, type UnitMatcher, indicatorMatcher, unitMatcher } from './normalize/match.ts';
import type { LayoutContext } from './normalize/form.ts';

export interface Reference {
  units: Unit[];
  /** the village roster, built once for every period (reference/load.ts loadRoster, or Roster.fromEntries) */
  roster: Roster;
  /** the region file (data/reference/region.yaml); without it, one level over all the units */
  region?: Region;
}

/**
 * The region of units that came without a region file (the check page's embedded units): one level,
 * every unit, scoped to the longest common GB/T 2260 prefix of their codes (a city's 4 digits).
 */
export function regionOf(units: Unit[]): Region {
  let prefix = units.length ? units[0].code.slice(0, 4) : '';
  while (prefix && !units.every((u) => u.code.startsWith(prefix))) prefix = prefix.slice(0, -2);
  const level = prefix.length === 4 ? 'city' : prefix.length === 2 ? 'province' : 'country';
  const label = { city: '全市', province: '全省', country: '全国' }[level];
  const code = prefix.padEnd(6, '0') as Scope['code'];
  return { code: prefix, name: label, roster: '', scopes: [{ code, name: label, label, level, prefix }], units };
}

/** A warning confirmed with the district's written explanation (confirmations.yaml), and a choice between two files (choices.yaml): the schemas' types. */
export type { Confirmation, Choice } from '../schemas/submissions.ts';
import type { Confirmation, Choice } from '../schemas/submissions.ts';

export interface PeriodContext {
  period: string;
  catalogue: Catalogue;
  published: PublishedFile;
  units: Unit[];
  /** the region: the levels the units add up to, the first its own total (全市) */
  region: Region;
  /** villages by code, counts per unit, a unit's villages: see reference/roster.ts */
  roster: Roster;
  matchUnits: UnitMatcher;
  matchIndicators: IndicatorMatcher;
  items: Map<string, ReportedItem>;
  derived: Map<string, DerivedItem>;
  confirmations: Confirmation[];
  choices: Choice[];
}

export function makeContext(
  ref: Reference,
  catalogue: Catalogue,
  published: PublishedFile,
  extra: { confirmations?: Confirmation[]; choices?: Choice[] } = {},
): PeriodContext {
  return {
    period: catalogue.period,
    catalogue,
    published,
    units: ref.units,
    region: ref.region ?? regionOf(ref.units),
    roster: ref.roster,
    matchUnits: unitMatcher(ref.units),
    matchIndicators: indicatorMatcher(catalogue),
    items: new Map(catalogue.items.map((i) => [i.code as string, i])),
    derived: new Map(catalogue.derived.map((i) => [i.code as string, i])),
    confirmations: extra.confirmations ?? [],
    choices: extra.choices ?? [],
  };
}

/** The region's own total (全市 for a city, 全省 for a province). */
export function regionScope(ctx: PeriodContext): Scope {
  return ctx.region.scopes[0];
}

/** The level a published figure's scope_code names, if it names one (not a unit's own figure). */
export function scopeByCode(ctx: PeriodContext, code: string): Scope | undefined {
  return ctx.region.scopes.find((s) => s.code === code);
}

/** Whether a unit is added into a level. */
export function inScope(scope: Scope, unit: string): boolean {
  return unit.startsWith(scope.prefix);
}

// per context and item, made once: a country's 3,312 units are asked about for every value
const reporterMemo = new WeakMap<Unit[], Map<ReportedItem['reporters'], { list: string[]; set: Set<string> }>>();
function reporters(ctx: PeriodContext, item: ReportedItem): { list: string[]; set: Set<string> } {
  let byKind = reporterMemo.get(ctx.units);
  if (!byKind) reporterMemo.set(ctx.units, (byKind = new Map()));
  let r = byKind.get(item.reporters);
  if (!r) {
    const list =
      item.reporters === 'all' ? ctx.units.map((u) => u.code as string) : item.reporters === 'districts' ? ctx.units.filter((u) => u.level === 'district').map((u) => u.code as string) : item.reporters;
    byKind.set(item.reporters, (r = { list, set: new Set(list) }));
  }
  return r;
}

/** Unit codes that report an item. */
export function reportersOf(ctx: PeriodContext, item: ReportedItem): string[] {
  return [...reporters(ctx, item).list];
}

export function isReporter(ctx: PeriodContext, item: ReportedItem, unit: string): boolean {
  return reporters(ctx, item).set.has(unit);
}

/** The previous half-year: 2018H2 → 2018H1, 2018H1 → 2017H2. */
export function previousPeriod(p: string): string {
  const y = Number(p.slice(0, 4));
  return p.endsWith('H2') ? `${y}H1` : `${y - 1}H2`;
}

/** The same half a year earlier: 2018H1 → 2017H1. */
export function yearEarlier(p: string): string {
  return `${Number(p.slice(0, 4)) - 1}${p.slice(4)}`;
}

const ZH_COUNT = ['零', '一', '两', '三', '四', '五', '六', '七', '八', '九', '十'];

/** The region's reporting units in words, from the region file: "十个区县（市）", "90 个区县（市）". */
export function districtsZh(ctx: PeriodContext): string {
  const n = ctx.units.filter((u) => u.level === 'district').length;
  return n <= 10 ? `${ZH_COUNT[n]}个区县（市）` : `${n} 个区县（市）`;
}

/** Who reports, in words, from the units: "十个区县（市）和市本级", "90 个区县（市）和 11 个市本级". */
export function reportersZh(units: readonly Unit[]): string {
  const n = units.filter((u) => u.level === 'district').length;
  const districts = n <= 10 ? `${ZH_COUNT[n]}个区县（市）` : `${n} 个区县（市）`;
  const municipal = units.filter((u) => u.level === 'municipal');
  return municipal.length === 0 ? districts : municipal.length === 1 ? `${districts}和${municipal[0].short_name}` : `${districts}和 ${municipal.length} 个市本级`;
}

/** What reading a form needs of a period's context. */
const layoutContexts = new WeakMap<PeriodContext, LayoutContext>();
export function layoutContextOf(ctx: PeriodContext): LayoutContext {
  let l = layoutContexts.get(ctx);
  if (!l) layoutContexts.set(ctx, (l = makeLayoutContext(ctx)));
  return l;
}

function makeLayoutContext(ctx: PeriodContext): LayoutContext {
  return { indicators: ctx.matchIndicators, units: ctx.matchUnits, period: ctx.period, reporters: reportersZh(ctx.units), basis: (code) => ctx.items.get(code)?.basis };
}

/** What the region's total adds up: "全市合计 = 十个区县（市）+ 市本级". */
export function compositionZh(ctx: PeriodContext): string {
  const municipal = ctx.units.filter((u) => u.level === 'municipal');
  const m = municipal.length === 0 ? '' : municipal.length === 1 ? `+ ${municipal[0].short_name}` : `+ ${municipal.length} 个市本级`;
  return `${regionScope(ctx).label}合计 = ${districtsZh(ctx)}${m}`;
}
