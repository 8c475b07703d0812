// The wide-form reader (汇总表): one unit per row, one item per column.
import type { Finding } from '../../schemas/finding.ts';
import { finding } from '../messages.ts';
import { cellAt, cellText, type Sheet } from '../ingest/grid.ts';
import { type LayoutContext, type Loc, type ParsedFile, locOf } from './form.ts';
import type { WideHeader } from './header.ts';
import { FOOTER, TOTAL_ROW, k } from './vocabulary.ts';

export function readWide(sheet: Sheet, h: WideHeader, file: string, ctx: LayoutContext, out: ParsedFile, findings: Finding[]): string[] {
  const units: string[] = [];
  const seenUnit = new Map<string, Loc>();
  const colHasData = (c: number) => sheet.rows.slice(h.row + 1).some((row) => (row[c]?.t ?? 'empty') !== 'empty');
  for (const u of h.unknown)
    if (colHasData(u.col)) {
      const near = ctx.indicators.closest?.(u.text);
      findings.push(finding('header.unknown_indicator', { ...locOf(file, sheet, h.row, u.col), raw: u.text }, near ? { other: near } : {}));
    }
  for (const d of h.duplicates)
    if (colHasData(d.col))
      findings.push(finding('header.duplicate_indicator', { ...locOf(file, sheet, h.row, d.col), indicator: d.indicator, raw: cellText(cellAt(sheet, h.row, d.col)) }, { item: cellText(cellAt(sheet, h.row, d.col)).trim() }));
  for (let r = h.row + 1; r < sheet.rows.length; r++) {
    const unitText = cellText(cellAt(sheet, r, h.unitCol)).trim();
    if (!unitText) continue;
    if (FOOTER.test(unitText.normalize('NFKC'))) continue;
    if (TOTAL_ROW.has(k(unitText))) continue; // the city total is computed, not read
    const unitLoc = locOf(file, sheet, r, h.unitCol);
    const unit = ctx.units.exact(unitText) ?? (ctx.units.within(unitText).length === 1 ? ctx.units.within(unitText)[0] : undefined);
    if (!unit) {
      findings.push(finding('row.unknown_unit', { ...unitLoc, raw: unitText }));
      continue;
    }
    if (seenUnit.has(unit)) {
      findings.push(finding('file.duplicate_submission', { ...unitLoc, unit, raw: unitText }, { unit: ctx.units.name(unit), period: out.period ?? '', other: `${seenUnit.get(unit)!.cell}` }));
      continue;
    }
    seenUnit.set(unit, unitLoc);
    units.push(unit);
    out.unitLoc.set(unit, unitLoc);
    out.itemsSeen.set(unit, new Set(h.items.map((i) => i.indicator)));
    const note = h.note !== undefined ? cellText(cellAt(sheet, r, h.note)).trim() : '';
    for (const { col, indicator } of h.items) {
      const cell = cellAt(sheet, r, col);
      out.observations.push({ unit, indicator, cell, raw: cellText(cell), loc: locOf(file, sheet, r, col), note });
    }
  }
  return units;
}
