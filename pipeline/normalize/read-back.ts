// Read-back: the table as read from one file — item, value, cell, raw text — so the clerk and the
// analyst see at a glance what was taken and from where. Shown under each file by `validate`,
// carried in findings.json (`read`), on the check page, and as green cells in the annotated copy.
import type { UnitValue } from '../validate/values.ts';

export interface ReadRow {
  unit: string;
  indicator: string;
  /** the item's Chinese name */
  item: string;
  value: number | null;
  /** value | invalid | na (the figure's status after validation) */
  status: string;
  sheet: string;
  cell: string;
  /** the text as written (for a derived H2 figure: “E5 136 − D5 62”) */
  raw: string;
}

/** Every figure read from `file`, in sheet and cell order. */
export function readBack(values: UnitValue[], file: string, itemName: (code: string) => string): ReadRow[] {
  return values
    .filter((v) => v.origin === 'form' && v.loc?.file === file)
    .map((v) => ({ unit: v.unit, indicator: v.indicator, item: itemName(v.indicator), value: v.value, status: v.status, sheet: v.loc!.sheet, cell: v.loc!.cell, raw: v.raw, row: v.loc!.row ?? 0, col: v.loc!.col ?? 0 }))
    .sort((a, b) => (a.sheet < b.sheet ? -1 : a.sheet > b.sheet ? 1 : a.row - b.row || a.col - b.col))
    .map(({ row: _r, col: _c, ...rest }) => rest);
}

/** How a read figure is shown: 5384, or 12000（“1.2万”）when the text differs, or （未读：“约400”）. */
export function shownValue(r: ReadRow): string {
  const raw = r.raw.trim();
  if (r.value === null) return raw ? `（未读：“${raw}”）` : '（空）';
  return raw === String(r.value) ? String(r.value) : `${r.value}（“${raw}”）`;
}

/** Compact lines for a terminal: a few “item = value [cell]” per line, the unit named when a file has several. */
export function formatReadBack(rows: ReadRow[], unitName: (code: string) => string, perLine = 3): string[] {
  if (!rows.length) return [];
  const units = [...new Set(rows.map((r) => r.unit))];
  const lines: string[] = [`  已读取 ${rows.length} 个数：`];
  for (const u of units) {
    const own = rows.filter((r) => r.unit === u);
    const cells = own.map((r) => `${r.item} = ${shownValue(r)} [${r.sheet ? `${r.sheet}!` : ''}${r.cell}]`);
    if (units.length > 1) lines.push(`   ${unitName(u)}：`);
    for (let i = 0; i < cells.length; i += perLine) lines.push(`    ${cells.slice(i, i + perLine).join('；')}`);
  }
  return lines;
}
