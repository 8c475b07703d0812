// Reconcile at scale: the streamed town sums → county values (validate/values.ts UnitValue, so the
// core rules run on them unchanged) → city, province and national totals → published-like
// figures reconciled at any level with the core's reading of published text.
//
//   town sums ──────────▶ county UnitValues ──▶ rules.ts runRules (part ≤ whole, roster)
//                               └──────────▶ city · province · nation totals ──▶ published intervals
import type { Catalogue } from '../../schemas/catalogue.ts';
import type { Finding } from '../../schemas/finding.ts';
import type { Unit } from '../../schemas/units.ts';
import type { PeriodContext } from '../context.ts';
import { finding } from '../messages.ts';
import type { UnitValue, ValueStatus } from '../validate/values.ts';
import type { Loc } from '../normalize/layout.ts';
import { RULES, type Rule } from '../validate/rules.ts';
import { deriveValue } from '../derive/derive.ts';
import { formatInterval, parsePublishedText } from '../reconcile/published-interval.ts';
import { judge } from '../reconcile/reconcile.ts';
import { type RosterIndex, countyIndexOf } from './roster-index.ts';
import type { DetailAccumulator } from './detail-stream.ts';

export type Level = 'nation' | 'province' | 'city' | 'county';
/** The national total's code in the long table (the roster has no code for the country). */
export const NATION = '000000';

/** One row of the long table (totals.csv). */
export interface LevelTotal {
  period: string;
  level: Level;
  code: string;
  name: string;
  indicator: string;
  name_zh: string;
  /** Σ over the counties that gave a number (a county's value is its detail sum); null if none did */
  value: number | null;
  /** county: value / invalid / missing; above: complete (every county gave a number) or incomplete */
  status: ValueStatus | 'complete' | 'incomplete';
  /** village rows summed */
  villages: number;
  units_reported: number;
  units_expected: number;
}

/** A published-like figure for any level: the text as printed, read as the interval it asserts. */
export interface ScaleFigure {
  id: string;
  level: Level;
  code: string;
  indicator: string;
  text: string;
  quote?: string;
}

export interface ScaleReconciliation {
  id: string;
  level: Level;
  code: string;
  name: string;
  indicator: string;
  text: string;
  interval: string;
  lo: number | null;
  hi: number | null;
  computed: number | null;
  status: 'match' | 'within' | 'mismatch' | 'incomplete';
  difference: number | null;
  units_reported: number;
  units_expected: number;
}

/** County units for the core's context: every county of the roster reports like a district. */
export function countyUnits(ix: RosterIndex): Unit[] {
  return Array.from(ix.counties, (c) => {
    const code = String(c);
    const name = ix.names.get(code) ?? code;
    return { code, name, short_name: name, level: 'district', aliases: [] } as unknown as Unit;
  });
}

/** The catalogue cut to the items a detail sheet gave, and the derived items made only of them. */
export function detailCatalogue(cat: Catalogue, seen: Set<string>): Catalogue {
  return {
    ...cat,
    items: cat.items.filter((i) => seen.has(i.code)),
    derived: cat.derived.filter((d) => (d.type === 'sum' ? d.of : [d.numerator, d.denominator]).every((p) => seen.has(p))),
  };
}

/**
 * The core's context for county values: the run's context (its unit matcher over ≈3,000 counties is
 * built once) with the catalogue cut to the detail items and the roster's count per county.
 */
export function rollupContext(acc: DetailAccumulator, inScope: Uint8Array = scopeOf(acc)): PeriodContext {
  const { ctx, roster } = acc.sc;
  const seen = new Set([...acc.itemsSeen].map((j) => acc.items[j].code as string));
  const catalogue = detailCatalogue(ctx.catalogue, seen);
  const rosterCount = new Map<string, number>();
  roster.counties.forEach((c, i) => rosterCount.set(String(c), roster.countyCount[i]));
  const units = ctx.units.filter((u) => inScope[countyIndexOf(roster, Number(u.code))] === 1);
  return {
    ...ctx,
    units,
    catalogue,
    items: new Map(catalogue.items.map((i) => [i.code as string, i])),
    derived: new Map(catalogue.derived.map((i) => [i.code as string, i])),
    rosterCount,
  };
}

