// The long-form reader (填报表): one item per row, its figure in the value column.
import type { Finding } from '../../schemas/finding.ts';
import { finding } from '../messages.ts';
import { cellAt, cellText, type Sheet } from '../ingest/grid.ts';
import { type LayoutContext, type Loc, type ParsedFile, hasExtraFields, isRounded, locOf, numberIn, scaledFigure, tenThousandMeasure } from './form.ts';
import { type LongHeader, filledText } from './header.ts';
import { FOOTER, FOOTER_LABEL, SHARE_LABEL, SUBTOTAL_ROW, k } from './vocabulary.ts';
import { parseSubmittedValue } from './chinese-number.ts';
import { a1 } from '../ingest/grid.ts';

export function readLong(sheet: Sheet, h: LongHeader, file: string, unit: string, ctx: LayoutContext, out: ParsedFile, findings: Finding[]): void {
  const seen = new Map<string, Loc>();
  out.itemsSeen.set(unit, new Set());
  // figures since the last 小计 / category heading, and all of them, for the subtotal check
  const block: number[] = [];
  const all: number[] = [];
  const subtotals: { r: number; label: string; block: number[]; all: number[] }[] = [];
  const headerTexts = (sheet.rows[h.row] ?? []).map((c) => cellText(c).normalize('NFKC').trim());
  // the category column (指标类别), merged over its items: a 小计 sums the items of the category above it
  const catCol = headerTexts.findIndex((t) => /^(指标)?(类别|分类|类型)$/.test(t));
  const groupOf = (r: number) => (catCol >= 0 ? filledText(sheet, r, catCol) : '');
  const groups: { r: number; group: string; v: number }[] = [];
  /** the figures of the items just above row r: since the last 小计 or heading, or of the last item's category */
  const blockOf = (r: number) => {
    if (catCol < 0 || !groups.length) return [...block];
    const g = groups[groups.length - 1].group;
    const out: number[] = [];
    for (let i = groups.length - 1; i >= 0 && groups[i].group === g && groups[i].r < r; i--) out.push(groups[i].v);
    block.length = 0;
    return out;
  };
  const labelled = (r: number) => (h.name !== undefined && cellText(cellAt(sheet, r, h.name)).trim() !== '') || (h.code !== undefined && cellText(cellAt(sheet, r, h.code)).trim() !== '');
  out.unitLoc.set(unit, locOf(file, sheet, h.row, h.value));
  for (let r = h.row + 1; r < sheet.rows.length; r++) {
    const nameText = h.name !== undefined ? cellText(cellAt(sheet, r, h.name)).trim() : '';
    const codeText = h.code !== undefined ? cellText(cellAt(sheet, r, h.code)).trim() : '';
    const valueCell = cellAt(sheet, r, h.value);
    const label = nameText || codeText;
    // a text line with more fields than its header (7,013 typed without quotes): never a cut figure
    if (hasExtraFields(sheet, r, h.row, h.value + 1)) {
      const fields = sheet.fieldCounts!;
      const extra = (sheet.rows[r] ?? []).slice(h.value).map(cellText).join(',');
      findings.push(finding('row.extra_fields', { ...locOf(file, sheet, r, h.value), unit, raw: extra }, { what: String(fields[r] - fields[h.row]), raw: extra }));
      const item = ctx.indicators.reported(nameText || codeText);
      if (item) out.itemsSeen.get(unit)!.add(item); // said here, not again as missing
      continue;
    }
    const rowTexts = (sheet.rows[r] ?? []).map((c) => cellText(c).normalize('NFKC').trim());
    // a footer line (单位负责人：… 审核人：… 报送日期：…) anywhere in the row
    if (rowTexts.some((t) => t && FOOTER_LABEL.test(t))) continue;
    // the header again, after a page break (and the title above it): not a data row
    if (rowTexts.filter(Boolean).length >= 2 && rowTexts.every((t, c) => !t || t === headerTexts[c])) continue;
    if (!label) {
      // a second header row under the header (数量 | 数量 | % under 2017年上半年 | 2018年上半年 | 增减)
      if (r === h.row + 1 && valueCell.t === 'text') continue;
      // 小计 / 合计 written in another column (the category's, the 序号's)
      const word = rowTexts.find((t, c) => c !== h.value && t && SUBTOTAL_ROW.test(k(t)));
      if (word) {
        subtotals.push({ r, label: word, block: blockOf(r), all: [...all] });
        continue;
      }
      if (valueCell.t !== 'empty') {
        const loc = locOf(file, sheet, r, h.name ?? h.code ?? 0);
        findings.push(finding('row.unknown_indicator', { ...loc, unit, raw: cellText(valueCell) }, { raw: '（空）' }));
      }
      continue;
    }
    const firstText = cellText(cellAt(sheet, r, 0)).trim();
    if (FOOTER.test(label.normalize('NFKC')) || FOOTER.test(firstText.normalize('NFKC'))) continue;
    if (SUBTOTAL_ROW.test(k(label)) && !ctx.indicators.reported(label)) {
      // 小计 / 合计 / 总计: not an item; its figure is held to the items above it
      subtotals.push({ r, label, block: blockOf(r), all: [...all] });
      continue;
    }
    const byCode = codeText ? ctx.indicators.reported(codeText) : undefined;
    const byName = nameText ? ctx.indicators.reported(nameText) : undefined;
    if (byCode && byName && byCode !== byName) {
      // the code says one item, the name another: neither is taken
      findings.push(
        finding('reading.uncertain', { ...locOf(file, sheet, r, h.value), unit, raw: cellText(valueCell) }, {
          what: '这一行是哪一项',
          detail: `代码 ${a1(r, h.code!)}“${codeText}”与名称 ${a1(r, h.name!)}“${nameText}”不是同一项`,
        }),
      );
      continue;
    }
    const indicator = byCode || byName || undefined;
    if (!indicator) {
      // a share (攻坚一线提拔占比, 62.0%): computed by the pipeline from its parts, not read
      if (SHARE_LABEL.test(label.normalize('NFKC'))) continue;
      if (ctx.indicators.derived(label)) continue; // shares and sums are computed, not read
      if (ctx.indicators.category(label) && valueCell.t === 'empty') {
        block.length = 0;
        continue; // a category heading row
      }
      const col = nameText ? h.name! : h.code!;
      const near = ctx.indicators.closest?.(label);
      findings.push(finding('row.unknown_indicator', { ...locOf(file, sheet, r, col), unit, raw: label }, near ? { other: near } : {}));
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
    let scale: '万' | '亿' | undefined;
    if (h.measure !== undefined) {
      const measure = cellText(cellAt(sheet, r, h.measure)).trim();
      scale = tenThousandMeasure(measure);
      if (!scale && /[万亿千%％]/.test(measure))
        findings.push(
          finding('row.unit_measure', { ...locOf(file, sheet, r, h.measure), unit, indicator, raw: measure }, { expected: ctx.indicators.measure(indicator) }),
        );
    }
    // one value cell merged down over the rows of two items: the figure belongs to neither
    const merge = sheet.merges.find((m) => m.bottom > m.top && r >= m.top && r <= m.bottom && h.value >= m.left && h.value <= m.right);
    if (merge) {
      const rows = Array.from({ length: merge.bottom - merge.top + 1 }, (_, i) => merge.top + i).filter(labelled);
      if (rows.length > 1) {
        const names = rows.map((rr) => `第 ${rr + 1} 行“${cellText(cellAt(sheet, rr, h.name ?? h.code!)).trim()}”`).join('、');
        findings.push(finding('row.merged_value', { ...loc, unit, indicator, raw: cellText(cellAt(sheet, merge.top, merge.left)) }, { other: `${a1(merge.top, merge.left)}:${a1(merge.bottom, merge.right)}`, detail: names }));
        continue;
      }
    }
    if (h.yearSpan && ctx.basis?.(indicator) === 'period') {
      // an H2 period item from whole-year columns: 1-12月 − 1-6月, both cells kept
      if (h.firstHalf === undefined) {
        findings.push(finding('header.year_only', { ...loc, unit, indicator, raw: cellText(cellAt(sheet, h.row, h.value)) }, { item: label }));
        continue;
      }
      const halfCell = cellAt(sheet, r, h.firstHalf);
      const halfLoc = locOf(file, sheet, r, h.firstHalf);
      const y = valueCell.t === 'number' ? { kind: 'number' as const, value: valueCell.n } : valueCell.t === 'text' ? parseSubmittedValue(valueCell.s) : undefined;
      const f = halfCell.t === 'number' ? { kind: 'number' as const, value: halfCell.n } : halfCell.t === 'text' ? parseSubmittedValue(halfCell.s) : undefined;
      if (y?.kind === 'number' && f?.kind === 'number' && !(valueCell.t === 'number' && valueCell.percent)) {
        const n = Math.round((y.value - f.value) * 1e9) / 1e9;
        const raw = `${loc.cell} ${cellText(valueCell)} − ${halfLoc.cell} ${cellText(halfCell)}`;
        out.observations.push({ unit, indicator, cell: { t: 'number', n }, raw, loc, note, derivedFrom: [halfLoc] });
        block.push(n), all.push(n);
        continue;
      }
      // either cell not a number: the one that is not is read, so its own finding is given
      const bad = y?.kind === 'number' ? { cell: halfCell, loc: halfLoc } : { cell: valueCell, loc };
      out.observations.push({ unit, indicator, cell: bad.cell, raw: cellText(bad.cell), loc: bad.loc, note });
      continue;
    }
    let raw = cellText(valueCell);
    const scaled = scale ? scaledFigure(valueCell, scale) : undefined;
    if (scale && scaled) {
      // 0.7989 in a 万人 row: 7989, read from the digits; fewer than four decimals cannot be exact
      raw = `${raw}（${cellText(cellAt(sheet, r, h.measure!)).trim()}）`;
      if (scaled.rounded) findings.push(finding('value.rounded', { ...loc, unit, indicator, raw }, { item: label }));
      out.observations.push({ unit, indicator, cell: scaled.cell, raw, loc, note });
      const n = (scaled.cell as { n: number }).n;
      block.push(n), all.push(n), groups.push({ r, group: groupOf(r), v: n });
      continue;
    }
    if (scale) findings.push(finding('row.unit_measure', { ...locOf(file, sheet, r, h.measure!), unit, indicator, raw: cellText(cellAt(sheet, r, h.measure!)) }, { expected: ctx.indicators.measure(indicator) }));
    if (isRounded(raw)) findings.push(finding('value.rounded', { ...loc, unit, indicator, raw }, { item: label }));
    out.observations.push({ unit, indicator, cell: valueCell, raw, loc, note });
    const v = numberIn(valueCell);
    if (h.h1Cumulative !== undefined && v !== undefined && ctx.basis?.(indicator) !== 'stock') {
      const c = numberIn(cellAt(sheet, r, h.h1Cumulative));
      if (c !== undefined && Math.abs(c - v) > 1e-9)
        findings.push(finding('row.cumulative_differs', { ...loc, unit, indicator, raw: cellText(cellAt(sheet, h.row, h.h1Cumulative)).trim() }, { item: label, value: String(v), expected: String(c) }));
    }
    if (v !== undefined) block.push(v), all.push(v), groups.push({ r, group: groupOf(r), v });
  }
  for (const st of subtotals) {
    const cell = cellAt(sheet, st.r, h.value);
    const p = numberIn(cell);
    const above = /^小计/.test(k(st.label)) ? st.block : st.all;
    if (p === undefined || above.length === 0) continue;
    const sum = Math.round(above.reduce((a, b) => a + b, 0) * 1e9) / 1e9;
    if (sum !== p) findings.push(finding('row.subtotal_mismatch', { ...locOf(file, sheet, st.r, h.value), unit, raw: st.label }, { value: cellText(cell), expected: String(sum) }));
  }
}
