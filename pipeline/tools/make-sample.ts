// Writes the ILLUSTRATIVE sample submissions data/submissions/2018H1/ and 2018H2/ (one file per
// reporting unit and period, 11 per period) and data/submissions/README.md.
//
// The files are made here, from the catalogue (data/catalogue/<period>.yaml), the real roster of
// Ningbo's village-level units (data/reference/villages-3302.csv) and the per-unit numbers in the
// tables H1 and H2 below. They are NOT real district data: the per-unit split is invented so that
// the city totals reconcile with the published figures (data/published/<period>.yaml), and each
// file shows one trait of what real offices send (WPS, GBK, UTF-16 text, full-width digits …).
//
//   npx tsx pipeline/tools/make-sample.ts
//
// Deterministic: no randomness, no clock. Workbook metadata and zip entry dates are fixed, so
// running it twice gives byte-identical files. The constraints on the numbers are asserted before
// anything is written (the script throws if one is violated).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import YAML from 'yaml';
import { stableXlsx } from './stable-xlsx.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DATA = path.join(ROOT, 'data');

// ───────────────────────────── the numbers ─────────────────────────────
// '—' = not applicable (市本级 does not report the district-only items).
type Value = number | '—';
type UnitValues = Record<string, Value>;
type Table = Record<string, UnitValues>;
const NA = '—' as const;

/** 2018H1: sums reconcile exactly with every 2018H1 published figure (see checks below). */
const H1: Table = {
  // 海曙区
  '330203': {
    frontline_cadres: 95, promoted_total: 62, promoted_frontline: 37,
    villages_signed: 207, communities_signed: 73, cadres_adjusted: 14, secretaries_adjusted: 6,
    nonpublic_members: 5216, four_star_orgs: 96, talent_3315_applications: 118, high_end_teams_new: 3,
    inspections: 290, problems_found: 162, persons_handled: 118, eight_rules_cases: 5,
  },
  // 江北区
  '330205': {
    frontline_cadres: 55, promoted_total: 36, promoted_frontline: 20,
    villages_signed: 97, communities_signed: 55, cadres_adjusted: 7, secretaries_adjusted: 3,
    nonpublic_members: 3087, four_star_orgs: 52, talent_3315_applications: 72, high_end_teams_new: 2,
    inspections: 165, problems_found: 92, persons_handled: 66, eight_rules_cases: 3,
  },
  // 北仑区
  '330206': {
    frontline_cadres: 82, promoted_total: 54, promoted_frontline: 32,
    villages_signed: 185, communities_signed: 47, cadres_adjusted: 11, secretaries_adjusted: 4,
    nonpublic_members: 6842, four_star_orgs: 84, talent_3315_applications: 156, high_end_teams_new: 4,
    inspections: 230, problems_found: 128, persons_handled: 94, eight_rules_cases: 4,
  },
  // 镇海区
  '330211': {
    frontline_cadres: 50, promoted_total: 34, promoted_frontline: 19,
    villages_signed: 66, communities_signed: 33, cadres_adjusted: 5, secretaries_adjusted: 2,
    nonpublic_members: 3593, four_star_orgs: 48, talent_3315_applications: 88, high_end_teams_new: 2,
    inspections: 150, problems_found: 80, persons_handled: 58, eight_rules_cases: 3,
  },
  // 鄞州区
  '330212': {
    frontline_cadres: 125, promoted_total: 88, promoted_frontline: 52,
    villages_signed: 279, communities_signed: 128, cadres_adjusted: 19, secretaries_adjusted: 8,
    nonpublic_members: 9826, four_star_orgs: 138, talent_3315_applications: 198, high_end_teams_new: 5,
    inspections: 360, problems_found: 205, persons_handled: 150, eight_rules_cases: 7,
  },
  // 奉化区
  '330213': {
    frontline_cadres: 78, promoted_total: 48, promoted_frontline: 27,
    villages_signed: 306, communities_signed: 31, cadres_adjusted: 13, secretaries_adjusted: 5,
    nonpublic_members: 2934, four_star_orgs: 70, talent_3315_applications: 64, high_end_teams_new: 1,
    inspections: 205, problems_found: 110, persons_handled: 80, eight_rules_cases: 4,
  },
  // 象山县
  '330225': {
    frontline_cadres: 88, promoted_total: 50, promoted_frontline: 30,
    villages_signed: 376, communities_signed: 34, cadres_adjusted: 15, secretaries_adjusted: 6,
    nonpublic_members: 2617, four_star_orgs: 76, talent_3315_applications: 52, high_end_teams_new: 1,
    inspections: 215, problems_found: 118, persons_handled: 86, eight_rules_cases: 5,
  },
  // 宁海县
  '330226': {
    frontline_cadres: 92, promoted_total: 52, promoted_frontline: 31,
    villages_signed: 357, communities_signed: 36, cadres_adjusted: 14, secretaries_adjusted: 5,
    nonpublic_members: 3351, four_star_orgs: 80, talent_3315_applications: 70, high_end_teams_new: 2,
    inspections: 240, problems_found: 134, persons_handled: 97, eight_rules_cases: 5,
  },
  // 余姚市
  '330281': {
    frontline_cadres: 108, promoted_total: 72, promoted_frontline: 42,
    villages_signed: 286, communities_signed: 40, cadres_adjusted: 13, secretaries_adjusted: 5,
    nonpublic_members: 7605, four_star_orgs: 112, talent_3315_applications: 162, high_end_teams_new: 4,
    inspections: 330, problems_found: 180, persons_handled: 131, eight_rules_cases: 6,
  },
  // 慈溪市
  '330282': {
    frontline_cadres: 117, promoted_total: 80, promoted_frontline: 47,
    villages_signed: 339, communities_signed: 67, cadres_adjusted: 16, secretaries_adjusted: 7,
    nonpublic_members: 9248, four_star_orgs: 128, talent_3315_applications: 172, high_end_teams_new: 4,
    inspections: 359, problems_found: 208, persons_handled: 155, eight_rules_cases: 6,
  },
  // 市本级
  '330200': {
    frontline_cadres: 160, promoted_total: 150, promoted_frontline: 84,
    villages_signed: NA, communities_signed: NA, cadres_adjusted: NA, secretaries_adjusted: NA,
    nonpublic_members: NA, four_star_orgs: 120, talent_3315_applications: 96, high_end_teams_new: 4,
    inspections: 620, problems_found: 318, persons_handled: 226, eight_rules_cases: 9,
  },
};

