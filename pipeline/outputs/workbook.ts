// The consolidated workbook: 说明, 汇总, 核对, 问题, 明细, 环比 — built with exceljs, numbers as numbers,
// frozen panes, merged category headers, print setup; deterministic bytes (fixed metadata, re-zipped).
import ExcelJS from 'exceljs';
import type { PeriodResult } from '../run.ts';
import { countFindings } from '../run.ts';
import { compositionZh, regionScope } from '../context.ts';
import { deterministicZip, FIXED_DATE } from './deterministic-zip.ts';
import { derivedStatus, reconciledRows, statusCounts } from './tables.ts';
import { statusSheet } from './status-sheet.ts';
import { findingKind, intervalWords, layoutLabel, SEVERITY_ZH, STATUS_ZH, statusSentence, VALUE_STATUS_ZH } from './labels.ts';
import { periodLabel } from './period-label.ts';

export { STATUS_ZH };
const STATUS_FILL: Record<string, string> = {
  match: 'FFC6EFCE',
  within: 'FFDDEBF7',
  mismatch: 'FFFFC7CE',
  incomplete: 'FFFFEB9C',
  unpublished: 'FFEDEDED',
};
const HEADER_FILL = 'FFD9E1F2';
const FONT = { name: '等线', size: 10 };
const INT = '#,##0';
const PCT = '0.0%';
/** A change of a count, signed. */
const DELTA = '+#,##0;-#,##0;0';
/** A rate of change, signed. */
const DELTA_PCT = '+0.0%;-0.0%;0.0%';
/** A difference of two shares, in percentage points (the cell holds points, not a fraction). */
const PP = '+0.0" 个百分点";-0.0" 个百分点";0.0" 个百分点"';
/** The workbook's maker, printed under 汇总's title. */
export const MAKER = '宁波市委组织部';

/** Display width of text: CJK characters count double (Excel column widths are in ASCII chars). */
export function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

function fitColumns(ws: ExcelJS.Worksheet, min = 6, max = 60): void {
  const widths: number[] = [];
  ws.eachRow({ includeEmpty: false }, (row) => {
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      if (cell.isMerged && cell.master !== cell) return;
      const v = cell.value;
      const text = v === null || v === undefined ? '' : typeof v === 'object' ? '' : typeof v === 'number' ? v.toLocaleString('en-US') : String(v);
      widths[col] = Math.max(widths[col] ?? 0, ...text.split('\n').map(textWidth));
    });
  });
  widths.forEach((w, c) => {
    if (c > 0) ws.getColumn(c).width = Math.min(max, Math.max(min, w + 2));
  });
}

function styleHeader(row: ExcelJS.Row): void {
  row.eachCell((cell) => {
    cell.font = { ...FONT, bold: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: HEADER_FILL } };
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    cell.border = { bottom: { style: 'thin' } };
  });
}

function printSetup(ws: ExcelJS.Worksheet, headerRows: string): void {
  ws.headerFooter = { oddFooter: '&C第 &P 页 共 &N 页' };
  ws.pageSetup = { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: headerRows, margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 } };
}

/** A plain table sheet: a header row, frozen, autofiltered, fitted. */
function tableSheet(wb: ExcelJS.Workbook, name: string, columns: { key: string; header: string; numFmt?: string }[], rows: Record<string, unknown>[]) {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.addRow(columns.map((c) => c.header));
  styleHeader(ws.getRow(1));
  for (const r of rows) ws.addRow(columns.map((c) => (r[c.key] === undefined ? null : (r[c.key] as ExcelJS.CellValue))));
  columns.forEach((c, i) => {
    if (c.numFmt) ws.getColumn(i + 1).numFmt = c.numFmt;
  });
  ws.eachRow((row, n) => {
    if (n > 1) row.font = FONT;
  });
  if (rows.length) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  fitColumns(ws);
  printSetup(ws, '1:1');
  return ws;
}

