// Header detection: which row of a sheet is a form's header, and what each column holds
// (long 填报表: name / code / value / measure / note; wide 汇总表: a unit column and item columns;
// village detail 村社明细: a village code column and item columns).
import { type Sheet, cellAt, cellText } from '../ingest/grid.ts';
import type { LayoutContext } from './form.ts';
import { halfOfSpan, isPeriodSpanHeader, otherPeriodsIn, periodsIn } from './match.ts';
import { CODE_HEADERS, COMPARISON, CUMULATIVE_HEADERS, MAX_HEADER_SCAN, MEASURE_HEADERS, NAME_HEADERS, NOTE_HEADERS, PERIOD_HEADERS, REPORTER_HEADERS, SUBTOTAL, TOTAL_HEADERS, UNIT_HEADERS, VALUE_HEADERS, VILLAGE_CODE_HEADERS, VILLAGE_CODE_GENERIC_HEADERS, VILLAGE_NAME_HEADERS, VILLAGE_TYPE_HEADERS, OTHER_HEADERS, BASIS_HEADERS, SHARE_LABEL, YEAR_SPANS, k } from './vocabulary.ts';
import { isVillageCode } from '../reference/roster.ts';

/** Text of a cell, or of the master of the merged range covering it (for headers and titles). */
export function filledText(sheet: Sheet, r: number, c: number): string {
  const own = cellText(cellAt(sheet, r, c)).trim();
  if (own) return own;
  for (const m of sheet.merges)
    if (r >= m.top && r <= m.bottom && c >= m.left && c <= m.right) return cellText(cellAt(sheet, m.top, m.left)).trim();
  return '';
}

export function rowWidth(sheet: Sheet, r: number): number {
  let w = sheet.rows[r]?.length ?? 0;
  for (const m of sheet.merges) if (r >= m.top && r <= m.bottom) w = Math.max(w, m.right + 1);
  return w;
}

export interface LongHeader {
  layout: 'long';
  row: number;
  name?: number;
  code?: number;
  value: number;
  measure?: number;
  note?: number;
  reporter?: number;
  periodCol?: number;
  /** H2 figures in a whole-year column (1-12月 / 全年); firstHalf: the 1-6月 column beside it */
  yearSpan?: boolean;
  firstHalf?: number;
  /** an H1 file's 累计数 column beside 本期数: compared for period items (row.cumulative_differs) */
  h1Cumulative?: number;
  /** columns one rule picks alike: the figures are not read, the candidates are named */
  tied?: { reason: string; cols: number[]; texts: string[] };
}
export interface WideHeader {
  layout: 'wide';
  row: number;
  unitCol: number;
  items: { col: number; indicator: string }[];
  unknown: { col: number; text: string }[];
  /** a second visible column for an item already read */
  duplicates: { col: number; indicator: string }[];
  note?: number;
  /** the 口径 column: rows whose 口径 compares (上年同期) are not read */
  basisCol?: number;
  /** a 报告期 column: each row's period is one more claim on the file's period */
  periodCol?: number;
}
export interface DetailHeader {
  layout: 'detail';
  row: number;
  codeCol: number;
  nameCol?: number;
  typeCol?: number;
  items: { col: number; indicator: string }[];
  /** one column for items told apart by the row's type (是否悬挂红色标识 → 行政村 / 城市社区) */
  byType: { col: number; items: Record<string, string> }[];
}
export type Header = LongHeader | WideHeader | DetailHeader;

/** Finds the header row of the form a sheet holds, scanning below any title lines. */
export function detectHeader(sheet: Sheet, ctx: LayoutContext): Header | undefined {
  const n = Math.min(sheet.rows.length, MAX_HEADER_SCAN);
  for (let r = 0; r < n; r++) {
    const h = headerAt(sheet, r, ctx);
    if (h) return h;
  }
  return undefined;
}

