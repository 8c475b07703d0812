// The blank form (填报模板) of one unit and period, as data: title lines, the rows the unit fills,
// the optional village-level detail. Pure (context in, model out); template/xlsx.ts and csv.ts render it.
import type { Basis } from '../../schemas/catalogue.ts';
import type { Unit } from '../../schemas/units.ts';
import { type PeriodContext, isReporter } from '../context.ts';

/** The 填报表 columns, in order. The pipeline finds the form by 指标名称/指标代码 and 本期数. */
export const TEMPLATE_HEADER = ['序号', '指标类别', '指标名称', '指标代码', '单位', '本期数', '上报说明'] as const;

/** Where things are on the 填报表 sheet (1-based, as Excel counts). */
export const TEMPLATE_LAYOUT = {
  sheet: '填报表',
  titleRow: 1,
  unitRow: 2,
  headerRow: 3,
  firstItemRow: 4,
  codeCol: 4, // D
  valueCol: 6, // F
  noteCol: 7, // G
} as const;

export const DETAIL_SHEET = '村社明细';
export const DETAIL_HEADER_FIXED = ['村社代码', '村社名称', '乡镇（街道）', '类型'] as const;

/** What a reporter writes where nothing applies; the only not-applicable token the template offers. */
export const NA_TEXT = '—';

export interface TemplateRow {
  no: number;
  category: string;
  name: string;
  code: string;
  measure: string;
  basis: Basis;
  /** false: the unit does not report this item; the row is pre-filled “—” and locked */
  reports: boolean;
  naAllowed: boolean;
  /** the whole this item is part of (name), for the input prompt */
  partOf?: string;
}

export interface DetailColumn {
  code: string;
  name: string;
  villageLevel: '村' | '社区' | 'any';
}

export interface DetailLine {
  code: string;
  name: string;
  town: string;
}

export interface TemplateModel {
  period: string;
  /** 2018年下半年 */
  periodLabel: string;
  catalogueVersion: string;
  unit: Unit;
  /** 党建争强半年度推进情况表（2018年下半年） */
  title: string;
  /** 填报单位：鄞州区委组织部 */
  unitLine: string;
  /** 鄞州区_2018H2: the file name the pipeline reads unit and period from */
  fileStem: string;
  rows: TemplateRow[];
  /** 村社明细: only when asked for and the unit reports village-level items */
  detail?: { columns: DetailColumn[]; lines: DetailLine[] };
}

/** 2018H1 → 2018年上半年. */
export function periodLabelZh(period: string): string {
  const m = /^(\d{4})H([12])$/.exec(period);
  return m ? `${m[1]}年${m[2] === '1' ? '上' : '下'}半年` : period;
}

/** 2018H2 → 2018年7月1日—12月31日. */
export function periodSpanZh(period: string): string {
  const m = /^(\d{4})H([12])$/.exec(period);
  if (!m) return period;
  return m[2] === '1' ? `${m[1]}年1月1日—6月30日` : `${m[1]}年7月1日—12月31日`;
}

/** Who fills the form: the district's organization department, or the municipal departments. */
export function reporterName(unit: Unit): string {
  return unit.level === 'municipal' ? '市直单位（市本级）' : `${unit.name}委组织部`;
}

/** The blank form of one unit. `detail` adds the 村社明细 sheet (roster units of the unit). */
export function templateModel(ctx: PeriodContext, unitCode: string, opts: { detail?: boolean } = {}): TemplateModel {
  const unit = ctx.units.find((u) => u.code === unitCode);
  if (!unit) throw new Error(`unknown unit ${unitCode}`);
  const label = periodLabelZh(ctx.period);
  const rows: TemplateRow[] = ctx.catalogue.items.map((it) => ({
    no: it.no,
    category: it.category,
    name: it.name_zh,
    code: it.code,
    measure: it.measure,
    basis: it.basis,
    reports: isReporter(ctx, it, unit.code),
    naAllowed: it.na_allowed,
    partOf: it.part_of ? ctx.items.get(it.part_of)?.name_zh : undefined,
  }));
  const model: TemplateModel = {
    period: ctx.period,
    periodLabel: label,
    catalogueVersion: ctx.catalogue.version,
    unit,
    title: `党建争强半年度推进情况表（${label}）`,
    unitLine: `填报单位：${reporterName(unit)}`,
    fileStem: `${unit.name}_${ctx.period}`,
    rows,
  };
  const columns: DetailColumn[] = ctx.catalogue.items
    .filter((it) => it.village_level && isReporter(ctx, it, unit.code))
    .map((it) => ({ code: it.code, name: it.name_zh, villageLevel: it.village_level! }));
  if (opts.detail && columns.length) {
    const lines = ctx.roster
      .ofUnit(unit.code)
      .map((r) => ({ code: r.code, name: r.name, town: r.town_name }));
    if (lines.length) model.detail = { columns, lines };
  }
  return model;
}

/** Quotes a name, without doubling the quotes it already has (“3315计划”申报). */
export function quoteZh(s: string): string {
  return /^[“"]/.test(s) ? s : `“${s}”`;
}

/** Plain-language basis of an item, for prompts and the 说明 sheet. */
export const BASIS_ZH: Record<Basis, string> = {
  period: '本期发生数（半年内）',
  ytd: '年度累计数（1月1日起）',
  stock: '期末数（报告期最后一天的状态）',
};