function explainSheet(wb: ExcelJS.Workbook, r: PeriodResult): void {
  const ws = wb.addWorksheet('说明');
  const c = countFindings(r.findings);
  const s = statusCounts(r);
  const lines: [string | null, ExcelJS.CellValue][] = [
    ['党建争强半年度推进情况 — 汇总与核对', null],
    ['报告期', r.period],
    ['指标目录版本', r.ctx.catalogue.version],
    ['指标数', `${r.ctx.catalogue.items.length} 项填报指标（${r.ctx.catalogue.categories.length} 大类），${r.ctx.catalogue.derived.length} 项计算指标`],
    ['报送文件', r.inputs.length],
    ['问题', `错误 ${c.errors} 条，提示 ${c.warnings} 条（已说明 ${c.warnings - c.unconfirmed} 条）`],
    ['核对结果', Object.entries(s).map(([k, n]) => `${STATUS_ZH[k]} ${n}`).join('，')],
    [null, null],
    ['如何阅读', null],
    ['汇总', `各单位×指标（计量单位在指标名下），${compositionZh(r.ctx)}；比例由合计的分子分母计算，不相加、不平均`],
    ['核对', '全市（及有单独公布数的单位）合计与公布数核对：公布文字按它所能表示的范围核对（如“120余”表示 120 至不足 130）'],
    ['问题', '错误（强制性审核）必须改正；提示（核实性审核）须核实，可附上报说明'],
    ['明细', '每个数字的来源：文件、工作表、单元格与原始文字'],
    ['环比', '与上期比较（期末存量比水平，期间数比流量）；比例之差以百分点计'],
    [null, null],
    ['报送文件', '版式　SHA-256'],
    ...r.inputs.map((i): [string | null, ExcelJS.CellValue] => [i.file, `${layoutLabel(i.layouts)}　${i.sha256}`]),
  ];
  for (const [a, b] of lines) ws.addRow([a, b]);
  ws.getCell('A1').font = { ...FONT, size: 14, bold: true };
  ws.mergeCells('A1:B1');
  for (const n of [9, 16]) ws.getRow(n).font = { ...FONT, bold: true };
  ws.getColumn(1).width = 28;
  ws.getColumn(2).width = 90;
  ws.eachRow((row, n) => {
    if (n > 1 && n !== 9 && n !== 16) row.font = FONT;
    row.alignment = { wrapText: true, vertical: 'top' };
  });
  printSetup(ws, '1:1');
}

/**
 * 汇总: a statistical table as it is printed — a title line, the maker and the period, category
 * headers over item names over their 计量单位 (repeated on every printed page), units × items, then
 * the city total, the published text and the reconciliation status. A3 landscape, fitted to one
 * page width, "第 n 页 共 m 页" in the footer.
 */
