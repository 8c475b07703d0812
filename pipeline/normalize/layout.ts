// Normalize, part 1: find the form in a Source (long 填报表, wide 汇总表, village-level 村社明细),
// read its title lines and file name for the unit and period, and list every figure with its cell.
import type { Finding } from '../../schemas/finding.ts';
import { finding } from '../messages.ts';
import { type Cell, type Sheet, type Source, a1, cellAt, cellText } from '../ingest/grid.ts';
import { type IndicatorMatcher, type UnitMatcher, halfOfSpan, isPeriodSpanHeader, matchKey, otherPeriodsIn, periodsIn } from './match.ts';

/** Where a figure came from: file, sheet, A1 cell, 1-based row and column. */
export interface Loc {
  file: string;
  sheet: string;
  cell: string;
  row: number;
  col: number;
}

export function locOf(file: string, sheet: Sheet, r: number, c: number): Loc {
  return { file, sheet: sheet.name, cell: a1(r, c), row: r + 1, col: c + 1 };
}

export interface Observation {
  unit: string;
  indicator: string;
  cell: Cell;
  raw: string;
  loc: Loc;
  /** the row's 备注 / 上报说明 text, if any */
  note: string;
}

export interface DetailRow {
  code: string;
  name: string;
  type: string; // 村 | 社区 | as written
  loc: Loc; // the code cell
  typeLoc: Loc;
  values: { indicator: string; cell: Cell; raw: string; loc: Loc }[];
}

export type Layout = 'long' | 'wide' | 'detail';

export interface ParsedFile {
  file: string;
  /** the unit the file is from (long form and detail); wide forms carry a unit per row */
  unit?: string;
  period?: string;
  layouts: { layout: Layout; sheet: string }[];
  observations: Observation[];
  details: DetailRow[];
  /** (unit → items present in the form) for missing-row checks */
  itemsSeen: Map<string, Set<string>>;
  /** (unit → where the unit's row or form is) for findings about a whole unit */
  unitLoc: Map<string, Loc>;
}

export interface LayoutContext {
  indicators: IndicatorMatcher;
  units: UnitMatcher;
  /** the period of the folder the file was found in, if any */
  period?: string;
}

const k = matchKey;
const NAME_HEADERS = new Set(
  ['指标名称', '指标', '指标项目', '项目', '项目名称', '名称', '指标内容', '统计指标', '数据项', '填报项目', '填报内容', '内容', '工作内容', '考核指标', '指标名称及口径', 'indicator', 'name', 'item'].map(k),
);
const CODE_HEADERS = new Set(['指标代码', '代码', '编码', '指标编码', 'code', 'indicatorcode'].map(k));
const VALUE_HEADERS = new Set(
  ['本期数', '本期', '数值', '数量', '填报数', '本期数值', '完成数', '完成值', '完成情况', '本期完成', '本期完成数', '填报数据', '数据', '实际数', 'value', '本期值', '半年度数据', '实际完成', '实际完成数', '本期实际'].map(k),
);
/** A total column: the period's figures when no column names the period (一季度 | 二季度 | 合计), not before one that does (1-6月 | 7-12月 | 合计). */
const TOTAL_HEADERS = new Set(['合计', '本期合计', '半年合计', '小计'].map(k));
/** Cumulative columns: read only when the form has no column for the period itself (本期数 beside 累计数 wins). */
const CUMULATIVE_HEADERS = new Set(['累计数', '累计', '年度累计', '本年累计', '截至本期累计', '累计完成', '累计完成数'].map(k));
/** Columns that compare with another period: never the period's own figures. */
const COMPARISON = /去年|上年|同期|同比|环比|增减|增长|增幅|比上|上期|对比|差额|变化/;
const MEASURE_HEADERS = new Set(['单位', '计量单位', '计量', '单位名称(计量)', 'measure'].map(k));
const NOTE_HEADERS = new Set(['备注', '说明', '上报说明', '情况说明', 'note', 'notes', 'remark'].map(k));
const UNIT_HEADERS = new Set(['单位', '填报单位', '单位名称', '地区', '区县(市)', '区县市', '县(市、区)', '县市区', '区县', '单位代码', '行政区划代码', '区划代码', 'unit', 'unitcode'].map(k));
const REPORTER_HEADERS = new Set(['填报单位', '报送单位', '单位名称', '单位代码', 'unit'].map(k));
const PERIOD_HEADERS = new Set(['报告期', '期别', '时期', '统计期', '所属期', 'period'].map(k));
const VILLAGE_CODE_HEADERS = new Set(['村社代码', '村(社区)代码', '村社区代码', '统计用区划代码', '区划代码', '村代码', '社区代码', '村社编码', '村级代码', 'villagecode'].map(k));
const VILLAGE_NAME_HEADERS = new Set(['村社名称', '村(社区)名称', '村社区名称', '名称', '村名', '村社', 'villagename'].map(k));
const VILLAGE_TYPE_HEADERS = new Set(['类型', '村社类型', '村/社区', '村或社区', 'type'].map(k));
const FOOTER = /^(注|说明|备注|填报人|填表人|填报单位|填报日期|联系人|联系电话|审核人|负责人|制表|单位负责人|分管领导)/;
const TOTAL_ROW = new Set(['合计', '总计', '全市', '小计', '全市合计', '宁波市', '总数'].map(k));
const MAX_HEADER_SCAN = 30;

