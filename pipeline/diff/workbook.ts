// diff.xlsx: 说明 · 对比 (units × items, coloured as tabular-diff tools do: added green +++, removed
// red ---, changed orange old→new) · 差异 (every difference) · 仍存在 (carried over).
// Deterministic bytes: fixed metadata, re-zipped with fixed entry dates.
import ExcelJS from 'exceljs';
import { deterministicZip, FIXED_DATE } from '../outputs/deterministic-zip.ts';
import { textWidth } from '../outputs/workbook.ts';
import {
  BASIS_ZH, CHANGES_OF, CHANGE_ZH, COMPARE_ZH, SECTIONS, SECTION_ZH, TONE_FILL, TONE_MARK, countChanges, num, toneOf,
  type DiffRow, type ReportDiff, type Tone,
} from './model.ts';
import { MODE_ZH } from './summary.ts';

const FONT = { name: '等线', size: 10 };
const HEADER_FILL = 'FFD9E1F2';
const INPUT_ZH: Record<string, string> = { '': '', changed: 'sha256 已变', unchanged: 'sha256 未变', other_file: '换了文件' };

const fill = (argb: string): ExcelJS.Fill => ({ type: 'pattern', pattern: 'solid', fgColor: { argb } });

/** basis `stock` or `stock→period` in Chinese */
export function basisZh(basis: string): string {
  return basis
    .split('→')
    .map((b) => BASIS_ZH[b as keyof typeof BASIS_ZH] ?? b)
    .join('→');
}

/** before→after as one text, the way a highlighter shows a changed cell. */
export function arrowText(r: DiffRow): string {
  const t = (v: string | number | null) => (v === null ? '' : typeof v === 'number' ? num(v) : v);
  if (r.before === null) return t(r.after);
  if (r.after === null) return t(r.before);
  return `${t(r.before)}→${t(r.after)}`;
}

const asCell = (text: string): ExcelJS.CellValue => (/^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text);

function styleHeader(row: ExcelJS.Row): void {
  row.eachCell((cell) => {
    cell.font = { ...FONT, bold: true };
    cell.fill = fill(HEADER_FILL);
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    cell.border = { bottom: { style: 'thin' } };
  });
}

function fitColumns(ws: ExcelJS.Worksheet, min = 4, max = 60): void {
  const widths: number[] = [];
  ws.eachRow((row) =>
    row.eachCell((cell, col) => {
      const v = cell.value;
      const text = v === null || v === undefined || typeof v === 'object' ? '' : String(v);
      widths[col] = Math.max(widths[col] ?? 0, textWidth(text));
    }),
  );
  widths.forEach((w, c) => {
    if (c > 0) ws.getColumn(c).width = Math.min(max, Math.max(min, w + 2));
  });
}

