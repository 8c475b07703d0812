// The village-detail reader (村社明细): one village or community per row.
import { type Cell, cellAt, cellText, type Sheet } from '../ingest/grid.ts';
import { DetailRow, type DetailValue, type LayoutContext, type ParsedFile } from './form.ts';
import type { DetailHeader } from './header.ts';
import { FOOTER, TOTAL_ROW, k } from './vocabulary.ts';
import { isVillageCode } from '../reference/roster.ts';

const VILLAGE = new Set(['村', '行政村', '村委会', '村民委员会'].map(k));
const COMMUNITY = new Set(['社区', '城市社区', '居委会', '居民委员会', '社区居委会'].map(k));
/** 村 or 社区 as the type column says it (a country's detail asks this 620,000 times: memoised). */
const typeMemo = new Map<string, string>();
function villageType(text: string): string {
  let type = typeMemo.get(text);
  if (type === undefined) {
    const t = k(text);
    type = VILLAGE.has(t) ? '村' : COMMUNITY.has(t) ? '社区' : text.trim();
    if (typeMemo.size < 10_000) typeMemo.set(text, type);
  }
  return type;
}

/** The village code of a detail row's code cell as read (330212 009003 and '330212009003 are the code). */
export function detailCode(codeCell: Cell): string {
  const text = codeCell.t === 'number' ? String(codeCell.n) : cellText(codeCell);
  if (isVillageCode(text)) return text; // already a code: nothing to normalise
  const code = text.normalize('NFKC').trim();
  const compact = code.replace(/[\s'‘’]/g, '');
  return isVillageCode(compact) ? compact : code;
}

/** Whether a code cell's text makes a detail row (not empty, not a 合计 or footer line). */
export function isDetailCode(code: string): boolean {
  return code !== '' && (isVillageCode(code) || !(FOOTER.test(code) || TOTAL_ROW.has(k(code))));
}

/** One row of a detail sheet, its cells given by `cell(col)` (a sheet's row, or a row streamed from a large CSV). */
export function readDetailRow(cell: (col: number) => Cell, r: number, sheet: Sheet, h: DetailHeader, file: string, fields?: { row: number; header: number }): DetailRow | undefined {
  const code = detailCode(cell(h.codeCol));
  if (!isDetailCode(code)) return undefined;
  const typeText = h.typeCol !== undefined ? cellText(cell(h.typeCol)) : '';
  const type = villageType(typeText);
  // more fields than the header, with something from the first item column on: the cells may be shifted.
  // Even when the fields past the header are blank (…,0,0,, as some exports end rows): a doubled comma
  // among the items with an empty last cell looks the same, and shifts every figure after it
  let extraFields: DetailRow['extraFields'];
  if (fields && fields.row > fields.header) {
    const from = Math.min(...h.items.map((i) => i.col), ...h.byType.map((b) => b.col));
    const rest = Array.from({ length: fields.row - from }, (_, i) => cell(from + i));
    if (rest.some((c) => c.t !== 'empty')) extraFields = { count: fields.row - fields.header, raw: rest.map(cellText).join(',') };
  }
  const values: DetailValue[] = [];
  for (const { col, indicator } of h.items) {
    const c = cell(col);
    values.push({ indicator, cell: c, raw: cellText(c), col: col + 1 });
  }
  // a one-column item goes to the item of the row's type (a row of another type: the first, so the type rule speaks)
  for (const { col, items } of h.byType) {
    const c = cell(col);
    values.push({ indicator: items[type] ?? Object.values(items)[0], cell: c, raw: cellText(c), col: col + 1 });
  }
  const name = h.nameCol !== undefined ? cellText(cell(h.nameCol)).trim() : '';
  return new DetailRow(code, name, type, file, sheet.name, r + 1, h.codeCol + 1, (h.typeCol ?? h.codeCol) + 1, values, extraFields);
}

export function readDetail(sheet: Sheet, h: DetailHeader, file: string, ctx: LayoutContext, out: ParsedFile): void {
  void ctx;
  for (let r = h.row + 1; r < sheet.rows.length; r++) {
    const fields = sheet.fieldCounts ? { row: sheet.fieldCounts[r] ?? 0, header: sheet.fieldCounts[h.row] ?? 0 } : undefined;
    const d = readDetailRow((c) => cellAt(sheet, r, c), r, sheet, h, file, fields);
    if (d) out.details.push(d);
  }
}
