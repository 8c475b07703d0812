// The CSV twin of a template: the same rows as the 填报表 sheet (title lines, header, one row per item,
// footer), UTF-8 with BOM and CRLF so Excel on Chinese Windows opens it right. No validation or
// protection is possible in CSV: the 说明 of the .xlsx and the check page say what is checked.
import Papa from 'papaparse';
import { neutralise } from '../outputs/csv.ts';
import { NA_TEXT, TEMPLATE_HEADER, type TemplateModel } from './model.ts';

/** The rows of the 填报表 as text cells (value cells empty, or “—” where the unit does not report). */
export function templateGrid(m: TemplateModel): string[][] {
  const width = TEMPLATE_HEADER.length;
  const line = (first: string) => [first, ...Array(width - 1).fill('')];
  return [
    line(m.title),
    line(m.unitLine),
    [...TEMPLATE_HEADER],
    ...m.rows.map((r) => [String(r.no), r.category, r.name, r.code, r.measure, r.reports ? '' : NA_TEXT, r.reports ? '' : '本单位不填报此项']),
    line(''),
    ['填报人：', '', '联系电话：', '', '填报日期：', '', ''],
  ];
}

/** The CSV text of a template (with BOM). */
export function templateCsv(m: TemplateModel): string {
  const data = templateGrid(m).map((r) => r.map(neutralise));
  return '\ufeff' + Papa.unparse(data, { newline: '\r\n', quotes: false }) + '\r\n';
}
