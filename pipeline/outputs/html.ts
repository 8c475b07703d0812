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
import { compositionZh, districtsZh, regionScope } from '../context.ts';
import { periodCharts, renderSvg, STATUS_COLORS, type ChartSpec } from './charts.ts';
import { statusCounts, unitItemTable, type UnitItemCell } from './tables.ts';
import { encodingLabel, findingKind, fixed1, formatLabel, layoutLabel, SEVERITY_ZH, STATUS_HELP, STATUS_ZH, statusSentence, VALUE_STATUS_ZH } from './labels.ts';
import { renderSubmissionStatus } from './status-section.ts';
import { periodLabel } from './period-label.ts';
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
export function packageDir(name: string): string {
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

export { periodLabel };

const STATUS_ORDER = ['match', 'within', 'mismatch', 'incomplete', 'unpublished'] as const;

function badge(status: string): string {
  return `<span class="badge badge-${esc(status)}">${esc(STATUS_ZH[status] ?? status)}</span>`;
}

/** "+12", "−3.5", "0": a change with its sign. */
function signed(x: number | null, digits = 1): string {
  if (x === null || !Number.isFinite(x)) return '';
  if (Math.abs(x) < 0.5 * 10 ** -digits) return '0';
  return `${x > 0 ? '+' : ''}${formatNumber(x, digits)}`;
}


function signedFixed1(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return '';
  const r = Math.round(x * 10) / 10;
  return r === 0 ? '0.0' : `${r > 0 ? '+' : ''}${fixed1(r)}`;
}

// ── sections ────────────────────────────────────────────────────────────────────────────────────

function headerHtml(r: PeriodResult, previous: PeriodResult | undefined): string {
  const c = countFindings(r.findings);
  const cat = r.ctx.catalogue;
  const meta: [string, string][] = [
    ['报告期', `<strong>${esc(periodLabel(r.period))}</strong>（${esc(r.period)}）`],
    ['指标目录版本', esc(cat.version)],
    ['指标', `${cat.items.length} 项填报指标（${cat.categories.length} 大类），${cat.derived.length} 项计算指标`],
    ['报送文件', `<a href="#files">${r.inputs.length} 个文件</a>`],
    ['问题', `错误 ${c.errors} 条，提示 ${c.warnings} 条（已说明 ${c.warnings - c.unconfirmed} 条）`],
    ['上期', previous ? `${esc(periodLabel(previous.period))}（${esc(previous.period)}）` : '无（不作环比）'],
  ];
  return `<header class="report-header">
<p class="kicker">党建争强 · 半年度推进情况</p>
<h1>${esc(periodLabel(r.period))} 汇总与核对报告</h1>
<dl class="meta">${meta.map(([k, v]) => `<div><dt>${k}</dt><dd>${v}</dd></div>`).join('')}</dl>
<nav class="toc" aria-label="目录"><a href="#status">报送情况</a><a href="#reconciliation">与公布数核对</a><a href="#units">各单位指标</a><a href="#findings">问题清单</a><a href="#charts">图表</a><a href="#files">报送文件</a><a href="#downloads">输出文件</a></nav>
</header>`;
}

function isShareRow(r: PeriodResult, x: ReconciliationRow): boolean {
  return r.ctx.derived.get(x.indicator)?.type === 'share' && !x.interval.startsWith('同比');
}

/** The value a reconciliation row checks: a growth rate for a year-on-year figure, else the total. */
function checkedValue(r: PeriodResult, x: ReconciliationRow): string {
  if (x.interval.startsWith('同比')) {
    // an incomplete year-on-year row holds the current total, not a growth rate: none was computed
    if (x.status === 'incomplete' || x.computed === null) return `—<span class="sub">同比增速无法计算</span>`;
    return `${formatNumber(x.computed, 1)}%<span class="sub">同比增速</span>`;
  }
  if (x.computed === null) return '—';
  return isShareRow(r, x) ? `${fixed1(x.computed)}%` : formatNumber(x.computed, 2);
}

function reconciliationHtml(r: PeriodResult): string {
  const s = statusCounts(r);
  const c = countFindings(r.findings);
  const cards = STATUS_ORDER.map(
    (k) =>
      `<li class="status-card status-${k}" data-status="${k}" data-count="${s[k] ?? 0}" title="${esc(STATUS_HELP[k])}"><span class="count">${s[k] ?? 0}</span><span class="label">${esc(STATUS_ZH[k])}</span></li>`,
  ).join('\n');
  const rows = r.reconciliation
    .filter((x) => x.status !== 'unpublished')
    .map((x) => {
      const unit = isShareRow(r, x) ? '%' : '';
      const reported = x.units_reported === x.units_expected ? '' : `<span class="sub">报送 ${x.units_reported}/${x.units_expected}</span>`;
      const hints = x.status === 'mismatch' && x.hints ? `<span class="sub">线索：${esc(x.hints)}</span>` : '';
      return `<tr class="row-${esc(x.status)}" data-indicator="${esc(x.indicator)}" data-scope="${esc(x.scope_code)}">
<td>${esc(x.scope)}</td><td>${esc(x.name_zh)}${x.interval.startsWith('同比') ? '<span class="sub">同比</span>' : ''}</td><td class="pub">${esc(x.text || '—')}</td><td class="num">${checkedValue(r, x)}${reported}</td><td>${badge(x.status)}</td><td class="meaning">${esc(statusSentence(x, unit))}${hints}</td><td class="note">${esc(x.explanation)}</td>
</tr>`;
    })
    .join('\n');
  const unpublished = r.reconciliation.filter((x) => x.status === 'unpublished').map((x) => `${x.scope_code === regionScope(r.ctx).code ? '' : `${x.scope}·`}${x.name_zh}`);
  return `<section id="reconciliation">
<h2>与公布数核对</h2>
<p class="lead">${esc(compositionZh(r.ctx))}，与公开报道中的数字核对。报道用约数（如“120余”“近60%”）时，按这句话所能表示的范围核对。</p>
<ul class="status-cards">
${cards}
</ul>
<ul class="finding-cards">
<li class="finding-card sev-error" data-severity="error" data-count="${c.errors}"><span class="count">${c.errors}</span><span class="label">错误（须改正）</span></li>
<li class="finding-card sev-warning" data-severity="warning" data-count="${c.unconfirmed}"><span class="count">${c.unconfirmed}</span><span class="label">未说明的提示</span></li>
<li class="finding-card sev-confirmed" data-severity="confirmed" data-count="${c.warnings - c.unconfirmed}"><span class="count">${c.warnings - c.unconfirmed}</span><span class="label">已说明的提示</span></li>
</ul>
${rows ? `<div class="table-wrap"><table class="data reconciliation">
<thead><tr><th>范围</th><th class="item">指标</th><th>公布文字</th><th>汇总值</th><th>状态</th><th class="meaning">含义</th><th class="explanation">上报说明</th></tr></thead>
<tbody>
${rows}
</tbody>
</table></div>` : '<p class="empty">本期没有公布数。</p>'}
${unpublished.length ? `<p class="note-small">本期未公布、不核对的指标（${unpublished.length} 项）：${esc(unpublished.join('、'))}。</p>` : ''}
</section>`;
}

/** The unit × item table: each unit's figure, the previous half-year's, the change and the rank among districts. */
function unitTableHtml(r: PeriodResult, previous: PeriodResult | undefined): string {
  const t = unitItemTable(r, previous);
  const hasPrev = t.previousPeriod !== null;
  type Measure = 'now' | 'before' | 'delta' | 'pct' | 'rank';
  // a share's change is in percentage points: it has no 增减% column
  const measuresOf = (share: boolean): Measure[] => (hasPrev ? (share ? ['now', 'before', 'delta', 'rank'] : ['now', 'before', 'delta', 'pct', 'rank']) : ['now', 'rank']);
  const byCell = new Map<string, Finding[]>();
  for (const f of r.findings) if (f.unit && f.indicator) byCell.set(`${f.unit}\u0000${f.indicator}`, [...(byCell.get(`${f.unit}\u0000${f.indicator}`) ?? []), f]);
  const head = (share: boolean, m: Measure) =>
    ({ now: '本期', before: '上期', delta: share ? '增减（百分点）' : '增减', pct: '增减%', rank: '排名' })[m];
  let col = 1;
  const group = t.items.map((it) => `<th colspan="${measuresOf(it.share).length}" class="group" scope="colgroup">${esc(it.name_zh)}<span class="measure">${esc(it.share ? '%' : it.measure)}</span></th>`).join('');
  const sub = t.items
    .map((it) => measuresOf(it.share).map((m) => `<th class="sortable m-${m}" data-col="${col++}" data-item="${esc(it.code)}" aria-sort="none" title="按${esc(it.name_zh)}${head(it.share, m)}排序"><button type="button">${head(it.share, m)}</button></th>`).join(''))
    .join('');
  const value = (x: number | null, share: boolean) => (x === null ? '' : share ? fixed1(x) : formatNumber(x, 2));
  const cells = (unit: string, cs: UnitItemCell[]) =>
    cs
      .map((c, i) => {
        const it = t.items[i];
        const fs = unit ? byCell.get(`${unit}\u0000${it.code}`) ?? [] : [];
        const err = fs.find((f) => f.severity === 'error');
        const open = fs.find((f) => f.severity === 'warning' && !f.confirmed);
        const ok = fs.find((f) => f.severity === 'warning' && f.confirmed);
        const cls = err ? 'st-error' : open ? 'st-warning' : ok ? 'st-confirmed' : c.valueStatus !== 'value' ? `st-${c.valueStatus}` : '';
        const tip = fs.map((f) => `${findingKind(f.code)}：${f.message}${f.confirmed ? `\n已说明：${f.confirmed}` : ''}`).join('\n');
        const shown = c.now !== null ? value(c.now, it.share) : c.valueStatus === 'na' ? '—' : c.valueStatus === 'invalid' ? '？' : '';
        return measuresOf(it.share)
          .map((m) => {
            if (m === 'now')
              return `<td class="num m-now ${cls}" data-unit="${esc(unit)}" data-item="${esc(it.code)}" data-sort="${c.now ?? ''}"${c.now !== null ? ` data-value="${c.now}"` : ''}${tip ? ` title="${esc(tip)}" tabindex="0"` : ` title="${esc(VALUE_STATUS_ZH[c.valueStatus] ?? '')}"`}>${shown}</td>`;
            const x = m === 'before' ? c.before : m === 'delta' ? c.delta : m === 'pct' ? c.pct : c.rank;
            const text = m === 'before' ? value(x, it.share) : m === 'delta' ? (it.share ? signedFixed1(x) : signed(x, 2)) : m === 'pct' ? (x === null ? '' : `${signedFixed1(x * 100)}%`) : x === null ? '' : String(x);
            const tone = (m === 'delta' || m === 'pct') && x !== null && x !== 0 ? (x > 0 ? ' up' : ' down') : '';
            return `<td class="num m-${m}${tone}" data-sort="${x ?? ''}">${text}</td>`;
          })
          .join('');
      })
      .join('');
  const rows = t.rows.map((u) => `<tr data-unit="${esc(u.code)}"><th scope="row" data-sort="${esc(u.code)}">${esc(u.name)}</th>${cells(u.code, u.cells)}</tr>`).join('\n');
  return `<section id="units">
<h2>各单位指标</h2>
<p class="lead">${hasPrev ? `本期与上期（${esc(periodLabel(t.previousPeriod!))}）比较；` : '本期没有上期数据，不作比较；'}排名为${esc(districtsZh(r.ctx))}之间由大到小的名次。点击列名排序；单元格颜色表示该数的状态，悬停或点按可看说明。</p>
<ul class="legend"><li><span class="swatch st-error"></span>错误</li><li><span class="swatch st-warning"></span>未说明的提示</li><li><span class="swatch st-confirmed"></span>已说明</li><li><span class="swatch st-missing"></span>未填</li><li><span class="swatch st-na"></span>不适用（—）</li></ul>
<div class="table-wrap tall"><table class="data unit-table sortable-table" id="unit-table">
<thead><tr><th rowspan="2" class="sortable corner" data-col="0" aria-sort="none"><button type="button">单位</button></th>${group}</tr>
<tr>${sub}</tr>
<tr class="print-head"><th>单位</th>${t.items.map((it) => `<th>${esc(it.name_zh)}（${esc(it.share ? '%' : it.measure)}）</th>`).join('')}</tr></thead>
<tbody>
${rows}
</tbody>
<tfoot><tr data-unit="total"><th scope="row">${esc(regionScope(r.ctx).label)}合计</th>${cells('', t.total).replace(/ data-unit=""/g, ' data-unit="total"')}</tr></tfoot>
</table></div>
<p class="print-only note-small">打印稿只列本期数；上期、增减与排名见本页或工作簿的“环比”表。</p>
<div class="cell-tip" id="cell-tip" role="status" hidden></div>
</section>`;
}

function findingRowHtml(r: PeriodResult, f: Finding): string {
  const item = r.ctx.items.get(f.indicator)?.name_zh ?? r.ctx.derived.get(f.indicator)?.name_zh ?? f.indicator;
  const state = f.severity === 'warning' ? (f.confirmed ? ' confirmed' : ' unconfirmed') : '';
  const confirmed = f.confirmed ? `<div class="explained"><span class="tag">已说明</span>${esc(f.confirmed)}${f.confirmed_by ? `<span class="by">——${esc(f.confirmed_by)}</span>` : ''}</div>` : f.severity === 'warning' ? '<div class="unexplained">未说明：须核实，并附上报说明</div>' : '';
  const where = [f.file, f.sheet, f.cell].filter(Boolean).join(' · ');
  const unit = f.unit ? r.ctx.matchUnits.name(f.unit) : '';
  return `<tr class="sev-${esc(f.severity)}${state}" data-unit="${esc(f.unit || '')}">
<td><span class="sev sev-${esc(f.severity)}">${esc(SEVERITY_ZH[f.severity] ?? f.severity)}</span></td><td>${esc(unit || '—')}</td><td>${esc(item)}</td><td class="file">${esc(where)}</td><td class="raw">${esc(f.raw)}</td><td class="msg">${esc(f.message)}${confirmed}</td>
</tr>`;
}

function findingsHtml(r: PeriodResult): string {
  if (!r.findings.length) return `<section id="findings"><h2>问题清单</h2><p class="empty">没有发现问题。</p></section>`;
  const groups = new Map<string, Finding[]>();
  for (const f of r.findings) groups.set(f.code, [...(groups.get(f.code) ?? []), f]);
  // errors first, then warnings nobody explained, then the rest; within that the larger groups first
  const weight = (fs: Finding[]) => (fs.some((f) => f.severity === 'error') ? 0 : fs.some((f) => !f.confirmed) ? 1 : 2);
  const codes = [...groups.keys()].sort((a, b) => weight(groups.get(a)!) - weight(groups.get(b)!) || groups.get(b)!.length - groups.get(a)!.length || (a < b ? -1 : a > b ? 1 : 0));
  const blocks = codes.map((code) => {
    const fs = groups.get(code)!;
    const c = countFindings(fs);
    const sev = c.errors ? 'error' : 'warning';
    return `<section class="kind-findings sev-${sev}" data-code="${esc(code)}">
<h3><span class="sev sev-${sev}">${SEVERITY_ZH[sev]}</span> ${esc(findingKind(code))} <span class="counts"><span class="n">${fs.length}</span> 条${c.warnings && c.warnings > c.unconfirmed ? `（已说明 ${c.warnings - c.unconfirmed}）` : ''}</span> <code class="code">${esc(code)}</code></h3>
<div class="table-wrap"><table class="data findings">
<colgroup><col class="c-sev"><col class="c-unit"><col class="c-item"><col class="c-file"><col class="c-raw"><col></colgroup>
<thead><tr><th>级别</th><th>单位</th><th>指标</th><th>位置</th><th>原文</th><th>说明</th></tr></thead>
<tbody>
${fs.map((f) => findingRowHtml(r, f)).join('\n')}
</tbody>
</table></div>
</section>`;
  });
  const present = new Set(r.findings.map((f) => f.unit).filter(Boolean));
  const options = r.ctx.units.filter((u) => present.has(u.code)).map((u) => `<option value="${esc(u.code)}">${esc(u.name)}</option>`);
  const c = countFindings(r.findings);
  return `<section id="findings">
<h2>问题清单</h2>
<p class="lead">共 ${r.findings.length} 条：错误 ${c.errors} 条（强制性审核，必须改正后重新报送），提示 ${c.warnings} 条（核实性审核，须核实，确属实情的请附上报说明）。按问题种类分组，错误在前。</p>
<p class="filter"><label for="finding-unit">按单位筛选：</label><select id="finding-unit"><option value="">全部单位</option>${options.join('')}<option value="-">不属于某一单位（全市、文件）</option></select> <span id="finding-shown" class="note-small"></span></p>
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
  // the chart a reader asks for first: the city against the published figures
  const prefer = ['city-vs-published', 'change'].map((n) => charts.findIndex((c) => c.name === n && !chartIsEmpty(c.spec))).find((i) => i >= 0);
  const first = prefer ?? Math.max(0, charts.findIndex((c) => c.name.startsWith('indicator-')));
  const figures = charts.map((c, n) => {
    const links = [`<a href="${href(`charts/${c.name}.svg`)}">SVG</a>`, c.png ? `<a href="${href(`charts/${c.name}.png`)}">PNG</a>` : '', `<a href="${href(`charts/${c.name}.vl.json`)}">Vega-Lite</a>`].filter(Boolean).join(' · ');
    const caption = `<figcaption><span class="title">${esc(c.title)}</span><span class="files">${links}</span></figcaption>`;
    const hidden = n === first ? '' : ' hidden';
    if (chartIsEmpty(c.spec)) return `<figure class="chart chart-empty" id="chart-${esc(c.name)}" data-chart="${esc(c.name)}" data-empty="true"${hidden}>${caption}<p class="empty">本期没有可绘制的数据。</p></figure>`;
    const svg = safeSvg(c.svg);
    return `<figure class="chart" id="chart-${esc(c.name)}" data-chart="${esc(c.name)}"${hidden}>${caption}<div class="vega-target" data-chart-index="${index++}"></div>${svg ? `<noscript>${svg}</noscript>` : ''}</figure>`;
  });
  const options = charts.map((c, n) => `<option value="${esc(c.name)}"${n === first ? ' selected' : ''}>${esc(c.title)}</option>`).join('');
  return `<section id="charts">
<h2>图表</h2>
<p class="chooser"><label for="chart-chooser">选择图表：</label><select id="chart-chooser">${options}</select></p>
<p class="lead">各单位的条形按数值由大到小排列，条末标出数值；鼠标悬停可看详情，图右上角菜单可另存为 SVG 或 PNG。</p>
<div class="charts">
${figures.join('\n')}
</div>
<noscript><p class="note-small">未启用脚本：以上显示第一张图；全部图表见 charts/ 文件夹。</p></noscript>
</section>`;
}

/** An input's unit field: one code, or several (a wide summary) separated by spaces. */
const knownUnits = new WeakMap<PeriodResult['ctx']['units'], Set<string>>();
function unitNames(r: PeriodResult, units: string): string {
  let known = knownUnits.get(r.ctx.units);
  if (!known) knownUnits.set(r.ctx.units, (known = new Set(r.ctx.units.map((u) => u.code as string))));
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
        `<tr><td class="file">${esc(i.file)}</td><td>${esc(unitNames(r, i.unit))}</td><td>${esc(formatLabel(i.format))}</td><td>${esc(encodingLabel(i.encoding))}</td><td>${esc(layoutLabel(i.layouts))}</td><td class="num">${formatNumber(i.bytes)}</td><td class="hash" title="${esc(i.sha256)}"><code>${esc(i.sha256.slice(0, 12))}</code></td></tr>`,
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
body{margin:0;font-family:${FONT_STACK};font-size:14px;line-height:1.6;color:#1f2328;background:#f6f7f9;-webkit-print-color-adjust:exact;print-color-adjust:exact;overflow-wrap:break-word}
main,.report-header,footer{max-width:1180px;margin:0 auto;padding:0 24px}
.report-header{padding-top:28px;padding-bottom:8px}
.kicker{margin:0;color:#b71c1c;font-weight:600;letter-spacing:.08em}
h1{margin:4px 0 16px;font-size:26px;font-weight:700}
h2{margin:0 0 12px;font-size:19px;padding-bottom:6px;border-bottom:2px solid #b71c1c}
h3{margin:18px 0 8px;font-size:15px}
h3 .counts{font-weight:400;color:#57606a;font-size:13px;margin-left:4px}
h3 .code{font-weight:400;color:#8c959f;font-size:11px;margin-left:6px}
section{background:#fff;border:1px solid #e3e6ea;border-radius:8px;padding:18px 22px;margin:18px 0;min-width:0}
.kind-findings{border:0;padding:0;margin:8px 0 16px;background:none}
.meta{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(300px,100%),1fr));gap:6px 24px;margin:0 0 14px}
.meta div{display:flex;gap:12px}.meta dt{color:#57606a;min-width:6em;flex:none}.meta dd{margin:0;min-width:0}
.toc{display:flex;flex-wrap:wrap;gap:6px 18px;font-size:13px}
a{color:#0b57d0;text-decoration:none}a:hover{text-decoration:underline}
.lead{color:#57606a;margin:0 0 14px}
.note-small{color:#57606a;font-size:12px;margin:8px 0 0}
.status-cards,.finding-cards{list-style:none;padding:0;margin:0 0 12px;display:grid;grid-template-columns:repeat(auto-fit,minmax(6.5em,1fr));gap:10px}
.finding-cards{grid-template-columns:repeat(auto-fit,minmax(9em,1fr))}
.status-card,.finding-card{border:1px solid #e3e6ea;border-top:4px solid #9e9e9e;border-radius:6px;padding:8px 12px;display:flex;flex-direction:column;min-width:0}
.status-card .label,.finding-card .label{word-break:keep-all;overflow-wrap:normal;white-space:nowrap}
.finding-card .label{white-space:normal}
.count{font-size:28px;font-weight:700;line-height:1.2;font-variant-numeric:tabular-nums}
.label{color:#57606a}
.sev-error.finding-card{border-top-color:#c62828}.sev-error .count{color:#c62828}
.sev-warning.finding-card{border-top-color:#f9a825}.sev-warning .count{color:#a66f00}
.sev-confirmed.finding-card{border-top-color:#2e7d32}.sev-confirmed .count{color:#2e7d32}
${statusRules}
.table-wrap{overflow-x:auto;max-width:100%}
.table-wrap.tall{max-height:80vh;overflow:auto}
table.data{border-collapse:collapse;width:100%;font-size:13px}
table.data th{background:#eef1f5;text-align:left;font-weight:600;white-space:nowrap;padding:6px 8px;border-bottom:1px solid #c9d1d9}
table.data td{padding:6px 8px;border-bottom:1px solid #eaeef2;vertical-align:top}
table.data tbody tr:nth-child(even){background:#fafbfc}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.note,td.msg,td.meaning{white-space:pre-line;min-width:12em}
table.reconciliation td:first-child{white-space:nowrap}
table.reconciliation th.item{min-width:9em}table.reconciliation th.meaning{width:36%}
table.findings{table-layout:fixed;min-width:720px}table.findings td{overflow-wrap:anywhere}
col.c-sev{width:7%}col.c-unit{width:9%}col.c-item{width:13%}col.c-file{width:19%}col.c-raw{width:10%}
td.file{word-break:break-all;min-width:8em}
td.raw{font-family:ui-monospace,Menlo,Consolas,monospace;word-break:break-all}
.sub{display:block;color:#57606a;font-size:11px}
.code{color:#8c959f;font-size:11px;margin-left:6px}
.badge,.sev,.tag{display:inline-block;white-space:nowrap;padding:0 8px;border:1px solid;border-radius:10px;font-size:12px;line-height:20px}
.sev-error.sev,.sev.sev-error{color:#c62828;background:#c628281a;border-color:#c6282866}
.sev-warning.sev,.sev.sev-warning{color:#a66f00;background:#f9a8251f;border-color:#f9a82580}
tr.confirmed .sev{color:#2e7d32;background:#2e7d321a;border-color:#2e7d3266}
.tag{color:#2e7d32;border-color:#2e7d3266;margin-right:6px}
.explained{margin-top:4px;color:#2e7d32}
.unexplained{margin-top:4px;color:#a66f00;font-size:12px}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
.filter,.chooser{margin:0 0 12px}
select{font:inherit;padding:3px 6px;max-width:100%}
table.unit-table{width:auto;font-size:12.5px}
table.unit-table th.group{text-align:center;border-left:1px solid #c9d1d9;white-space:normal;min-width:6em;vertical-align:bottom}
table.unit-table .measure{display:block;font-weight:400;color:#57606a;font-size:11px}
table.unit-table thead th{position:sticky;top:0;z-index:2}
table.unit-table thead tr+tr th{top:var(--head1,52px)}
table.unit-table tbody th,table.unit-table tfoot th,table.unit-table th.corner{position:sticky;left:0;z-index:1;background:#f6f8fa;white-space:nowrap}
table.unit-table th.corner{z-index:3}
table.unit-table tfoot td,table.unit-table tfoot th{font-weight:700;border-top:2px solid #8c959f;background:#f6f8fa}
table.unit-table td.m-now{border-left:1px solid #e3e6ea;font-weight:600}
table.unit-table td.up{color:#1b5e20}table.unit-table td.down{color:#b71c1c}
table.unit-table td.m-rank{color:#57606a}
th.sortable button{all:unset;cursor:pointer}
th.sortable[aria-sort=ascending] button::after{content:" ▲";font-size:10px}
th.sortable[aria-sort=descending] button::after{content:" ▼";font-size:10px}
.st-error{background:#ffcdd2!important}.st-warning{background:#fff3c4!important}.st-confirmed{background:#dcedc8!important}
.st-missing,.st-invalid{background:#eceff1!important;color:#57606a}.st-na{color:#8c959f}
td[title][tabindex]{cursor:help;text-decoration:underline dotted}
.legend{list-style:none;padding:0;margin:0 0 10px;display:flex;flex-wrap:wrap;gap:4px 16px;font-size:12px;color:#57606a}
.swatch{display:inline-block;width:12px;height:12px;border:1px solid #c9d1d9;margin-right:4px;vertical-align:-1px}
.swatch.st-na{background:#fff}
.print-head,.print-only{display:none}
.cell-tip{position:fixed;left:12px;right:12px;bottom:12px;max-width:560px;margin:0 auto;padding:10px 14px;background:#1f2328;color:#fff;border-radius:6px;white-space:pre-line;font-size:13px;z-index:10}
.charts{display:block}
figure.chart svg{max-width:100%;height:auto}
figure.chart{margin:0;border:1px solid #eaeef2;border-radius:6px;padding:10px 12px;overflow-x:auto;break-inside:avoid;page-break-inside:avoid;max-width:100%}
figure.chart[hidden]{display:none}
figcaption{display:flex;flex-wrap:wrap;justify-content:space-between;gap:4px 12px;font-size:13px;margin-bottom:6px}
figcaption .title{font-weight:600}figcaption .files{color:#57606a;font-size:12px}
.empty{color:#57606a}
.downloads{margin:0;padding-left:1.2em}.downloads li{margin:4px 0}.downloads span{color:#57606a;margin-left:6px}
.downloads code{word-break:break-all}
footer{color:#8c959f;font-size:12px;padding-bottom:28px}
#vg-tooltip-element{font-family:${FONT_STACK}}
@media (max-width:640px){
main,.report-header,footer{padding:0 10px}
section{padding:12px;border-radius:6px}
h1{font-size:21px}
.meta div{flex-direction:column;gap:0}
.count{font-size:22px}
figure.chart svg{max-width:none}
}
@page{size:A4;margin:14mm 12mm}
@page wide{size:A4 landscape;margin:12mm 10mm}
@media print{
body{background:#fff;font-size:10pt}
main,.report-header,footer{max-width:none;padding:0}
section{border:0;padding:0;margin:0 0 14px}
.toc,.vega-actions,.vega-embed details,figcaption .files,footer,.filter,.chooser,.cell-tip,th.sortable button::after{display:none}
.table-wrap,.table-wrap.tall{overflow:visible;max-height:none}
table.data{font-size:8pt}
table.data th,table.data td{padding:2px 4px}
table.unit-table thead th,table.unit-table tbody th,table.unit-table tfoot th{position:static}
table.findings{min-width:0}
thead{display:table-header-group}
tr{break-inside:avoid;page-break-inside:avoid}
h2,h3{break-after:avoid;page-break-after:avoid}
#units{break-before:page;page:wide}
table.unit-table thead tr:not(.print-head),table.unit-table .m-before,table.unit-table .m-delta,table.unit-table .m-pct,table.unit-table .m-rank{display:none}
tr.print-head{display:table-row}
tr.print-head th{white-space:normal;text-align:center;vertical-align:bottom;font-size:7pt;padding:2px}
table.unit-table{width:100%;font-size:7.5pt}
.print-only{display:block}
#charts{break-before:page}
figure.chart{border:0;margin:0 0 12px;overflow:visible}
figure.chart svg{max-width:100%;height:auto}
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

// The page's controls (no library): the chart chooser, sorting the unit × item table by any column,
// filtering findings by unit, and a tap-to-read box for a cell's note. Then every chart is embedded;
// without vega (a script failed) each figure falls back to its pre-rendered SVG.
const INIT_SCRIPT = `(function () {
  'use strict';
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };
  var chooser = document.getElementById('chart-chooser');
  if (chooser) chooser.addEventListener('change', function () {
    each(document.querySelectorAll('figure[data-chart]'), function (f) { f.hidden = f.getAttribute('data-chart') !== chooser.value; });
  });
  each(document.querySelectorAll('table.sortable-table'), function (table) {
    var head = table.tHead.rows[0];
    var fixHead = function () { table.style.setProperty('--head1', head.getBoundingClientRect().height + 'px'); };
    fixHead();
    window.addEventListener('resize', fixHead);
    each(table.querySelectorAll('th.sortable'), function (th) {
      th.addEventListener('click', function () {
        var col = Number(th.getAttribute('data-col'));
        var dir = th.getAttribute('aria-sort') === 'descending' ? 'ascending' : 'descending';
        if (col === 0 && th.getAttribute('aria-sort') === 'none') dir = 'ascending';
        each(table.querySelectorAll('th.sortable'), function (o) { o.setAttribute('aria-sort', 'none'); });
        th.setAttribute('aria-sort', dir);
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var key = function (tr) { var v = tr.cells[col].getAttribute('data-sort'); return v === null ? tr.cells[col].textContent : v; };
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          if (x === '' && y === '') return 0;
          if (x === '') return 1;
          if (y === '') return -1;
          var nx = Number(x), ny = Number(y);
          var c = !isNaN(nx) && !isNaN(ny) ? nx - ny : x.localeCompare(y, 'zh-CN');
          return dir === 'ascending' ? c : -c;
        });
        rows.forEach(function (tr) { body.appendChild(tr); });
      });
    });
  });
  var unitFilter = document.getElementById('finding-unit');
  if (unitFilter) unitFilter.addEventListener('change', function () {
    var want = unitFilter.value, shown = 0;
    each(document.querySelectorAll('.kind-findings'), function (block) {
      var n = 0;
      each(block.querySelectorAll('tbody tr'), function (tr) {
        var u = tr.getAttribute('data-unit');
        var ok = want === '' || (want === '-' ? u === '' : u === want);
        tr.hidden = !ok;
        if (ok) n++;
      });
      block.hidden = n === 0;
      block.querySelector('.n').textContent = String(n);
      shown += n;
    });
    document.getElementById('finding-shown').textContent = want ? '显示 ' + shown + ' 条' : '';
  });
  var tip = document.getElementById('cell-tip');
  if (tip) document.addEventListener('click', function (e) {
    var cell = e.target.closest ? e.target.closest('td[tabindex][title]') : null;
    if (!cell) { tip.hidden = true; return; }
    tip.textContent = cell.getAttribute('title');
    tip.hidden = false;
  });
  var data = JSON.parse(document.getElementById('banbao-charts').textContent);
  var targets = document.querySelectorAll('[data-chart-index]');
  each(targets, function (el) {
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
${reconciliationHtml(result)}
${unitTableHtml(result, previous)}
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