/**
 * 2018H2: new half-year flows of similar size, stocks flat or slightly up. Two deliberate warnings:
 * 鄞州区's signage falls to 353 村社 (the published 2018H2 figure), and 奉化区's inspections rise 61%.
 */
const H2: Table = {
  // 海曙区
  '330203': {
    frontline_cadres: 98, promoted_total: 74, promoted_frontline: 44,
    villages_signed: 207, communities_signed: 73, cadres_adjusted: 17, secretaries_adjusted: 7,
    nonpublic_members: 5384, four_star_orgs: 101, talent_3315_applications: 96, high_end_teams_new: 4,
    inspections: 340, problems_found: 188, persons_handled: 136, eight_rules_cases: 6, eight_rules_persons: 8,
  },
  // 江北区
  '330205': {
    frontline_cadres: 56, promoted_total: 42, promoted_frontline: 24,
    villages_signed: 97, communities_signed: 55, cadres_adjusted: 9, secretaries_adjusted: 4,
    nonpublic_members: 3172, four_star_orgs: 54, talent_3315_applications: 60, high_end_teams_new: 2,
    inspections: 190, problems_found: 104, persons_handled: 75, eight_rules_cases: 2, eight_rules_persons: 3,
  },
  // 北仑区
  '330206': {
    frontline_cadres: 85, promoted_total: 46, promoted_frontline: 26,
    villages_signed: 185, communities_signed: 47, cadres_adjusted: 13, secretaries_adjusted: 5,
    nonpublic_members: 7013, four_star_orgs: 88, talent_3315_applications: 128, high_end_teams_new: 3,
    inspections: 265, problems_found: 146, persons_handled: 106, eight_rules_cases: 5, eight_rules_persons: 7,
  },
  // 镇海区
  '330211': {
    frontline_cadres: 52, promoted_total: 40, promoted_frontline: 23,
    villages_signed: 66, communities_signed: 33, cadres_adjusted: 6, secretaries_adjusted: 2,
    nonpublic_members: 3702, four_star_orgs: 50, talent_3315_applications: 74, high_end_teams_new: 3,
    inspections: 172, problems_found: 92, persons_handled: 66, eight_rules_cases: 3, eight_rules_persons: 4,
  },
  // 鄞州区 — signage 238 + 115 = 353 (published for 2018H2), down from 407: deliberate warning
  '330212': {
    frontline_cadres: 130, promoted_total: 104, promoted_frontline: 60,
    villages_signed: 238, communities_signed: 115, cadres_adjusted: 23, secretaries_adjusted: 9,
    nonpublic_members: 10147, four_star_orgs: 145, talent_3315_applications: 162, high_end_teams_new: 6,
    inspections: 410, problems_found: 236, persons_handled: 172, eight_rules_cases: 8, eight_rules_persons: 11,
  },
  // 奉化区 — inspections 205 → 330 (+61%): deliberate warning
  '330213': {
    frontline_cadres: 80, promoted_total: 58, promoted_frontline: 33,
    villages_signed: 306, communities_signed: 31, cadres_adjusted: 11, secretaries_adjusted: 4,
    nonpublic_members: 3018, four_star_orgs: 73, talent_3315_applications: 54, high_end_teams_new: 2,
    inspections: 330, problems_found: 150, persons_handled: 104, eight_rules_cases: 5, eight_rules_persons: 7,
  },
  // 象山县
  '330225': {
    frontline_cadres: 90, promoted_total: 42, promoted_frontline: 23,
    villages_signed: 376, communities_signed: 34, cadres_adjusted: 18, secretaries_adjusted: 7,
    nonpublic_members: 2690, four_star_orgs: 79, talent_3315_applications: 44, high_end_teams_new: 1,
    inspections: 250, problems_found: 136, persons_handled: 98, eight_rules_cases: 4, eight_rules_persons: 6,
  },
  // 宁海县
  '330226': {
    frontline_cadres: 95, promoted_total: 62, promoted_frontline: 36,
    villages_signed: 357, communities_signed: 36, cadres_adjusted: 12, secretaries_adjusted: 5,
    nonpublic_members: 3436, four_star_orgs: 84, talent_3315_applications: 58, high_end_teams_new: 3,
    inspections: 275, problems_found: 152, persons_handled: 110, eight_rules_cases: 6, eight_rules_persons: 8,
  },
  // 余姚市
  '330281': {
    frontline_cadres: 112, promoted_total: 86, promoted_frontline: 50,
    villages_signed: 286, communities_signed: 40, cadres_adjusted: 16, secretaries_adjusted: 6,
    nonpublic_members: 7839, four_star_orgs: 117, talent_3315_applications: 134, high_end_teams_new: 5,
    inspections: 290, problems_found: 158, persons_handled: 115, eight_rules_cases: 7, eight_rules_persons: 9,
  },
  // 慈溪市
  '330282': {
    frontline_cadres: 121, promoted_total: 96, promoted_frontline: 55,
    villages_signed: 339, communities_signed: 67, cadres_adjusted: 19, secretaries_adjusted: 8,
    nonpublic_members: 9517, four_star_orgs: 134, talent_3315_applications: 142, high_end_teams_new: 5,
    inspections: 410, problems_found: 236, persons_handled: 176, eight_rules_cases: 7, eight_rules_persons: 10,
  },
  // 市本级
  '330200': {
    frontline_cadres: 168, promoted_total: 126, promoted_frontline: 70,
    villages_signed: NA, communities_signed: NA, cadres_adjusted: NA, secretaries_adjusted: NA,
    nonpublic_members: NA, four_star_orgs: 126, talent_3315_applications: 78, high_end_teams_new: 5,
    inspections: 720, problems_found: 370, persons_handled: 262, eight_rules_cases: 11, eight_rules_persons: 16,
  },
};

/** 镇海区 村社明细: the villages where cadres were adjusted in the half-year (sums = the 填报表). */
const ZHENHAI_ADJUSTED: Record<string, Record<string, { cadres: number; secretaries: number }>> = {
  '2018H1': {
    '330211003206': { cadres: 2, secretaries: 1 }, // 余三村委会
    '330211100205': { cadres: 2, secretaries: 1 }, // 十七房村委会
    '330211101203': { cadres: 1, secretaries: 0 }, // 西经堂村委会
  },
  '2018H2': {
    '330211002213': { cadres: 2, secretaries: 1 }, // 陈家村委会
    '330211004209': { cadres: 1, secretaries: 0 }, // 万市徐村委会
    '330211005203': { cadres: 2, secretaries: 1 }, // 妙胜寺村委会
    '330211101208': { cadres: 1, secretaries: 0 }, // 汶溪村委会
  },
};

