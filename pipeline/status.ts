// 报送情况: who has reported, per unit — the first table of the page, the workbook and the terminal.
// Also: a missing unit is said once (未报：象山县), and the reconciliation rows it leaves incomplete
// refer to it instead of repeating one warning per item; findings about one fact are one finding.
import { regionScope } from './context.ts';
import type { Finding } from '../schemas/finding.ts';
import type { ReconciliationRow } from '../schemas/reconciled.ts';
import type { PeriodContext } from './context.ts';
import type { InputRecord } from './read-form.ts';
import { cmp } from './compare.ts';

export type SubmissionState = '已报' | '未报' | '重复' | '已替换';

export interface UnitStatus {
  unit: string;
  unit_name: string;
  state: SubmissionState;
  /** the file counted ('' when none) */
  file: string;
  /** its modification time, China time (YYYY-MM-DD HH:MM), when known: for the terminal only (a checkout
   * or a copy changes it, and the workbook and page must be the same bytes for the same file bytes) */
  time: string;
  /** the first 12 hex digits of the file's SHA-256: which version of the file, in the workbook and page */
  sha: string;
  /** format and encoding, as read: xlsx, csv（GB18030）… */
  format: string;
  /** the other files of the unit and what became of them */
  others: string;
  errors: number;
  unexplained: number;
  explained: number;
}

export interface SubmissionStatus {
  period: string;
  units: UnitStatus[];
  /** files no unit could be told from (unreadable, no form, unknown unit) */
  unassigned: { file: string; errors: number }[];
  counts: Record<SubmissionState, number>;
  /** “未报：象山县、宁海县”, or '' */
  missingLine: string;
}

export const STATE_ORDER: SubmissionState[] = ['已报', '已替换', '重复', '未报'];