function summarySheet(wb: ExcelJS.Workbook, r: PeriodResult): void {
  const HEAD = 3; // first header row (rows 1–2: title and maker)
  const ws = wb.addWorksheet('汇总', { views: [{ state: 'frozen', xSplit: 2, ySplit: HEAD + 2 }] });
  const items = [...r.ctx.catalogue.items, ...r.ctx.catalogue.derived];
  const cats = r.ctx.catalogue.categories;
  const ordered = cats.flatMap((c) => items.filter((i) => i.category === c));
  const last = 2 + ordered.length;
  const isShare = (code: string) => r.ctx.derived.get(code)?.type === 'share';
  ws.getCell(1, 1).value = `${r.ctx.catalogue.title}（${periodLabel(r.period)}）`;
  ws.mergeCells(1, 1, 1, last);
  ws.getCell(1, 1).font = { ...FONT, size: 16, bold: true };
  ws.getCell(1, 1).alignment = { horizontal: 'center', vertical: 'middle' };
  ws.getRow(1).height = 30;
  const half = Math.max(2, Math.floor(last / 2));
  ws.getCell(2, 1).value = `制表单位：${MAKER}`;
  ws.mergeCells(2, 1, 2, half);
  ws.getCell(2, half + 1).value = `报告期：${periodLabel(r.period)}（${r.period}）　指标目录：${r.ctx.catalogue.version}`;
  ws.mergeCells(2, half + 1, 2, last);
  ws.getCell(2, 1).font = FONT;
  ws.getCell(2, half + 1).font = FONT;
  ws.getCell(2, half + 1).alignment = { horizontal: 'right' };
  ws.getCell(HEAD, 1).value = '单位代码';
  ws.getCell(HEAD, 2).value = '单位';
  ws.mergeCells(HEAD, 1, HEAD + 2, 1);
  ws.mergeCells(HEAD, 2, HEAD + 2, 2);
  let col = 3;
  for (const cat of cats) {
    const n = ordered.filter((i) => i.category === cat).length;
    if (!n) continue;
    ws.getCell(HEAD, col).value = cat;
    if (n > 1) ws.mergeCells(HEAD, col, HEAD, col + n - 1);
    col += n;
  }
  ordered.forEach((it, i) => {
    ws.getCell(HEAD + 1, 3 + i).value = it.name_zh;
    // 计量单位 on its own line under each item
    ws.getCell(HEAD + 2, 3 + i).value = isShare(it.code) ? '%' : it.measure;
  });
  for (let n = HEAD; n <= HEAD + 2; n++) styleHeader(ws.getRow(n));
  ws.getRow(HEAD + 2).eachCell((c) => (c.font = { ...FONT, bold: false }));
  let rowNo = HEAD + 3;
  const dash = { horizontal: 'right' as const };
  for (const u of r.ctx.units) {
    ws.getCell(rowNo, 1).value = u.code;
    ws.getCell(rowNo, 2).value = u.name;
    ordered.forEach((it, i) => {
      const cell = ws.getCell(rowNo, 3 + i);
      const v = r.ctx.derived.has(it.code) ? r.table.value(u.code, it.code) : r.table.get(u.code, it.code);
      if (typeof v === 'number' || v === null) {
        // a computed item whose parts do not apply to the unit (市本级's villages) is "—" like its parts
        const na = v === null && derivedStatus(r, u.code, it.code, null) === 'na';
        cell.value = na ? '—' : v === null ? null : isShare(it.code) ? v / 100 : v;
        cell.numFmt = isShare(it.code) ? PCT : INT;
        if (na) cell.alignment = dash;
      } else if (v) {
        cell.value = v.status === 'value' ? v.value : v.status === 'na' ? '—' : null;
        cell.numFmt = INT;
        // the dash stands where a number would: right-aligned with the figures above and below
        if (v.status === 'na') cell.alignment = dash;
        if (v.status === 'invalid' || v.status === 'missing') cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: STATUS_FILL.incomplete } };
      }
      cell.font = FONT;
    });
    ws.getRow(rowNo).font = FONT;
    rowNo++;
  }
  const byItem = new Map(r.reconciliation.filter((x) => x.scope_code === regionScope(r.ctx).code).map((x) => [x.indicator, x]));
  const totalRow = rowNo;
  ws.getCell(totalRow, 2).value = '全市合计';
  ws.getCell(totalRow + 1, 2).value = '公布数';
  ws.getCell(totalRow + 2, 2).value = '核对状态';
  ordered.forEach((it, i) => {
    const t = r.totals.get(it.code);
    const cell = ws.getCell(totalRow, 3 + i);
    cell.value = t?.value === null || t?.value === undefined ? null : isShare(it.code) ? t.value / 100 : t.value;
    cell.numFmt = isShare(it.code) ? PCT : INT;
    const rec = byItem.get(it.code);
    const pub = ws.getCell(totalRow + 1, 3 + i);
    pub.value = rec?.text || '—';
    pub.alignment = dash;
    const st = ws.getCell(totalRow + 2, 3 + i);
    st.value = rec ? STATUS_ZH[rec.status] : '';
    st.alignment = { horizontal: 'center' };
    if (rec) st.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: STATUS_FILL[rec.status] } };
  });
  for (const n of [totalRow, totalRow + 1, totalRow + 2]) {
    ws.getRow(n).font = { ...FONT, bold: n === totalRow };
    ws.getRow(n).eachCell((c) => (c.border = { top: n === totalRow ? { style: 'thin' } : undefined }));
  }
  ws.getCell(totalRow + 4, 1).value = `说明：${compositionZh(r.ctx)}；比例由合计的分子、分母计算。“—”为该单位不填报此项。由 banbao 生成。`;
  ws.getCell(totalRow + 4, 1).font = { ...FONT, size: 9 };
  ws.getColumn(1).width = 9;
  ws.getColumn(2).width = 11;
  ordered.forEach((it, i) => (ws.getColumn(3 + i).width = Math.min(14, Math.max(10, Math.ceil(textWidth(it.name_zh) / 2.5) + 2))));
  ws.getRow(HEAD + 1).height = 58;
  ws.pageSetup = {
    paperSize: 8 as unknown as ExcelJS.PaperSize, // A3 (the typings list no A3; OOXML's code is 8)
    orientation: 'landscape',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    horizontalCentered: true,
    printTitlesRow: `${HEAD}:${HEAD + 2}`,
    margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.3, footer: 0.3 },
  };
  ws.headerFooter = { oddFooter: '&C第 &P 页 共 &N 页' };
}