/** The header of a form whose header row is r, or undefined. */
function headerAt(sheet: Sheet, r: number, ctx: LayoutContext): Header | undefined {
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
  // a detail header two rows deep saved without its merges (a CSV): 区划代码 | 名称 | 类型 are written
  // once, in the upper row, over cells left empty in this row of item labels — as a merge down would
  // read them. Only over an empty cell, and only on a row that names items.
  const above = (set: Set<string>) => {
    const here = find(set);
    if (here !== undefined || r === 0 || !items.length) return here;
    for (let c = 0; c < w; c++) if (!keys[c] && set.has(k(filledText(sheet, r - 1, c)))) return c;
    return undefined;
  };
  // village-level detail: a village code column and at least one item column
  let codeCol = above(VILLAGE_CODE_HEADERS);
  // 代码, 行政区划代码 over 12-digit codes: the village code column too (over 330203 or 1, 2, 3: not)
  if (codeCol === undefined) {
    const c = above(VILLAGE_CODE_GENERIC_HEADERS);
    if (c !== undefined && holdsVillageCodes(sheet, r, c)) codeCol = c;
  }
  if (codeCol !== undefined && !holdsUnitCodes(sheet, r, codeCol, ctx)) {
    const nameCol = above(VILLAGE_NAME_HEADERS);
    const typeCol = above(VILLAGE_TYPE_HEADERS);
    const byType: DetailHeader['byType'] = [];
    if (typeCol !== undefined)
      for (let c = 0; c < w; c++) {
        const split = texts[c] && !items.some((i) => i.col === c) ? ctx.indicators.byType(texts[c]) : undefined;
        if (split && !Object.values(split).some((code) => seen.has(code))) byType.push({ col: c, items: split });
      }
    if (items.length >= 1 || byType.length) {
      // a header two rows deep (悬挂红色标识 merged over 行政村 | 城市社区, 后进整转 over 调整村社干部 |
      // 其中党组织书记): the row of sub-labels is the header when it reads more columns with the same
      // code column (each sub-label read alone, or under its group, as any header's are)
      if (twoRowHeader(sheet, r, w)) {
        const below = headerAt(sheet, r + 1, ctx);
        if (below?.layout === 'detail' && below.codeCol === codeCol && below.items.length + below.byType.length > items.length + byType.length) return below;
      }
      return { layout: 'detail', row: r, codeCol, nameCol, typeCol, items, byType };
    }
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
      const skip = new Set([...NAME_HEADERS, ...UNIT_HEADERS, ...NOTE_HEADERS, ...OTHER_HEADERS, ...PERIOD_HEADERS]);
      for (let c = 0; c < w; c++) {
        // hidden columns (helper columns, last period's figures) are not read, nor are they errors
        if (c === unitCol || items.some((i) => i.col === c) || duplicates.some((d) => d.col === c) || !keys[c] || skip.has(keys[c]) || hiddenCol(c)) continue;
        if (ctx.indicators.derived(texts[c]) || ctx.indicators.category(texts[c])) continue;
        // a share under its group (提拔干部 over 小计 | 其中… | 占比): computed by the pipeline, not read
        if ((SHARE_LABEL.test(texts[c].normalize('NFKC')) || /%$/.test(texts[c].normalize('NFKC'))) && r > 0 && groupText(sheet, r - 1, c)) continue;
        unknown.push({ col: c, text: texts[c] });
      }
      const basisCol = find(BASIS_HEADERS);
      return { layout: 'wide', row: r, unitCol, items, unknown: unknown.filter((u) => u.col !== basisCol), duplicates, note: find(NOTE_HEADERS), basisCol, periodCol: find(PERIOD_HEADERS) };
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
  return undefined;
}

/** The text of a group header merged across columns over (r, c), or ''. */
export function groupText(sheet: Sheet, r: number, c: number): string {
  for (const m of sheet.merges)
    if (m.right > m.left && r >= m.top && r <= m.bottom && c >= m.left && c <= m.right) return cellText(cellAt(sheet, m.top, m.left)).trim();
  return '';
}

/** A 区划代码 column whose first codes are the reporting units' own (330203): a wide form, not village detail. */
function holdsUnitCodes(sheet: Sheet, headerRow: number, col: number, ctx: LayoutContext): boolean {
  return firstCodes(sheet, headerRow, col).some((text) => /^\d{6}$/.test(text) && ctx.units.exact(text) !== undefined);
}

/** A code column whose first three codes are 12-digit village codes. */
function holdsVillageCodes(sheet: Sheet, headerRow: number, col: number): boolean {
  const codes = firstCodes(sheet, headerRow, col);
  return codes.length > 0 && codes.every(isVillageCode);
}

/** The first three filled cells below a header in a column, as codes (330212 009003 and '330212 are codes). */
function firstCodes(sheet: Sheet, headerRow: number, col: number): string[] {
  const out: string[] = [];
  for (let r = headerRow + 1; r < sheet.rows.length && out.length < 3; r++) {
    const cell = cellAt(sheet, r, col);
    const text = (cell.t === 'number' ? String(cell.n) : cellText(cell)).normalize('NFKC').replace(/[\s'‘’]/g, '');
    if (text) out.push(text);
  }
  return out;
}

/** Row r has a label merged across columns with sub-labels under it in row r + 1. */
function twoRowHeader(sheet: Sheet, r: number, w: number): boolean {
  if (r + 1 >= sheet.rows.length) return false;
  return sheet.merges.some((m) => {
    if (m.top !== r || m.bottom !== r || m.right <= m.left || m.left >= w) return false;
    // a title merged across the whole table is not a group over sub-labels
    if (m.left === 0 && m.right >= w - 1) return false;
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
  const choice = valueColumn(texts, keys, new Set([name, code, ...hidden]), ctx.period, full);
  if (choice === undefined) return undefined;
  const value = choice.col;
  let measure: number | undefined;
  for (let c = 0; c < w; c++) if (MEASURE_HEADERS.has(keys[c]) && c !== value) measure = c;
  // 单位 beside 计量单位 (a system export: 单位 | 报告期 | 指标名称 | 计量单位 | 本期数) is the reporting unit
  let reporter = find(REPORTER_HEADERS);
  if (reporter === undefined && measure !== undefined && keys[measure] !== k('单位')) {
    const plain = keys.findIndex((key, c) => key === k('单位') && c !== value);
    if (plain >= 0) reporter = plain;
  }
  return {
    layout: 'long', row, name, code, value, measure, note: find(NOTE_HEADERS), reporter, periodCol: find(PERIOD_HEADERS),
    ...(choice.yearSpan ? { yearSpan: true, firstHalf: choice.firstHalf } : {}),
    ...(choice.h1Cumulative !== undefined ? { h1Cumulative: choice.h1Cumulative } : {}),
    ...(choice.tied ? { tied: { reason: choice.tied.reason, cols: choice.tied.cols, texts: choice.tied.cols.map((c) => texts[c]) } } : {}),
  };
}

/** A whole-year column (1-12月, 全年, 本年累计) in an H2 file: cumulative from January to the period end. */
export function isYearSpanHeader(text: string, period: string | undefined): boolean {
  const t = text.normalize('NFKC').replace(/\s/g, '');
  const year = period?.slice(0, 4);
  const bare = t.replace(new RegExp(`^${year ?? '\\d{4}'}年?`), '');
  const key = k(bare.replace(/[—–~～至到]/g, '-')).replace(/(数|累计|合计|完成数?|累计数)$/, '');
  return YEAR_SPANS.has(k(bare.replace(/[—–~～至到]/g, '-'))) || YEAR_SPANS.has(key);
}

/** 本期数（7-12月）, 完成数（人）: a 本期数-like header with a note in brackets that names no other half. */
function ownValueHeader(text: string, half: string | undefined): boolean {
  const inner = [...text.matchAll(/[(（]([^()（）]*)[)）]/g)].map((m) => m[1]);
  if (!inner.length) return false;
  if (inner.some((t) => { const h = halfOfSpan(t); return (h && h !== half) || periodsIn(t).length > 0 || otherPeriodsIn(t).length > 0; })) return false;
  return VALUE_HEADERS.has(k(text.replace(/[(（][^()（）]*[)）]/g, '')));
}

export interface ValueChoice {
  col: number;
  /** an H2 file whose figures are the whole year's: a period item is the year minus the first half */
  yearSpan?: boolean;
  /** the first half's column beside the whole year's (1-6月 | 1-12月) */
  firstHalf?: number;
  /** two or more columns the same rule picks: nothing is taken */
  tied?: { reason: string; cols: number[] };
  /** an H1 file's 累计数 column beside its 本期数: a second witness of a period item's figure */
  h1Cumulative?: number;
}

/**
 * The column holding the period's figures. Each rule below gathers its candidates; the first rule
 * with candidates decides — one candidate is taken, two or more are a doubt (tied), never the first
 * by order: a 本期数-like header; a header naming the period being read (2018年上半年 beside
 * 2017年上半年, 1-6月 / 上半年 for an H1); in an H2 file, a whole-year column (1-12月 / 全年, with
 * 1-6月 beside it for period items); a total (合计); a cumulative column (累计数); any other header
 * that names a period or a span of months, the one naming the latest period (the file's period
 * claims then say whose figures they are). Columns comparing with another period (去年同期, 同比增减)
 * are never taken, nor is a first-half column in an H2 file.
 */
function valueColumn(texts: string[], keys: string[], skip: Set<number | undefined>, period: string | undefined, full: string[] = texts): ValueChoice | undefined {
  const cols = texts.map((_, c) => c).filter((c) => !skip.has(c) && texts[c] && !COMPARISON.test(texts[c]) && !COMPARISON.test(full[c] ?? ''));
  const half = period ? period.slice(4) : undefined;
  const firstHalfOf = (c: number) => (!/\d{4}/.test(texts[c]) && halfOfSpan(texts[c]) === 'H1') || (period !== undefined && periodsIn(texts[c]).includes(`${period.slice(0, 4)}H1`));
  const decide = (found: number[], reason: string): ValueChoice | undefined | null => {
    if (found.length === 0) return null;
    if (found.length === 1) return { col: found[0] };
    return { col: found[0], tied: { reason, cols: found } };
  };
  const tiers: [number[], string][] = [
    [cols.filter((c) => VALUE_HEADERS.has(keys[c]) || ownValueHeader(texts[c], half)), '表头都是“本期数”一类'],
    [cols.filter((c) => (period && periodsIn(texts[c]).includes(period)) || (half && !/\d{4}/.test(texts[c]) && halfOfSpan(texts[c]) === half)), `表头都写明${period ?? ''}`],
  ];
  for (const [found, reason] of tiers) {
    const d = decide(found, reason);
    // in an H1 file a 累计数 (January to June) says the same as 本期数 of a period item: kept to compare
    const cumulative = cols.filter((c) => CUMULATIVE_HEADERS.has(keys[c]));
    if (d && !d.tied && half === 'H1' && cumulative.length === 1 && cumulative[0] !== d.col) return { ...d, h1Cumulative: cumulative[0] };
    if (d !== null) return d;
  }
  if (half === 'H2') {
    const year = cols.filter((c) => isYearSpanHeader(texts[c], period));
    if (year.length === 1) {
      const h1 = cols.filter((c) => c !== year[0] && firstHalfOf(c));
      if (h1.length > 1) return { col: year[0], tied: { reason: '有两列上半年数', cols: h1 } };
      return { col: year[0], yearSpan: true, firstHalf: h1[0] };
    }
    if (year.length > 1) return { col: year[0], tied: { reason: '有两列全年数', cols: year } };
  }
  for (const [found, reason] of [
    [cols.filter((c) => TOTAL_HEADERS.has(keys[c])), '都是合计列'],
    [cols.filter((c) => CUMULATIVE_HEADERS.has(keys[c])), '都是累计列'],
  ] as [number[], string][]) {
    const d = decide(found, reason);
    if (d !== null) return d;
  }
  const dated = cols
    .filter((c) => !(half === 'H2' && firstHalfOf(c)))
    .filter((c) => periodsIn(texts[c]).length || otherPeriodsIn(texts[c]).length || isPeriodSpanHeader(texts[c]) || /本期|数值|\d{4}年/.test(texts[c]))
    .map((c) => ({ c, latest: [...periodsIn(texts[c])].sort().pop() ?? '' }));
  if (dated.length === 0) return undefined;
  const latest = dated.map((d) => d.latest).sort().pop()!;
  const top = dated.filter((d) => d.latest === latest).map((d) => d.c);
  return decide(top, latest ? `表头都写明${latest}` : '表头都像是本期数') ?? undefined;
}
