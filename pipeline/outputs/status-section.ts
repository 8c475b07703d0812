// The page's 报送情况 section (id "status"): each reporting unit, 已报 or 未报, with the file(s) that
// carried its figures and its findings. Built from what the run knows (inputs, values, findings);
// the per-unit submission-status table of issue 14 may replace renderSubmissionStatus wholesale —
// the page only needs the section element with id "status".
import type { PeriodResult } from '../run.ts';
import { countFindings } from '../run.ts';
import { esc } from './escape.ts';

/** One unit's row of the section, as data (tested apart from its markup). */
export interface UnitSubmission {
  code: string;
  name: string;
  submitted: boolean;
  files: string[];
  errors: number;
  warnings: number;
}

/** Each unit of the roster, in its order: submitted when any of its figures came from a file. */
export function submissionStatus(r: PeriodResult): UnitSubmission[] {
  return r.ctx.units.map((u) => {
    const files = [...new Set(r.values.filter((v) => v.unit === u.code && v.origin !== 'none' && v.loc?.file).map((v) => v.loc!.file))].sort();
    // a wide summary names several units in its `unit` field, space-separated
    for (const i of r.inputs) if (i.unit.split(' ').includes(u.code) && !files.includes(i.file)) files.push(i.file);
    const submitted = r.values.some((v) => v.unit === u.code && v.origin !== 'none');
    const c = countFindings(r.findings.filter((f) => f.unit === u.code && !f.code.startsWith('reconcile.')));
    return { code: u.code, name: u.name, submitted, files, errors: c.errors, warnings: c.warnings };
  });
}

/** The section's HTML: a count line, then one row per unit. */
export function renderSubmissionStatus(r: PeriodResult): string {
  const rows = submissionStatus(r);
  const done = rows.filter((x) => x.submitted).length;
  const body = rows
    .map(
      (x) =>
        `<tr data-unit="${esc(x.code)}" data-submitted="${x.submitted}"><td>${esc(x.name)}<span class="code">${esc(x.code)}</span></td><td><span class="badge ${x.submitted ? 'badge-match' : 'badge-mismatch'}">${x.submitted ? '已报' : '未报'}</span></td><td class="file">${x.files.map(esc).join('<br>') || '—'}</td><td class="num">${x.errors || ''}</td><td class="num">${x.warnings || ''}</td></tr>`,
    )
    .join('\n');
  return `<section id="status">
<h2>报送情况</h2>
<p class="lead">应报 ${rows.length} 个单位，已报 <strong>${done}</strong> 个，未报 <strong>${rows.length - done}</strong> 个。</p>
<div class="table-wrap"><table class="data submission-status">
<thead><tr><th>单位</th><th>报送</th><th>文件</th><th>错误</th><th>提示</th></tr></thead>
<tbody>
${body}
</tbody>
</table></div>
</section>`;
}
