// The period's self-contained HTML report (index.html): header, status overview, reconciliation,
// findings by unit, interactive charts, links to the sibling outputs. One file that works offline
// from disk: vega, vega-lite and vega-embed are inlined from node_modules, the chart specs are
// embedded as JSON, and each chart's pre-rendered SVG sits in <noscript> for readers without JS.
// Submissions are untrusted: every interpolated text is escaped. No clock: same result, same bytes.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import type { Finding } from '../../schemas/finding.ts';
import type { ReconciliationRow } from '../../schemas/reconciled.ts';
import { countFindings, type PeriodResult } from '../run.ts';
import { periodCharts, renderSvg, STATUS_COLORS, type ChartSpec } from './charts.ts';
import { statusCounts } from './tables.ts';
import { renderSubmissionStatus } from './status-section.ts';
import { STATUS_ZH } from './workbook.ts';
import { esc, jsonForScript } from './escape.ts';
import { ASSET_DIR, BUNDLED } from '../home.ts';

/** The three browser builds, as script text. */
export interface ScriptAssets {
  vega: string;
  vegaLite: string;
  vegaEmbed: string;
}

/** A chart as the page shows it: its spec, its headless SVG (the no-JS fallback), and whether a PNG was written. */
export interface RenderedChart extends ChartSpec {
  svg: string;
  png: boolean;
}

// ── assets ──────────────────────────────────────────────────────────────────────────────────────

export const BUILDS: [keyof ScriptAssets, string, string][] = [
  ['vega', 'vega', 'build/vega.min.js'],
  ['vegaLite', 'vega-lite', 'build/vega-lite.min.js'],
  ['vegaEmbed', 'vega-embed', 'build/vega-embed.min.js'],
];