function explainSheet(wb: ExcelJS.Workbook, diff: ReportDiff): void {
  const ws = wb.addWorksheet('说明');
  const counts = countChanges(diff.rows);
  const side = (s: ReportDiff['a']) => `${s.name}（期别 ${s.period}，指标目录 ${s.catalogue_version}${s.tool_version ? `，banbao ${s.tool_version}` : ''}）`;
  const lines: [string, string][] = [
    ['党建争强 报告差异（供审核）', ''],
    ['A（之前）', side(diff.a)],
    ['B（之后）', side(diff.b)],
    ['比较', MODE_ZH[diff.mode]],
    ['容差', diff.tolerance ? `${num(diff.tolerance)}（差额不超过容差视为未变）` : '0（任何差额都算变化）'],
    ['差异', `${diff.rows.length} 处；另有仍存在（未变）的问题或不符 ${diff.carried.length} 条`],
    ['', ''],
    ['分类', '计数'],
  ];
  for (const s of SECTIONS) {
    const parts = CHANGES_OF[s].filter((c) => counts[s][c]).map((c) => `${CHANGE_ZH[c]} ${counts[s][c]}`);
    lines.push([SECTION_ZH[s], parts.join('，') || '—']);
  }
  lines.push(['', ''], ['图例', '']);
  const legendAt = lines.length + 1;
  lines.push(
    ['+++', '新增：只在 B 中有（绿色）'],
    ['---', '删除、缺报、已解决：只在 A 中有（红色）'],
    ['→', '变化：单元格写作“旧→新”（橙色）'],
    ['', ''],
    ['如何阅读', '“对比”表是各单位×指标的数值（同“汇总”表），变了的格写作“旧→新”；“差异”表每行一处差异，可筛选；“仍存在”列出两边都有的问题与仍不符的公布数'],
    ['口径', '期末存量（stock）比水平；期间数（period）与年度累计（ytd）比流量。全市合计的比例以百分点计'],
  );
  for (const [k, v] of lines) ws.addRow([k, v]);
  ws.getCell('A1').font = { ...FONT, size: 14, bold: true };
  ws.eachRow((row, n) => {
    if (n > 1) row.font = FONT;
    row.alignment = { wrapText: true, vertical: 'top' };
  });
  (['add', 'remove', 'change'] as Tone[]).forEach((t, i) => (ws.getCell(legendAt + i, 1).fill = fill(TONE_FILL[t])));
  ws.getColumn(1).width = 14;
  ws.getColumn(2).width = 100;
}

/** 对比: the highlighter grid. Row 1 marks added/removed columns, row 2 is the header (@@). */
function gridSheet(wb: ExcelJS.Workbook, diff: ReportDiff): void {
  const ws = wb.addWorksheet('对比', { views: [{ state: 'frozen', xSplit: 3, ySplit: 2 }] });
  const { columns, rows } = diff.grid;
  ws.addRow(['!', '', '', ...columns.map((c) => TONE_MARK[c.tone])]);
  ws.addRow(['@@', '单位代码', '单位', ...columns.map((c) => c.name_zh)]);
  styleHeader(ws.getRow(2));
  columns.forEach((c, i) => {
    if (c.tone !== 'same') {
      ws.getCell(1, 4 + i).fill = fill(TONE_FILL[c.tone]);
      ws.getCell(2, 4 + i).fill = fill(TONE_FILL[c.tone]);
    }
  });
  for (const r of rows) {
    const row = ws.addRow([TONE_MARK[r.tone], r.unit, r.unit_name, ...r.cells.map((c) => asCell(c.text))]);
    row.font = FONT;
    if (r.tone === 'add' || r.tone === 'remove') row.eachCell({ includeEmpty: true }, (cell) => (cell.fill = fill(TONE_FILL[r.tone])));
    else if (r.tone === 'change') row.getCell(1).fill = fill(TONE_FILL.change);
    r.cells.forEach((c, i) => {
      if (c.tone !== 'same') row.getCell(4 + i).fill = fill(TONE_FILL[c.tone]);
      row.getCell(4 + i).numFmt = '#,##0.##';
    });
  }
  ws.getColumn(1).width = 5;
  ws.getColumn(2).width = 9;
  ws.getColumn(3).width = 11;
  columns.forEach((c, i) => {
    const w = Math.max(textWidth(c.name_zh) / 2 + 2, ...rows.map((r) => textWidth(r.cells[i].text) + 2));
    ws.getColumn(4 + i).width = Math.min(20, Math.max(9, Math.ceil(w)));
  });
  ws.getRow(2).height = 42;
  ws.getRow(2).alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
}

