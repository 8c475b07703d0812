// Validate, part 2: rules across a unit's values, declared by the catalogue (part_of, max_roster,
// share items, basis) and run from one registry. A rule returns findings; none means it passed.
import type { Finding, FindingCode, Severity } from '../../schemas/finding.ts';
import { TEMPLATES, finding } from '../messages.ts';
import { type PeriodContext, regionScope } from '../context.ts';
import type { UnitValue } from './values.ts';
import { explainedByAnalyst } from './explain.ts';
import { ValueTable, type Total } from '../derive/derive.ts';

export interface RuleInput {
  ctx: PeriodContext;
  values: UnitValue[];
  /** the derive phase's table of the values (made here when a caller has none) */
  table?: ValueTable;
  /** the previous half-year's values, when that period was submitted */
  previous?: { period: string; values: UnitValue[]; table?: ValueTable };
  /** the region's totals (the derive phase's): a unit's share is compared with the region's share the report shows */
  totals?: Map<string, Total>;
}

export interface Rule {
  code: FindingCode;
  severity: Severity;
  scope: 'unit' | 'period';
  /** what the catalogue declares to switch it on, for the 说明 sheet and the template */
  declaredBy: string;
  description: string;
  run(input: RuleInput): Finding[];
}

const tableOf = (input: RuleInput) => input.table ?? new ValueTable(input.values, input.ctx);
const previousTable = (input: RuleInput) => input.previous!.table ?? new ValueTable(input.previous!.values, input.ctx);
function at(v: UnitValue, period: string) {
  return {
    file: v.loc?.file ?? '',
    sheet: v.loc?.sheet ?? '',
    cell: v.loc?.cell ?? '',
    row: v.loc?.row || null,
    col: v.loc?.col || null,
    raw: v.raw,
    unit: v.unit,
    indicator: v.indicator,
    period,
  };
}
const num = (v: UnitValue | undefined) => (v && v.status === 'value' ? v.value : null);
const fmtShare = (x: number) => `${(Math.round(x * 10) / 10).toFixed(1)}%`;


