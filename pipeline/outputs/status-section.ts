// The report page's first section (id "status"), 报送情况: one row per unit (已报 / 未报 / 重复 / 已替换, the file,
// its fingerprint and format, counts of errors / unexplained / explained warnings), then the notes units
// wrote beside their figures (上报说明 / 备注), each marked as explaining a warning or not.
import type { PeriodResult } from '../run.ts';
import { submissionStatus, STATE_ORDER } from '../status.ts';
import { explainsSomething } from '../validate/explain.ts';
import { esc } from './escape.ts';

const CSS = `#status td.state{font-weight:600;white-space:nowrap}
#status tr.state-未报 td.state,#status tr.state-重复 td.state{color:#b3261e}
#status tr.state-已替换 td.state{color:#0b5cad}#status tr.state-已报 td.state{color:#1e6b32}
#status .missing-line{font-weight:600;color:#b3261e}#status td.num{text-align:right}`;

/** The 报送情况 section (HTML). */
export function renderSubmissionStatus(r: PeriodResult): string {
  const s = submissionStatus(r);
  const rows = s.units
    .map(
      (u) => `<tr class="state-${esc(u.state)}" data-unit="${esc(u.unit)}" data-state="${esc(u.state)}"><td>${esc(u.unit_name)}</td><td class="state">${esc(u.state)}</td><td class="file">${esc(u.file || '—')}</td><td class="sha">${esc(u.sha || '—')}</td><td>${esc(u.format || '—')}</td><td class="num">${u.errors}</td><td class="num">${u.unexplained}</td><td class="num">${u.explained}</td><td class="note">${esc(u.others)}</td></tr>`,
    )
    .concat(s.unassigned.map((f) => `<tr class="state-未识别" data-state="未识别"><td>—</td><td class="state">未识别</td><td class="file">${esc(f.file)}</td><td>—</td><td>—</td><td class="num">${f.errors}</td><td class="num">0</td><td class="num">0</td><td class="note">无法确定单位或无法读取，见问题清单</td></tr>`))
    .join('\n');
  const counts = STATE_ORDER.filter((k) => s.counts[k]).map((k) => `${k} ${s.counts[k]}`).join('，');
  const notes = r.values.filter((v) => v.note && v.origin === 'form');
  const noteRows = notes
    .map((v) => {
      const item = r.ctx.items.get(v.indicator)?.name_zh ?? v.indicator;
      const explains = explainsSomething(v, r.findings);
      return `<tr data-unit="${esc(v.unit)}" data-indicator="${esc(v.indicator)}"><td>${esc(r.ctx.matchUnits.name(v.unit))}</td><td>${esc(item)}</td><td class="num">${esc(v.value === null ? v.raw || '—' : String(v.value))}</td><td class="note">${esc(v.note)}</td><td>${explains ? '说明了提示（已说明）' : '附注'}</td><td class="cell">${esc(v.loc ? `${v.loc.file}!${v.loc.cell}` : '')}</td></tr>`;
    })
    .join('\n');
  const notesHtml = notes.length
    ? `<h3>各单位的上报说明与备注</h3>
<div class="table-wrap"><table class="data unit-notes"><thead><tr><th>单位</th><th>指标</th><th>数值</th><th>上报说明 / 备注</th><th>作用</th><th>位置</th></tr></thead><tbody>
${noteRows}
</tbody></table></div>`
    : '';
  return `<section id="status">
<style>${CSS}</style>
<h2>报送情况</h2>
<p class="lead">${esc(r.period)}：${esc(counts)}${s.missingLine ? `。<span class="missing-line">${esc(s.missingLine)}</span>（全市合计不完整；相关核对项见此，不再逐项提示）` : ''}</p>
<div class="table-wrap"><table class="data status">
<thead><tr><th>单位</th><th>报送情况</th><th>采用的文件</th><th>文件指纹</th><th>格式（编码）</th><th>错误</th><th>未说明的提示</th><th>已说明的提示</th><th>其他文件</th></tr></thead>
<tbody>
${rows}
</tbody>
</table></div>
${notesHtml}
</section>`;
}