// ───────────────────────────── units, periods, formats ─────────────────────────────
type Format =
  | 'xlsx-excel'
  | 'xlsx-wps'
  | 'csv-gbk'
  | 'xlsx-detail'
  | 'csv-utf8-bom'
  | 'xlsx-wide'
  | 'xlsx-fullwidth'
  | 'txt-utf16'
  | 'xlsx-hidden-sheet'
  | 'csv-utf8-thousands'
  | 'xlsx-municipal';

interface UnitSpec {
  code: string;
  name: string;
  /** 填报单位 as written on line 2 of the long form */
  reporter: string;
  format: Format;
  ext: 'xlsx' | 'csv' | 'txt';
  /** what real-office trait the file shows (for the README) */
  trait: string;
}

const UNITS: UnitSpec[] = [
  { code: '330203', name: '海曙区', reporter: '海曙区委组织部', format: 'xlsx-excel', ext: 'xlsx', trait: '长表 .xlsx，如 Excel 所存：数值为数字、细边框、标题与指标类别合并单元格、列宽' },
  { code: '330205', name: '江北区', reporter: '江北区委组织部', format: 'xlsx-wps', ext: 'xlsx', trait: 'WPS 表格所存 .xlsx（docProps/app.xml 的 Application 为“WPS 表格”）；数值存为文本（≥1000 带千分位，如“3,087”）；“提拔干部”一格为公式（缓存结果为数值）' },
  { code: '330206', name: '北仑区', reporter: '北仑区委组织部', format: 'csv-gbk', ext: 'csv', trait: '长表 CSV，GBK 编码（中文 Windows 上 Excel 另存的 CSV），逗号分隔、CRLF 换行，行按 Excel 习惯补足逗号' },
  { code: '330211', name: '镇海区', reporter: '镇海区委组织部', format: 'xlsx-detail', ext: 'xlsx', trait: '两张表：“填报表”（长表）与“村社明细”（99 个村社一行一个，12 位代码存为文本，类型 村/社区，明细合计与填报表一致）' },
  { code: '330212', name: '鄞州区', reporter: '鄞州区委组织部', format: 'csv-utf8-bom', ext: 'csv', trait: '长表 CSV，UTF-8 带 BOM，逗号分隔、LF 换行' },
  { code: '330213', name: '奉化区', reporter: '奉化区委组织部', format: 'xlsx-wide', ext: 'xlsx', trait: '宽表（汇总表）.xlsx：表头两行，“单位”纵向合并，指标类别横向合并于其指标之上，一行数据' },
  { code: '330225', name: '象山县', reporter: '象山县委组织部', format: 'xlsx-fullwidth', ext: 'xlsx', trait: '长表 .xlsx，部分数值为文本：全角数字（如“８８”）与带计量单位的数（如“76个”）' },
  { code: '330226', name: '宁海县', reporter: '宁海县委组织部', format: 'txt-utf16', ext: 'txt', trait: 'Excel“Unicode 文本”：UTF-16LE 带 BOM（FF FE），制表符分隔、CRLF 换行' },
  { code: '330281', name: '余姚市', reporter: '余姚市委组织部', format: 'xlsx-hidden-sheet', ext: 'xlsx', trait: '长表 .xlsx，可见表“填报表”之外另有隐藏的辅助表“参数”（类别与计量单位列表，不是报表）' },
  { code: '330282', name: '慈溪市', reporter: '慈溪市委组织部', format: 'csv-utf8-thousands', ext: 'csv', trait: '长表 CSV，UTF-8 无 BOM；≥1000 的数带千分位并加引号（如 "9,248"）' },
  { code: '330200', name: '市本级', reporter: '市直单位（市本级）', format: 'xlsx-municipal', ext: 'xlsx', trait: '长表 .xlsx，填报单位“市直单位（市本级）”；只由区县填报的指标写“—”' },
];

interface PeriodSpec {
  period: string;
  label: string; // 2018年上半年
  filled: string; // 填报日期
  date: Date; // workbook and zip entry dates
  table: Table;
}

const PERIODS: PeriodSpec[] = [
  { period: '2018H1', label: '2018年上半年', filled: '2018年7月5日', date: new Date('2018-07-05T00:00:00Z'), table: H1 },
  { period: '2018H2', label: '2018年下半年', filled: '2019年1月8日', date: new Date('2019-01-08T00:00:00Z'), table: H2 },
];

const CREATOR = 'banbao sample';
const FOOTER = '填报人：张三　　联系电话：0574-87654321';
const HEADER = ['序号', '指标类别', '指标名称', '单位', '本期数', '备注'];
const MUNICIPAL = '330200';
const LARGE = ['330212', '330282', '330281']; // 鄞州 慈溪 余姚
const SMALL = ['330211', '330205']; // 镇海 江北

// ───────────────────────────── catalogue and roster ─────────────────────────────
interface Item {
  no: number;
  code: string;
  category: string;
  name_zh: string;
  measure: string;
  basis: 'stock' | 'period' | 'ytd';
  reporters: 'all' | 'districts';
  part_of?: string;
  na_allowed?: boolean;
}
interface Catalogue {
  period: string;
  categories: string[];
  items: Item[];
}
interface RosterRow {
  code: string;
  name: string;
  town_code: string;
  town_name: string;
  unit_code: string;
  type: '居委会' | '村委会';
}

function loadCatalogue(period: string): Catalogue {
  const cat = YAML.parse(readFileSync(path.join(DATA, 'catalogue', `${period}.yaml`), 'utf8')) as Catalogue;
  cat.items.sort((a, b) => a.no - b.no);
  return cat;
}

function loadRoster(): RosterRow[] {
  const text = readFileSync(path.join(DATA, 'reference', 'villages-3302.csv'), 'utf8');
  return Papa.parse<RosterRow>(text, { header: true, skipEmptyLines: 'greedy', dynamicTyping: false }).data;
}

const isReporter = (item: Item, unit: string) => item.reporters === 'all' || unit !== MUNICIPAL;

