// Unit values (reconciled.csv) keyed by (unit, indicator): changed with Δ and Δ%, added, removed;
// for two runs of one period, where each changed value came from before and after. Also the
// units that reported on one side only, and the units × items grid of the highlighter view.
import type { Basis, Catalogue } from '../../schemas/catalogue.ts';
import { allItems } from './catalogue.ts';
import type { ReportFolder, ValueRow } from './folder.ts';
import { fullJoin, type Pair } from './join.ts';
import {
  BASIS_ZH, COMPARE_ZH, cleanDelta, compareAs, diffRow, num, pct, provenance, signed,
  type DiffGrid, type DiffMode, type DiffRow, type GridCell, type InputState, type Tone,
} from './model.ts';
import { cmp } from '../compare.ts';

export const VALUE_STATUS_ZH: Record<string, string> = { missing: '缺数', na: '不适用', invalid: '无效' };

export interface ValueOptions {
  mode: DiffMode;
  /** |after − before| ≤ tolerance counts as unchanged (absolute, in the item's measure) */
  tolerance: number;
  order: Map<string, number>;
}

/** A value as shown: the number, or what stands in its place. */
export function shownValue(v: ValueRow | undefined): string | number | null {
  if (!v) return null;
  return v.status === 'value' ? v.value : VALUE_STATUS_ZH[v.status];
}

const shownText = (v: ValueRow | undefined) => {
  const s = shownValue(v);
  return s === null ? '' : typeof s === 'number' ? num(s) : s;
};

/** Equal values (within tolerance), or the same non-value status. */
export function sameValue(a: ValueRow, b: ValueRow, tolerance: number): boolean {
  if (a.status === 'value' && b.status === 'value') return Math.abs(b.value! - a.value!) <= tolerance;
  return a.status === b.status;
}

const loc = (v: ValueRow) => `${v.file || '（无文件）'}${v.sheet ? `!${v.sheet}` : ''}${v.cell ? `!${v.cell}` : ''}“${v.raw}”`;

function basisOf(code: string, a: Catalogue, b: Catalogue): { basis: Basis | undefined; shown: string } {
  const ba = allItems(a).find((i) => i.code === code)?.basis;
  const bb = allItems(b).find((i) => i.code === code)?.basis;
  return { basis: bb ?? ba, shown: ba && bb && ba !== bb ? `${ba}→${bb}` : (bb ?? ba ?? '') };
}

/** The note on how a period's figures compare: a level, a flow, and what ytd means across H1/H2. */
function compareNote(basis: Basis, a: string, b: string, delta: number | null, mode: DiffMode): string {
  const base = `${BASIS_ZH[basis]}，${COMPARE_ZH[compareAs(basis)]}`;
  if (basis !== 'ytd' || mode === 'runs') return base;
  if (a.slice(0, 4) !== b.slice(0, 4)) return `${base}（年度累计跨年重新起算）`;
  if (a.endsWith('H1') && b.endsWith('H2') && delta !== null)
    return `${base}（下半年发生 ${num(delta)}${delta < 0 ? '：年度累计不应下降' : ''}）`;
  return base;
}

function inputState(before: ValueRow | undefined, after: ValueRow | undefined, shaA: Map<string, string>, shaB: Map<string, string>) {
  const fa = before?.file ?? '';
  const fb = after?.file ?? '';
  const sha256_before = (fa && shaA.get(fa)) || '';
  const sha256_after = (fb && shaB.get(fb)) || '';
  let input_sha256: InputState = '';
  if (fa && fb) input_sha256 = fa !== fb ? 'other_file' : sha256_before && sha256_after && sha256_before === sha256_after ? 'unchanged' : 'changed';
  return { sha256_before, sha256_after, input_sha256 };
}

const INPUT_NOTE: Record<InputState, string> = {
  '': '',
  changed: '报送文件已变化（sha256 不同）',
  unchanged: '报送文件未变（sha256 相同），变化来自程序或指标目录',
  other_file: '改用了另一个报送文件',
};

const valueKey = (v: ValueRow) => [v.unit, v.indicator];

/** The value pairs of both folders, in unit then item order. */
export function valuePairs(a: ReportFolder, b: ReportFolder, order: Map<string, number>): Pair<ValueRow>[] {
  const pairs = fullJoin(a.values, b.values, ['unit', 'indicator'], valueKey);
  const key = (p: Pair<ValueRow>) => (p.after ?? p.before)!;
  return pairs.sort((x, y) => cmp(key(x).unit, key(y).unit) || (order.get(key(x).indicator) ?? 1e9) - (order.get(key(y).indicator) ?? 1e9) || cmp(key(x).indicator, key(y).indicator));
}