/** Text of a cell, or of the master of the merged range covering it (for headers and titles). */
function filledText(sheet: Sheet, r: number, c: number): string {
  const own = cellText(cellAt(sheet, r, c)).trim();
  if (own) return own;
  for (const m of sheet.merges)
    if (r >= m.top && r <= m.bottom && c >= m.left && c <= m.right) return cellText(cellAt(sheet, m.top, m.left)).trim();
  return '';
}

function rowWidth(sheet: Sheet, r: number): number {
  let w = sheet.rows[r]?.length ?? 0;
  for (const m of sheet.merges) if (r >= m.top && r <= m.bottom) w = Math.max(w, m.right + 1);
  return w;
}

interface LongHeader {
  layout: 'long';
  row: number;
  name?: number;
  code?: number;
  value: number;
  measure?: number;
  note?: number;
  reporter?: number;
  periodCol?: number;
}
interface WideHeader {
  layout: 'wide';
  row: number;
  unitCol: number;
  items: { col: number; indicator: string }[];
  unknown: { col: number; text: string }[];
  /** a second visible column for an item already read */
  duplicates: { col: number; indicator: string }[];
  note?: number;
}
interface DetailHeader {
  layout: 'detail';
  row: number;
  codeCol: number;
  nameCol?: number;
  typeCol?: number;
  items: { col: number; indicator: string }[];
  /** one column for items told apart by the row's type (是否悬挂红色标识 → 行政村 / 城市社区) */
  byType: { col: number; items: Record<string, string> }[];
}
type Header = LongHeader | WideHeader | DetailHeader;

/** Finds the header row of the form a sheet holds, scanning below any title lines. */
export function detectHeader(sheet: Sheet, ctx: LayoutContext): Header | undefined {
  const n = Math.min(sheet.rows.length, MAX_HEADER_SCAN);
  for (let r = 0; r < n; r++) {
    const w = rowWidth(sheet, r);
    const texts = Array.from({ length: w }, (_, c) => filledText(sheet, r, c));
    const keys = texts.map(k);
    const items: { col: number; indicator: string }[] = [];
    const duplicates: { col: number; indicator: string }[] = [];
    const seen = new Set<string>();
    const hiddenCol = (c: number) => sheet.hiddenCols?.includes(c + 1) ?? false;
    for (let c = 0; c < w; c++) {
      let ind = texts[c] ? ctx.indicators.reported(texts[c]) : undefined;
      // a sub-column under a merged group header: 悬挂红色标识 over 行政村 | 城市社区, 正风肃纪 over
      // 监督检查 | 发现问题, 提拔干部（人） over 小计 | 其中…
      if (!ind && texts[c] && r > 0) {
        const group = groupText(sheet, r - 1, c).replace(/\s*[(（][^()（）]{1,8}[)）]\s*$/, '');
        if (group) ind = ctx.indicators.reported(group + texts[c]) ?? (SUBTOTAL.test(k(texts[c])) ? ctx.indicators.reported(group) : undefined);
      }
      if (!ind) continue;
      if (!seen.has(ind)) (items.push({ col: c, indicator: ind }), seen.add(ind));
      else {
        // an item twice: a hidden column (last period's, left in) gives way to a visible one; two
        // visible columns are an error
        const first = items.findIndex((i) => i.indicator === ind);
        if (hiddenCol(items[first].col) && !hiddenCol(c)) items[first] = { col: c, indicator: ind };
        else if (!hiddenCol(c)) duplicates.push({ col: c, indicator: ind });
      }
    }
    const find = (set: Set<string>, from = 0) => {
      for (let c = from; c < w; c++) if (keys[c] && set.has(keys[c])) return c;
      return undefined;
    };
    // village-level detail: a village code column and at least one item column
    const codeCol = find(VILLAGE_CODE_HEADERS);
    if (codeCol !== undefined && !holdsUnitCodes(sheet, r, codeCol, ctx)) {
      const nameCol = find(VILLAGE_NAME_HEADERS);
      const typeCol = find(VILLAGE_TYPE_HEADERS);
      const byType: DetailHeader['byType'] = [];
      if (typeCol !== undefined)
        for (let c = 0; c < w; c++) {
          const split = texts[c] && !items.some((i) => i.col === c) ? ctx.indicators.byType(texts[c]) : undefined;
          if (split && !Object.values(split).some((code) => seen.has(code))) byType.push({ col: c, items: split });
        }
      if (items.length >= 1 || byType.length) return { layout: 'detail', row: r, codeCol, nameCol, typeCol, items, byType };
    }
    // wide: a unit column and at least two item columns (the unit header may be merged from the row above);
    // a group header merged over its sub-columns (提拔干部 over 小计 | 其中…) is read on the row below
    if (items.length >= 2 && !(duplicates.length && twoRowHeader(sheet, r, w))) {
      let unitCol = find(UNIT_HEADERS);
      if (unitCol === undefined && r > 0)
        for (let c = 0; c < w; c++) if (UNIT_HEADERS.has(k(filledText(sheet, r - 1, c)))) unitCol = c;
      if (unitCol === undefined) {
        // no header over the unit column: take the first column whose data cells name units
        for (let c = 0; c < w && unitCol === undefined; c++)
          if (!items.some((i) => i.col === c) && ctx.units.exact(cellText(cellAt(sheet, r + 1, c)))) unitCol = c;
      }
      if (unitCol !== undefined) {
        const unknown: { col: number; text: string }[] = [];
        const skip = new Set([...NAME_HEADERS, ...UNIT_HEADERS, ...NOTE_HEADERS, ...['序号', '编号', '填报人', '联系人', '联系电话', '填报日期', '排名', '名次', '审核人'].map(k)]);
        for (let c = 0; c < w; c++) {
          // hidden columns (helper columns, last period's figures) are not read, nor are they errors
          if (c === unitCol || items.some((i) => i.col === c) || duplicates.some((d) => d.col === c) || !keys[c] || skip.has(keys[c]) || hiddenCol(c)) continue;
          if (ctx.indicators.derived(texts[c]) || ctx.indicators.category(texts[c])) continue;
          // a share under its group (提拔干部 over 小计 | 其中… | 占比): computed by the pipeline, not read
          if (/占比|比例|比重|覆盖率|百分比|完成率|%$/.test(texts[c].normalize('NFKC')) && r > 0 && groupText(sheet, r - 1, c)) continue;
          unknown.push({ col: c, text: texts[c] });
        }
        return { layout: 'wide', row: r, unitCol, items, unknown, duplicates, note: find(NOTE_HEADERS) };
      }
    }
    // long: a name or code column and a value column. A header two rows deep (指标 merged over
    // 类别 | 名称) is read as one: the lower row's text where it has one, else the upper row's.
    if (twoRowHeader(sheet, r, w)) {
      const width = Math.max(w, rowWidth(sheet, r + 1));
      const lower = Array.from({ length: width }, (_, c) => cellText(cellAt(sheet, r + 1, c)).trim() || filledText(sheet, r, c));
      // the group over a sub-label counts for comparisons: 上年同期 over 本期 | 累计
      const full = Array.from({ length: width }, (_, c) => `${filledText(sheet, r, c)}${cellText(cellAt(sheet, r + 1, c)).trim()}`);
      // (not when the lower row names items: that is a wide form's header, found at r + 1)
      const itemsBelow = new Set(lower.map((t) => (t ? ctx.indicators.reported(t) : undefined)).filter(Boolean));
      const two = itemsBelow.size < 2 ? longHeader(lower, r + 1, ctx, sheet, full) : undefined;
      if (two) return two;
    }
    const one = longHeader(texts, r, ctx, sheet);
    if (one) return one;
  }
  return undefined;
}