// ───────────────────────────── checks ─────────────────────────────
class SampleError extends Error {}
function check(ok: boolean, msg: string): void {
  if (!ok) throw new SampleError(`make-sample: ${msg}`);
}

const num = (v: Value | undefined): number => (typeof v === 'number' ? v : 0);
const sum = (t: Table, code: string, units = Object.keys(t)) => units.reduce((s, u) => s + num(t[u][code]), 0);
const districts = () => UNITS.filter((u) => u.code !== MUNICIPAL).map((u) => u.code);
const unitName = (code: string) => UNITS.find((u) => u.code === code)!.name;

/** Shape: every unit × catalogue item, a non-negative integer where the unit reports, '—' where not. */
function checkShape(p: PeriodSpec, cat: Catalogue): void {
  check(Object.keys(p.table).length === UNITS.length, `${p.period}: ${UNITS.length} units expected`);
  for (const u of UNITS) {
    const row = p.table[u.code];
    check(row !== undefined, `${p.period}: no row for ${u.name}`);
    const codes = cat.items.map((i) => i.code);
    for (const k of Object.keys(row)) check(codes.includes(k), `${p.period} ${u.name}: ${k} is not in the catalogue`);
    for (const item of cat.items) {
      const v = row[item.code];
      if (isReporter(item, u.code))
        check(typeof v === 'number' && Number.isInteger(v) && v >= 0, `${p.period} ${u.name} ${item.code}: a non-negative integer is due, got ${v}`);
      else check(v === NA, `${p.period} ${u.name} ${item.code}: not a reporter, write '—'`);
    }
  }
}

/** Parts ≤ wholes, promoted shares near the city's, size plausibility. */
function checkCommon(p: PeriodSpec, cat: Catalogue, roster: RosterRow[]): void {
  const t = p.table;
  for (const item of cat.items)
    if (item.part_of)
      for (const u of UNITS)
        if (isReporter(item, u.code))
          check(num(t[u.code][item.code]) <= num(t[u.code][item.part_of]), `${p.period} ${u.name}: ${item.code} > ${item.part_of}`);
  const cityShare = (100 * sum(t, 'promoted_frontline')) / sum(t, 'promoted_total');
  for (const u of UNITS) {
    const share = (100 * num(t[u.code].promoted_frontline)) / num(t[u.code].promoted_total);
    check(Math.abs(share - cityShare) <= 20, `${p.period} ${u.name}: promoted share ${share.toFixed(1)}% is more than 20 points from the city's ${cityShare.toFixed(1)}%`);
  }
  // size: every large district above every small one, for every item not tied to the roster
  for (const item of cat.items) {
    if (item.code === 'villages_signed' || item.code === 'communities_signed') continue;
    const minLarge = Math.min(...LARGE.map((u) => num(t[u][item.code])));
    const maxSmall = Math.max(...SMALL.map((u) => num(t[u][item.code])));
    check(minLarge > maxSmall, `${p.period} ${item.code}: a large district (鄞州/慈溪/余姚) is not above the small ones (镇海/江北)`);
  }
  // signage never above the roster
  for (const d of districts()) {
    const n = roster.filter((r) => r.unit_code === d).length;
    check(num(t[d].villages_signed) + num(t[d].communities_signed) <= n, `${p.period} ${unitName(d)}: signage above the roster's ${n}`);
  }
  if (cat.items.some((i) => i.code === 'eight_rules_persons'))
    for (const u of UNITS)
      check(num(t[u.code].eight_rules_persons) >= num(t[u.code].eight_rules_cases), `${p.period} ${u.name}: eight_rules_persons < eight_rules_cases`);
}

/** 2018H1 against the published figures and the roster. */
function checkH1(p: PeriodSpec, roster: RosterRow[]): void {
  const t = p.table;
  const exact: Record<string, number> = {
    villages_signed: 2498,
    communities_signed: 544,
    cadres_adjusted: 127,
    secretaries_adjusted: 51,
    talent_3315_applications: 1248,
    inspections: 3164,
    problems_found: 1735,
    persons_handled: 1261,
    eight_rules_cases: 57,
  };
  for (const [code, want] of Object.entries(exact)) check(sum(t, code) === want, `2018H1 Σ${code} = ${sum(t, code)}, published ${want}`);
  const frontline = sum(t, 'frontline_cadres');
  check(frontline >= 900 && frontline < 2000, `2018H1 Σfrontline_cadres = ${frontline}, 千名 wants [900, 2000)`);
  const share = (100 * sum(t, 'promoted_frontline')) / sum(t, 'promoted_total');
  check(share >= 55 && share < 60, `2018H1 city promoted share ${share.toFixed(2)}%, 近60% wants [55, 60)`);
  const jwTotal = roster.filter((r) => r.type === '居委会').length;
  for (const d of districts()) {
    const units = roster.filter((r) => r.unit_code === d);
    const signed = num(t[d].villages_signed) + num(t[d].communities_signed);
    check(signed === units.length, `2018H1 ${unitName(d)}: villages + communities = ${signed}, roster ${units.length}`);
    const fair = (544 * units.filter((r) => r.type === '居委会').length) / jwTotal;
    check(Math.abs(num(t[d].communities_signed) - fair) <= 2, `2018H1 ${unitName(d)}: communities ${t[d].communities_signed} not near ${fair.toFixed(1)} (居委会 share)`);
  }
  check(sum(t, 'inspections', [MUNICIPAL]) >= 0.15 * 3164, '2018H1 市本级 should hold a sizeable share of inspections');
}

