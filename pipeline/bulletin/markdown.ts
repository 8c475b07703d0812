// 通报.md: the bulletin model as Markdown — the text the analyst reviews and diffs.
import type { BulletinModel, Run } from './draft.ts';

const runsText = (runs: Run[]) => runs.map((r) => r.text).join('');
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Contract: deterministic Markdown of the model (same model, same text). */
export function bulletinMarkdown(m: BulletinModel): string {
  const out: string[] = [`# ${m.title}`, ''];
  if (m.intro) out.push(m.intro, '');
  for (const p of m.paragraphs) out.push(`## ${p.heading}`, '', runsText(p.runs), '');
  if (m.pending.length) {
    out.push('## 待核实事项', '');
    m.pending.forEach((p, i) => out.push(`${i + 1}. ${p.where}：${p.reasons.join('；')}`));
    out.push('');
  }
  const t = m.table;
  out.push('## 附表', '', `**${t.title}**`, '', `制表单位：${t.issuer}`, '');
  const head = ['类别', '指标', '计量单位', ...t.columns];
  out.push(`| ${head.map(cell).join(' | ')} |`, `|${head.map((_, i) => (i < 3 ? ' --- ' : ' ---: ')).join('|')}|`);
  for (const r of t.rows) out.push(`| ${[r.categorySpan ? r.category : '', r.name, r.measure, ...r.cells].map(cell).join(' | ')} |`);
  out.push('', `注：“—”为不适用（该单位不报此项），“未报”为未报送，“待核实”为数据有误待核实。`, '');
  return out.join('\n');
}