const LIST_COLUMNS: { header: string; get: (r: DiffRow) => ExcelJS.CellValue; numFmt?: string }[] = [
  { header: '标记', get: (r) => TONE_MARK[toneOf(r.change)] },
  { header: '类别', get: (r) => SECTION_ZH[r.section] },
  { header: '变化', get: (r) => CHANGE_ZH[r.change] },
  { header: '单位代码', get: (r) => r.unit },
  { header: '单位', get: (r) => r.unit_name },
  { header: '指标代码', get: (r) => r.indicator },
  { header: '指标', get: (r) => r.name_zh },
  { header: '口径', get: (r) => basisZh(r.basis) },
  { header: '比较', get: (r) => (r.compare_as ? COMPARE_ZH[r.compare_as] : '') },
  { header: '旧→新', get: (r) => arrowText(r) },
  { header: '之前', get: (r) => r.before, numFmt: '#,##0.##' },
  { header: '之后', get: (r) => r.after, numFmt: '#,##0.##' },
  { header: '增减', get: (r) => r.delta, numFmt: '+#,##0.##;-#,##0.##;0' },
  { header: '增减%', get: (r) => (r.delta_pct === null ? null : r.delta_pct / 100), numFmt: '+0.0%;-0.0%;0.0%' },
  { header: '公布数', get: (r) => r.published_id },
  { header: '问题代码', get: (r) => r.finding_code },
  { header: '级别', get: (r) => (r.severity === 'error' ? '错误' : r.severity === 'warning' ? '提示' : '') },
  { header: '文件（前）', get: (r) => r.file_before },
  { header: '工作表（前）', get: (r) => r.sheet_before },
  { header: '单元格（前）', get: (r) => r.cell_before },
  { header: '原文（前）', get: (r) => r.raw_before },
  { header: '文件（后）', get: (r) => r.file_after },
  { header: '工作表（后）', get: (r) => r.sheet_after },
  { header: '单元格（后）', get: (r) => r.cell_after },
  { header: '原文（后）', get: (r) => r.raw_after },
  { header: '报送文件', get: (r) => INPUT_ZH[r.input_sha256] },
  { header: '说明', get: (r) => r.message },
];
const ARROW_COL = LIST_COLUMNS.findIndex((c) => c.header === '旧→新') + 1;

/** A list of rows: added rows green, removed rows red, changed rows with marker and old→new orange. */
function listSheet(wb: ExcelJS.Workbook, name: string, rows: DiffRow[]): void {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }] });
  ws.addRow(LIST_COLUMNS.map((c) => c.header));
  styleHeader(ws.getRow(1));
  for (const r of rows) {
    const row = ws.addRow(LIST_COLUMNS.map((c) => c.get(r) ?? null));
    row.font = FONT;
    const tone = toneOf(r.change);
    if (tone === 'add' || tone === 'remove') for (let c = 1; c <= LIST_COLUMNS.length; c++) row.getCell(c).fill = fill(TONE_FILL[tone]);
    else if (tone === 'change') for (const c of [1, ARROW_COL]) row.getCell(c).fill = fill(TONE_FILL.change);
  }
  LIST_COLUMNS.forEach((c, i) => {
    if (c.numFmt) ws.getColumn(i + 1).numFmt = c.numFmt;
  });
  if (rows.length) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: LIST_COLUMNS.length } };
  fitColumns(ws);
  ws.getColumn(LIST_COLUMNS.length).width = 80;
  ws.pageSetup = { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:1' };
}

/** The workbook model, sheet by sheet. */
export function buildDiffWorkbook(diff: ReportDiff): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'banbao';
  wb.lastModifiedBy = 'banbao';
  wb.created = FIXED_DATE;
  wb.modified = FIXED_DATE;
  wb.title = `党建争强 差异 ${diff.a.name}..${diff.b.name}`;
  explainSheet(wb, diff);
  gridSheet(wb, diff);
  listSheet(wb, '差异', diff.rows);
  listSheet(wb, '仍存在', diff.carried);
  return wb;
}

/** The workbook's bytes: the same diff gives the same bytes. */
export async function diffWorkbookBytes(diff: ReportDiff): Promise<Uint8Array> {
  const buf = await buildDiffWorkbook(diff).xlsx.writeBuffer();
  return deterministicZip(buf as ArrayBuffer);
}
