// Renders a template model as the .xlsx a district fills in: 填报表 (merged title lines, the header the
// pipeline reads, yellow unlocked input cells with data validation, the rest protected without a
// password), 说明, and optionally 村社明细. Deterministic bytes: fixed metadata, no password salt, re-zipped.
import ExcelJS from 'exceljs';
import type { PeriodContext } from '../context.ts';
import { deterministicZip, FIXED_DATE } from '../outputs/deterministic-zip.ts';
import { instructionRows, type InstructionRow } from './instructions.ts';
import { BASIS_ZH, DETAIL_HEADER_FIXED, DETAIL_SHEET, NA_TEXT, TEMPLATE_HEADER, TEMPLATE_LAYOUT, quoteZh, type TemplateModel, type TemplateRow } from './model.ts';

const FONT = { name: '等线', size: 11 };
const INPUT_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } }; // light yellow
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
const NA_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEDEDED' } };
const THIN: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};
/** Sheet protection without a password: no hash, no random salt, so the bytes do not change. */
const PROTECTION: Partial<ExcelJS.WorksheetProtection> = {
  selectLockedCells: true,
  selectUnlockedCells: true,
  formatColumns: true,
  formatRows: true,
};
const UNLOCKED: Partial<ExcelJS.Protection> = { locked: false };

const col = (n: number) => String.fromCharCode(64 + n);

/** The value cell's data validation: whole number ≥ 0, or also “—” where the item allows it. */
export function valueValidation(row: TemplateRow, address: string): ExcelJS.DataValidation {
  const basis = BASIS_ZH[row.basis].replace(/（.*）$/, '');
  const part = row.partOf ? `，不大于${quoteZh(row.partOf)}` : '';
  const na = row.naAllowed ? `；确实不适用填“${NA_TEXT}”` : '';
  const common = {
    allowBlank: true,
    showInputMessage: true,
    promptTitle: row.name.slice(0, 32),
    prompt: `${basis}，填非负整数（${row.measure}）${part}。没有发生填 0${na}。不填约数、百分比，不用“万”。`,
    showErrorMessage: true,
    errorStyle: 'stop' as const,
    errorTitle: '请填写准确的整数',
    error: `${quoteZh(row.name)}应填写不小于 0 的整数（${row.measure}）${na}。不要填约数（如“120余”）、百分比或带“万”的数；没有发生请填 0。`,
  };
  if (!row.naAllowed) return { type: 'whole', operator: 'greaterThanOrEqual', formulae: [0], ...common };
  // Excel custom rule, relative to the cell itself; “——” is what the Chinese IME types for shift+minus
  return { type: 'custom', formulae: [`OR(${address}="${NA_TEXT}",${address}="——",AND(ISNUMBER(${address}),${address}>=0,${address}=INT(${address})))`], ...common };
}

