// The diff's vocabulary: one flat row per difference (diff.csv), its sections and kinds of change,
// and the Chinese labels and colours every rendering (CSV, workbook, HTML, terminal) shares.
import type { Basis } from '../../schemas/catalogue.ts';

/** What a row compares. Sections come out in this order. */
export const SECTIONS = ['catalogue', 'unit', 'input', 'value', 'total', 'reconciliation', 'finding'] as const;
export type Section = (typeof SECTIONS)[number];

/** The kinds of change, in the order rows of one section come out. */
export const CHANGES = [
  // values, city totals, input files, published figures
  'changed',
  'added',
  'removed',
  // catalogue
  'dropped',
  'renamed',
  'moved',
  'basis_changed',
  'redefined',
  // units
  'missing',
  // reconciliation statuses
  'newly_mismatched',
  'fixed',
  'still_mismatched',
  'status_changed',
  // findings
  'new',
  'resolved',
  'persisting',
] as const;
export type Change = (typeof CHANGES)[number];

/** How two figures of an item compare: a stock as a level, a period or ytd figure as a flow. */
export type CompareAs = 'level' | 'flow';

/** Two runs of one period (a resubmission) or two different periods. */
export type DiffMode = 'runs' | 'periods';

/** Whether the input file a value was read from is the same bytes in both manifests. */
export type InputState = '' | 'changed' | 'unchanged' | 'other_file';

/** One difference. Fields that do not apply to a section are empty (or null for numbers). */
export interface DiffRow {
  section: Section;
  change: Change;
  unit: string;
  unit_name: string;
  indicator: string;
  name_zh: string;
  /** the catalogue basis (period / ytd / stock); `a→b` when the two catalogues differ */
  basis: string;
  compare_as: CompareAs | '';
  before: string | number | null;
  after: string | number | null;
  delta: number | null;
  /** percent, one decimal; null when the base is 0, either side is not a number, or for shares */
  delta_pct: number | null;
  published_id: string;
  finding_code: string;
  severity: string;
  file_before: string;
  sheet_before: string;
  cell_before: string;
  raw_before: string;
  file_after: string;
  sheet_after: string;
  cell_after: string;
  raw_after: string;
  sha256_before: string;
  sha256_after: string;
  input_sha256: InputState;
  message: string;
}

export const DIFF_COLUMNS: (keyof DiffRow)[] = [
  'section', 'change', 'unit', 'unit_name', 'indicator', 'name_zh', 'basis', 'compare_as',
  'before', 'after', 'delta', 'delta_pct', 'published_id', 'finding_code', 'severity',
  'file_before', 'sheet_before', 'cell_before', 'raw_before', 'file_after', 'sheet_after', 'cell_after', 'raw_after',
  'sha256_before', 'sha256_after', 'input_sha256', 'message',
];

/** A row with every field empty but the ones given. */
export function diffRow(section: Section, change: Change, fields: Partial<DiffRow>): DiffRow {
  return {
    section,
    change,
    unit: '',
    unit_name: '',
    indicator: '',
    name_zh: '',
    basis: '',
    compare_as: '',
    before: null,
    after: null,
    delta: null,
    delta_pct: null,
    published_id: '',
    finding_code: '',
    severity: '',
    file_before: '',
    sheet_before: '',
    cell_before: '',
    raw_before: '',
    file_after: '',
    sheet_after: '',
    cell_after: '',
    raw_after: '',
    sha256_before: '',
    sha256_after: '',
    input_sha256: '',
    message: '',
    ...fields,
  };
}

export const SECTION_ZH: Record<Section, string> = {
  catalogue: '指标目录',
  unit: '填报单位',
  input: '报送文件',
  value: '单位数值',
  total: '全市合计',
  reconciliation: '核对状态',
  finding: '问题',
};

export const CHANGE_ZH: Record<Change, string> = {
  changed: '变化',
  added: '新增',
  removed: '删除',
  dropped: '取消',
  renamed: '改名',
  moved: '换类别',
  basis_changed: '口径改变',
  redefined: '定义改变',
  missing: '缺报',
  newly_mismatched: '新出现不符',
  fixed: '已纠正',
  still_mismatched: '仍不符',
  status_changed: '状态改变',
  new: '新出现',
  resolved: '已解决',
  persisting: '仍存在',
};

export const BASIS_ZH: Record<Basis, string> = { period: '期间数', ytd: '年度累计', stock: '期末存量' };
export const COMPARE_ZH: Record<CompareAs, string> = { level: '比水平', flow: '比流量' };

export function compareAs(basis: Basis): CompareAs {
  return basis === 'stock' ? 'level' : 'flow';
}

