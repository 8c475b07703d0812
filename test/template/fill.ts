// Fills a blank template the way a district clerk would — numbers typed into the 本期数 cells (and,
// when asked, the 村社明细 rows, kept consistent with the form) — so tests can read it back.
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import type { PeriodContext } from '../../pipeline/context.ts';
import { DETAIL_SHEET, NA_TEXT, TEMPLATE_LAYOUT, type TemplateModel } from '../../pipeline/template/model.ts';
import { YZ } from '../helpers.ts';

export type Filled = Record<string, number | typeof NA_TEXT>;

/**
 * Plausible figures for a unit: 鄞州区's clean 2018H1 set scaled by unit, parts below their wholes,
 * villages + communities within the unit's roster; “—” for 新增高端创业创新团队 where `naFor` says so.
 */
export function plausibleValues(ctx: PeriodContext, model: TemplateModel, opts: { na?: boolean } = {}): Filled {
  const i = ctx.units.findIndex((u) => u.code === model.unit.code);
  const f = 0.5 + i / 10;
  const roster = ctx.roster.count(model.unit.code);
  const out: Filled = {};
  for (const row of model.rows) {
    if (!row.reports) continue;
    if (row.naAllowed && opts.na) out[row.code] = NA_TEXT;
    else if (row.code === 'villages_signed') out[row.code] = Math.floor(roster * 0.55);
    else if (row.code === 'communities_signed') out[row.code] = Math.floor(roster * 0.3);
    else out[row.code] = Math.floor((YZ[row.code] ?? 20 + row.no) * f);
  }
  return out;
}

/** A template with its 本期数 cells filled (and 村社明细, if given), saved as exceljs saves it. */
export async function fillXlsx(bytes: Uint8Array, values: Filled, detail?: DetailFill): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const ws = wb.getWorksheet(TEMPLATE_LAYOUT.sheet)!;
  for (let r = TEMPLATE_LAYOUT.firstItemRow; r <= ws.rowCount; r++) {
    const code = ws.getCell(r, TEMPLATE_LAYOUT.codeCol).value;
    if (typeof code === 'string' && code in values) ws.getCell(r, TEMPLATE_LAYOUT.valueCol).value = values[code];
  }
  if (detail) {
    const d = wb.getWorksheet(DETAIL_SHEET)!;
    const header = (d.getRow(1).values as ExcelJS.CellValue[]).map((v) => String(v ?? ''));
    for (let r = 2; r <= d.rowCount; r++) {
      const line = detail.get(String(d.getCell(r, 1).value));
      if (!line) continue;
      d.getCell(r, 4).value = line.type;
      for (const [name, v] of Object.entries(line.values)) d.getCell(r, header.indexOf(name)).value = v;
    }
  }
  return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

/** A template's CSV twin with its 本期数 fields filled. */
export function fillCsv(text: string, values: Filled): string {
  const rows = Papa.parse<string[]>(text.replace(/^\ufeff/, ''), { skipEmptyLines: false }).data;
  const c = TEMPLATE_LAYOUT.codeCol - 1;
  const v = TEMPLATE_LAYOUT.valueCol - 1;
  for (const row of rows) if (row[c] && row[c] in values) row[v] = String(values[row[c]]);
  return '\ufeff' + Papa.unparse(rows, { newline: '\r\n' }) + '\r\n';
}

export type DetailFill = Map<string, { type: '村' | '社区'; values: Record<string, number> }>;

/**
 * 村社明细 rows consistent with `values`: the first villages_signed 村委会-coded units are 村 with the
 * signage, then communities_signed 社区; cadres and secretaries spread one per row from the top.
 */
export function detailFor(model: TemplateModel, values: Filled): DetailFill {
  const d = model.detail!;
  const out: DetailFill = new Map();
  const num = (code: string) => (typeof values[code] === 'number' ? (values[code] as number) : 0);
  let villages = num('villages_signed');
  let communities = num('communities_signed');
  let cadres = num('cadres_adjusted');
  let secretaries = num('secretaries_adjusted');
  const names = new Map(d.columns.map((c) => [c.code, c.name]));
  // 村委会 codes (200–399) first, as the organisation department counts most of them as villages
  const order = [...d.lines].sort((a, b) => Number(Number(a.code.slice(9)) < 200) - Number(Number(b.code.slice(9)) < 200) || (a.code < b.code ? -1 : 1));
  for (const line of order) {
    const type = villages > 0 ? '村' : '社区';
    const row: Record<string, number> = {};
    if (names.has('villages_signed')) row[names.get('villages_signed')!] = type === '村' && villages > 0 ? 1 : 0;
    if (names.has('communities_signed')) row[names.get('communities_signed')!] = type === '社区' && communities > 0 ? 1 : 0;
    if (type === '村') villages--;
    else if (communities > 0) communities--;
    const c = cadres > 0 ? 1 : 0;
    const s = secretaries > 0 && c ? 1 : 0;
    (cadres -= c), (secretaries -= s);
    if (names.has('cadres_adjusted')) row[names.get('cadres_adjusted')!] = c;
    if (names.has('secretaries_adjusted')) row[names.get('secretaries_adjusted')!] = s;
    out.set(line.code, { type, values: row });
  }
  if (villages > 0 || communities > 0 || cadres > 0) throw new Error(`detailFor: ${model.unit.name} has too few roster units for the figures`);
  return out;
}