/**
 * The counties a run answers for (1 = in scope): every county under one of the `scope` code prefixes
 * ('33' a province, '3302' a city, '' the country), or by default every county of a province that
 * gave any rows — a province's file does not make the rest of the country 'missing'.
 */
export function scopeOf(acc: DetailAccumulator, scope?: string[]): Uint8Array {
  const ix = acc.sc.roster;
  const out = new Uint8Array(ix.counties.length);
  let prefixes = scope;
  if (!prefixes) {
    const provinces = new Set<string>();
    for (const j of acc.itemsSeen) acc.countyTouched[j].forEach((t, c) => t && provinces.add(acc.countyCode[c].slice(0, 2)));
    prefixes = [...provinces];
  }
  acc.countyCode.forEach((code, c) => (out[c] = prefixes.some((p) => code.startsWith(p)) ? 1 : 0));
  return out;
}

/**
 * The rules of the core registry that the cut catalogue switches on: share rules only with a share
 * item, period rules only with a previous period (the others would index the values and find nothing).
 */
export function rulesFor(ctx: PeriodContext, previous: boolean): Rule[] {
  const shares = ctx.catalogue.derived.some((d) => d.type === 'share');
  return RULES.filter((r) => (r.scope === 'period' ? previous : r.declaredBy === 'type: share' || r.declaredBy === 'far_from_city' ? shares : true));
}

/** One unit of a level (a county, city, province or the nation): per catalogue item of the run. */
export interface LevelSums {
  level: Level;
  code: string;
  /** Σ over the counties that gave a number, or null if none did */
  value: (number | null)[];
  reported: number[];
  expected: number[];
  /** village rows summed */
  villages: number[];
  /** county only: the UnitValue statuses */
  status?: ValueStatus[];
}

export interface Rollup {
  ctx: PeriodContext;
  /** county values, as the core rules see them */
  values: UnitValue[];
  /** nation, provinces, cities, counties — each in code order */
  levels: LevelSums[];
  findings: Finding[];
  /** the long table (totals.csv), made when asked for: ≈17,000 rows for the country */
  totals(): LevelTotal[];
  /** one level unit's value of an item or a derived item */
  total(level: Level, code: string, indicator: string): LevelTotal | undefined;
}

