// A large but honest .xlsx for the memory test: a long-form table (单位, 指标名称, 本期数, …) of
// `rows` rows and `cols` columns of numbers, written as Excel writes it (shared strings for the
// text, r= on every row and cell), deflated. Streamed into the zip: the XML is never one string.
import zlib from 'node:zlib';
import { writeZip, minimalXlsxParts } from './support.ts';

const colLetters = (n: number) => {
  let s = '';
  for (; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
};

/** `text`: each cell an inline string of about that many characters (distinct per cell) instead of a number. */
export function bigWorkbook(rows: number, cols: number, text = 0): Uint8Array {
  const filler = '党建争强数据'.repeat(Math.ceil(text / 6)).slice(0, text);
  const letters = Array.from({ length: cols }, (_, i) => colLetters(i + 1));
  const parts: Buffer[] = [];
  let raw = 0;
  const head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
  const chunks: string[] = [head];
  let header = '<row r="1">';
  for (let c = 0; c < cols; c++) header += `<c r="${letters[c]}1" t="inlineStr"><is><t>${c === 0 ? '指标名称' : c === 1 ? '本期数' : `列${c + 1}`}</t></is></c>`;
  chunks.push(header + '</row>');
  const flush = (final: boolean) => {
    const text = Buffer.from(chunks.join(''), 'utf8');
    chunks.length = 0;
    raw += text.length;
    parts.push(text);
    void final;
  };
  for (let r = 2; r <= rows + 1; r++) {
    let row = `<row r="${r}">`;
    for (let c = 0; c < cols; c++)
      row += text ? `<c r="${letters[c]}${r}" t="inlineStr"><is><t>${r}-${c}${filler}</t></is></c>` : `<c r="${letters[c]}${r}"><v>${(r * 7 + c * 13) % 100000}</v></c>`;
    chunks.push(row + '</row>');
    if (chunks.length >= 2000) flush(false);
  }
  chunks.push('</sheetData></worksheet>');
  flush(true);
  const xml = Buffer.concat(parts, raw);
  const sheet = minimalXlsxParts('', '填报表');
  const i = sheet.findIndex((p) => p.name === 'xl/worksheets/sheet1.xml');
  sheet[i] = { name: 'xl/worksheets/sheet1.xml', raw: new Uint8Array(zlib.deflateRawSync(xml, { level: 1 })), method: 8, crc: zlib.crc32(xml), declaredSize: xml.length };
  return writeZip(sheet);
}