function previousSheet(wb: ExcelJS.Workbook, r: PeriodResult, previous: PeriodResult | undefined): void {
  if (!previous) return;
  const rows = [...r.ctx.catalogue.items, ...r.ctx.catalogue.derived].map((it) => {
    const now = r.totals.get(it.code)?.value ?? null;
    const before = previous.totals.get(it.code)?.value ?? null;
    const isShare = r.ctx.derived.get(it.code)?.type === 'share';
    return {
      indicator: it.code,
      name_zh: it.name_zh,
      measure: isShare ? '%' : it.measure,
      basis: { period: '期间数（流量）', ytd: '年度累计', stock: '期末存量（水平）' }[it.basis],
      before: before === null ? null : isShare ? before / 100 : before,
      now: now === null ? null : isShare ? now / 100 : now,
      // a share's change is in percentage points (the cell holds points); a count's in its own measure
      delta: now === null || before === null ? null : now - before,
      pct: now === null || before === null || before === 0 || isShare ? null : (now - before) / before,
      note: previous.totals.has(it.code) ? (isShare ? '比例之差以百分点计，不计增减%' : '') : '上期无此指标',
      share: isShare,
    };
  });
  const ws = tableSheet(wb, '环比', [
    { key: 'indicator', header: '指标代码' },
    { key: 'name_zh', header: '指标' },
    { key: 'measure', header: '计量单位' },
    { key: 'basis', header: '口径' },
    { key: 'before', header: `上期 ${previous.period}` },
    { key: 'now', header: `本期 ${r.period}` },
    { key: 'delta', header: '增减' },
    { key: 'pct', header: '增减%' },
    { key: 'note', header: '说明' },
  ], rows);
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const x = rows[n - 2];
    row.getCell(5).numFmt = x.share ? PCT : INT;
    row.getCell(6).numFmt = x.share ? PCT : INT;
    row.getCell(7).numFmt = x.share ? PP : DELTA;
    row.getCell(8).numFmt = DELTA_PCT;
  });
  for (const c of [5, 6, 7, 8]) ws.getColumn(c).width = Math.max(ws.getColumn(c).width ?? 0, 14);
}