/** Town sums → county values → totals at every level; the core rules on the county values. */
export function rollupDetail(acc: DetailAccumulator, opts: { scope?: string[] } = {}): Rollup {
  const inScope = scopeOf(acc, opts.scope);
  const ctx = rollupContext(acc, inScope);
  const ix = acc.sc.roster;
  const period = ctx.period;
  const seen = [...acc.itemsSeen].sort((a, b) => a - b);
  const findings: Finding[] = [];

  // village → town happened while streaming; town → county is a pass over the town sums
  const nC = ix.counties.length;
  const countySums = seen.map(() => new Float64Array(nC));
  const countyRows = seen.map(() => new Int32Array(nC));
  seen.forEach((j, k) => {
    const [ts, tr, cs, cr] = [acc.townSums[j], acc.townRows[j], countySums[k], countyRows[k]];
    for (let t = 0; t < ix.towns.length; t++) (cs[ix.countyOfTown[t]] += ts[t]), (cr[ix.countyOfTown[t]] += tr[t]);
  });

  // county values, as validateValues makes them from a detail sum (origin 'detail')
  const values: UnitValue[] = [];
  const valueRows: number[] = []; // village rows behind each value
  const locs: Loc[] = []; // one provenance per file, shared by its values
  const raws = new Map<number, string>(); // validateValues' raw text for a detail sum, one per row count
  for (let c = 0; c < ix.counties.length; c++) {
    if (!inScope[c]) continue;
    const unit = acc.countyCode[c];
    const fileNo = acc.countyFile[c];
    if (!seen.some((j) => acc.countyTouched[j][c])) {
      findings.push(finding('submission.missing', { unit, period }, { unit: ctx.matchUnits.name(unit), period }));
      for (const j of seen) values.push({ unit, indicator: acc.items[j].code, value: null, status: 'missing', loc: null, raw: '', note: '', origin: 'none' }), valueRows.push(0);
      continue;
    }
    for (let k = 0; k < seen.length; k++) {
      const j = seen[k];
      const code = acc.items[j].code as string;
      const rows = countyRows[k][c];
      const complete = acc.countyInvalid[j][c] === 0;
      valueRows.push(rows);
      values.push({
        unit,
        indicator: code,
        value: complete ? countySums[k][c] : null,
        status: complete ? 'value' : 'invalid',
        loc: locs[fileNo] ??= { file: acc.files[fileNo] ?? '', sheet: '', cell: '', row: 0, col: 0 },
        raw: raws.get(rows) ?? raws.set(rows, `明细合计 ${rows} 行`).get(rows)!,
        note: '',
        origin: 'detail',
      });
    }
  }
  for (const rule of rulesFor(ctx, false)) findings.push(...rule.run({ ctx, values }));

  // level by level, each rolled up from the one below (county → city → province → nation) with plain
  // sums over ≤ 15,000 numbers — arquero's per-call expression compiling cost more than the adding
  const itemCodes = ctx.catalogue.items.map((i) => i.code as string);
  const nI = itemCodes.length;
  const counties: LevelSums[] = [];
  for (let i = 0; i < values.length; i += nI) {
    const a: LevelSums = { level: 'county', code: values[i].unit, value: [], reported: [], expected: [], villages: [], status: [] };
    for (let k = 0; k < nI; k++) {
      const v = values[i + k];
      a.value.push(v.status === 'value' ? v.value : null);
      a.reported.push(v.status === 'value' ? 1 : 0);
      a.expected.push(1);
      a.villages.push(valueRows[i + k]);
      a.status!.push(v.status);
    }
    counties.push(a);
  }
  // which cities, provinces and the nation lie wholly in scope (a part of one has no total)
  const whole = new Map<string, boolean>();
  acc.countyCode.forEach((code, c) => {
    for (const k of [code.slice(0, 4), code.slice(0, 2), NATION]) whole.set(k, (whole.get(k) ?? true) && inScope[c] === 1);
  });
  const levels: LevelSums[][] = [counties];
  let below = counties;
  for (const [level, digits] of [['city', 4], ['province', 2], ['nation', 0]] as [Level, number][]) {
    const groups = new Map<string, LevelSums>();
    for (const a of below) {
      const code = digits ? a.code.slice(0, digits) : NATION;
      let g = groups.get(code);
      if (!g) groups.set(code, (g = { level, code, value: new Array(nI).fill(null), reported: new Array(nI).fill(0), expected: new Array(nI).fill(0), villages: new Array(nI).fill(0) }));
      for (let k = 0; k < nI; k++) {
        const x = a.value[k];
        if (x !== null) g.value[k] = (g.value[k] ?? 0) + x;
        g.reported[k] += a.reported[k];
        g.expected[k] += a.expected[k];
        g.villages[k] += a.villages[k];
      }
    }
    below = [...groups.values()];
    levels.unshift(below.filter((g) => whole.get(g.code)));
  }
  const flat = levels.flat();
  return { ctx, values, levels: flat, findings, totals: () => longTable(ctx, flat, ix), total: (level, code, indicator) => totalOf(ctx, flat, ix, level, code, indicator) };
}

