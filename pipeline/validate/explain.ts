// The 核实性审核 loop: a warning is answered by the reporting unit in its own form — the text in the
// 上报说明 / 备注 / 说明 column of the row the warning is about — or by the analyst in confirmations.yaml.
// Either confirms the warning (with who gave the explanation); an error is never confirmed away.
import type { Finding } from '../../schemas/finding.ts';
import type { PeriodContext } from '../context.ts';
import type { UnitValue } from './values.ts';

/** Who explained, as outputs show it. */
export function explainedByUnit(ctx: PeriodContext, unit: string): string {
  return `${ctx.matchUnits.name(unit)}（上报说明）`;
}

export function explainedByAnalyst(by: string | undefined): string {
  return `${by?.trim() || '市委组织部'}（confirmations.yaml）`;
}

/**
 * The unit's own explanation for a warning: the note on the row the warning points at (same file,
 * sheet and row: the item's row in a 填报表, the unit's row in a 汇总表), else the note on the row
 * of the warning's item for that unit (a warning about the unit's figure without a cell: 公布数核对).
 */
export function noteFor(f: Finding, values: UnitValue[] | NotesByUnit): UnitValue | undefined {
  if (!f.unit) return undefined;
  const mine = Array.isArray(values) ? (notesByUnit(values).get(f.unit) ?? []) : (values.get(f.unit) ?? []);
  if (!mine.length) return undefined;
  if (f.file && f.row)
    return mine.find((v) => v.loc!.file === f.file && v.loc!.sheet === f.sheet && v.loc!.row === f.row) ?? (f.indicator ? mine.find((v) => v.indicator === f.indicator && v.loc!.file === f.file) : undefined);
  return f.indicator ? mine.find((v) => v.indicator === f.indicator) : undefined;
}

/** The figures with a note in the form, by unit (in the values' order). */
export type NotesByUnit = Map<string, UnitValue[]>;
export function notesByUnit(values: UnitValue[]): NotesByUnit {
  const m: NotesByUnit = new Map();
  for (const v of values) {
    if (v.origin !== 'form' || !v.loc || !v.note) continue;
    const l = m.get(v.unit);
    if (l) l.push(v);
    else m.set(v.unit, [v]);
  }
  return m;
}

/**
 * Warnings a note in the form cannot answer: a figure rounded to 万 stays rounded whatever the note
 * says (only the analyst's confirmations.yaml can accept it), and a file-level warning has no row.
 */
export const NOT_EXPLAINED_BY_NOTE: ReadonlySet<string> = new Set(['value.rounded', 'value.encoding', 'file.range_dropped']);

/** Marks warnings the unit explained in its form (上报说明 column). */
export function applyExplanations(findings: Finding[], values: UnitValue[], ctx: PeriodContext): Finding[] {
  const notes = notesByUnit(values);
  return findings.map((f) => {
    if (f.severity !== 'warning' || f.confirmed || NOT_EXPLAINED_BY_NOTE.has(f.code)) return f;
    const v = noteFor(f, notes);
    return v ? { ...f, confirmed: v.note, confirmed_by: explainedByUnit(ctx, f.unit) } : f;
  });
}

/** Whether a figure's note explains a warning of this run (else it is only the figure's note). */
export function explainsSomething(v: UnitValue, findings: Finding[]): boolean {
  return findings.some((f) => f.severity === 'warning' && f.unit === v.unit && f.confirmed === v.note && f.confirmed_by?.endsWith('（上报说明）'));
}
