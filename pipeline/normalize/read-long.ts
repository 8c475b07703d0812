// The long-form reader (填报表): one item per row, its figure in the value column.
import type { Finding } from '../../schemas/finding.ts';
import { finding } from '../messages.ts';
import { cellAt, cellText, type Sheet } from '../ingest/grid.ts';
import { type LayoutContext, type Loc, type ParsedFile, locOf } from './form.ts';
import type { LongHeader } from './header.ts';
import { FOOTER } from './vocabulary.ts';

export function readLong(sheet: Sheet, h: LongHeader, file: string, unit: string, ctx: LayoutContext, out: ParsedFile, findings: Finding[]): void {
  const seen = new Map<string, Loc>();
  out.itemsSeen.set(unit, new Set());
  out.unitLoc.set(unit, locOf(file, sheet, h.row, h.value));
  for (let r = h.row + 1; r < sheet.rows.length; r++) {
    const nameText = h.name !== undefined ? cellText(cellAt(sheet, r, h.name)).trim() : '';
    const codeText = h.code !== undefined ? cellText(cellAt(sheet, r, h.code)).trim() : '';
    const valueCell = cellAt(sheet, r, h.value);
    const label = nameText || codeText;
    if (!label) {
      // a second header row under the header (数量 | 数量 | % under 2017年上半年 | 2018年上半年 | 增减)
      if (r === h.row + 1 && valueCell.t === 'text') continue;
      if (valueCell.t !== 'empty') {
        const loc = locOf(file, sheet, r, h.name ?? h.code ?? 0);
        findings.push(finding('row.unknown_indicator', { ...loc, unit, raw: cellText(valueCell) }, { raw: '（空）' }));
      }
      continue;
    }
    const firstText = cellText(cellAt(sheet, r, 0)).trim();
    if (FOOTER.test(label.normalize('NFKC')) || FOOTER.test(firstText.normalize('NFKC'))) continue;
    const indicator = (codeText && ctx.indicators.reported(codeText)) || (nameText && ctx.indicators.reported(nameText)) || undefined;
    if (!indicator) {
      if (ctx.indicators.derived(label)) continue; // shares and sums are computed, not read
      if (ctx.indicators.category(label) && valueCell.t === 'empty') continue; // a category heading row
      const col = nameText ? h.name! : h.code!;
      findings.push(finding('row.unknown_indicator', { ...locOf(file, sheet, r, col), unit, raw: label }));
      continue;
    }
    const loc = locOf(file, sheet, r, h.value);
    const prev = seen.get(indicator);
    if (prev) {
      findings.push(finding('row.duplicate_indicator', { ...loc, unit, indicator, raw: cellText(valueCell) }, { item: label, other: prev.cell }));
      continue;
    }
    seen.set(indicator, loc);
    out.itemsSeen.get(unit)!.add(indicator);
    const note = h.note !== undefined ? cellText(cellAt(sheet, r, h.note)).trim() : '';
    if (h.measure !== undefined) {
      const measure = cellText(cellAt(sheet, r, h.measure)).trim();
      if (/[万亿千%％]/.test(measure))
        findings.push(
          finding('row.unit_measure', { ...locOf(file, sheet, r, h.measure), unit, indicator, raw: measure }, { expected: ctx.indicators.measure(indicator) }),
        );
    }
    out.observations.push({ unit, indicator, cell: valueCell, raw: cellText(valueCell), loc, note });
  }
}