async function formSheet(wb: ExcelJS.Workbook, m: TemplateModel): Promise<void> {
  const L = TEMPLATE_LAYOUT;
  const ws = wb.addWorksheet(L.sheet, {
    views: [{ state: 'frozen', ySplit: L.headerRow, activeCell: `${col(L.valueCol)}${L.firstItemRow}` }],
    pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  ws.columns = [{ width: 6 }, { width: 12 }, { width: 30 }, { width: 26 }, { width: 7 }, { width: 12 }, { width: 34 }];
  const last = col(TEMPLATE_HEADER.length);

  const title = ws.getCell(L.titleRow, 1);
  title.value = m.title;
  title.font = { ...FONT, size: 16, bold: true };
  title.alignment = { horizontal: 'center', vertical: 'middle' };
  ws.mergeCells(`A${L.titleRow}:${last}${L.titleRow}`);
  ws.getRow(L.titleRow).height = 30;
  const unitCell = ws.getCell(L.unitRow, 1);
  unitCell.value = m.unitLine;
  unitCell.font = FONT;
  unitCell.alignment = { horizontal: 'left', vertical: 'middle' };
  ws.mergeCells(`A${L.unitRow}:${last}${L.unitRow}`);

  TEMPLATE_HEADER.forEach((h, i) => {
    const c = ws.getCell(L.headerRow, i + 1);
    c.value = h;
    c.font = { ...FONT, bold: true };
    c.fill = HEADER_FILL;
    c.border = THIN;
    c.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  });

  m.rows.forEach((row, i) => {
    const r = L.firstItemRow + i;
    const cells: ExcelJS.CellValue[] = [row.no, row.category, row.name, row.code, row.measure];
    cells.forEach((v, j) => {
      const c = ws.getCell(r, j + 1);
      c.value = v;
      c.font = FONT;
      c.border = THIN;
      c.alignment = { horizontal: j === 2 || j === 3 ? 'left' : 'center', vertical: 'middle' };
    });
    const value = ws.getCell(r, L.valueCol);
    const note = ws.getCell(r, L.noteCol);
    value.border = note.border = THIN;
    value.font = note.font = FONT;
    value.alignment = { horizontal: 'right', vertical: 'middle' };
    note.alignment = { horizontal: 'left', vertical: 'middle', wrapText: true };
    if (row.reports) {
      value.fill = INPUT_FILL;
      value.numFmt = '0';
      value.protection = UNLOCKED;
      value.dataValidation = valueValidation(row, `${col(L.valueCol)}${r}`);
      note.protection = UNLOCKED;
    } else {
      value.value = NA_TEXT;
      value.fill = NA_FILL;
      value.alignment = { horizontal: 'center', vertical: 'middle' };
      note.value = '本单位不填报此项';
      note.fill = NA_FILL;
    }
  });
  // category cells merged over their items, as on the printed forms
  let start = 0;
  for (let i = 1; i <= m.rows.length; i++) {
    if (i === m.rows.length || m.rows[i].category !== m.rows[start].category) {
      if (i - start > 1) ws.mergeCells(L.firstItemRow + start, 2, L.firstItemRow + i - 1, 2);
      start = i;
    }
  }
  // footer: who filled it in (read by nobody, skipped by the pipeline as a footer line)
  const f = L.firstItemRow + m.rows.length + 1;
  const footer: [number, string][] = [
    [1, '填报人：'],
    [3, '联系电话：'],
    [5, '填报日期：'],
  ];
  for (const [c, label] of footer) {
    const cell = ws.getCell(f, c);
    cell.value = label;
    cell.font = FONT;
    cell.alignment = { horizontal: 'right' };
  }
  for (const c of [2, 4, 6]) {
    const cell = ws.getCell(f, c);
    cell.protection = UNLOCKED;
    cell.border = { bottom: { style: 'thin' } };
    cell.font = FONT;
  }
  ws.mergeCells(f, 6, f, 7);
  await ws.protect('', PROTECTION);
}

async function instructionSheet(wb: ExcelJS.Workbook, rows: InstructionRow[]): Promise<void> {
  const ws = wb.addWorksheet('说明', { pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  ws.columns = [{ width: 26 }, { width: 18 }, { width: 40 }, { width: 44 }, { width: 22 }, { width: 16 }];
  rows.forEach((row, i) => {
    const r = i + 1;
    if (row.style === 'title' || row.style === 'heading' || row.style === 'text') {
      const c = ws.getCell(r, 1);
      c.value = row.cells[0];
      c.font = row.style === 'title' ? { ...FONT, size: 14, bold: true } : row.style === 'heading' ? { ...FONT, bold: true } : FONT;
      c.alignment = { vertical: 'top', wrapText: row.style === 'text' };
      if (row.style === 'text' && row.cells[0]) {
        ws.mergeCells(r, 1, r, 6);
        ws.getRow(r).height = Math.max(16, Math.ceil(row.cells[0].length / 70) * 16);
      }
      return;
    }
    row.cells.forEach((v, j) => {
      const c = ws.getCell(r, j + 1);
      c.value = v;
      c.font = row.style === 'tableHeader' ? { ...FONT, bold: true } : FONT;
      c.fill = row.style === 'tableHeader' ? HEADER_FILL : { type: 'pattern', pattern: 'none' };
      c.border = THIN;
      c.alignment = { vertical: 'top', wrapText: true };
    });
  });
  await ws.protect('', PROTECTION);
}

async function detailSheet(wb: ExcelJS.Workbook, m: TemplateModel): Promise<void> {
  const d = m.detail!;
  const ws = wb.addWorksheet(DETAIL_SHEET, { views: [{ state: 'frozen', ySplit: 1, xSplit: 2 }] });
  const header = [...DETAIL_HEADER_FIXED, ...d.columns.map((c) => c.name)];
  ws.columns = [{ width: 15 }, { width: 26 }, { width: 14 }, { width: 8 }, ...d.columns.map(() => ({ width: 13 }))];
  header.forEach((h, i) => {
    const c = ws.getCell(1, i + 1);
    c.value = h;
    c.font = { ...FONT, bold: true };
    c.fill = HEADER_FILL;
    c.border = THIN;
    c.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  });
  const typeRule: ExcelJS.DataValidation = {
    type: 'list',
    formulae: ['"村,社区"'],
    allowBlank: true,
    showErrorMessage: true,
    errorStyle: 'stop',
    errorTitle: '类型',
    error: '类型只能填“村”或“社区”（按组织部门的口径）。',
  };
  d.lines.forEach((line, i) => {
    const r = i + 2;
    const fixed = [line.code, line.name, line.town];
    fixed.forEach((v, j) => {
      const c = ws.getCell(r, j + 1);
      c.value = v; // the 12-digit code as text, never a number
      c.font = FONT;
      c.border = THIN;
    });
    ws.getCell(r, 1).numFmt = '@';
    const type = ws.getCell(r, 4);
    type.protection = UNLOCKED;
    type.fill = INPUT_FILL;
    type.border = THIN;
    type.dataValidation = typeRule;
    d.columns.forEach((dc, j) => {
      const c = ws.getCell(r, 5 + j);
      c.protection = UNLOCKED;
      c.fill = INPUT_FILL;
      c.border = THIN;
      c.numFmt = '0';
      const flag = dc.villageLevel !== 'any';
      c.dataValidation = {
        type: 'whole',
        operator: flag ? 'between' : 'greaterThanOrEqual',
        formulae: flag ? [0, 1] : [0],
        allowBlank: true,
        showErrorMessage: true,
        errorStyle: 'stop',
        errorTitle: dc.name.slice(0, 32),
        error: flag ? `已${dc.name.replace(/的.*$/, '')}的${dc.villageLevel}填 1，没有的填 0。` : '填写不小于 0 的整数（人数）。',
      };
    });
  });
  await ws.protect('', PROTECTION);
}

/** The .xlsx bytes of a template; the same model gives the same bytes. */
export async function templateXlsx(m: TemplateModel, ctx: PeriodContext): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'banbao';
  wb.lastModifiedBy = 'banbao';
  wb.created = FIXED_DATE;
  wb.modified = FIXED_DATE;
  wb.title = m.title;
  wb.subject = `${m.unit.name} ${m.period}`;
  await formSheet(wb, m);
  await instructionSheet(wb, instructionRows(m, ctx));
  if (m.detail) await detailSheet(wb, m);
  const buf = await wb.xlsx.writeBuffer();
  return deterministicZip(buf as ArrayBuffer);
}
