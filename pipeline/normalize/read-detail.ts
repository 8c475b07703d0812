// The village-detail reader (村社明细): one village or community per row.
import { cellAt, cellText, type Sheet } from '../ingest/grid.ts';
import { type LayoutContext, type ParsedFile, locOf } from './form.ts';
import type { DetailHeader } from './header.ts';
import { FOOTER, TOTAL_ROW, k } from './vocabulary.ts';

function villageType(text: string): string {
  const t = k(text);
  if (['村', '行政村', '村委会', '村民委员会'].map(k).includes(t)) return '村';
  if (['社区', '城市社区', '居委会', '居民委员会', '社区居委会'].map(k).includes(t)) return '社区';
  return text.trim();
}

export function readDetail(sheet: Sheet, h: DetailHeader, file: string, ctx: LayoutContext, out: ParsedFile): void {
  void ctx;
  for (let r = h.row + 1; r < sheet.rows.length; r++) {
    const codeCell = cellAt(sheet, r, h.codeCol);
    let code = (codeCell.t === 'number' ? String(codeCell.n) : cellText(codeCell)).normalize('NFKC').trim();
    // 330212 009003, '330212009003: a code typed in groups or kept as text is still the code
    const compact = code.replace(/[\s'‘’]/g, '');
    if (/^\d{12}$/.test(compact)) code = compact;
    if (!code) continue;
    if (!/^\d{12}$/.test(code) && (FOOTER.test(code) || TOTAL_ROW.has(k(code)))) continue;
    const typeText = h.typeCol !== undefined ? cellText(cellAt(sheet, r, h.typeCol)) : '';
    const type = villageType(typeText);
    // a one-column item goes to the item of the row's type (a row of another type: the first, so the type rule speaks)
    const split = h.byType.map(({ col, items }) => {
      const cell = cellAt(sheet, r, col);
      return { indicator: items[type] ?? Object.values(items)[0], cell, raw: cellText(cell), loc: locOf(file, sheet, r, col) };
    });
    out.details.push({
      code,
      name: h.nameCol !== undefined ? cellText(cellAt(sheet, r, h.nameCol)).trim() : '',
      type,
      loc: locOf(file, sheet, r, h.codeCol),
      typeLoc: locOf(file, sheet, r, h.typeCol ?? h.codeCol),
      values: [
        ...h.items.map(({ col, indicator }) => {
          const cell = cellAt(sheet, r, col);
          return { indicator, cell, raw: cellText(cell), loc: locOf(file, sheet, r, col) };
        }),
        ...split,
      ],
    });
  }
}
