// The wide-form reader (汇总表): one unit per row, one item per column.
import type { Finding } from '../../schemas/finding.ts';
import { finding } from '../messages.ts';
import { a1, cellAt, cellText, type Sheet } from '../ingest/grid.ts';
import { type LayoutContext, type Loc, type ParsedFile, hasExtraFields, isRounded, locOf, scaledFigure, tenThousandMeasure } from './form.ts';
import { isYearSpanHeader, type WideHeader } from './header.ts';
import { COMPARISON, FOOTER, TOTAL_ROW, k } from './vocabulary.ts';

export function readWide(sheet: Sheet, h: WideHeader, file: string, ctx: LayoutContext, out: ParsedFile, findings: Finding[]): string[] {
  const units: string[] = [];
  const seenUnit = new Map<string, Loc>();
  const scales = new Map<number, { word: '万' | '亿'; text: string }>();
  for (const { col } of h.items) {
    const head = cellText(cellAt(sheet, h.row, col)).normalize('NFKC');
    const m = /[(（]([^()（）]*)[)）]\s*$/.exec(head);
    const word = m ? tenThousandMeasure(m[1]) : undefined;
    if (word) scales.set(col, { word, text: m![1] });
  }
  // an H2 period item whose column says 全年 / 1-12月 (正风肃纪监督检查（全年）): the half-year is not in it
  const half = out.period ?? ctx.period;
  const yearOnly = new Set<number>();
  if (half?.endsWith('H2'))
    for (const { col, indicator } of h.items) {
      const head = cellText(cellAt(sheet, h.row, col)).normalize('NFKC');
      const m = /[(（]([^()（）]*)[)）]\s*$/.exec(head);
      if (m && isYearSpanHeader(m[1], half) && ctx.basis?.(indicator) === 'period') yearOnly.add(col);
    }
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
    // a row of last year's figures (口径 上年同期) beside this period's: a comparison, not read
    if (h.basisCol !== undefined && COMPARISON.test(cellText(cellAt(sheet, r, h.basisCol)))) continue;
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
    // a text line with more fields than its header (14,935 typed without quotes): every column after
    // the comma would shift by one, so no figure of the row is read
    if (hasExtraFields(sheet, r, h.row, sheet.fieldCounts?.[h.row] ?? 0)) {
      const fields = sheet.fieldCounts!;
      const extra = (sheet.rows[r] ?? []).slice(1, fields[r]).map(cellText).join(',');
      findings.push(finding('row.extra_fields', { ...unitLoc, unit, raw: extra }, { what: String(fields[r] - fields[h.row]), raw: extra }));
      continue;
    }
    // one value cell merged across the columns of two items: the figure belongs to neither
    const merged = new Set<number>();
    for (const m of sheet.merges) {
      if (r < m.top || r > m.bottom || m.right <= m.left) continue;
      const under = h.items.filter((i) => i.col >= m.left && i.col <= m.right);
      if (under.length < 2) continue;
      // one "—" across the items a unit does not report (市本级) says the same of each: not a figure
      const master = cellAt(sheet, m.top, m.left);
      if (master.t !== 'number' && !/\d/.test(cellText(master))) continue;
      const names = under.map((i) => `第 ${i.col + 1} 列“${cellText(cellAt(sheet, h.row, i.col)).trim()}”`).join('、');
      for (const i of under) merged.add(i.col);
      const first = under[0];
      findings.push(finding('row.merged_value', { ...locOf(file, sheet, r, first.col), unit, indicator: first.indicator, raw: cellText(cellAt(sheet, m.top, m.left)) }, { other: `${a1(m.top, m.left)}:${a1(m.bottom, m.right)}`, detail: names }));
    }
    const note = h.note !== undefined ? cellText(cellAt(sheet, r, h.note)).trim() : '';
    for (const { col, indicator } of h.items) {
      const cell = cellAt(sheet, r, col);
      const loc = locOf(file, sheet, r, col);
      if (merged.has(col)) continue;
      if (yearOnly.has(col)) {
        findings.push(finding('header.year_only', { ...loc, unit, indicator, raw: cellText(cellAt(sheet, h.row, col)) }, { item: cellText(cellAt(sheet, h.row, col)).trim() }));
        continue;
      }
      // a column headed 非公企业党员（万人）: 1.5744 is 15744, read from its digits
      const scale = scales.get(col);
      const scaled = scale ? scaledFigure(cell, scale.word) : undefined;
      if (scale && scaled) {
        const raw = `${cellText(cell)}（${scale.text}）`;
        if (scaled.rounded) findings.push(finding('value.rounded', { ...loc, unit, indicator, raw }, { item: indicator }));
        out.observations.push({ unit, indicator, cell: scaled.cell, raw, loc, note });
        continue;
      }
      const raw = cellText(cell);
      if (isRounded(raw)) findings.push(finding('value.rounded', { ...loc, unit, indicator, raw }, { item: indicator }));
      out.observations.push({ unit, indicator, cell, raw, loc, note });
    }
  }
  return units;
}