/** 2018H2 against 2018H1: flows of similar size, stocks flat, exactly the two deliberate warnings. */
function checkH2(p: PeriodSpec, prev: PeriodSpec, cat: Catalogue, roster: RosterRow[]): void {
  const t = p.table;
  const yz = '330212';
  check(num(t[yz].villages_signed) + num(t[yz].communities_signed) === 353, '2018H2 鄞州区 villages + communities must be 353 (published)');
  const big: string[] = [];
  for (const item of cat.items) {
    for (const u of UNITS) {
      const now = t[u.code][item.code];
      const before = prev.table[u.code][item.code];
      if (typeof now !== 'number' || typeof before !== 'number') continue;
      const change = before === 0 ? 0 : (now - before) / before;
      const where = `2018H2 ${u.name} ${item.code} ${before} → ${now}`;
      const signage = item.code === 'villages_signed' || item.code === 'communities_signed';
      if (before >= 10 && Math.abs(change) > 0.5) big.push(`${u.code}:${item.code}`);
      if (signage) {
        if (u.code === yz) check(now < before, `${where}: 鄞州区's signage should fall (deliberate warning)`);
        else check(now === before, `${where}: signage unchanged outside 鄞州区`);
      } else if (item.basis === 'stock') {
        check(now >= before && now <= before * 1.1, `${where}: a stock is flat or slightly up`);
      } else if (before >= 10 && !(u.code === '330213' && item.code === 'inspections')) {
        check(Math.abs(change) >= 0.1 && Math.abs(change) <= 0.4, `${where}: a half-year flow moves by 10–40%`);
      }
    }
  }
  check(big.length === 1 && big[0] === '330213:inspections', `2018H2: exactly one change of more than 50% expected (奉化区 inspections), got ${big.join(', ') || 'none'}`);
  const b = num(prev.table['330213'].inspections);
  const rise = (num(t['330213'].inspections) - b) / b;
  check(b >= 100 && rise >= 0.55 && rise <= 0.7, `2018H2 奉化区 inspections should rise 55–70% from ≥ 100, got ${(rise * 100).toFixed(1)}%`);
  void roster;
}

// ───────────────────────────── village-level detail (镇海区) ─────────────────────────────
interface DetailLine {
  code: string;
  name: string;
  town: string;
  type: '村' | '社区';
  cadres: number;
  secretaries: number;
}

/**
 * The organisation department's split of 镇海区's roster: every 村委会 is a 村; then 居委会 in towns
 * (镇) first, then by town code from the last, until the district's villages_signed is reached.
 */
function zhenhaiDetail(p: PeriodSpec, roster: RosterRow[]): DetailLine[] {
  const d = '330211';
  const units = roster.filter((r) => r.unit_code === d).sort((a, b) => a.code.localeCompare(b.code));
  const villages = num(p.table[d].villages_signed);
  const asVillage = new Set(units.filter((r) => r.type === '村委会').map((r) => r.code));
  const jw = units
    .filter((r) => r.type === '居委会')
    .sort((a, b) => {
      const town = (r: RosterRow) => (/[镇乡]$/.test(r.town_name) ? 0 : 1);
      return town(a) - town(b) || b.town_code.localeCompare(a.town_code) || a.code.localeCompare(b.code);
    });
  for (const r of jw) if (asVillage.size < villages) asVillage.add(r.code);
  check(asVillage.size === villages, `${p.period} 镇海区: cannot mark ${villages} villages`);
  const adjusted = ZHENHAI_ADJUSTED[p.period];
  for (const code of Object.keys(adjusted)) check(units.some((r) => r.code === code), `${p.period} 镇海区 detail: ${code} not in the roster`);
  const lines = units.map((r) => ({
    code: r.code,
    name: r.name,
    town: r.town_name,
    type: asVillage.has(r.code) ? ('村' as const) : ('社区' as const),
    cadres: adjusted[r.code]?.cadres ?? 0,
    secretaries: adjusted[r.code]?.secretaries ?? 0,
  }));
  check(lines.length === 99, `${p.period} 镇海区 detail: 99 roster units expected, got ${lines.length}`);
  const total = (f: (l: DetailLine) => number) => lines.reduce((s, l) => s + f(l), 0);
  check(total((l) => (l.type === '村' ? 1 : 0)) === villages, `${p.period} 镇海区 detail: 村 rows ≠ villages_signed`);
  check(total((l) => (l.type === '社区' ? 1 : 0)) === num(p.table[d].communities_signed), `${p.period} 镇海区 detail: 社区 rows ≠ communities_signed`);
  check(total((l) => l.cadres) === num(p.table[d].cadres_adjusted), `${p.period} 镇海区 detail: Σ调整村社干部 ≠ 填报表`);
  check(total((l) => l.secretaries) === num(p.table[d].secretaries_adjusted), `${p.period} 镇海区 detail: Σ其中党组织书记 ≠ 填报表`);
  for (const l of lines) check(l.secretaries <= l.cadres, `${p.period} 镇海区 detail ${l.code}: secretaries > cadres`);
  return lines;
}

// ───────────────────────────── value rendering ─────────────────────────────
const thousands = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const fullWidth = (s: string) => s.replace(/[0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

/** 象山县's text cells: full-width digits here, a trailing measure word there. */
const XIANGSHAN_FULLWIDTH = new Set(['frontline_cadres', 'inspections']);
const XIANGSHAN_MEASURE = new Set(['four_star_orgs', 'problems_found']);

function renderXlsx(format: Format, item: Item, v: Value, row: UnitValues): ExcelJS.CellValue {
  if (v === NA) return NA;
  switch (format) {
    case 'xlsx-wps':
      if (item.code === 'promoted_total') {
        const part = num(row.promoted_frontline);
        return { formula: `${part}+${v - part}`, result: v } as ExcelJS.CellFormulaValue;
      }
      return v >= 1000 ? thousands(v) : String(v);
    case 'xlsx-fullwidth':
      if (XIANGSHAN_FULLWIDTH.has(item.code)) return fullWidth(String(v));
      if (XIANGSHAN_MEASURE.has(item.code)) return `${v}${item.measure}`;
      return v;
    default:
      return v;
  }
}

function renderText(format: Format, v: Value): string {
  if (v === NA) return NA;
  return format === 'csv-utf8-thousands' && v >= 1000 ? thousands(v) : String(v);
}

// ───────────────────────────── xlsx ─────────────────────────────
const THIN: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};
const FONT = { name: '宋体', size: 11 };

function newWorkbook(p: PeriodSpec): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = CREATOR;
  wb.lastModifiedBy = CREATOR;
  wb.created = p.date;
  wb.modified = p.date;
  return wb;
}

const notApplicableNote = (u: UnitSpec, item: Item) => (u.code === MUNICIPAL && !isReporter(item, u.code) ? '市本级不填报' : '');

