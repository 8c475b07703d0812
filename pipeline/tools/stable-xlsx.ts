// Workbooks the sample and fixture generators write: exceljs's bytes re-zipped with fixed entry dates
// (and, on request, a fixed entry order), so that a regenerated file is the same bytes; a WPS-made
// file also gets the docProps/app.xml WPS writes. Used by pipeline/tools/make-sample.ts and
// test/fixtures/make-fixtures.ts.
import type ExcelJS from 'exceljs';
import JSZip from 'jszip';

export const WPS_APP_XML = (sheets: string[]) =>
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" ' +
  'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">' +
  '<Application>WPS 表格</Application>' +
  '<HeadingPairs><vt:vector size="2" baseType="variant">' +
  `<vt:variant><vt:lpstr>工作表</vt:lpstr></vt:variant><vt:variant><vt:i4>${sheets.length}</vt:i4></vt:variant>` +
  '</vt:vector></HeadingPairs>' +
  `<TitlesOfParts><vt:vector size="${sheets.length}" baseType="lpstr">${sheets.map((s) => `<vt:lpstr>${s}</vt:lpstr>`).join('')}</vt:vector></TitlesOfParts>` +
  '</Properties>';

/** exceljs's bytes → a zip with fixed entry dates (and [Content_Types].xml first, then by name, with `sorted`). */
export async function stableXlsx(wb: ExcelJS.Workbook, opts: { date: Date; wps?: boolean; sorted?: boolean }): Promise<Uint8Array> {
  const src = await JSZip.loadAsync((await wb.xlsx.writeBuffer()) as ArrayBuffer);
  if (src.file('docProps/app.xml') === null) throw new Error('exceljs wrote no docProps/app.xml');
  const out = new JSZip();
  const names = Object.keys(src.files).filter((n) => !src.files[n].dir);
  if (opts.sorted) names.sort((a, b) => (a === '[Content_Types].xml' ? -1 : b === '[Content_Types].xml' ? 1 : a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) {
    let data: Uint8Array | string = await src.files[name].async('uint8array');
    if (opts.wps && name === 'docProps/app.xml') data = WPS_APP_XML(wb.worksheets.map((w) => w.name));
    out.file(name, data, { date: opts.date, createFolders: false });
  }
  return out.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 6 }, platform: 'DOS' });
}
