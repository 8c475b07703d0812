// summary.json and the compact terminal summary: counts per kind of change, the top value changes.
import { topChanges } from './compare.ts';
import { CHANGES_OF, CHANGE_ZH, COMPARE_ZH, SECTIONS, SECTION_ZH, countChanges, num, signed, type DiffRow, type ReportDiff } from './model.ts';

export const MODE_ZH = { runs: '同一期别的两次运行', periods: '两个期别之间' } as const;

/** The files a diff folder holds, in the order they are written. */
export const DIFF_OUTPUTS = ['diff.csv', 'diff.xlsx', 'index.html', 'summary.json'] as const;

const topRow = (r: DiffRow) => ({
  unit: r.unit,
  unit_name: r.unit_name,
  indicator: r.indicator,
  name_zh: r.name_zh,
  compare_as: r.compare_as,
  before: r.before,
  after: r.after,
  delta: r.delta,
  delta_pct: r.delta_pct,
});

/** summary.json: no clock and no absolute paths, so the same two folders give the same bytes. */
export function summaryJson(diff: ReportDiff): string {
  const carried: Record<string, number> = { still_mismatched: 0, persisting: 0 };
  for (const r of diff.carried) carried[r.change] = (carried[r.change] ?? 0) + 1;
  return (
    JSON.stringify(
      {
        a: diff.a,
        b: diff.b,
        mode: diff.mode,
        tolerance: diff.tolerance,
        differences: diff.rows.length,
        counts: countChanges(diff.rows),
        carried_over: carried,
        top_changes: topChanges(diff).map(topRow),
        outputs: DIFF_OUTPUTS,
      },
      null,
      2,
    ) + '\n'
  );
}

/** One line for a value change: 奉化区 正风肃纪监督检查 205 → 330 +125（+61%）比流量 */
export function changeLine(r: DiffRow): string {
  const pctText = r.delta_pct !== null ? `（${signed(r.delta_pct, '%')}）` : '';
  const delta = r.delta !== null ? ` ${signed(r.delta)}${pctText}` : '';
  const v = (x: string | number | null) => (typeof x === 'number' ? num(x) : (x ?? '（无）'));
  return `${r.unit_name} ${r.name_zh} ${v(r.before)} → ${v(r.after)}${delta}${r.compare_as ? ` ${COMPARE_ZH[r.compare_as]}` : ''}`;
}

/** The terminal summary, line by line. */
export function summaryLines(diff: ReportDiff, topN = 8): string[] {
  const lines: string[] = [];
  lines.push(`差异 ${diff.a.name} → ${diff.b.name}（${MODE_ZH[diff.mode]}${diff.tolerance ? `，容差 ${num(diff.tolerance)}` : ''}）：共 ${diff.rows.length} 处`);
  if (diff.a.catalogue_version !== diff.b.catalogue_version) lines.push(`  指标目录版本 ${diff.a.catalogue_version} → ${diff.b.catalogue_version}`);
  if (diff.a.tool_version !== diff.b.tool_version) lines.push(`  程序版本 ${diff.a.tool_version || '?'} → ${diff.b.tool_version || '?'}`);
  const counts = countChanges(diff.rows);
  for (const s of SECTIONS) {
    const parts = CHANGES_OF[s].filter((c) => counts[s][c]).map((c) => `${CHANGE_ZH[c]} ${counts[s][c]}`);
    const carried = diff.carried.filter((r) => r.section === s).length;
    if (carried) parts.push(`${s === 'finding' ? '仍存在' : '仍不符（未变）'} ${carried}`);
    if (parts.length) lines.push(`  ${SECTION_ZH[s]}：${parts.join('，')}`);
  }
  if (!diff.rows.length) lines.push('  没有差异');
  const top = topChanges(diff, topN);
  if (top.length) {
    lines.push('  变化最大的数值：');
    for (const r of top) lines.push(`    ${changeLine(r)}`);
  }
  const notable = diff.rows.filter((r) => ['catalogue', 'unit', 'input'].includes(r.section) || (r.section === 'reconciliation' && r.change !== 'removed' && r.change !== 'added') || (r.section === 'finding' && r.change === 'new'));
  for (const r of notable.slice(0, 12))
    lines.push(`  ${SECTION_ZH[r.section]}·${CHANGE_ZH[r.change]} ${r.section === 'finding' ? `${r.finding_code} ${r.unit_name}${r.cell_after ? `（${r.file_after}!${r.cell_after}）` : ''}：` : ''}${r.message}`);
  if (notable.length > 12) lines.push(`  ……另有 ${notable.length - 12} 条，见 diff.csv`);
  return lines;
}