/** The tabular-diff colour of a change: added green +++, removed red ---, changed orange →. */
export type Tone = 'add' | 'remove' | 'change' | 'same';

export function toneOf(change: Change): Tone {
  if (change === 'added' || change === 'new') return 'add';
  if (change === 'removed' || change === 'dropped' || change === 'missing' || change === 'resolved') return 'remove';
  if (change === 'persisting') return 'same';
  return 'change';
}

export const TONE_MARK: Record<Tone, string> = { add: '+++', remove: '---', change: '→', same: '' };
/** ARGB fills for exceljs and the same colours for HTML */
export const TONE_FILL: Record<Tone, string> = { add: 'FFC6EFCE', remove: 'FFFFC7CE', change: 'FFFFD8A8', same: 'FFFFFFFF' };
export const TONE_CSS: Record<Tone, string> = { add: '#c6efce', remove: '#ffc7ce', change: '#ffd8a8', same: '#ffffff' };

/** One side of the comparison, as the outputs name it. */
export interface SideInfo {
  name: string;
  period: string;
  catalogue_version: string;
  tool_version: string;
}

/** A cell of the units × items grid: the familiar highlighter view of the unit values. */
export interface GridCell {
  tone: Tone;
  /** the value, or `old→new` when changed */
  text: string;
}
export interface GridRow {
  unit: string;
  unit_name: string;
  tone: Tone;
  cells: GridCell[];
}
export interface GridColumn {
  indicator: string;
  name_zh: string;
  category: string;
  tone: Tone;
}
export interface DiffGrid {
  columns: GridColumn[];
  rows: GridRow[];
}

/** The whole comparison of two report folders. */
export interface ReportDiff {
  a: SideInfo;
  b: SideInfo;
  mode: DiffMode;
  tolerance: number;
  /** values below this base rank after the others among the top changes (B's rules.change_min_base) */
  min_base: number;
  /** every difference, in a stable order: section, change, then key */
  rows: DiffRow[];
  /** what did not change but a reviewer still has to see: findings persisting, figures still mismatched */
  carried: DiffRow[];
  grid: DiffGrid;
}

/** Counts of `rows` per section and change, every known pair present (zeros included) for stable JSON. */
export function countChanges(rows: DiffRow[]): Record<Section, Partial<Record<Change, number>>> {
  const out = {} as Record<Section, Partial<Record<Change, number>>>;
  for (const s of SECTIONS) out[s] = {};
  for (const s of SECTIONS) for (const c of CHANGES_OF[s]) out[s][c] = 0;
  for (const r of rows) out[r.section][r.change] = (out[r.section][r.change] ?? 0) + 1;
  return out;
}

/** Which changes a section can have, in output order. */
export const CHANGES_OF: Record<Section, Change[]> = {
  catalogue: ['added', 'dropped', 'renamed', 'moved', 'basis_changed', 'redefined'],
  unit: ['added', 'missing'],
  input: ['changed', 'added', 'removed'],
  value: ['changed', 'added', 'removed'],
  total: ['changed', 'added', 'removed'],
  reconciliation: ['newly_mismatched', 'fixed', 'still_mismatched', 'status_changed', 'added', 'removed'],
  finding: ['new', 'resolved', 'persisting'],
};

/** A number as text for messages: integers plain, others to at most 4 decimals. */
export function num(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return Number.isInteger(v) ? String(v) : String(Math.round(v * 1e4) / 1e4);
}

/** Δ without float noise (0.1 + 0.2), so the same inputs always print the same digits. */
export function cleanDelta(after: number, before: number): number {
  return Math.round((after - before) * 1e6) / 1e6;
}

/** Δ% to one decimal; null on a zero base. */
export function pct(after: number, before: number): number | null {
  if (before === 0) return null;
  return Math.round(((after - before) / Math.abs(before)) * 1000) / 10;
}

export function signed(v: number, suffix = ''): string {
  return `${v > 0 ? '+' : v < 0 ? '-' : '±'}${num(Math.abs(v))}${suffix}`;
}

/** Where a row was read on each side: file, sheet, cell, raw text before → after. */
export function provenance(
  before: { file: string; sheet: string; cell: string; raw: string } | undefined,
  after: { file: string; sheet: string; cell: string; raw: string } | undefined,
) {
  return {
    file_before: before?.file ?? '',
    sheet_before: before?.sheet ?? '',
    cell_before: before?.cell ?? '',
    raw_before: before?.raw ?? '',
    file_after: after?.file ?? '',
    sheet_after: after?.sheet ?? '',
    cell_after: after?.cell ?? '',
    raw_after: after?.raw ?? '',
  };
}