export const RULES: Rule[] = [
  {
    code: 'rule.part_exceeds_whole',
    severity: 'error',
    scope: 'unit',
    declaredBy: 'part_of',
    description: '其中项不大于总数（如 其中党组织书记 ≤ 调整村社干部）',
    run: (input) => {
      const { ctx, values } = input;
      const idx = tableOf(input);
      const out: Finding[] = [];
      for (const item of ctx.catalogue.items) {
        if (!item.part_of) continue;
        const whole = ctx.items.get(item.part_of)!;
        for (const v of values) {
          if (v.indicator !== item.code) continue;
          const part = num(v);
          const w = idx.value(v.unit, whole.code);
          if (part !== null && w !== null && part > w)
            out.push(finding('rule.part_exceeds_whole', at(v, ctx.period), { item: item.name_zh, value: String(part), other: whole.name_zh, expected: String(w) }));
        }
      }
      return out;
    },
  },
  {
    code: 'rule.roster_exceeded',
    severity: 'error',
    scope: 'unit',
    declaredBy: 'max_roster',
    description: '村社合计不超过本单位在统计用区划代码中的村级单位数',
    run: (input) => {
      const { ctx, values } = input;
      const idx = tableOf(input);
      const out: Finding[] = [];
      for (const d of ctx.catalogue.derived) {
        // a region that keeps no village roster (region.yaml roster: "") has no limit to hold counts to
        if (d.type !== 'sum' || !d.max_roster || !ctx.roster.size) continue;
        for (const u of ctx.units) {
          const total = idx.value(u.code, d.code);
          const limit = ctx.roster.count(u.code);
          if (total !== null && total > limit) {
            const first = idx.get(u.code, d.of[0])!;
            out.push(finding('rule.roster_exceeded', { ...at(first, ctx.period), indicator: d.code }, { item: d.name_zh, value: String(total), expected: String(limit) }));
          }
        }
      }
      return out;
    },
  },
  {
    code: 'rule.share_out_of_range',
    severity: 'error',
    scope: 'unit',
    declaredBy: 'type: share',
    description: '比例在 0–100% 之间（分母为 0 时分子也须为 0）',
    run: (input) => {
      const { ctx, values } = input;
      const idx = tableOf(input);
      const out: Finding[] = [];
      for (const d of ctx.catalogue.derived) {
        if (d.type !== 'share') continue;
        const partOf = ctx.items.get(d.numerator)?.part_of === d.denominator; // then part ≤ whole already says it
        for (const u of ctx.units) {
          const nv = idx.get(u.code, d.numerator);
          const n = num(nv);
          const den = idx.value(u.code, d.denominator);
          if (n === null || den === null) continue;
          const bad = den === 0 ? n > 0 : !partOf && (n / den > 1 || n < 0);
          if (bad) out.push(finding('rule.share_out_of_range', { ...at(nv!, ctx.period), indicator: d.code }, { item: d.name_zh, value: den === 0 ? `${n}/0` : fmtShare((n / den) * 100) }));
        }
      }
      return out;
    },
  },
  {
    code: 'rule.share_far_from_city',
    severity: 'warning',
    scope: 'unit',
    declaredBy: 'far_from_city',
    description: '单位比例与全市比例相差超过设定的百分点时核实',
    run: (input) => {
      const { ctx, values } = input;
      const idx = tableOf(input);
      const out: Finding[] = [];
      for (const d of ctx.catalogue.derived) {
        if (d.type !== 'share' || !d.far_from_city) continue;
        // the region's share as the report shows it (the totals: Σ numerator / Σ denominator of the
        // units that gave each); without totals (one file checked alone), of the units that gave both
        let city = input.totals?.get(d.code)?.value ?? null;
        if (city === null) {
          let sn = 0;
          let sd = 0;
          for (const u of ctx.units) {
            const n = idx.value(u.code, d.numerator);
            const den = idx.value(u.code, d.denominator);
            if (n !== null && den !== null) (sn += n), (sd += den);
          }
          if (sd === 0) continue;
          city = (sn / sd) * 100;
        }
        for (const u of ctx.units) {
          const share = idx.value(u.code, d.code);
          const den = idx.value(u.code, d.denominator);
          if (share === null || den === null || den < 10) continue; // a share of a handful says little
          if (Math.abs(share - city) > d.far_from_city)
            out.push(finding('rule.share_far_from_city', { ...at(idx.get(u.code, d.numerator)!, ctx.period), indicator: d.code }, { item: d.name_zh, value: fmtShare(share), expected: fmtShare(city), what: regionScope(ctx).label }));
        }
      }
      return out;
    },
  },
  {
    code: 'rule.ytd_decreased',
    severity: 'error',
    scope: 'period',
    declaredBy: 'basis: ytd',
    description: '年度累计数在年内不减少（下半年 ≥ 上半年）',
    run: (input) => {
      const { ctx, values, previous } = input;
      if (!previous || previous.period.slice(0, 4) !== ctx.period.slice(0, 4)) return [];
      const prev = previousTable(input);
      return values.flatMap((v) => {
        const item = ctx.items.get(v.indicator);
        const a = prev.value(v.unit, v.indicator);
        const b = num(v);
        if (item?.basis !== 'ytd' || a === null || b === null || b >= a) return [];
        return [finding('rule.ytd_decreased', at(v, ctx.period), { item: item.name_zh, value: String(b), expected: String(a) })];
      });
    },
  },
  {
    code: 'rule.stock_decreased',
    severity: 'warning',
    scope: 'period',
    declaredBy: 'basis: stock',
    description: '期末存量比上期减少时核实（如悬挂红色标识的村社数下降）',
    run: (input) => {
      const { ctx, values, previous } = input;
      if (!previous) return [];
      const prev = previousTable(input);
      return values.flatMap((v) => {
        const item = ctx.items.get(v.indicator);
        const a = prev.value(v.unit, v.indicator);
        const b = num(v);
        if (item?.basis !== 'stock' || a === null || b === null || b >= a) return [];
        return [finding('rule.stock_decreased', at(v, ctx.period), { item: item.name_zh, value: String(b), expected: String(a) })];
      });
    },
  },
  {
    code: 'rule.change_large',
    severity: 'warning',
    scope: 'period',
    declaredBy: 'rules.change_warning',
    description: '与上期相比变动超过设定比例（默认 50%）时核实',
    run: (input) => {
      const { ctx, values, previous } = input;
      if (!previous) return [];
      const prev = previousTable(input);
      const { change_warning: limit, change_min_base: minBase } = ctx.catalogue.rules;
      return values.flatMap((v) => {
        const item = ctx.items.get(v.indicator);
        const a = prev.value(v.unit, v.indicator);
        const b = num(v);
        if (!item || a === null || b === null || a < minBase) return [];
        if (item.basis === 'stock' && b < a) return []; // rule.stock_decreased speaks for it
        const change = (b - a) / a;
        if (Math.abs(change) <= limit) return [];
        const pct = `${change > 0 ? '+' : ''}${(change * 100).toFixed(1)}%`;
        return [finding('rule.change_large', at(v, ctx.period), { item: item.name_zh, value: String(b), expected: String(a), detail: pct, limit: `${limit * 100}%` })];
      });
    },
  },
];

/** Runs every rule of the registry. */
export function runRules(input: RuleInput): Finding[] {
  return RULES.flatMap((r) => r.run(input));
}

/** Marks warnings the analyst confirmed (上报说明); errors are never confirmed away. */
export function applyConfirmations(findings: Finding[], ctx: PeriodContext): Finding[] {
  return findings.map((f) => {
    if (f.severity !== 'warning' || f.confirmed) return f;
    const c = ctx.confirmations.find(
      (c) => c.code === f.code && (c.unit === '' || c.unit === f.unit) && (c.indicator === '' || c.indicator === f.indicator),
    );
    return c ? { ...f, confirmed: c.explanation, confirmed_by: explainedByAnalyst(c.by) } : f;
  });
}

void TEMPLATES;
