// The check page's results as HTML text: one section per file — a plain verdict (可以报送 or not), then
// its findings grouped by severity, errors first, each with file, sheet, cell, code and message.
// Pure (FileCheck in, string out) so Node tests can compare it with what checkFile gives.
import { NOT_EXPLAINED_BY_NOTE } from '../validate/explain.ts';
import type { Finding } from '../../schemas/finding.ts';
import type { FileCheck } from '../check.ts';
import type { PeriodContext } from '../context.ts';
import { esc } from '../outputs/escape.ts';
import { encodingLabel, findingKind, formatLabel, layoutLabel } from '../outputs/labels.ts';

export const VERDICT = {
  ok: '没有发现问题，可以报送',
  warnings: '没有错误，可以报送；请先核实下列提示，情况属实的在“上报说明”列写明原因',
  errors: '有错误，请改正后再报送',
} as const;

const GROUPS = [
  { severity: 'error', title: '错误（必须改正）' },
  { severity: 'warning', title: '提示（请核实）' },
] as const;

/** The findings in the order the page lists them: errors first, each group in checkFile's order. */
export function displayOrder(findings: Finding[]): Finding[] {
  return GROUPS.flatMap((g) => findings.filter((f) => f.severity === g.severity));
}

/** A warning's state: 已说明 with the explanation (and who gave it), or what is still needed. */
function explanation(f: Finding): string {
  if (f.severity !== 'warning') return '';
  if (f.confirmed) return `<div class="explained"><strong>已说明</strong>：${esc(f.confirmed)}${f.confirmed_by ? `——${esc(f.confirmed_by)}` : ''}</div>`;
  if (NOT_EXPLAINED_BY_NOTE.has(f.code)) return '<div class="unexplained"><strong>待改正</strong>：上报说明不能代替准确数字，请按提示改正后再报送</div>';
  return '<div class="unexplained"><strong>待说明</strong>：情况属实的，请在本行“上报说明”列写明原因</div>';
}

function findingRow(f: Finding): string {
  const attrs = `data-explained="${f.severity === 'warning' ? (f.confirmed ? 'yes' : 'no') : ''}" data-severity="${esc(f.severity)}" data-file="${esc(f.file)}" data-sheet="${esc(f.sheet)}" data-cell="${esc(f.cell)}" data-code="${esc(f.code)}"`;
  return `<tr class="finding ${esc(f.severity)}" ${attrs}><td class="file">${esc(f.file)}</td><td>${esc(f.sheet || '—')}</td><td class="cell">${esc(f.cell || '—')}</td><td>${esc(findingKind(f.code))}<br><code>${esc(f.code)}</code></td><td class="msg">${esc(f.message)}${explanation(f)}</td></tr>`;
}

function meta(check: FileCheck, ctx: PeriodContext): string {
  const r = check.record;
  if (!r) return '';
  const units = r.unit ? r.unit.split(' ').map((u) => `${ctx.matchUnits.name(u)}（${u}）`).join('、') : '未能确定';
  const parts = [
    `填报单位：${units}`,
    `期别：${r.period || ctx.period}`,
    `格式：${r.format ? formatLabel(r.format) : '—'}${r.encoding ? `，编码 ${encodingLabel(r.encoding)}` : ''}${r.layouts ? `；版式：${layoutLabel(r.layouts)}` : ''}`,
    `${r.bytes.toLocaleString('en-US')} 字节`,
  ];
  return `<p class="meta">${parts.map(esc).join(' · ')} · <span class="hash" title="SHA-256">SHA-256 <code>${esc(r.sha256)}</code></span></p>`;
}

/** The table as read (#13): item, value, cell, text as written — the clerk checks the figures in one look. */
export function readTable(check: FileCheck, ctx: PeriodContext): string {
  const rows = check.read ?? [];
  if (!rows.length) return '';
  const several = new Set(rows.map((r) => r.unit)).size > 1;
  const body = rows
    .map((r) => `<tr class="read" data-cell="${esc(r.cell)}" data-sheet="${esc(r.sheet)}" data-indicator="${esc(r.indicator)}">${several ? `<td>${esc(ctx.matchUnits.name(r.unit))}</td>` : ''}<td>${esc(r.item)}</td><td class="num">${esc(r.value === null ? '—' : String(r.value))}</td><td class="cell">${esc(`${r.sheet ? `${r.sheet}!` : ''}${r.cell}`)}</td><td class="raw">${esc(r.raw)}</td></tr>`)
    .join('');
  return `<details class="read-back" open><summary>已读取 ${rows.length} 个数（请核对）</summary>
<table class="read-back"><thead><tr>${several ? '<th>单位</th>' : ''}<th>指标</th><th>读取的数</th><th>单元格</th><th>原文</th></tr></thead><tbody>${body}</tbody></table></details>`;
}

/** One file's section. */
export function renderCheck(check: FileCheck, ctx: PeriodContext): string {
  const errors = check.findings.filter((f) => f.severity === 'error').length;
  const warnings = check.findings.length - errors;
  const status = errors ? 'errors' : warnings ? 'warnings' : 'ok';
  const mark = errors ? '✗' : '✓';
  const explained = check.findings.filter((f) => f.severity === 'warning' && f.confirmed).length;
  const counts = check.findings.length ? `（错误 ${errors} 条，提示 ${warnings} 条${warnings ? `：已说明 ${explained} 条，待说明 ${warnings - explained} 条` : ''}）` : '';
  const groups = GROUPS.map((g) => {
    const list = check.findings.filter((f) => f.severity === g.severity);
    if (!list.length) return '';
    return `<h3 class="${g.severity}">${esc(g.title)} ${list.length} 条</h3>
<table class="findings"><thead><tr><th>文件</th><th>工作表</th><th>单元格</th><th>问题种类</th><th>问题与改法</th></tr></thead>
<tbody>${list.map(findingRow).join('')}</tbody></table>`;
  }).join('\n');
  return `<article class="file-result ${status}" data-file="${esc(check.file)}" data-status="${status}" data-errors="${errors}" data-warnings="${warnings}">
<h2>${esc(check.file)}</h2>
${meta(check, ctx)}
<p class="verdict ${status}">${mark} ${esc(VERDICT[status])}${esc(counts)}</p>
${groups}
${readTable(check, ctx)}
</article>`;
}

/** A file the page could not check at all (an internal error, not a finding about the file). */
export function renderFailure(file: string, error: unknown): string {
  return `<article class="file-result failed" data-file="${esc(file)}" data-status="failed">
<h2>${esc(file)}</h2>
<p class="verdict errors">✗ 检查时出现程序错误，无法给出结论：${esc(String((error as Error)?.message ?? error))}。请把此文件和这条信息发给市委组织部。</p>
</article>`;
}

export { esc };
