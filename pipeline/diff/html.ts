// index.html: the diff for a reviewer's browser, offline and self-contained — inline CSS, no scripts,
// every text escaped. The same colours as the workbook: added green +++, removed red ---, changed orange.
import { topChanges } from './compare.ts';
import {
  CHANGES_OF, CHANGE_ZH, COMPARE_ZH, SECTIONS, SECTION_ZH, TONE_CSS, TONE_MARK, countChanges, num, signed, toneOf,
  type DiffRow, type ReportDiff,
} from './model.ts';
import { MODE_ZH, changeLine } from './summary.ts';
import { arrowText, basisZh } from './workbook.ts';
import { esc } from '../outputs/escape.ts';


const CSS = `
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC",sans-serif;font-size:14px;margin:24px;color:#222;line-height:1.5}
h1{font-size:22px;margin:0 0 8px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ccc;padding-bottom:4px}
table{border-collapse:collapse;margin:6px 0 12px}th,td{border:1px solid #bbb;padding:3px 7px;vertical-align:top}
th{background:#d9e1f2;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.add{background:${TONE_CSS.add}}.remove{background:${TONE_CSS.remove}}.change{background:${TONE_CSS.change}}
td.mark{font-family:monospace;text-align:center;white-space:nowrap}td.k{white-space:nowrap}
.meta th{text-align:left;background:#f2f2f2}.muted{color:#666}.grid td{text-align:right;white-space:nowrap}
.grid td.u{text-align:left}.legend span{display:inline-block;padding:1px 8px;margin-right:10px;border:1px solid #bbb}
@media print{body{margin:0}h2{break-after:avoid}}
`;

const td = (content: unknown, cls = '') => `<td${cls ? ` class="${cls}"` : ''}>${esc(content)}</td>`;
const th = (content: unknown) => `<th>${esc(content)}</th>`;

function provenance(r: DiffRow): string {
  const side = (file: string, sheet: string, cell: string, raw: string) => (file || cell ? `${file}${sheet ? `!${sheet}` : ''}${cell ? `!${cell}` : ''}${raw ? `“${raw}”` : ''}` : '');
  const a = side(r.file_before, r.sheet_before, r.cell_before, r.raw_before);
  const b = side(r.file_after, r.sheet_after, r.cell_after, r.raw_after);
  const input = { '': '', changed: '（报送文件 sha256 已变）', unchanged: '（报送文件 sha256 未变）', other_file: '（换了报送文件）' }[r.input_sha256];
  return (a && b && a !== b ? `${a} → ${b}` : a || b) + input;
}

function rowsTable(rows: DiffRow[]): string {
  const head = ['', '变化', '单位', '指标', '口径', '旧→新', '增减', '增减%', '代码', '来源', '说明'];
  const body = rows.map((r) => {
    const tone = toneOf(r.change);
    const cls = tone === 'same' ? '' : tone;
    const who = [r.unit_name || r.unit, r.unit && r.unit_name ? `（${r.unit}）` : ''].join('');
    const item = r.name_zh ? `${r.name_zh}（${r.indicator}）` : r.indicator;
    const basis = [basisZh(r.basis), r.compare_as ? COMPARE_ZH[r.compare_as] : ''].filter(Boolean).join('，');
    const code = [r.finding_code, r.published_id, r.severity === 'error' ? '错误' : r.severity === 'warning' ? '提示' : ''].filter(Boolean).join(' ');
    return `<tr${tone === 'add' || tone === 'remove' ? ` class="${tone}"` : ''}>${td(TONE_MARK[tone], `mark ${cls}`.trim())}${td(CHANGE_ZH[r.change], 'k')}${td(who)}${td(item)}${td(basis)}${td(arrowText(r), tone === 'change' ? 'n change' : 'n')}${td(r.delta === null ? '' : signed(r.delta), 'n')}${td(r.delta_pct === null ? '' : signed(r.delta_pct, '%'), 'n')}${td(code, 'k')}${td(provenance(r))}${td(r.message)}</tr>`;
  });
  return `<table><thead><tr>${head.map(th).join('')}</tr></thead><tbody>\n${body.join('\n')}\n</tbody></table>`;
}