/** The rows of one level unit: its items, then its derived items. */
function rowsOf(ctx: PeriodContext, a: LevelSums, ix: RosterIndex, only?: string): LevelTotal[] {
  const out: LevelTotal[] = [];
  const items = ctx.catalogue.items;
  const name = ix.names.get(a.code) ?? (a.code === NATION ? '全国' : a.code);
  const base = { period: ctx.period, level: a.level, code: a.code, name };
  items.forEach((it, k) => {
    if (only && only !== it.code) return;
    const status = a.status ? a.status[k] : a.reported[k] === a.expected[k] ? 'complete' : 'incomplete';
    out.push({ ...base, indicator: it.code, name_zh: it.name_zh, value: a.value[k], status, villages: a.villages[k], units_reported: a.reported[k], units_expected: a.expected[k] });
  });
  // derived items from the unit's sums by the derive phase's one formula (derive/derive.ts)
  for (const d of ctx.catalogue.derived) {
    if (only && only !== d.code) continue;
    const ks = (d.type === 'sum' ? d.of : [d.numerator, d.denominator]).map((p) => items.findIndex((i) => i.code === p));
    const value = deriveValue(d, (code) => a.value[items.findIndex((i) => i.code === code)] ?? null);
    const reported = Math.min(...ks.map((k) => a.reported[k]));
    const expected = Math.max(...ks.map((k) => a.expected[k]));
    const status = a.status ? (value === null ? 'invalid' : 'value') : reported === expected ? 'complete' : 'incomplete';
    out.push({ ...base, indicator: d.code, name_zh: d.name_zh, value, status, villages: 0, units_reported: reported, units_expected: expected });
  }
  return out;
}

function longTable(ctx: PeriodContext, levels: LevelSums[], ix: RosterIndex): LevelTotal[] {
  return levels.flatMap((a) => rowsOf(ctx, a, ix));
}

function totalOf(ctx: PeriodContext, levels: LevelSums[], ix: RosterIndex, level: Level, code: string, indicator: string): LevelTotal | undefined {
  const a = levels.find((x) => x.level === level && x.code === code);
  return a ? rowsOf(ctx, a, ix, indicator)[0] : undefined;
}

const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

/** Published-like figures against the totals: the interval the text asserts, the computed value, a status. */
export function reconcileLevels(rollup: Pick<Rollup, 'levels' | 'total'>, figures: ScaleFigure[], ctx: PeriodContext): { rows: ScaleReconciliation[]; findings: Finding[] } {
  const rows: ScaleReconciliation[] = [];
  const findings: Finding[] = [];
  for (const fig of figures) {
    // a figure for a part of the country this run does not cover is not this run's to reconcile
    if (!rollup.levels.some((a) => a.level === fig.level && a.code === fig.code)) continue;
    const t = rollup.total(fig.level, fig.code, fig.indicator);
    const at = { period: ctx.period, unit: fig.code, indicator: fig.indicator, raw: fig.text };
    const item = ctx.items.get(fig.indicator)?.name_zh ?? ctx.derived.get(fig.indicator)?.name_zh ?? fig.indicator;
    const row: ScaleReconciliation = {
      id: fig.id,
      level: fig.level,
      code: fig.code,
      name: t?.name ?? fig.code,
      indicator: fig.indicator,
      text: fig.text,
      interval: '',
      lo: null,
      hi: null,
      computed: t?.value ?? null,
      status: 'incomplete',
      difference: null,
      units_reported: t?.units_reported ?? 0,
      units_expected: t?.units_expected ?? 0,
    };
    rows.push(row);
    const parsed = parsePublishedText(fig.text, fig.quote);
    if (!parsed.ok) {
      findings.push(finding('reconcile.incomplete', at, { item, detail: `公布文字无法解析：${parsed.reason}` }));
      continue;
    }
    const iv = parsed.interval;
    row.interval = formatInterval(iv);
    row.lo = iv.lo;
    row.hi = iv.hi;
    if (!t || t.value === null || t.units_reported < t.units_expected) {
      findings.push(finding('reconcile.incomplete', at, { item, detail: `${(t?.units_expected ?? 0) - (t?.units_reported ?? 0)} 个县级单位数据不可用` }));
      continue;
    }
    const integer = ctx.items.has(fig.indicator) || ctx.derived.get(fig.indicator)?.type === 'sum';
    const verdict = judge(iv, t.value, integer);
    row.status = verdict.status;
    row.difference = verdict.difference;
    if (verdict.code)
      findings.push(finding(verdict.code, { ...at, expected: row.interval }, { item, value: String(round(t.value, 2)), expected: row.interval, detail: `${row.difference > 0 ? '+' : ''}${row.difference}` }));
  }
  return { rows, findings };
}