/** The long form (填报表) on a worksheet: title lines, header, one row per item, footer. */
function addLongSheet(wb: ExcelJS.Workbook, name: string, u: UnitSpec, p: PeriodSpec, cat: Catalogue): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { pageSetup: { paperSize: 9, orientation: 'portrait' } });
  ws.columns = [{ width: 6 }, { width: 13 }, { width: 30 }, { width: 7 }, { width: 12 }, { width: 16 }];
  const row = p.table[u.code];
  ws.getCell('A1').value = `党建争强半年度推进情况表（${p.label}）`;
  ws.getCell('A1').font = { ...FONT, size: 16, bold: true };
  ws.getCell('A1').alignment = { horizontal: 'center', vertical: 'middle' };
  ws.mergeCells('A1:F1');
  ws.getRow(1).height = 30;
  ws.getCell('A2').value = `填报单位：${u.reporter}　　填报日期：${p.filled}`;
  ws.getCell('A2').font = FONT;
  ws.getCell('A2').alignment = { horizontal: 'left', vertical: 'middle' };
  ws.mergeCells('A2:F2');
  HEADER.forEach((h, i) => {
    const c = ws.getRow(3).getCell(i + 1);
    c.value = h;
    c.font = { ...FONT, bold: true };
    c.alignment = { horizontal: 'center', vertical: 'middle' };
    c.border = THIN;
  });
  cat.items.forEach((item, i) => {
    const r = ws.getRow(4 + i);
    const v = row[item.code];
    const rendered = renderXlsx(u.format, item, v, row);
    const values: ExcelJS.CellValue[] = [item.no, item.category, item.name_zh, item.measure, rendered, notApplicableNote(u, item) || null];
    values.forEach((val, j) => {
      const c = r.getCell(j + 1);
      c.value = val;
      c.font = FONT;
      c.border = THIN;
      c.alignment = { horizontal: j === 2 || j === 5 ? 'left' : 'center', vertical: 'middle' };
    });
    if (typeof rendered === 'string' && rendered !== NA) r.getCell(5).numFmt = '@';
  });
  // merge the category cell over consecutive items of the same category
  let start = 0;
  for (let i = 1; i <= cat.items.length; i++) {
    if (i === cat.items.length || cat.items[i].category !== cat.items[start].category) {
      if (i - 1 > start) ws.mergeCells(4 + start, 2, 4 + i - 1, 2);
      start = i;
    }
  }
  const footerRow = 4 + cat.items.length + 1;
  ws.getCell(footerRow, 1).value = FOOTER;
  ws.getCell(footerRow, 1).font = FONT;
  return ws;
}

/** 镇海区's second sheet: one row per roster unit. */
function addDetailSheet(wb: ExcelJS.Workbook, lines: DetailLine[]): void {
  const ws = wb.addWorksheet('村社明细');
  const header = ['村社代码', '村社名称', '乡镇（街道）', '类型', '悬挂红色标识的行政村', '悬挂红色标识的城市社区', '调整村社干部', '其中党组织书记'];
  ws.columns = [{ width: 15 }, { width: 26 }, { width: 13 }, { width: 7 }, { width: 12 }, { width: 12 }, { width: 12 }, { width: 12 }];
  header.forEach((h, i) => {
    const c = ws.getRow(1).getCell(i + 1);
    c.value = h;
    c.font = { ...FONT, bold: true };
    c.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    c.border = THIN;
  });
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  lines.forEach((l, i) => {
    const r = ws.getRow(2 + i);
    const vals: ExcelJS.CellValue[] = [l.code, l.name, l.town, l.type, l.type === '村' ? 1 : 0, l.type === '社区' ? 1 : 0, l.cadres, l.secretaries];
    vals.forEach((v, j) => {
      const c = r.getCell(j + 1);
      c.value = v;
      c.font = FONT;
      c.border = THIN;
      c.alignment = { horizontal: j === 1 || j === 2 ? 'left' : 'center' };
    });
    r.getCell(1).numFmt = '@'; // 12-digit code stored as text
  });
}

/** 余姚市's hidden helper sheet: lists, not a form. */
function addHelperSheet(wb: ExcelJS.Workbook, cat: Catalogue): void {
  const ws = wb.addWorksheet('参数', { state: 'hidden' });
  ws.getCell('A1').value = '指标类别';
  cat.categories.forEach((c, i) => (ws.getCell(2 + i, 1).value = c));
  ws.getCell('B1').value = '计量单位';
  [...new Set(cat.items.map((i) => i.measure))].forEach((m, i) => (ws.getCell(2 + i, 2).value = m));
}