/** The folder of an installed package: walk up from its entry point to its own package.json. */
function packageDir(name: string): string {
  const require = createRequire(import.meta.url);
  let dir = path.dirname(require.resolve(name));
  for (;;) {
    const pj = path.join(dir, 'package.json');
    if (existsSync(pj) && (JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name === name) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find the folder of package ${name}`);
    dir = up;
  }
}

let assetCache: ScriptAssets | undefined;
/** Reads the min builds once per process. Throws if one could end its <script> element early. */
export function loadScriptAssets(): ScriptAssets {
  if (assetCache) return assetCache;
  const out = {} as ScriptAssets;
  for (const [key, pkg, file] of BUILDS) {
    const text = readFileSync(BUNDLED ? path.join(ASSET_DIR, pkg, file) : path.join(packageDir(pkg), file), 'utf8');
    // `</script` closes the element; `<!--` with `<script` switches the parser to its escaped states
    if (/<\/script|<!--|<script/i.test(text)) throw new Error(`${pkg}/${file} contains markup that cannot be inlined in <script>`);
    out[key] = text;
  }
  assetCache = out;
  return out;
}

// ── escaping ────────────────────────────────────────────────────────────────────────────────────

/** A relative link to a sibling output (the name may hold CJK or spaces). */
function href(rel: string): string {
  return esc(rel.split('/').map(encodeURIComponent).join('/'));
}

/**
 * vega's SVG escapes its texts and attributes; inside <noscript> (raw text when scripting is on)
 * anything that could end the element or run script is refused, and the fallback is left out.
 */
function safeSvg(svg: string): string | undefined {
  if (!/^<svg[\s>]/.test(svg)) return undefined;
  if (/<\/?(script|noscript|iframe|object|embed|foreignObject|style)\b|<!--|\son[a-z]+\s*=|javascript:/i.test(svg)) return undefined;
  return svg;
}

// ── formatting ──────────────────────────────────────────────────────────────────────────────────

/** 1234567.891 → "1,234,567.89"; deterministic, without the locale. */
export function formatNumber(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '';
  const neg = x < 0;
  const fixed = Math.abs(x).toFixed(digits).replace(/\.?0+$/, '');
  const [int, frac] = fixed.split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '−' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}

/** 2018H1 → 2018年上半年. */
export function periodLabel(period: string): string {
  const m = /^(\d{4})H([12])$/.exec(period);
  return m ? `${m[1]}年${m[2] === '1' ? '上' : '下'}半年` : period;
}

const STATUS_ORDER = ['match', 'within', 'mismatch', 'incomplete', 'unpublished'] as const;
const STATUS_HELP: Record<string, string> = {
  match: '汇总值与公布数相同',
  within: '汇总值落在公布文字所表达的区间内',
  mismatch: '汇总值不在公布区间内',
  incomplete: '缺少单位或上期数据，无法核对',
  unpublished: '该指标本期没有公布数',
};
const SEVERITY_ZH: Record<string, string> = { error: '错误', warning: '提示' };

function badge(status: string): string {
  return `<span class="badge badge-${esc(status)}">${esc(STATUS_ZH[status] ?? status)}</span>`;
}

// ── sections ────────────────────────────────────────────────────────────────────────────────────

function headerHtml(r: PeriodResult, previous: PeriodResult | undefined): string {
  const c = countFindings(r.findings);
  const cat = r.ctx.catalogue;
  const meta: [string, string][] = [
    ['报告期', `<strong>${esc(r.period)}</strong>（${esc(periodLabel(r.period))}）`],
    ['指标目录版本', esc(cat.version)],
    ['指标', `${cat.items.length} 项填报指标（${cat.categories.length} 大类），${cat.derived.length} 项计算指标`],
    ['报送文件', `<a href="#files">${r.inputs.length} 个文件</a>`],
    ['问题', `错误 ${c.errors} 条，提示 ${c.warnings} 条（已说明 ${c.warnings - c.unconfirmed} 条）`],
    ['上期', previous ? esc(previous.period) : '无（不作环比）'],
  ];
  return `<header class="report-header">
<p class="kicker">党建争强 · 半年度推进情况</p>
<h1>${esc(r.period)} 汇总与核对报告</h1>
<dl class="meta">${meta.map(([k, v]) => `<div><dt>${k}</dt><dd>${v}</dd></div>`).join('')}</dl>
<nav class="toc" aria-label="目录"><a href="#overview">核对概况</a><a href="#reconciliation">与公布数核对</a><a href="#findings">问题清单</a><a href="#charts">图表</a><a href="#files">报送文件</a><a href="#downloads">输出文件</a></nav>
</header>`;
}

function overviewHtml(r: PeriodResult): string {
  const s = statusCounts(r);
  const c = countFindings(r.findings);
  const cards = STATUS_ORDER.map(
    (k) =>
      `<li class="status-card status-${k}" data-status="${k}" data-count="${s[k] ?? 0}" title="${esc(STATUS_HELP[k])}"><span class="count">${s[k] ?? 0}</span><span class="label">${esc(STATUS_ZH[k])}</span></li>`,
  ).join('\n');
  return `<section id="overview">
<h2>核对概况</h2>
<p class="lead">共核对 ${r.reconciliation.length} 项（含未公布的指标）：全市合计 = 十个区县（市）+ 市本级；公布文字按其表达的区间理解（如“120余”为 [120, 130)）。</p>
<ul class="status-cards">
${cards}
</ul>
<ul class="finding-cards">
<li class="finding-card sev-error" data-severity="error" data-count="${c.errors}"><span class="count">${c.errors}</span><span class="label">错误（须改正）</span></li>
<li class="finding-card sev-warning" data-severity="warning" data-count="${c.unconfirmed}"><span class="count">${c.unconfirmed}</span><span class="label">未说明的提示</span></li>
<li class="finding-card sev-confirmed" data-severity="confirmed" data-count="${c.warnings - c.unconfirmed}"><span class="count">${c.warnings - c.unconfirmed}</span><span class="label">已说明的提示</span></li>
</ul>
</section>`;
}

function isShareRow(r: PeriodResult, x: ReconciliationRow): boolean {
  return r.ctx.derived.get(x.indicator)?.type === 'share' && !x.interval.startsWith('同比');
}

function reconciliationHtml(r: PeriodResult): string {
  const rows = r.reconciliation
    .map((x) => {
      const pct = isShareRow(r, x) ? '%' : '';
      const computed = x.computed === null ? '—' : `${formatNumber(x.computed)}${pct}`;
      const diff = x.difference === null ? '' : x.difference === 0 ? '0' : `${x.difference > 0 ? '+' : ''}${formatNumber(x.difference)}${pct}`;
      const reported = x.units_reported === x.units_expected ? '' : `<span class="sub">报送 ${x.units_reported}/${x.units_expected}</span>`;
      return `<tr class="row-${esc(x.status)}" data-indicator="${esc(x.indicator)}" data-scope="${esc(x.scope_code)}">
<td>${esc(x.scope)}</td><td>${esc(x.name_zh)}${x.interval.startsWith('同比') ? '<span class="sub">同比</span>' : ''}</td><td class="pub">${esc(x.text || '—')}</td><td class="num interval">${esc(x.interval || '—')}</td><td class="num">${computed}${reported}</td><td>${badge(x.status)}</td><td class="num">${diff}</td><td class="note">${esc(x.hints)}</td><td class="note">${esc(x.explanation)}</td>
</tr>`;
    })
    .join('\n');
  return `<section id="reconciliation">
<h2>与公布数核对</h2>
<div class="table-wrap"><table class="data reconciliation">
<thead><tr><th>范围</th><th class="item">指标</th><th>公布文字</th><th>公布区间</th><th>汇总值</th><th>状态</th><th>差额</th><th class="hints">提示</th><th class="explanation">上报说明</th></tr></thead>
<tbody>
${rows}
</tbody>
</table></div>
<p class="note-small">差额为汇总值与最近区间端点之差，落在区间内为 0。</p>
</section>`;
}

function findingRowHtml(r: PeriodResult, f: Finding): string {
  const item = r.ctx.items.get(f.indicator)?.name_zh ?? r.ctx.derived.get(f.indicator)?.name_zh ?? f.indicator;
  const state = f.severity === 'warning' ? (f.confirmed ? ' confirmed' : ' unconfirmed') : '';
  const confirmed = f.confirmed ? `<div class="explained"><span class="tag">已说明</span>${esc(f.confirmed)}${f.confirmed_by ? `<span class="by">——${esc(f.confirmed_by)}</span>` : ''}</div>` : f.severity === 'warning' ? '<div class="unexplained">未说明：须核实，并附上报说明</div>' : '';
  return `<tr class="sev-${esc(f.severity)}${state}">
<td><span class="sev sev-${esc(f.severity)}">${esc(SEVERITY_ZH[f.severity] ?? f.severity)}</span></td><td><code>${esc(f.code)}</code></td><td>${esc(item)}</td><td class="file">${esc(f.file)}</td><td>${esc(f.sheet)}</td><td class="cell">${esc(f.cell)}</td><td class="raw">${esc(f.raw)}</td><td class="msg">${esc(f.message)}${confirmed}</td>
</tr>`;
}

function findingsHtml(r: PeriodResult): string {
  if (!r.findings.length) return `<section id="findings"><h2>问题清单</h2><p class="empty">没有发现问题。</p></section>`;
  // groups in the units' order; findings about no known unit (a file, the city) come last
  // a reconcile finding with no unit, or on the city's code (which 市本级 shares), is about the city total
  const cityCodes = new Set(['', ...r.reconciliation.filter((x) => x.scope === '全市').map((x) => x.scope_code)]);
  const CITY = '全市';
  const order = new Map<string, number>([[CITY, -1], ...r.ctx.units.map((u, i): [string, number] => [u.code, i])]);
  const groups = new Map<string, Finding[]>();
  for (const f of r.findings) {
    const key = f.code.startsWith('reconcile.') && cityCodes.has(f.unit) ? CITY : order.has(f.unit) ? f.unit : '';
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const keys = [...groups.keys()].sort((a, b) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity));
  const blocks = keys.map((key) => {
    const fs = groups.get(key)!;
    const c = countFindings(fs);
    const title = key === CITY ? '全市（与公布数核对）' : key ? `${r.ctx.matchUnits.name(key)}（${key}）` : '未归属单位（文件级问题）';
    return `<section class="unit-findings" data-unit="${esc(key)}">
<h3>${esc(title)} <span class="counts">错误 ${c.errors} · 提示 ${c.warnings}${c.warnings ? `（未说明 ${c.unconfirmed}）` : ''}</span></h3>
<div class="table-wrap"><table class="data findings">
<colgroup><col class="c-sev"><col class="c-code"><col class="c-item"><col class="c-file"><col class="c-sheet"><col class="c-cell"><col class="c-raw"><col></colgroup>
<thead><tr><th>级别</th><th>代码</th><th>指标</th><th>文件</th><th>工作表</th><th>单元格</th><th>原文</th><th>说明</th></tr></thead>
<tbody>
${fs.map((f) => findingRowHtml(r, f)).join('\n')}
</tbody>
</table></div>
</section>`;
  });
  return `<section id="findings">
<h2>问题清单</h2>
<p class="lead">错误（强制性审核）必须改正后重新报送；提示（核实性审核）须核实，确属实情的请附上报说明。</p>
${blocks.join('\n')}
</section>`;
}

/** A spec whose every data array is empty draws nothing: the page says so instead of an empty frame. */
export function chartIsEmpty(spec: TopLevelSpec): boolean {
  const s = spec as { data?: { values?: unknown[] }; layer?: { data?: { values?: unknown[] } }[] };
  const arrays = [s.data?.values, ...(s.layer ?? []).map((l) => l.data?.values)].filter((v): v is unknown[] => Array.isArray(v));
  return arrays.length > 0 && arrays.every((v) => v.length === 0);
}

function chartsHtml(charts: RenderedChart[]): string {
  let index = 0;
  const figures = charts.map((c) => {
    const links = [`<a href="${href(`charts/${c.name}.svg`)}">SVG</a>`, c.png ? `<a href="${href(`charts/${c.name}.png`)}">PNG</a>` : '', `<a href="${href(`charts/${c.name}.vl.json`)}">Vega-Lite</a>`].filter(Boolean).join(' · ');
    const caption = `<figcaption><span class="title">${esc(c.title)}</span><span class="files">${links}</span></figcaption>`;
    if (chartIsEmpty(c.spec)) return `<figure class="chart chart-empty" data-chart="${esc(c.name)}" data-empty="true">${caption}<p class="empty">本期没有可绘制的数据。</p></figure>`;
    const svg = safeSvg(c.svg);
    return `<figure class="chart" data-chart="${esc(c.name)}">${caption}<div class="vega-target" data-chart-index="${index++}"></div>${svg ? `<noscript>${svg}</noscript>` : ''}</figure>`;
  });
  return `<section id="charts">
<h2>图表</h2>
<p class="lead">鼠标悬停可查看数值；图右上角菜单可另存为 SVG 或 PNG。</p>
<div class="charts">
${figures.join('\n')}
</div>
</section>`;
}

/** An input's unit field: one code, or several (a wide summary) separated by spaces. */
function unitNames(r: PeriodResult, units: string): string {
  const known = new Set(r.ctx.units.map((u) => u.code as string));
  return units
    .split(' ')
    .filter(Boolean)
    .map((c) => (known.has(c) ? r.ctx.matchUnits.name(c) : c))
    .join('、');
}

function filesHtml(r: PeriodResult): string {
  const rows = r.inputs
    .map(
      (i) =>
        `<tr><td class="file">${esc(i.file)}</td><td>${esc(unitNames(r, i.unit))}</td><td>${esc(i.format)}</td><td>${esc(i.encoding)}</td><td>${esc(i.layouts)}</td><td class="num">${formatNumber(i.bytes)}</td><td class="hash" title="${esc(i.sha256)}"><code>${esc(i.sha256.slice(0, 12))}</code></td></tr>`,
    )
    .join('\n');
  return `<section id="files">
<h2>报送文件</h2>
<div class="table-wrap"><table class="data files">
<thead><tr><th>文件</th><th>单位</th><th>格式</th><th>编码</th><th>版式</th><th>字节</th><th>SHA-256</th></tr></thead>
<tbody>
${rows || '<tr><td colspan="7" class="empty">没有报送文件</td></tr>'}
</tbody>
</table></div>
</section>`;
}

function downloadsHtml(r: PeriodResult): string {
  const links: [string, string][] = [
    [`${r.period}.xlsx`, '汇总工作簿（说明、汇总、核对、问题、明细、环比）'],
    ['reconciled.csv', '汇总明细：每个单位每项指标的数值及其来源（文件、工作表、单元格）'],
    ['reconciliation.csv', '与公布数核对表'],
    ['findings.csv', '问题清单（CSV）'],
    ['findings.json', '问题清单（JSON）'],
    ['manifest.json', '清单：输入与输出文件的 SHA-256、工具版本'],
    ['charts/', '图表（SVG、PNG、Vega-Lite 规格）'],
  ];
  return `<section id="downloads">
<h2>输出文件</h2>
<ul class="downloads">
${links.map(([f, d]) => `<li><a href="${href(f)}"><code>${esc(f)}</code></a> <span>${esc(d)}</span></li>`).join('\n')}
</ul>
</section>`;
}

// ── page ────────────────────────────────────────────────────────────────────────────────────────

const FONT_STACK = `"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif`;

function css(): string {
  const statusRules = STATUS_ORDER.map((k) => {
    const c = STATUS_COLORS[k];
    return `.badge-${k}{color:${c};background:${c}1a;border-color:${c}66}.status-${k}{border-top-color:${c}}.status-${k} .count{color:${c}}`;
  }).join('\n');
  return `*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font-family:${FONT_STACK};font-size:14px;line-height:1.6;color:#1f2328;background:#f6f7f9;-webkit-print-color-adjust:exact;print-color-adjust:exact}
main,.report-header,footer{max-width:1120px;margin:0 auto;padding:0 24px}
.report-header{padding-top:28px;padding-bottom:8px}
.kicker{margin:0;color:#b71c1c;font-weight:600;letter-spacing:.08em}
h1{margin:4px 0 16px;font-size:26px;font-weight:700}
h2{margin:0 0 12px;font-size:19px;padding-bottom:6px;border-bottom:2px solid #b71c1c}
h3{margin:18px 0 8px;font-size:15px}
h3 .counts{font-weight:400;color:#57606a;font-size:13px;margin-left:8px}
section{background:#fff;border:1px solid #e3e6ea;border-radius:8px;padding:18px 22px;margin:18px 0}
.unit-findings{border:0;padding:0;margin:8px 0 16px;background:none}
.meta{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:6px 24px;margin:0 0 14px}
.meta div{display:flex;gap:12px}.meta dt{color:#57606a;min-width:6em}.meta dd{margin:0}
.toc{display:flex;flex-wrap:wrap;gap:6px 18px;font-size:13px}
a{color:#0b57d0;text-decoration:none}a:hover{text-decoration:underline}
.lead{color:#57606a;margin:0 0 14px}
.note-small{color:#57606a;font-size:12px;margin:8px 0 0}
.status-cards,.finding-cards{list-style:none;padding:0;margin:0 0 12px;display:grid;grid-template-columns:repeat(5,minmax(0,1fr));gap:12px}
.finding-cards{grid-template-columns:repeat(3,minmax(0,1fr))}
.status-card,.finding-card{border:1px solid #e3e6ea;border-top:4px solid #9e9e9e;border-radius:6px;padding:10px 14px;display:flex;flex-direction:column}
.count{font-size:28px;font-weight:700;line-height:1.2;font-variant-numeric:tabular-nums}
.label{color:#57606a}
.sev-error.finding-card{border-top-color:#c62828}.sev-error .count{color:#c62828}
.sev-warning.finding-card{border-top-color:#f9a825}.sev-warning .count{color:#a66f00}
.sev-confirmed.finding-card{border-top-color:#2e7d32}.sev-confirmed .count{color:#2e7d32}
${statusRules}
.table-wrap{overflow-x:auto}
table.data{border-collapse:collapse;width:100%;font-size:13px}
table.data th{background:#eef1f5;text-align:left;font-weight:600;white-space:nowrap;padding:6px 8px;border-bottom:1px solid #c9d1d9}
table.data td{padding:6px 8px;border-bottom:1px solid #eaeef2;vertical-align:top}
table.data tbody tr:nth-child(even){background:#fafbfc}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.note,td.msg{white-space:pre-line;min-width:12em}
table.reconciliation td:first-child{white-space:nowrap}
table.findings{table-layout:fixed}table.findings td{overflow-wrap:anywhere}
col.c-sev{width:7%}col.c-code{width:16%}col.c-item{width:11%}col.c-file{width:13%}col.c-sheet{width:7%}col.c-cell{width:6%}col.c-raw{width:8%}
table.reconciliation th.item{min-width:11em}table.reconciliation th.hints{width:28%}table.reconciliation th.explanation{width:16%}
td.file{word-break:break-all;min-width:8em}
td.raw{font-family:ui-monospace,Menlo,Consolas,monospace;word-break:break-all}
.sub{display:block;color:#57606a;font-size:11px}
.badge,.sev,.tag{display:inline-block;white-space:nowrap;padding:0 8px;border:1px solid;border-radius:10px;font-size:12px;line-height:20px}
.sev-error.sev{color:#c62828;background:#c628281a;border-color:#c6282866}
.sev-warning.sev{color:#a66f00;background:#f9a8251f;border-color:#f9a82580}
tr.confirmed .sev{color:#2e7d32;background:#2e7d321a;border-color:#2e7d3266}
.tag{color:#2e7d32;border-color:#2e7d3266;margin-right:6px}
.explained{margin-top:4px;color:#2e7d32}
.unexplained{margin-top:4px;color:#a66f00;font-size:12px}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(640px,1fr));gap:16px}
figure.chart svg{max-width:100%;height:auto}
figure.chart{margin:0;border:1px solid #eaeef2;border-radius:6px;padding:10px 12px;overflow-x:auto;break-inside:avoid;page-break-inside:avoid}
figcaption{display:flex;justify-content:space-between;gap:12px;font-size:13px;margin-bottom:6px}
figcaption .title{font-weight:600}figcaption .files{color:#57606a;font-size:12px}
.empty{color:#57606a}
.downloads{margin:0;padding-left:1.2em}.downloads li{margin:4px 0}.downloads span{color:#57606a;margin-left:6px}
footer{color:#8c959f;font-size:12px;padding-bottom:28px}
#vg-tooltip-element{font-family:${FONT_STACK}}
@page{size:A4;margin:14mm 12mm}
@media print{
body{background:#fff;font-size:10.5pt}
main,.report-header,footer{max-width:none;padding:0}
section{border:0;padding:0;margin:0 0 16px}
.toc,.vega-actions,.vega-embed details,figcaption .files,footer{display:none}
.table-wrap{overflow:visible}
table.data{font-size:9pt}
thead{display:table-header-group}
tr{break-inside:avoid;page-break-inside:avoid}
#charts{break-before:page}
.charts{display:block}
figure.chart{border:0;margin:0 0 12px}
a{color:inherit}
}`;
}

const EMBED_OPTIONS = {
  renderer: 'svg',
  mode: 'vega-lite',
  // no action that needs the network (editor, and the source/compiled views that open new windows)
  actions: { export: true, source: false, compiled: false, editor: false },
  i18n: { CLICK_TO_VIEW_ACTIONS: '图表操作', PNG_ACTION: '另存为 PNG', SVG_ACTION: '另存为 SVG', SOURCE_ACTION: '查看规格', COMPILED_ACTION: '查看 Vega', EDITOR_ACTION: '在编辑器中打开' },
};

// Embeds every chart; without vega (a script failed) each figure falls back to its pre-rendered SVG.
const INIT_SCRIPT = `(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('banbao-charts').textContent);
  var targets = document.querySelectorAll('[data-chart-index]');
  Array.prototype.forEach.call(targets, function (el) {
    var chart = data.charts[Number(el.getAttribute('data-chart-index'))];
    var fig = el.closest('figure');
    var fallback = function (err) {
      var ns = fig.querySelector('noscript');
      if (ns) el.innerHTML = ns.textContent;
      fig.setAttribute('data-rendered', 'fallback');
      if (err) console.error('图表 ' + chart.name + ' 无法交互显示：', err);
    };
    if (typeof vegaEmbed !== 'function') return fallback(new Error('vega-embed 未加载'));
    var opts = Object.assign({}, data.embed, { downloadFileName: chart.file });
    vegaEmbed(el, chart.spec, opts).then(function () { fig.setAttribute('data-rendered', 'true'); }, fallback);
  });
})();`;

/**
 * The whole page for one period, as a string: a pure function of its arguments (no clock, no disk).
 * `charts` are the period's charts with their headless SVG; `assets` the three browser builds.
 */
export function buildReportHtml(result: PeriodResult, previous: PeriodResult | undefined, charts: RenderedChart[], assets: ScriptAssets): string {
  const embedded = charts
    .filter((c) => !chartIsEmpty(c.spec))
    .map((c) => {
      // the $schema URL is only a label; dropped so the page names no network address it does not use
      const { $schema: _schema, ...spec } = c.spec as TopLevelSpec & { $schema?: string };
      return { name: c.name, file: `${result.period}-${c.name}`, spec };
    });
  const title = `${result.period} 党建争强半年度推进情况 — 汇总与核对`;
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="banbao">
<title>${esc(title)}</title>
<style>
${css()}
</style>
</head>
<body>
${headerHtml(result, previous)}
<main>
${renderSubmissionStatus(result)}
${overviewHtml(result)}
${reconciliationHtml(result)}
${findingsHtml(result)}
${chartsHtml(charts)}
${filesHtml(result)}
${downloadsHtml(result)}
</main>
<footer>由 banbao 生成 · 本页离线可用，不连接网络 · 数字以 ${esc(result.period)}.xlsx 与 CSV 为准</footer>
<script type="application/json" id="banbao-charts">${jsonForScript({ embed: EMBED_OPTIONS, charts: embedded })}</script>
<script>${assets.vega}</script>
<script>${assets.vegaLite}</script>
<script>${assets.vegaEmbed}</script>
<script>${INIT_SCRIPT}</script>
</body>
</html>
`;
}

let pngSkipNoted = false;

/**
 * The `extraOutputs` hook: renders the period's charts (SVG for the page, PNG beside the SVG when a
 * CJK font is installed) and writes `charts/<name>.png` and `index.html`.
 */
export async function writeHtmlOutputs(result: PeriodResult, previous: PeriodResult | undefined, write: (rel: string, data: string | Uint8Array) => void): Promise<void> {
  await writeReport(result, previous, write, { png: false });
}

/** The report page, with PNG charts too (opt-in: `report --png`, `make report PNG=1`; needs a CJK font). */
export function htmlOutputs(opts: { png: boolean }) {
  return (result: PeriodResult, previous: PeriodResult | undefined, write: (rel: string, data: string | Uint8Array) => void) => writeReport(result, previous, write, opts);
}

async function writeReport(result: PeriodResult, previous: PeriodResult | undefined, write: (rel: string, data: string | Uint8Array) => void, opts: { png: boolean }): Promise<void> {
  // resvg (a native module) is loaded only when PNGs are asked for
  const png = opts.png ? await import('./png.ts') : undefined;
  const font = png?.findCjkFont();
  if (opts.png && !font && !pngSkipNoted) {
    pngSkipNoted = true;
    // the hook has no logger; one line, once per process
    console.warn('未找到中文字体（如 Debian 的 fonts-noto-cjk），不生成 PNG 图表 (no CJK font found: PNG charts skipped)');
  }
  const charts: RenderedChart[] = [];
  for (const c of periodCharts(result, previous)) {
    const svg = await renderSvg(c.spec);
    if (png && font) write(`charts/${c.name}.png`, png.renderPng(svg, font));
    charts.push({ ...c, svg, png: !!font });
  }
  write('index.html', buildReportHtml(result, previous, charts, loadScriptAssets()));
}

export { esc, jsonForScript };
