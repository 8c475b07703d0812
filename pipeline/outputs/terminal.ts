// The terminal's view of a period's findings: grouped by kind (code) with counts, errors first, the
// unexplained warnings before the explained; each kind lists its first few findings, the rest are in
// findings.csv. An explained warning says 已说明 with the explanation and who gave it.
import type { Finding } from '../../schemas/finding.ts';
import { cmp } from '../compare.ts';
import { findingKind } from './labels.ts';

const where = (f: Finding) => `${f.file}${f.sheet ? `!${f.sheet}` : ''}${f.cell ? `!${f.cell}` : ''}`;

/** One line per finding, as listed under its kind. */
export function findingLine(f: Finding): string {
  const at = where(f);
  const said = f.confirmed ? `【已说明：${f.confirmed}${f.confirmed_by ? `——${f.confirmed_by}` : ''}】` : f.severity === 'warning' ? '【未说明】' : '';
  return `${at ? `${at}: ` : ''}${f.message}${said}`;
}

/** Findings grouped by kind, with counts: errors first, then warnings still to explain, then explained ones. */
export function groupedFindingLines(findings: Finding[], perKind = 5): string[] {
  const rank = (f: Finding) => (f.severity === 'error' ? 0 : f.confirmed ? 2 : 1);
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = `${rank(f)}\u0000${f.code}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const label = ['错误', '提示·未说明', '提示·已说明'];
  const lines: string[] = [];
  for (const key of [...groups.keys()].sort(cmp)) {
    const list = groups.get(key)!;
    const r = rank(list[0]);
    lines.push(`  ${label[r]} ${findingKind(list[0].code)}（${list[0].code}）× ${list.length}`);
    for (const f of list.slice(0, perKind)) lines.push(`      ${findingLine(f)}`);
    if (list.length > perKind) lines.push(`      ……另 ${list.length - perKind} 条，见 findings.csv`);
  }
  return lines;
}