/** 奉化区's wide form (汇总表): a two-row header, category over items, one data row. */
function addWideSheet(wb: ExcelJS.Workbook, u: UnitSpec, p: PeriodSpec, cat: Catalogue): void {
  const ws = wb.addWorksheet('汇总表', { pageSetup: { paperSize: 9, orientation: 'landscape' } });
  const n = cat.items.length;
  ws.columns = [{ width: 10 }, ...cat.items.map(() => ({ width: 11 }))];
  ws.getCell(1, 1).value = `党建争强半年度推进情况汇总表（${p.label}）`;
  ws.getCell(1, 1).font = { ...FONT, size: 16, bold: true };
  ws.getCell(1, 1).alignment = { horizontal: 'center', vertical: 'middle' };
  ws.mergeCells(1, 1, 1, n + 1);
  ws.getRow(1).height = 30;
  const head = (r: number, c: number, v: string) => {
    const cell = ws.getCell(r, c);
    cell.value = v;
    cell.font = { ...FONT, bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.border = THIN;
  };
  head(2, 1, '单位');
  head(3, 1, '');
  ws.mergeCells(2, 1, 3, 1);
  let start = 0;
  for (let i = 1; i <= n; i++) {
    if (i === n || cat.items[i].category !== cat.items[start].category) {
      for (let j = start; j < i; j++) head(2, 2 + j, j === start ? cat.items[start].category : '');
      if (i - 1 > start) ws.mergeCells(2, 2 + start, 2, 2 + i - 1);
      start = i;
    }
  }
  cat.items.forEach((item, j) => head(3, 2 + j, item.name_zh));
  ws.getRow(3).height = 45;
  const row = p.table[u.code];
  const data: ExcelJS.CellValue[] = [u.name, ...cat.items.map((item) => renderXlsx(u.format, item, row[item.code], row))];
  data.forEach((v, j) => {
    const c = ws.getCell(4, 1 + j);
    c.value = v;
    c.font = FONT;
    c.border = THIN;
    c.alignment = { horizontal: 'center', vertical: 'middle' };
  });
  ws.getCell(6, 1).value = FOOTER;
}

async function makeXlsx(u: UnitSpec, p: PeriodSpec, cat: Catalogue, roster: RosterRow[]): Promise<Buffer> {
  const wb = newWorkbook(p);
  switch (u.format) {
    case 'xlsx-excel':
    case 'xlsx-wps':
      addLongSheet(wb, 'Sheet1', u, p, cat);
      break;
    case 'xlsx-detail':
      addLongSheet(wb, '填报表', u, p, cat);
      addDetailSheet(wb, zhenhaiDetail(p, roster));
      break;
    case 'xlsx-wide':
      addWideSheet(wb, u, p, cat);
      break;
    case 'xlsx-hidden-sheet':
      addLongSheet(wb, '填报表', u, p, cat);
      addHelperSheet(wb, cat);
      break;
    case 'xlsx-fullwidth':
    case 'xlsx-municipal':
      addLongSheet(wb, '填报表', u, p, cat);
      break;
    default:
      throw new SampleError(`make-sample: ${u.format} is not an xlsx format`);
  }
  return Buffer.from(await stableXlsx(wb, { date: p.date, wps: u.format === 'xlsx-wps' }));
}

// ───────────────────────────── text (CSV / Unicode text) ─────────────────────────────
function longRows(u: UnitSpec, p: PeriodSpec, cat: Catalogue): string[][] {
  const row = p.table[u.code];
  return [
    [`党建争强半年度推进情况表（${p.label}）`],
    [`填报单位：${u.reporter}　　填报日期：${p.filled}`],
    HEADER,
    ...cat.items.map((item) => [String(item.no), item.category, item.name_zh, item.measure, renderText(u.format, row[item.code]), notApplicableNote(u, item)]),
    [],
    [FOOTER],
  ];
}

function delimited(rows: string[][], sep: string, eol: string, pad: boolean): string {
  const width = HEADER.length;
  const quote = (s: string) => (s.includes(sep) || s.includes('"') || /[\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return rows.map((r) => (pad ? [...r, ...Array(Math.max(0, width - r.length)).fill('')] : r).map(quote).join(sep)).join(eol) + eol;
}

function makeText(u: UnitSpec, p: PeriodSpec, cat: Catalogue): Buffer {
  const rows = longRows(u, p, cat);
  switch (u.format) {
    case 'csv-gbk': {
      const text = delimited(rows, ',', '\r\n', true);
      const bytes = iconv.encode(text, 'gbk');
      check(iconv.decode(bytes, 'gbk') === text, `${u.name}: text does not survive GBK`);
      check(new TextDecoder('gb18030').decode(bytes) === text, `${u.name}: GBK bytes do not decode back as GB18030`);
      return bytes;
    }
    case 'csv-utf8-bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(delimited(rows, ',', '\n', false), 'utf8')]);
    case 'txt-utf16':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(delimited(rows, '\t', '\r\n', true), 'utf16le')]);
    case 'csv-utf8-thousands':
      return Buffer.from(delimited(rows, ',', '\n', false), 'utf8');
    default:
      throw new SampleError(`make-sample: ${u.format} is not a text format`);
  }
}

// ───────────────────────────── README ─────────────────────────────
const FORMAT_LABEL: Record<Format, string> = {
  'xlsx-excel': '.xlsx（Excel）',
  'xlsx-wps': '.xlsx（WPS 表格）',
  'csv-gbk': 'CSV，GBK',
  'xlsx-detail': '.xlsx，填报表 + 村社明细',
  'csv-utf8-bom': 'CSV，UTF-8 BOM',
  'xlsx-wide': '.xlsx，宽表',
  'xlsx-fullwidth': '.xlsx',
  'txt-utf16': 'TXT，UTF-16LE 制表符分隔',
  'xlsx-hidden-sheet': '.xlsx，含隐藏表',
  'csv-utf8-thousands': 'CSV，UTF-8 无 BOM',
  'xlsx-municipal': '.xlsx',
};

const fileName = (u: UnitSpec, p: PeriodSpec) => `${u.name}_${p.period}.${u.ext}`;

function readme(cats: Record<string, Catalogue>): string {
  const t1 = H1;
  const t2 = H2;
  const share = (t: Table) => ((100 * sum(t, 'promoted_frontline')) / sum(t, 'promoted_total')).toFixed(1);
  const lines: string[] = [];
  lines.push('# Sample submissions — ILLUSTRATIVE, not real district data');
  lines.push('');
  lines.push('Every file here was made by `pipeline/tools/make-sample.ts` (`npx tsx pipeline/tools/make-sample.ts`)');
  lines.push('from the indicator catalogue (`data/catalogue/<period>.yaml`), the real roster of Ningbo\'s');
  lines.push('3,042 village-level units (`data/reference/villages-3302.csv`) and a table of per-unit numbers');
  lines.push('written in that script. No district sent these files and no district published these per-unit');
  lines.push('figures: only the **city totals** of 2018H1 and 鄞州区\'s 2018H2 signage count are real (published)');
  lines.push('figures, and the per-unit split behind them is invented. The files exist to exercise the pipeline');
  lines.push('on the kinds of files real offices send. The script is deterministic (no randomness, no clock;');
  lines.push('fixed workbook metadata and zip entry dates), so running it again gives byte-identical files.');
  lines.push('Do not edit the files by hand: change the script and run it again.');
  lines.push('');
  lines.push('## Files');
  lines.push('');
  lines.push('One file per reporting unit and period (10 districts + 市本级 330200); a unit uses the same format in both periods.');
  lines.push('');
  lines.push('| unit | 2018H1 | 2018H2 | format | real-office trait shown |');
  lines.push('|---|---|---|---|---|');
  for (const u of UNITS)
    lines.push(`| ${u.code} ${u.name} | \`2018H1/${fileName(u, PERIODS[0])}\` | \`2018H2/${fileName(u, PERIODS[1])}\` | ${FORMAT_LABEL[u.format]} | ${u.trait} |`);
  lines.push('');
  lines.push('Common to the long forms (填报表): title `党建争强半年度推进情况表（2018年上半年）` (or `下半年`), a line');
  lines.push('`填报单位：…委组织部　　填报日期：2018年7月5日` (2018H2: `2019年1月8日`), the header');
  lines.push('`序号 | 指标类别 | 指标名称 | 单位 | 本期数 | 备注`, one row per catalogue item in catalogue order, and a');
  lines.push('footer `填报人：张三　　联系电话：0574-87654321` two rows below the last item. Items 市本级 does not report');
  lines.push('(signage, cadres adjusted, non-public members) are written `—`.');
  lines.push('2018H2 uses the 2018H2 catalogue, which adds item 16 `eight_rules_persons` (违反中央八项规定处理人数).');
  lines.push('');
  lines.push('## How the numbers were chosen');
  lines.push('');
  lines.push('**2018H1** — the sums over the 11 units reconcile with every 2018H1 published figure:');
  lines.push(`Σ悬挂红色标识的行政村 = ${sum(t1, 'villages_signed')}, Σ城市社区 = ${sum(t1, 'communities_signed')}, Σ调整村社干部 = ${sum(t1, 'cadres_adjusted')},`);
  lines.push(`Σ其中党组织书记 = ${sum(t1, 'secretaries_adjusted')}, Σ“3315计划”申报 = ${sum(t1, 'talent_3315_applications')}, Σ监督检查 = ${sum(t1, 'inspections')}, Σ发现问题 = ${sum(t1, 'problems_found')},`);
  lines.push(`Σ处理人员 = ${sum(t1, 'persons_handled')}, Σ查处违反中央八项规定问题 = ${sum(t1, 'eight_rules_cases')} (all exact); Σ一线挂职干部 = ${sum(t1, 'frontline_cadres')} (“千名”);`);
  lines.push(`提拔干部中攻坚一线表现突出的比例 = ${sum(t1, 'promoted_frontline')} / ${sum(t1, 'promoted_total')} = ${share(t1)}% (“近60%”, [55, 60)).`);
  lines.push('Each district\'s villages + communities signed equals its roster count (so the city total is 3,042 =');
  lines.push('every unit in the roster); communities are split roughly in proportion to each district\'s 居委会 in the');
  lines.push('roster (544 of 861), the rest are villages. Other figures are sized to the district (鄞州、慈溪、余姚');
  lines.push('large; 镇海、江北 small), with 市本级 holding a sizeable share of inspections. Every unit\'s promoted');
  lines.push('share is within 20 points of the city\'s; every part ≤ its whole.');
  lines.push('');
  lines.push('**2018H2** — like a real half-year: period items (promotions, cadres adjusted, 3315 applications, new');
  lines.push('teams, inspections, problems, persons handled, eight-rules cases) are new half-year flows that move by');
  lines.push('10–40% per unit (where the 2018H1 figure is ≥ 10); stocks (一线挂职干部, 非公企业党员, 四星及以上党组织)');
  lines.push('are flat or slightly up; signage is unchanged except in 鄞州区. Exactly two **deliberate warnings**');
  lines.push('are built in, for a reviewer to see:');
  lines.push('');
  lines.push(`- 鄞州区 330212: villages ${t1['330212'].villages_signed} → ${t2['330212'].villages_signed}, communities ${t1['330212'].communities_signed} → ${t2['330212'].communities_signed}; ${num(t2['330212'].villages_signed) + num(t2['330212'].communities_signed)} in all, the`);
  lines.push('  published 2018H2 figure (seed 003: 353 村社 with signage), below the 407 of 2018H1: a stock that falls.');
  lines.push(`- 奉化区 330213: inspections ${t1['330213'].inspections} → ${t2['330213'].inspections} (+${((100 * (num(t2['330213'].inspections) - num(t1['330213'].inspections))) / num(t1['330213'].inspections)).toFixed(0)}%), a change of more than 50%.`);
  lines.push('');
  lines.push('No other unit × item moves by more than 50% from a 2018H1 figure ≥ 10. 违反中央八项规定处理人数 ≥');
  lines.push('查处问题 for every unit. 镇海区\'s 村社明细 lists its 99 roster units: every 村委会 and enough 居委会 (towns');
  lines.push('first) are 村 to make its villages signed, the rest 社区; its adjusted cadres sit on a few villages; every');
  lines.push('column sums to the 填报表.');
  lines.push('');
  lines.push('The script asserts all of the above before writing, and throws if a number breaks a constraint.');
  lines.push('Read by the pipeline, 2018H1 should give no errors and every published 2018H1 figure reconciled');
  lines.push('(the 同比 +44% stays incomplete: there is no 2017H1 data); 2018H2 no errors and only the warnings');
  lines.push('above (鄞州区\'s two stock decreases and the published 353 against 407, 奉化区\'s +61% inspections).');
  lines.push('');
  lines.push('## The numbers');
  lines.push('');
  for (const p of PERIODS) {
    const cat = cats[p.period];
    lines.push(`### ${p.period}`);
    lines.push('');
    lines.push(`| # | item | ${UNITS.map((u) => u.name).join(' | ')} | 全市 |`);
    lines.push(`|---|---|${UNITS.map(() => '---:').join('|')}|---:|`);
    for (const item of cat.items)
      lines.push(`| ${item.no} | ${item.name_zh} | ${UNITS.map((u) => String(p.table[u.code][item.code])).join(' | ')} | ${sum(p.table, item.code)} |`);
    lines.push('');
  }
  return lines.join('\n');
}

// ───────────────────────────── main ─────────────────────────────
async function main(): Promise<void> {
  const roster = loadRoster();
  check(roster.length === 3042, `roster: 3,042 village-level units expected, got ${roster.length}`);
  const cats: Record<string, Catalogue> = {};
  for (const p of PERIODS) {
    cats[p.period] = loadCatalogue(p.period);
    check(cats[p.period].period === p.period, `catalogue ${p.period}: period field`);
  }
  // checks first: nothing is written if a number breaks a constraint
  for (const p of PERIODS) {
    checkShape(p, cats[p.period]);
    checkCommon(p, cats[p.period], roster);
    zhenhaiDetail(p, roster);
  }
  checkH1(PERIODS[0], roster);
  checkH2(PERIODS[1], PERIODS[0], cats['2018H2'], roster);

  const outDir = path.join(DATA, 'submissions');
  for (const p of PERIODS) {
    const dir = path.join(outDir, p.period);
    mkdirSync(dir, { recursive: true });
    for (const u of UNITS) {
      const bytes = u.ext === 'xlsx' ? await makeXlsx(u, p, cats[p.period], roster) : makeText(u, p, cats[p.period]);
      writeFileSync(path.join(dir, fileName(u, p)), bytes);
      console.log(`${path.relative(ROOT, path.join(dir, fileName(u, p)))}  ${bytes.length} bytes`);
    }
  }
  writeFileSync(path.join(outDir, 'README.md'), readme(cats) + '\n');
  console.log(`${path.relative(ROOT, path.join(outDir, 'README.md'))}`);
}

await main();