const SUBTOTAL = /^(小计|合计|计|总计|总数|人数|数量|个数|次数)$/;

/** The text of a group header merged across columns over (r, c), or ''. */
function groupText(sheet: Sheet, r: number, c: number): string {
  for (const m of sheet.merges)
    if (m.right > m.left && r >= m.top && r <= m.bottom && c >= m.left && c <= m.right) return cellText(cellAt(sheet, m.top, m.left)).trim();
  return '';
}

/** A 区划代码 column whose first codes are the reporting units' own (330203): a wide form, not village detail. */
function holdsUnitCodes(sheet: Sheet, headerRow: number, col: number, ctx: LayoutContext): boolean {
  let seen = 0;
  for (let r = headerRow + 1; r < sheet.rows.length && seen < 3; r++) {
    const cell = cellAt(sheet, r, col);
    const text = (cell.t === 'number' ? String(cell.n) : cellText(cell)).normalize('NFKC').replace(/[\s']/g, '');
    if (!text) continue;
    seen++;
    if (/^\d{6}$/.test(text) && ctx.units.exact(text)) return true;
  }
  return false;
}

/** Row r has a label merged across columns with sub-labels under it in row r + 1. */
function twoRowHeader(sheet: Sheet, r: number, w: number): boolean {
  if (r + 1 >= sheet.rows.length) return false;
  return sheet.merges.some((m) => {
    if (m.top !== r || m.bottom !== r || m.right <= m.left || m.left >= w) return false;
    for (let c = m.left; c <= m.right; c++) if (cellText(cellAt(sheet, r + 1, c)).trim()) return true;
    return false;
  });
}

/** A long-form header in these header texts, or undefined. */
function longHeader(texts: string[], row: number, ctx: LayoutContext, sheet: Sheet, full: string[] = texts): LongHeader | undefined {
  const keys = texts.map(k);
  const w = texts.length;
  const find = (set: Set<string>) => {
    for (let c = 0; c < w; c++) if (keys[c] && set.has(keys[c])) return c;
    return undefined;
  };
  const name = find(NAME_HEADERS);
  const code = find(CODE_HEADERS);
  if (name === undefined && code === undefined) return undefined;
  // a hidden column (last period's figures left in) is never the value column
  const hidden = (sheet.hiddenCols ?? []).map((c) => c - 1);
  const value = valueColumn(texts, keys, new Set([name, code, ...hidden]), ctx.period, full);
  if (value === undefined) return undefined;
  let measure: number | undefined;
  for (let c = 0; c < w; c++) if (MEASURE_HEADERS.has(keys[c]) && c !== value) measure = c;
  // 单位 beside 计量单位 (a system export: 单位 | 报告期 | 指标名称 | 计量单位 | 本期数) is the reporting unit
  let reporter = find(REPORTER_HEADERS);
  if (reporter === undefined && measure !== undefined && keys[measure] !== k('单位')) {
    const plain = keys.findIndex((key, c) => key === k('单位') && c !== value);
    if (plain >= 0) reporter = plain;
  }
  return { layout: 'long', row, name, code, value, measure, note: find(NOTE_HEADERS), reporter, periodCol: find(PERIOD_HEADERS) };
}

/**
 * The column holding the period's figures, in this order: a 本期数-like header; a header naming
 * the period being read (2018年上半年 beside 2017年上半年, 1-6月 / 上半年 for an H1); a cumulative
 * column (累计数); any other header that names a period or a span of months, the latest first
 * (the file's period claims then say whose figures they are). Columns comparing with another
 * period (去年同期, 同比增减) are never taken.
 */
function valueColumn(texts: string[], keys: string[], skip: Set<number | undefined>, period: string | undefined, full: string[] = texts): number | undefined {
  const cols = texts.map((_, c) => c).filter((c) => !skip.has(c) && texts[c] && !COMPARISON.test(texts[c]) && !COMPARISON.test(full[c] ?? ''));
  const primary = cols.find((c) => VALUE_HEADERS.has(keys[c]));
  if (primary !== undefined) return primary;
  const half = period ? period.slice(4) : undefined;
  const ofPeriod = cols.find((c) => (period && periodsIn(texts[c]).includes(period)) || (half && !/\d{4}/.test(texts[c]) && halfOfSpan(texts[c]) === half));
  if (ofPeriod !== undefined) return ofPeriod;
  const total = cols.find((c) => TOTAL_HEADERS.has(keys[c]));
  if (total !== undefined) return total;
  const cumulative = cols.find((c) => CUMULATIVE_HEADERS.has(keys[c]));
  if (cumulative !== undefined) return cumulative;
  const dated = cols
    .filter((c) => periodsIn(texts[c]).length || otherPeriodsIn(texts[c]).length || isPeriodSpanHeader(texts[c]) || /本期|数值|\d{4}年/.test(texts[c]))
    .map((c) => ({ c, latest: [...periodsIn(texts[c])].sort().pop() ?? '' }));
  dated.sort((a, b) => (a.latest < b.latest ? 1 : a.latest > b.latest ? -1 : a.c - b.c));
  return dated[0]?.c;
}

const UNIT_LABEL = /(填报单位|报送单位|填表单位|单位名称|(?<![计量])单位(?=\s*[:：]))\s*(?:[(（][^)）]{0,6}[)）])?\s*[:：]?\s*(.*?)(?=\s{2,}|填报日期|填表日期|日期|报送日期|联系|填报人|填表人|(?<![计量])单位\s*[:：]|$)/g;
/** A cell that is an organisation's name and nothing else: 中共宁波市海曙区委组织部（盖章）. */
const SIGNATURE = /^(中共)?[^，。,;；:：\s]{0,18}(委组织部|组织部|党委|党工委|党组)\s*([(（]?盖章[)）]?)?$/;
/** Title lines that mention units or years without being about this file's own (notes, references). */
const NOT_OWN = /^\s*[(（]|^\s*(注|说明|填报说明|填表说明|依据|抄送)|各|参照|不含|含|另表|另报|抄送|按照|根据|目标|对照|依据|要点|《|计划|任务|规划|考核/;

interface Claim {
  value: string;
  source: string;
}

interface SheetClaims {
  /** 填报单位 / 报送单位 / 单位： labels (title or under the table) */
  units: Claim[];
  periods: Claim[];
  /**
   * Used only when no label, file name or column names the unit, in this order, the first tier that
   * names exactly one unit: 1 a title line naming one unit; 2 a signature (中共宁波市海曙区委组织部);
   * 3 the sheet's name. Tiers 2 and 3 are said (file.unit_inferred).
   */
  guessed: (Claim & { tier: 1 | 2 | 3 })[];
  /** used only when nothing else names the period: the sheet's name */
  weakPeriods: Claim[];
  /** a 填报单位 label whose text names no reporting unit (杭州湾新区): where, for the finding */
  unknownUnit?: { loc: Loc; raw: string };
}

/**
 * What a sheet says of its unit and period: the title lines above the header (a 填报单位 label, with
 * the name in its own cell or the next one; a title naming one unit; the period), 填报单位 labels and
 * signature lines below the table, and the sheet's own name.
 */
function sheetClaims(sheet: Sheet, headerRow: number, file: string, ctx: LayoutContext): SheetClaims {
  const out: SheetClaims = { units: [], periods: [], guessed: [], weakPeriods: [] };
  const one = (text: string) => {
    const u = ctx.units.exact(text);
    if (u) return u;
    const named = ctx.units.within(text);
    return named.length === 1 ? named[0] : undefined;
  };
  for (let r = 0; r < sheet.rows.length; r++) {
    if (r === headerRow) continue;
    const title = r < headerRow;
    const row = sheet.rows[r] ?? [];
    for (let c = 0; c < row.length; c++) {
      const cell = row[c];
      if (!cell || cell.t !== 'text') continue;
      const text = cell.s.normalize('NFKC');
      if (!text.trim()) continue;
      if (!title && text.length > 80) continue;
      const where = `${sheet.name ? sheet.name + '!' : ''}${a1(r, c)}`;
      let labelled = false;
      for (const m of text.matchAll(UNIT_LABEL)) {
        // 单位：人、个 over a table is its measure, not its reporter
        if (m[1] === '单位' && /^[\s人个次名起件家项万元%、,，/]*$/.test(m[2])) continue;
        if (!title && !/^\s*(填报单位|报送单位|填表单位|单位名称|单位)/.test(text)) continue;
        labelled = true;
        let named = m[2].trim() ? one(m[2]) : undefined;
        let shown = m[0].trim();
        if (!m[2].trim()) {
          // 填报单位： | 鄞州区委组织部 — the name in the next filled cell of the row
          for (let c2 = c + 1; c2 < Math.min(row.length, c + 4) && named === undefined; c2++) {
            const next = cellText(cellAt(sheet, r, c2)).normalize('NFKC').trim();
            if (!next) continue;
            named = one(next.replace(UNIT_LABEL, '$2'));
            shown = `${m[0].trim()}${next}`;
            if (named === undefined) {
              out.unknownUnit ??= { loc: locOf(file, sheet, r, c2), raw: next.slice(0, 40) };
              break;
            }
          }
        }
        if (named) out.units.push({ value: named, source: `${title ? '标题' : '表下'} ${where}“${shown}”` });
        else if (m[2].trim()) out.unknownUnit ??= { loc: locOf(file, sheet, r, c), raw: m[2].trim().slice(0, 40) };
      }
      if (labelled) {
        // (a label line's other words are not a title)
      } else if (title && text.trim().length <= 40 && !NOT_OWN.test(text)) {
        // a title that names one unit: 镇海区党建争强半年度推进情况表 (not a note, not 市级 inside a phrase)
        const named = ctx.units.within(text).filter((u) => ctx.units.exact(u) !== undefined);
        const city = named.length === 1 && ctx.units.exact(named[0]) === ctx.units.exact('市本级') && !/市本级|市直/.test(text);
        if (named.length === 1 && !city) out.guessed.push({ value: named[0], source: `标题 ${where}“${text.trim().slice(0, 40)}”`, tier: 1 });
      } else if (!title && SIGNATURE.test(text.trim())) {
        const named = one(text);
        if (named) out.guessed.push({ value: named, source: `落款 ${where}“${text.trim().slice(0, 40)}”`, tier: 2 });
      }
      if (title) {
        const periods = [...periodsIn(text), ...(NOT_OWN.test(text) ? [] : otherPeriodsIn(text))];
        for (const p of periods) out.periods.push({ value: p, source: `标题 ${where}“${text.trim().slice(0, 40)}”` });
      }
    }
  }
  if (sheet.name) {
    const u = one(sheet.name);
    if (u) out.guessed.push({ value: u, source: `工作表名“${sheet.name}”`, tier: 3 });
    for (const p of [...periodsIn(sheet.name), ...otherPeriodsIn(sheet.name)]) out.weakPeriods.push({ value: p, source: `工作表名“${sheet.name}”` });
  }
  return out;
}

function fileNameClaims(file: string, ctx: LayoutContext) {
  const base = file.split(/[\\/]/).pop() ?? file;
  const stem = base.replace(/\.[^.]+$/, '');
  const named = ctx.units.within(stem);
  return {
    units: named.length === 1 ? [{ value: named[0], source: `文件名“${base}”` }] : [],
    periods: [...periodsIn(stem), ...otherPeriodsIn(stem)].map((p) => ({ value: p, source: `文件名“${base}”` })),
  };
}

function distinct(claims: Claim[]): string[] {
  return [...new Set(claims.map((c) => c.value))];
}

function describeConflict(claims: Claim[], name: (v: string) => string): string {
  const byValue = new Map<string, string>();
  for (const c of claims) if (!byValue.has(c.value)) byValue.set(c.value, c.source);
  return [...byValue].map(([v, s]) => `${s}为${name(v)}`).join('，');
}

function villageType(text: string): string {
  const t = k(text);
  if (['村', '行政村', '村委会', '村民委员会'].map(k).includes(t)) return '村';
  if (['社区', '城市社区', '居委会', '居民委员会', '社区居委会'].map(k).includes(t)) return '社区';
  return text.trim();
}

/** Parses every form in a Source into observations with provenance, plus findings. */
export function parseForms(source: Source, ctx: LayoutContext): { parsed?: ParsedFile; findings: Finding[] } {
  const file = source.file;
  const findings: Finding[] = [];
  const headers: { sheet: Sheet; header: Header }[] = [];
  for (const sheet of source.sheets) {
    const header = detectHeader(sheet, ctx);
    if (header) headers.push({ sheet, header });
  }
  if (headers.length === 0) return { findings: [finding('file.no_form', { file })] };

  // of several forms: the one for the period being read (its title or sheet name says so), then one
  // that names no period, then the rest; visible sheets before hidden ones; then in sheet order
  const claimsOf = new Map(headers.map(({ sheet, header }) => [sheet, sheetClaims(sheet, header.row, file, ctx)]));
  const periodRank = (sheet: Sheet) => {
    const c = claimsOf.get(sheet)!;
    const named = distinct(c.periods.length ? c.periods : c.weakPeriods);
    if (!named.length) {
      // sheets named 上半年 / 下半年 (or 1-6月 / 7-12月) without the year: the half being read first
      const half = halfOfSpan(sheet.name);
      if (half && ctx.period) return ctx.period.endsWith(half) ? 0 : 2;
      return 1;
    }
    return ctx.period && named.includes(ctx.period) ? 0 : 2;
  };
  const byPreference = (a: { sheet: Sheet }, b: { sheet: Sheet }) => periodRank(a.sheet) - periodRank(b.sheet) || Number(a.sheet.hidden) - Number(b.sheet.hidden);
  const summaries = headers.filter((h) => h.header.layout !== 'detail').sort(byPreference);
  const details = headers.filter((h) => h.header.layout === 'detail').sort(byPreference);
  const used = [...summaries.slice(0, 1), ...details.slice(0, 1)];
  if (summaries.length > 1)
    findings.push(
      finding('sheet.several_forms', { file, sheet: summaries[0].sheet.name }, {
        what: summaries[0].sheet.name,
        detail: `未读取 ${summaries.slice(1).map((s) => `“${s.sheet.name}”`).join('、')}`,
      }),
    );
  for (const { sheet } of used) if (sheet.hidden) findings.push(finding('sheet.hidden', { file, sheet: sheet.name }, { what: sheet.name }));

  // unit and period claims: title lines of the used sheets, the file name, a unit column
  const unitClaims: Claim[] = [];
  const periodClaims: Claim[] = [];
  const guessed: SheetClaims['guessed'] = [];
  const weakPeriods: Claim[] = [];
  let unknownUnit: SheetClaims['unknownUnit'];
  for (const { sheet, header } of used) {
    const t = claimsOf.get(sheet)!;
    unitClaims.push(...t.units);
    periodClaims.push(...t.periods);
    guessed.push(...t.guessed);
    weakPeriods.push(...t.weakPeriods);
    unknownUnit ??= t.unknownUnit;
    if (header.layout === 'long') {
      // the value column's own header may name the period (2018年上半年)
      const text = filledText(sheet, header.row, header.value) || (header.row > 0 ? filledText(sheet, header.row - 1, header.value) : '');
      for (const p of [...periodsIn(text), ...otherPeriodsIn(text)]) periodClaims.push({ value: p, source: `表头 ${sheet.name ? sheet.name + '!' : ''}${a1(header.row, header.value)}“${text}”` });
    }
  }
  const fn = fileNameClaims(file, ctx);
  unitClaims.push(...fn.units);
  periodClaims.push(...fn.periods);

  const parsed: ParsedFile = {
    file,
    layouts: used.map(({ sheet, header }) => ({ layout: header.layout, sheet: sheet.name })),
    observations: [],
    details: [],
    itemsSeen: new Map(),
    unitLoc: new Map(),
  };

  const summary = summaries[0];
  let wideUnits: string[] = [];
  if (summary?.header.layout === 'long') {
    const h = summary.header;
    // a 报告期 column is one more period claim
    if (h.periodCol !== undefined) {
      for (let r = h.row + 1; r < summary.sheet.rows.length; r++) {
        const t = cellText(cellAt(summary.sheet, r, h.periodCol));
        for (const p of periodsIn(t)) periodClaims.push({ value: p, source: `“报告期”列 ${a1(r, h.periodCol)}` });
      }
    }
    // a 填报单位 column is one more claim
    if (h.reporter !== undefined) {
      for (let r = h.row + 1; r < summary.sheet.rows.length; r++) {
        const t = cellText(cellAt(summary.sheet, r, h.reporter));
        const u = t ? (ctx.units.exact(t) ?? ctx.units.within(t)[0]) : undefined;
        if (u) unitClaims.push({ value: u, source: `“填报单位”列 ${a1(r, h.reporter)}` });
      }
    }
  }
  const detail = details[0];
  if (detail && detail.header.layout === 'detail') {
    readDetail(detail.sheet, detail.header, file, ctx, parsed);
    if (unitClaims.length === 0) {
      // a detail-only file names its unit through the village codes (first six digits)
      const prefixes = [...new Set(parsed.details.map((d) => d.code.slice(0, 6)))].filter((p) => ctx.units.exact(p));
      if (prefixes.length === 1) unitClaims.push({ value: prefixes[0], source: '村社代码' });
    }
  }
  // Period: every source must agree; the folder is one more source. A sheet's name counts only when
  // nothing else names the period. A full year or a quarter (2018年1-12月) is not a half-year.
  if (periodClaims.length === 0) periodClaims.push(...weakPeriods);
  const periods = distinct(periodClaims);
  const halfYear = (p: string) => /^\d{4}H[12]$/.test(p);
  if (periods.length > 1) {
    findings.push(finding('file.period_conflict', { file }, { detail: describeConflict(periodClaims, (v) => v) }));
  } else if (periods.length === 1) {
    if (halfYear(periods[0])) parsed.period = periods[0];
    if (ctx.period && periods[0] !== ctx.period)
      findings.push(finding('file.period_other', { file, period: ctx.period }, { other: periods[0], period: ctx.period }));
    else if (!ctx.period && !halfYear(periods[0])) findings.push(finding('file.period_unknown', { file, raw: periods[0] }));
  } else if (ctx.period) parsed.period = ctx.period;
  else findings.push(finding('file.period_unknown', { file }));

  // nothing names the unit outright: a title naming one unit, else a signature, else the sheet's name
  let inferred: Claim | undefined;
  if (unitClaims.length === 0)
    for (const tier of [1, 2, 3] as const) {
      const named = distinct(guessed.filter((g) => g.tier === tier));
      if (named.length > 1) break; // two units named at one level: no guess
      if (named.length === 1) {
        const claim = guessed.find((g) => g.tier === tier)!;
        unitClaims.push(claim);
        if (tier > 1) inferred = claim;
        break;
      }
    }
  const units = distinct(unitClaims);
  if (summary?.header.layout === 'wide') {
    wideUnits = readWide(summary.sheet, summary.header, file, ctx, parsed, findings);
  } else {
    if (units.length > 1) findings.push(finding('file.unit_conflict', { file }, { detail: describeConflict(unitClaims, ctx.units.name) }));
    else if (units.length === 1) {
      parsed.unit = units[0];
      if (inferred && summary?.header.layout === 'long')
        findings.push(finding('file.unit_inferred', { file, sheet: summary.sheet.name, unit: units[0] }, { unit: ctx.units.name(units[0]), detail: inferred.source }));
    }
    else findings.push(unknownUnit ? finding('file.unit_unknown', { ...unknownUnit.loc, raw: unknownUnit.raw }) : finding('file.unit_unknown', { file }));
    if (summary?.header.layout === 'long' && parsed.unit)
      readLong(summary.sheet, summary.header, file, parsed.unit, ctx, parsed, findings);
  }
  void wideUnits;

  // hidden rows inside the used forms: read, and say so
  for (const { sheet, header } of used) {
    const hidden = sheet.hiddenRows.filter((r) => r - 1 > header.row);
    if (hidden.length)
      findings.push(
        finding('sheet.hidden_rows', { file, sheet: sheet.name, row: hidden[0], cell: `A${hidden[0]}` }, { what: hidden.join('、') }),
      );
  }
  return { parsed, findings };
}

function readLong(sheet: Sheet, h: LongHeader, file: string, unit: string, ctx: LayoutContext, out: ParsedFile, findings: Finding[]): void {
  const seen = new Map<string, Loc>();
  out.itemsSeen.set(unit, new Set());
  out.unitLoc.set(unit, locOf(file, sheet, h.row, h.value));
  for (let r = h.row + 1; r < sheet.rows.length; r++) {
    const nameText = h.name !== undefined ? cellText(cellAt(sheet, r, h.name)).trim() : '';
    const codeText = h.code !== undefined ? cellText(cellAt(sheet, r, h.code)).trim() : '';
    const valueCell = cellAt(sheet, r, h.value);
    const label = nameText || codeText;
    if (!label) {
      // a second header row under the header (数量 | 数量 | % under 2017年上半年 | 2018年上半年 | 增减)
      if (r === h.row + 1 && valueCell.t === 'text') continue;
      if (valueCell.t !== 'empty') {
        const loc = locOf(file, sheet, r, h.name ?? h.code ?? 0);
        findings.push(finding('row.unknown_indicator', { ...loc, unit, raw: cellText(valueCell) }, { raw: '（空）' }));
      }
      continue;
    }
    const firstText = cellText(cellAt(sheet, r, 0)).trim();
    if (FOOTER.test(label.normalize('NFKC')) || FOOTER.test(firstText.normalize('NFKC'))) continue;
    const indicator = (codeText && ctx.indicators.reported(codeText)) || (nameText && ctx.indicators.reported(nameText)) || undefined;
    if (!indicator) {
      if (ctx.indicators.derived(label)) continue; // shares and sums are computed, not read
      if (ctx.indicators.category(label) && valueCell.t === 'empty') continue; // a category heading row
      const col = nameText ? h.name! : h.code!;
      findings.push(finding('row.unknown_indicator', { ...locOf(file, sheet, r, col), unit, raw: label }));
      continue;
    }
    const loc = locOf(file, sheet, r, h.value);
    const prev = seen.get(indicator);
    if (prev) {
      findings.push(finding('row.duplicate_indicator', { ...loc, unit, indicator, raw: cellText(valueCell) }, { item: label, other: prev.cell }));
      continue;
    }
    seen.set(indicator, loc);
    out.itemsSeen.get(unit)!.add(indicator);
    const note = h.note !== undefined ? cellText(cellAt(sheet, r, h.note)).trim() : '';
    if (h.measure !== undefined) {
      const measure = cellText(cellAt(sheet, r, h.measure)).trim();
      if (/[万亿千%％]/.test(measure))
        findings.push(
          finding('row.unit_measure', { ...locOf(file, sheet, r, h.measure), unit, indicator, raw: measure }, { expected: ctx.indicators.measure(indicator) }),
        );
    }
    out.observations.push({ unit, indicator, cell: valueCell, raw: cellText(valueCell), loc, note });
  }
}

function readWide(sheet: Sheet, h: WideHeader, file: string, ctx: LayoutContext, out: ParsedFile, findings: Finding[]): string[] {
  const units: string[] = [];
  const seenUnit = new Map<string, Loc>();
  const colHasData = (c: number) => sheet.rows.slice(h.row + 1).some((row) => (row[c]?.t ?? 'empty') !== 'empty');
  for (const u of h.unknown)
    if (colHasData(u.col)) findings.push(finding('header.unknown_indicator', { ...locOf(file, sheet, h.row, u.col), raw: u.text }));
  for (const d of h.duplicates)
    if (colHasData(d.col))
      findings.push(finding('header.duplicate_indicator', { ...locOf(file, sheet, h.row, d.col), indicator: d.indicator, raw: cellText(cellAt(sheet, h.row, d.col)) }, { item: cellText(cellAt(sheet, h.row, d.col)).trim() }));
  for (let r = h.row + 1; r < sheet.rows.length; r++) {
    const unitText = cellText(cellAt(sheet, r, h.unitCol)).trim();
    if (!unitText) continue;
    if (FOOTER.test(unitText.normalize('NFKC'))) continue;
    if (TOTAL_ROW.has(k(unitText))) continue; // the city total is computed, not read
    const unitLoc = locOf(file, sheet, r, h.unitCol);
    const unit = ctx.units.exact(unitText) ?? (ctx.units.within(unitText).length === 1 ? ctx.units.within(unitText)[0] : undefined);
    if (!unit) {
      findings.push(finding('row.unknown_unit', { ...unitLoc, raw: unitText }));
      continue;
    }
    if (seenUnit.has(unit)) {
      findings.push(finding('file.duplicate_submission', { ...unitLoc, unit, raw: unitText }, { unit: ctx.units.name(unit), period: out.period ?? '', other: `${seenUnit.get(unit)!.cell}` }));
      continue;
    }
    seenUnit.set(unit, unitLoc);
    units.push(unit);
    out.unitLoc.set(unit, unitLoc);
    out.itemsSeen.set(unit, new Set(h.items.map((i) => i.indicator)));
    const note = h.note !== undefined ? cellText(cellAt(sheet, r, h.note)).trim() : '';
    for (const { col, indicator } of h.items) {
      const cell = cellAt(sheet, r, col);
      out.observations.push({ unit, indicator, cell, raw: cellText(cell), loc: locOf(file, sheet, r, col), note });
    }
  }
  return units;
}

function readDetail(sheet: Sheet, h: DetailHeader, file: string, ctx: LayoutContext, out: ParsedFile): void {
  void ctx;
  for (let r = h.row + 1; r < sheet.rows.length; r++) {
    const codeCell = cellAt(sheet, r, h.codeCol);
    let code = (codeCell.t === 'number' ? String(codeCell.n) : cellText(codeCell)).normalize('NFKC').trim();
    // 330212 009003, '330212009003: a code typed in groups or kept as text is still the code
    const compact = code.replace(/[\s'‘’]/g, '');
    if (/^\d{12}$/.test(compact)) code = compact;
    if (!code) continue;
    if (!/^\d{12}$/.test(code) && (FOOTER.test(code) || TOTAL_ROW.has(k(code)))) continue;
    const typeText = h.typeCol !== undefined ? cellText(cellAt(sheet, r, h.typeCol)) : '';
    const type = villageType(typeText);
    // a one-column item goes to the item of the row's type (a row of another type: the first, so the type rule speaks)
    const split = h.byType.map(({ col, items }) => {
      const cell = cellAt(sheet, r, col);
      return { indicator: items[type] ?? Object.values(items)[0], cell, raw: cellText(cell), loc: locOf(file, sheet, r, col) };
    });
    out.details.push({
      code,
      name: h.nameCol !== undefined ? cellText(cellAt(sheet, r, h.nameCol)).trim() : '',
      type,
      loc: locOf(file, sheet, r, h.codeCol),
      typeLoc: locOf(file, sheet, r, h.typeCol ?? h.codeCol),
      values: [
        ...h.items.map(({ col, indicator }) => {
          const cell = cellAt(sheet, r, col);
          return { indicator, cell, raw: cellText(cell), loc: locOf(file, sheet, r, col) };
        }),
        ...split,
      ],
    });
  }
}
