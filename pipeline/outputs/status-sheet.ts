// The workbook's first sheet, 报送情况: who has reported (已报 / 未报 / 重复 / 已替换), with which file,
// its fingerprint (the file's time is on the terminal only: outputs depend on file bytes alone), its format, and each unit's counts of errors and of unexplained and explained warnings.
import type ExcelJS from 'exceljs';
import type { PeriodResult } from '../run.ts';
import { submissionStatus } from '../status.ts';

const FONT = { name: '等线', size: 10 };
const FILL: Record<string, string> = { 已报: 'FFC6EFCE', 已替换: 'FFDDEBF7', 重复: 'FFFFC7CE', 未报: 'FFFFEB9C' };
const COLUMNS: [key: string, header: string, width: number][] = [
  ['unit', '单位代码', 10],
  ['unit_name', '单位', 10],
  ['state', '报送情况', 10],
  ['file', '采用的文件', 34],
  ['sha', '文件指纹（SHA-256）', 17],
  ['format', '格式（编码）', 16],
  ['errors', '错误', 7],
  ['unexplained', '未说明的提示', 13],
  ['explained', '已说明的提示', 13],
  ['others', '其他文件', 60],
];

/** Adds the 报送情况 sheet (call it first: it is the first sheet). */
export function statusSheet(wb: ExcelJS.Workbook, r: PeriodResult): void {
  const s = submissionStatus(r);
  const ws = wb.addWorksheet('报送情况', { views: [{ state: 'frozen', ySplit: 2 }] });
  const head = `${r.period} 报送情况：${(['已报', '已替换', '重复', '未报'] as const).filter((k) => s.counts[k]).map((k) => `${k} ${s.counts[k]}`).join('，')}${s.missingLine ? `。${s.missingLine}` : ''}`;
  ws.addRow([head]);
  ws.mergeCells(1, 1, 1, COLUMNS.length);
  ws.getCell(1, 1).font = { ...FONT, size: 12, bold: true };
  ws.addRow(COLUMNS.map((c) => c[1]));
  ws.getRow(2).eachCell((c) => {
    c.font = { ...FONT, bold: true };
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
    c.border = { bottom: { style: 'thin' } };
  });
  for (const u of s.units) {
    const row = ws.addRow(COLUMNS.map(([k]) => (u as unknown as Record<string, string | number>)[k] ?? ''));
    row.font = FONT;
    row.getCell(3).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: FILL[u.state] } };
  }
  for (const f of s.unassigned) ws.addRow(['', '', '未识别', f.file, '', '', f.errors, '', '', '无法确定单位或无法读取，见“问题”表']).font = FONT;
  COLUMNS.forEach(([, , w], i) => (ws.getColumn(i + 1).width = w));
  ws.pageSetup = { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:2' };
}