/** An ISO time as China time, to the minute (the time zone is fixed: same file, same text anywhere). */
export function chinaTime(iso: string | undefined): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  return new Date(t + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

function formatOf(r: InputRecord | undefined): string {
  if (!r) return '';
  return `${r.format || '—'}${r.encoding ? `（${r.encoding}）` : ''}`;
}

const unitsOf = (r: InputRecord) => (r.unit ? r.unit.split(' ') : []);

/** The period's 报送情况 from its inputs and findings. */
export function submissionStatus(r: { period: string; ctx: PeriodContext; inputs: InputRecord[]; findings: Finding[] }): SubmissionStatus {
  const { ctx, findings } = r;
  const byFile = new Map(r.inputs.map((i) => [i.file, i]));
  const copies = new Map(findings.filter((f) => f.code === 'file.duplicate_copy').map((f) => [f.file, f]));
  // indexes: each unit's own file findings, each unit's files, each file's findings (a region may
  // have thousands of units and findings: no pass over every finding per unit)
  const ownByUnit = new Map<string, Finding[]>();
  const byUnit = new Map<string, Finding[]>();
  const byFileFindings = new Map<string, Finding[]>();
  const push = <K, V>(m: Map<K, V[]>, k: K, v: V) => {
    const l = m.get(k);
    if (l) l.push(v);
    else m.set(k, [v]);
  };
  for (const f of findings) {
    if (f.code.startsWith('file.') || f.code === 'submission.missing') push(ownByUnit, f.unit, f);
    if (f.unit) push(byUnit, f.unit, f);
    else if (f.file !== '') push(byFileFindings, f.file, f);
  }
  const filesByUnit = new Map<string, string[]>();
  for (const i of r.inputs) for (const code of unitsOf(i)) push(filesByUnit, code, i.file);
  const units: UnitStatus[] = [];
  for (const u of ctx.units) {
    const code = u.code as string;
    const own = ownByUnit.get(code) ?? [];
    const dup = own.filter((f) => f.code === 'file.duplicate_submission' && !f.sheet);
    const superseded = own.filter((f) => f.code === 'file.superseded');
    const missing = own.some((f) => f.code === 'submission.missing');
    const files = filesByUnit.get(code) ?? [];
    let state: SubmissionState;
    let used = '';
    const others: string[] = [];
    if (missing) {
      state = '未报';
      for (const f of files) others.push(`${f}（未计入）`);
    } else if (superseded.length) {
      state = '已替换';
      used = files.find((f) => !superseded.some((s) => s.file === f) && !copies.has(f)) ?? '';
      for (const s of superseded) others.push(`${s.file}（被替换：${s.confirmed.replace(/^choices\.yaml：/, '')}）`);
    } else if (dup.length) {
      state = '重复';
      for (const d of dup) others.push(d.file);
    } else {
      state = '已报';
      used = files.find((f) => !copies.has(f)) ?? files[0] ?? '';
    }
    for (const f of files) if (copies.has(f)) others.push(`${f}（与${copies.get(f)!.refs || '另一文件'}相同，未重复计入）`);
    // the unit's findings, and those of its files that name no unit, in the findings' order
    const list = [...(byUnit.get(code) ?? []), ...[...new Set(files)].flatMap((f) => byFileFindings.get(f) ?? [])];
    units.push({
      unit: code,
      unit_name: u.name,
      state,
      file: used,
      time: chinaTime(byFile.get(used)?.mtime),
      sha: (byFile.get(used)?.sha256 ?? '').slice(0, 12),
      format: formatOf(byFile.get(used)),
      others: others.sort(cmp).join('；'),
      errors: list.filter((f) => f.severity === 'error').length,
      unexplained: list.filter((f) => f.severity === 'warning' && !f.confirmed).length,
      explained: list.filter((f) => f.severity === 'warning' && f.confirmed).length,
    });
  }
  const assigned = new Set<string>();
  for (const u of units) assigned.add(u.file);
  for (const u of ctx.units) for (const f of filesByUnit.get(u.code as string) ?? []) assigned.add(f);
  const fileNames = [...new Set([...r.inputs.map((i) => i.file), ...findings.filter((f) => f.file && f.code.startsWith('file.')).map((f) => f.file)])];
  const errorsByFile = new Map<string, number>();
  for (const f of findings) if (f.severity === 'error') errorsByFile.set(f.file, (errorsByFile.get(f.file) ?? 0) + 1);
  const unassigned = fileNames
    .filter((f) => !assigned.has(f) && !f.endsWith('/') && !copies.has(f))
    .sort(cmp)
    .map((file) => ({ file, errors: errorsByFile.get(file) ?? 0 }));
  const counts = { 已报: 0, 未报: 0, 重复: 0, 已替换: 0 } as Record<SubmissionState, number>;
  for (const u of units) counts[u.state]++;
  const missingNames = units.filter((u) => u.state === '未报').map((u) => u.unit_name);
  return { period: r.period, units, unassigned, counts, missingLine: missingNames.length ? `未报：${missingNames.join('、')}` : '' };
}

/** The status as lines of text for the terminal: a count line, then one line per unit not simply 已报 without problems… and all units. */
export function statusLines(s: SubmissionStatus): string[] {
  // a region of many units (a province, the country): the terminal names the units that sent
  // something, and only the first of those that did not; every unit stays in the page and workbook
  const many = s.units.length > TERMINAL_UNITS;
  const missing = s.units.filter((u) => u.state === '未报');
  const missingLine = many && missing.length > TERMINAL_UNITS ? `未报：${missing.slice(0, TERMINAL_UNITS).map((u) => u.unit_name).join('、')} 等 ${missing.length} 个单位（全部见 index.html 与工作簿的“报送情况”）` : s.missingLine;
  const head = `报送情况：${STATE_ORDER.filter((k) => s.counts[k]).map((k) => `${k} ${s.counts[k]}`).join('，')}${missingLine ? `。${missingLine}` : ''}`;
  const lines = [head];
  for (const u of s.units) {
    if (many && u.state === '未报') continue;
    const c = `错误 ${u.errors}，未说明 ${u.unexplained}，已说明 ${u.explained}`;
    const what = u.state === '未报' ? '' : [u.file, u.time, u.format].filter(Boolean).join(' · ');
    lines.push(`    ${u.state} ${u.unit_name}${what ? `  ${what}` : ''}  ${c}${u.others ? `  另：${u.others}` : ''}`);
  }
  for (const f of s.unassigned) lines.push(`    未识别 ${f.file}（无法确定单位或无法读取，错误 ${f.errors}）`);
  return lines;
}

/** Above this many units the terminal lists only the units that sent something. */
const TERMINAL_UNITS = 40;

/**
 * Findings about one fact become one: a missing unit is said once (its submission.missing finding
 * lists the checks it makes incomplete), and reconcile.incomplete findings caused only by missing
 * units are folded into it, their reconciliation rows pointing to 报送情况. A published figure that
 * disagrees with a stock that fell (reconcile.sources_disagree) is folded into the unit's
 * rule.stock_decreased, which it references.
 */
export function consolidateFindings(findings: Finding[], rows: ReconciliationRow[], ctx: PeriodContext): Finding[] {
  const missing = new Map(findings.filter((f) => f.code === 'submission.missing').map((f) => [ctx.matchUnits.name(f.unit), f]));
  const drop = new Set<Finding>();
  const folded = new Map<Finding, string[]>();
  if (missing.size) {
    for (const f of findings) {
      if (f.code !== 'reconcile.incomplete') continue;
      const row = rows.find((x) => x.indicator === f.indicator && (x.scope_code === (f.unit || regionScope(ctx).code)) && x.text === f.raw);
      const m = /^(\d+) 个单位未报或数据不可用：(.+)$/.exec(row?.hints ?? '');
      if (!row || !m) continue;
      const names = m[2].split('、');
      if (!names.every((n) => missing.has(n))) continue;
      row.hints = `未报：${names.join('、')}（见报送情况）`;
      drop.add(f);
      for (const n of names) folded.set(missing.get(n)!, [...(folded.get(missing.get(n)!) ?? []), `${row.scope_code === regionScope(ctx).code ? '' : row.scope}${row.name_zh}`]);
    }
  }
  for (const f of findings) {
    if (f.code !== 'reconcile.sources_disagree' || !f.unit) continue;
    const d = ctx.derived.get(f.indicator);
    const parts = new Set([f.indicator, ...(d?.type === 'sum' ? d.of : [])]);
    const stocks = findings.filter((g) => g.code === 'rule.stock_decreased' && g.unit === f.unit && parts.has(g.indicator) && !drop.has(g));
    if (!stocks.length) continue;
    const [primary, ...rest] = stocks;
    for (const g of [f, ...rest]) drop.add(g);
    const where = (g: Finding) => `${g.file}${g.cell ? `!${g.cell}` : ''}`;
    const gist = (m: string) => m.replace(/[：。]请核实.*$/, '').replace(/^公布数之间不一致：/, '');
    folded.set(primary, [...rest.map((g) => `${where(g)} ${gist(g.message)}（rule.stock_decreased）`), `${gist(f.message)}（reconcile.sources_disagree）`]);
  }
  return findings
    .filter((f) => !drop.has(f))
    .map((f) => {
      const refs = folded.get(f);
      if (!refs) return f;
      if (f.code === 'submission.missing') {
        const items = [...new Set(refs)];
        return { ...f, message: `${f.message}，与公布数的核对有 ${items.length} 项因此不完整（${items.join('、')}）`, refs: items.map((i) => `reconcile.incomplete：${i}`).join('；') };
      }
      // one fact, one finding: the message says all of it, refs name the folded findings
      return { ...f, message: `${f.message}；同一事实另见：${refs.join('；')}`, refs: refs.join('；') };
    });
}