function gridTable(diff: ReportDiff): string {
  const { columns, rows } = diff.grid;
  if (!rows.length) return '<p class="muted">（两边都没有单位数值）</p>';
  const marks = `<tr><td class="mark">!</td><td></td><td></td>${columns.map((c) => td(TONE_MARK[c.tone], c.tone === 'same' ? 'mark' : `mark ${c.tone}`)).join('')}</tr>`;
  const head = `<tr><th>@@</th>${th('单位代码')}${th('单位')}${columns.map((c) => `<th${c.tone === 'same' ? '' : ` class="${c.tone}"`} title="${esc(c.indicator)}">${esc(c.name_zh)}</th>`).join('')}</tr>`;
  const body = rows.map((r) => {
    const rowCls = r.tone === 'add' || r.tone === 'remove' ? ` class="${r.tone}"` : '';
    const cells = r.cells.map((c) => td(c.text, c.tone === 'same' ? '' : c.tone)).join('');
    return `<tr${rowCls}>${td(TONE_MARK[r.tone], r.tone === 'same' ? 'mark' : `mark ${r.tone}`)}${td(r.unit, 'u')}${td(r.unit_name, 'u')}${cells}</tr>`;
  });
  return `<table class="grid"><thead>${marks}\n${head}</thead><tbody>\n${body.join('\n')}\n</tbody></table>`;
}

/** The whole page. */
export function diffHtml(diff: ReportDiff): string {
  const counts = countChanges(diff.rows);
  const side = (s: ReportDiff['a']) => `${s.name}（期别 ${s.period}，指标目录 ${s.catalogue_version}${s.tool_version ? `，banbao ${s.tool_version}` : ''}）`;
  const countRows = SECTIONS.map((s) => {
    const parts = CHANGES_OF[s].filter((c) => counts[s][c]).map((c) => `${CHANGE_ZH[c]} ${counts[s][c]}`);
    return `<tr>${th(SECTION_ZH[s])}${td(parts.join('，') || '—')}</tr>`;
  }).join('\n');
  const top = topChanges(diff, 10);
  const sections = SECTIONS.map((s) => {
    const rows = diff.rows.filter((r) => r.section === s);
    if (!rows.length) return '';
    return `<h2 id="${s}">${esc(SECTION_ZH[s])}（${rows.length}）</h2>\n${rowsTable(rows)}`;
  }).join('\n');
  const title = `党建争强 报告差异 ${diff.a.name} → ${diff.b.name}`;
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="banbao diff">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>${esc(title)}</h1>
<table class="meta">
<tr>${th('A（之前）')}${td(side(diff.a))}</tr>
<tr>${th('B（之后）')}${td(side(diff.b))}</tr>
<tr>${th('比较')}${td(MODE_ZH[diff.mode])}</tr>
<tr>${th('容差')}${td(diff.tolerance ? `${num(diff.tolerance)}（差额不超过容差视为未变）` : '0')}</tr>
<tr>${th('差异')}${td(`${diff.rows.length} 处${diff.carried.length ? `；另有仍存在（未变）的问题或不符 ${diff.carried.length} 条` : ''}`)}</tr>
${countRows}
</table>
<p class="legend"><span class="add">+++ 新增</span><span class="remove">--- 删除、缺报、已解决</span><span class="change">→ 变化（旧→新）</span>
<span class="muted">期末存量比水平；期间数与年度累计比流量。</span></p>
${diff.rows.length ? '' : '<p><strong>没有差异。</strong></p>'}
${top.length ? `<h2 id="top">变化最大的数值</h2>\n<ol>\n${top.map((r) => `<li>${esc(changeLine(r))}</li>`).join('\n')}\n</ol>` : ''}
<h2 id="grid">各单位数值对比</h2>
${gridTable(diff)}
${sections}
${diff.carried.length ? `<h2 id="carried">仍存在（两边都有，未变）（${diff.carried.length}）</h2>\n${rowsTable(diff.carried)}` : ''}
<p class="muted">由 banbao diff 生成。同样的两个报告文件夹总是生成同样的文件。</p>
</body>
</html>
`;
}

export { esc };