/** Value differences, in unit then item order. */
export function diffValues(a: ReportFolder, b: ReportFolder, opts: ValueOptions): DiffRow[] {
  const shaA = new Map(a.manifest.inputs.map((i) => [i.file, i.sha256]));
  const shaB = new Map(b.manifest.inputs.map((i) => [i.file, i.sha256]));
  const names = new Map([...a.catalogue.items, ...b.catalogue.items].map((i) => [i.code as string, i.name_zh]));
  const rows: DiffRow[] = [];
  for (const { before, after } of valuePairs(a, b, opts.order)) {
    if (before && after && sameValue(before, after, opts.tolerance)) continue;
    const v = (after ?? before)!;
    const { basis, shown } = basisOf(v.indicator, a.catalogue, b.catalogue);
    const numbers = before?.status === 'value' && after?.status === 'value';
    const delta = numbers ? cleanDelta(after.value!, before.value!) : null;
    const delta_pct = numbers ? pct(after.value!, before.value!) : null;
    const prov = opts.mode === 'runs' ? inputState(before, after, shaA, shaB) : { sha256_before: '', sha256_after: '', input_sha256: '' as InputState };
    const name = names.get(v.indicator) ?? v.indicator;
    const who = `${(after ?? before)!.unit_name}${name}`;
    const note = basis ? compareNote(basis, a.period, b.period, delta, opts.mode) : '';
    let message: string;
    if (!before) message = `${who}：${b.name} 新增 ${shownText(after)}${note ? `；${note}` : ''}`;
    else if (!after) message = `${who}：${b.name} 不再有（${a.name} 为 ${shownText(before)}）`;
    else {
      message = `${who}：${shownText(before)} → ${shownText(after)}`;
      if (delta !== null) message += `，${signed(delta)}${delta_pct !== null ? `（${signed(delta_pct, '%')}）` : ''}`;
      if (note) message += `；${note}`;
      if (opts.mode === 'runs') message += `；来源 ${loc(before)} → ${loc(after)}${INPUT_NOTE[prov.input_sha256] ? `；${INPUT_NOTE[prov.input_sha256]}` : ''}`;
    }
    rows.push(
      diffRow('value', !before ? 'added' : !after ? 'removed' : 'changed', {
        unit: v.unit,
        unit_name: v.unit_name,
        indicator: v.indicator,
        name_zh: name,
        basis: shown,
        compare_as: basis ? compareAs(basis) : '',
        before: shownValue(before),
        after: shownValue(after),
        delta,
        delta_pct,
        ...provenance(before, after),
        ...prov,
        message,
      }),
    );
  }
  return rows;
}

/** A unit reported when any of its rows was read from a file (not every row "missing, no file"). */
export function reportingUnits(values: ValueRow[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const v of values) if (v.file !== '' || v.status !== 'missing') out.set(v.unit, v.unit_name);
  return out;
}

/** Units that reported on one side only: added (only in B) or missing (only in A). */
export function diffUnits(a: ReportFolder, b: ReportFolder): DiffRow[] {
  const ua = reportingUnits(a.values);
  const ub = reportingUnits(b.values);
  const filesOf = (f: ReportFolder, unit: string) => f.manifest.inputs.filter((i) => i.unit.split(' ').includes(unit)).map((i) => i.file).join('、');
  const rows: DiffRow[] = [];
  for (const code of [...new Set([...ua.keys(), ...ub.keys()])].sort()) {
    if (ua.has(code) && !ub.has(code))
      rows.push(diffRow('unit', 'missing', { unit: code, unit_name: ua.get(code)!, file_before: filesOf(a, code), message: `${ua.get(code)}（${code}）${a.name} 有报送，${b.name} 没有：缺报` }));
    else if (ub.has(code) && !ua.has(code))
      rows.push(diffRow('unit', 'added', { unit: code, unit_name: ub.get(code)!, file_after: filesOf(b, code), message: `${ub.get(code)}（${code}）${b.name} 有报送，${a.name} 没有` }));
  }
  return rows;
}

/** The units × reported items grid: unchanged values plain, changes `old→new`, tones by change. */
export function valueGrid(a: ReportFolder, b: ReportFolder, opts: ValueOptions, unitRows: DiffRow[]): DiffGrid {
  const inA = new Set(a.catalogue.items.map((i) => i.code as string));
  const inB = new Set(b.catalogue.items.map((i) => i.code as string));
  const items = new Map([...b.catalogue.items, ...a.catalogue.items].map((i) => [i.code as string, i]));
  const codes = [...items.keys()].sort((x, y) => opts.order.get(x)! - opts.order.get(y)!);
  const columns = codes.map((c) => ({
    indicator: c,
    name_zh: items.get(c)!.name_zh,
    category: items.get(c)!.category,
    tone: (inA.has(c) && inB.has(c) ? 'same' : inB.has(c) ? 'add' : 'remove') as Tone,
  }));
  const cellOf = new Map<string, Pair<ValueRow>>();
  const units = new Map<string, string>();
  for (const p of valuePairs(a, b, opts.order)) {
    const v = (p.after ?? p.before)!;
    cellOf.set(`${v.unit}\u0000${v.indicator}`, p);
    if (!units.has(v.unit) || p.after) units.set(v.unit, v.unit_name);
  }
  const unitTone = new Map(unitRows.map((r) => [r.unit, (r.change === 'added' ? 'add' : 'remove') as Tone]));
  const rows = [...units.keys()].sort().map((unit) => {
    const cells: GridCell[] = codes.map((c) => {
      const p = cellOf.get(`${unit}\u0000${c}`);
      if (!p) return { tone: 'same', text: '' };
      if (!p.before) return { tone: 'add', text: shownText(p.after) };
      if (!p.after) return { tone: 'remove', text: shownText(p.before) };
      if (sameValue(p.before, p.after, opts.tolerance)) return { tone: 'same', text: shownText(p.after) };
      return { tone: 'change', text: `${shownText(p.before)}→${shownText(p.after)}` };
    });
    const tone: Tone = unitTone.get(unit) ?? (cells.some((c, i) => columns[i].tone === 'same' && c.tone !== 'same') ? 'change' : 'same');
    return { unit, unit_name: units.get(unit)!, tone, cells };
  });
  return { columns, rows };
}