/** Builds the workbook model (exceljs), sheet by sheet. */
export function buildWorkbook(r: PeriodResult, previous?: PeriodResult): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'banbao';
  wb.lastModifiedBy = 'banbao';
  wb.created = FIXED_DATE;
  wb.modified = FIXED_DATE;
  wb.title = `党建争强 ${r.period} 汇总与核对`;
  statusSheet(wb, r);
  explainSheet(wb, r);
  summarySheet(wb, r);
  // 核对: the value each row checks in its own measure — a count, a share (0.0%), or for a
  // year-on-year figure the growth rate (0.0%); a row that could not be checked shows none
  const recRows = r.reconciliation.map((x) => {
    const yoy = x.interval.startsWith('同比');
    const share = !yoy && r.ctx.derived.get(x.indicator)?.type === 'share';
    const checked = yoy && x.status === 'incomplete' ? null : x.computed;
    return {
      ...x,
      what: yoy ? '同比增速' : share ? '比例' : '合计',
      checked: checked === null ? null : yoy || share ? checked / 100 : checked,
      range: x.interval ? intervalWords(x.interval.replace(/^同比\s*/, ''), yoy || share ? '%' : '') : '',
      meaning: statusSentence(x, share ? '%' : ''),
      status_zh: STATUS_ZH[x.status],
      difference: x.difference,
      units: `${x.units_reported}/${x.units_expected}`,
      quote: r.ctx.published.figures.find((f) => f.id === x.published_id)?.source.quote ?? '',
      fmt: yoy || share ? 'pct' : 'count',
    };
  });
  const rec = tableSheet(wb, '核对', [
    { key: 'scope', header: '范围' },
    { key: 'name_zh', header: '指标' },
    { key: 'what', header: '核对的数' },
    { key: 'text', header: '公布文字' },
    { key: 'range', header: '公布文字表示' },
    { key: 'checked', header: '汇总值' },
    { key: 'status_zh', header: '状态' },
    { key: 'difference', header: '差额' },
    { key: 'meaning', header: '含义' },
    { key: 'units', header: '已报/应报' },
    { key: 'hints', header: '线索' },
    { key: 'explanation', header: '上报说明' },
    { key: 'quote', header: '出处' },
  ], recRows);
  rec.eachRow((row, n) => {
    if (n === 1) return;
    const x = recRows[n - 2];
    row.getCell(7).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: STATUS_FILL[x.status] } };
    row.getCell(6).numFmt = x.fmt === 'pct' ? PCT : '#,##0.##';
    // a share's or a growth rate's difference is in percentage points (the cell holds points)
    row.getCell(8).numFmt = x.fmt === 'pct' ? PP : DELTA;
    row.getCell(9).alignment = { wrapText: true, vertical: 'top' };
  });
  rec.getColumn(9).width = 46;
  rec.getColumn(8).width = Math.max(rec.getColumn(8).width ?? 0, 15);
  const issues = tableSheet(wb, '问题', [
    { key: 'severity_zh', header: '级别' },
    { key: 'kind', header: '问题种类' },
    { key: 'code', header: '代码' },
    { key: 'unit_name', header: '单位' },
    { key: 'file', header: '文件' },
    { key: 'sheet', header: '工作表' },
    { key: 'cell', header: '单元格' },
    { key: 'raw', header: '原文' },
    { key: 'message', header: '说明' },
    { key: 'confirmed', header: '上报说明（已确认）' },
    { key: 'confirmed_by', header: '说明人' },
  ], r.findings.map((f) => ({ ...f, severity_zh: SEVERITY_ZH[f.severity] ?? f.severity, kind: findingKind(f.code), unit_name: f.unit ? r.ctx.matchUnits.name(f.unit) : '' })));
  issues.eachRow((row, n) => {
    if (n === 1) return;
    const f = r.findings[n - 2];
    row.getCell(1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: f.severity === 'error' ? STATUS_FILL.mismatch : f.confirmed ? STATUS_FILL.within : STATUS_FILL.incomplete } };
  });
  tableSheet(wb, '明细', [
    { key: 'unit', header: '单位代码' },
    { key: 'unit_name', header: '单位' },
    { key: 'category', header: '类别' },
    { key: 'name_zh', header: '指标' },
    { key: 'indicator', header: '指标代码' },
    { key: 'value', header: '数值', numFmt: INT },
    { key: 'status_zh', header: '状态' },
    { key: 'file', header: '文件' },
    { key: 'sheet', header: '工作表' },
    { key: 'cell', header: '单元格' },
    { key: 'raw', header: '原文' },
    { key: 'note', header: '备注（上报说明）' },
  ], reconciledRows(r).map((x) => ({ ...x, status_zh: VALUE_STATUS_ZH[x.status] ?? x.status })));
  previousSheet(wb, r, previous);
  return wb;
}

/** The workbook's bytes, the same for the same result. */
export async function writeWorkbookBytes(r: PeriodResult, previous?: PeriodResult): Promise<Uint8Array> {
  const wb = buildWorkbook(r, previous);
  // stored, not deflated: deterministicZip re-zips every entry anyway (one deflate, not two)
  const buf = await wb.xlsx.writeBuffer({ zip: { compression: 'STORE' } } as Parameters<typeof wb.xlsx.writeBuffer>[0]);
  return deterministicZip(buf as ArrayBuffer);
}
