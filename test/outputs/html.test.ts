// buildReportHtml: one offline page per period — scripts inlined, data escaped, counts shown,
// hostile submission text rendered as text, the same bytes every time.
import { beforeAll, describe, expect, it } from 'vitest';
import type { TopLevelSpec } from 'vega-lite';
import type { Finding } from '../../schemas/finding.ts';
import { buildReportHtml, chartIsEmpty, esc, formatNumber, jsonForScript, loadScriptAssets, type RenderedChart, type ScriptAssets } from '../../pipeline/outputs/html.ts';
import { periodCharts, renderSvg } from '../../pipeline/outputs/charts.ts';
import { findCjkFont, renderPng } from '../../pipeline/outputs/png.ts';
import { statusCounts } from '../../pipeline/outputs/tables.ts';
import type { PeriodResult } from '../../pipeline/run.ts';
import { historyOf, runSample, sampleInputs } from '../sample.ts';

const XSS = '</script><script>alert(1)</script>';

let h1: PeriodResult;
let h2: PeriodResult;
let charts1: RenderedChart[];
let charts2: RenderedChart[];
let assets: ScriptAssets;

async function render(r: PeriodResult, prev?: PeriodResult): Promise<RenderedChart[]> {
  const out: RenderedChart[] = [];
  for (const c of periodCharts(r, prev)) out.push({ ...c, svg: await renderSvg(c.spec), png: true });
  return out;
}

beforeAll(async () => {
  h1 = await runSample('2018H1');
  h2 = await runSample('2018H2', sampleInputs('2018H2'), { history: historyOf(h1) });
  charts1 = await render(h1);
  charts2 = await render(h2, h1);
  assets = loadScriptAssets();
}, 60_000);

/** The page's script elements, by their opening tags. */
const scriptTags = (html: string) => html.match(/<script\b[^>]*>/gi) ?? [];
/** The page without the bodies of its script elements (the inlined builds hold markup-like strings). */
const markup = (html: string) => html.replace(/(<script\b[^>]*>)[\s\S]*?<\/script>/gi, '$1</script>');
/** The JSON the page embeds for its charts. */
function embedded(html: string): { embed: Record<string, unknown>; charts: { name: string; spec: Record<string, unknown> }[] } {
  const m = /<script type="application\/json" id="banbao-charts">([\s\S]*?)<\/script>/.exec(html);
  return JSON.parse(m![1]);
}

function withFindings(r: PeriodResult, extra: Partial<Finding>[]): PeriodResult {
  const base: Finding = { severity: 'warning', code: 'rule.change_large', message: '', message_en: '', period: r.period, unit: '', indicator: '', file: '', sheet: '', cell: '', row: null, col: null, raw: '', expected: '', confirmed: '' };
  return { ...r, findings: [...r.findings, ...extra.map((f) => ({ ...base, ...f }))] };
}

describe('buildReportHtml', () => {
  it('inlines vega, vega-lite and vega-embed: no script, stylesheet or image from the network', () => {
    const html = buildReportHtml(h1, undefined, charts1, assets);
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="zh-CN">')).toBe(true);
    const page = markup(html);
    expect(page.match(/<script\b[^>]*\bsrc\s*=|<link\b|<img\b|<iframe\b|\b(src|href)\s*=\s*["']?(https?:)?\/\//gi)).toBeNull();
    for (const text of [assets.vega, assets.vegaLite, assets.vegaEmbed]) expect(html.includes(`<script>${text}</script>`)).toBe(true);
    // json + three builds + the embedding script
    expect(scriptTags(html)).toHaveLength(5);
  });

  it('embeds the chart specs without $schema, with the network actions of vega-embed off', () => {
    const data = embedded(buildReportHtml(h1, undefined, charts1, assets));
    expect(data.charts.map((c) => c.name)).toEqual(charts1.map((c) => c.name));
    for (const c of data.charts) expect(c.spec).not.toHaveProperty('$schema');
    expect(data.embed).toMatchObject({ renderer: 'svg', mode: 'vega-lite', actions: { export: true, source: false, compiled: false, editor: false } });
  });

  it('escapes < in embedded JSON: a chart label </script><script>… stays data', () => {
    const spec = { data: { values: [{ unit: XSS, value: 1 }] }, mark: 'bar', encoding: { y: { field: 'unit', type: 'nominal' }, x: { field: 'value', type: 'quantitative' } } } as unknown as TopLevelSpec;
    const html = buildReportHtml(h1, undefined, [{ name: 'hostile', title: XSS, spec, svg: '<svg></svg>', png: false }], assets);
    expect(html.includes(XSS)).toBe(false);
    expect(html).toContain('\\u003c/script\\u003e\\u003cscript\\u003ealert(1)');
    expect(scriptTags(html)).toHaveLength(5);
    expect(embedded(html).charts[0].spec).toMatchObject({ data: { values: [{ unit: XSS }] } });
    expect(jsonForScript({ s: '<>&\u2028' })).toBe('{"s":"\\u003c\\u003e\\u0026\\u2028"}');
  });

  it('renders hostile submission text (file name, raw cell, message) as text', () => {
    const r = withFindings(h1, [{ severity: 'error', code: 'value.not_a_number', unit: '330212', indicator: 'frontline_cadres', file: '<img src=x onerror=alert(1)>.csv', sheet: '"><b>', cell: 'E5', raw: XSS, message: `“${XSS}”不是数字` }]);
    const html = buildReportHtml(r, undefined, charts1, assets);
    const page = markup(html);
    expect(html.includes(XSS)).toBe(false);
    expect(/<img\b|<b>/i.test(page)).toBe(false);
    expect(page).toContain('<td class="file">&lt;img src=x onerror=alert(1)&gt;.csv · &quot;&gt;&lt;b&gt; · E5</td>');
    // the title attribute of the unit × item table's cell carries the message, escaped
    expect(page).toContain(`title="不是数字：“${esc(XSS)}”不是数字"`);
    expect(page).toContain(`<td class="raw">${esc(XSS)}</td>`);
    expect(scriptTags(html)).toHaveLength(5);
  });

  it('shows each status count in an element with data-status and data-count', () => {
    for (const [r, prev, charts] of [[h1, undefined, charts1], [h2, h1, charts2]] as const) {
      const html = buildReportHtml(r, prev, charts, assets);
      const shown = Object.fromEntries([...html.matchAll(/data-status="(\w+)" data-count="(\d+)"/g)].map((m) => [m[1], Number(m[2])]));
      expect(shown).toEqual(statusCounts(r));
    }
    expect(statusCounts(h1)).toMatchObject({ match: 9, within: 2, mismatch: 0, incomplete: 1, unpublished: 6 });
  });

  it('has one reconciliation row per published figure, its status in Chinese and in words, no interval notation', () => {
    const html = buildReportHtml(h1, undefined, charts1, assets);
    const rows = [...html.matchAll(/<tr class="row-(\w+)" data-indicator="(\w+)" data-scope="(\d+)">/g)].map((m) => [m[1], m[2], m[3]]);
    expect(rows).toEqual(h1.reconciliation.filter((x) => x.status !== 'unpublished').map((x) => [x.status, x.indicator, x.scope_code]));
    expect(html).toContain('<span class="badge badge-within">在区间内</span>');
    expect(html).toContain('公布“近60%”是约数，表示 55% 至不足 60%；汇总值 58.0% 在此范围内');
    expect(html).toContain('公布“千名”是约数，表示 900 至不足 2,000；汇总值 1,050 在此范围内');
    // the year-on-year row checks a growth rate: with no 2017H1 it shows none, not the level 1,248
    expect(html).toMatch(/<td class="num">—<span class="sub">同比增速无法计算<\/span><\/td>/);
    const section = markup(html).slice(html.indexOf('<section id="reconciliation">'), html.indexOf('<section id="units">'));
    expect(section).not.toMatch(/\[\d[\d.]*, [\d.∞]+[)\]]/);
  });

  it('puts 报送情况 first, then 核对, the unit × item table, findings and charts', () => {
    const html = markup(buildReportHtml(h2, h1, charts2, assets));
    const at = ['status', 'reconciliation', 'units', 'findings', 'charts', 'files'].map((id) => html.indexOf(`<section id="${id}">`));
    expect(at.every((x) => x > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    const status = [...html.matchAll(/<tr class="state-[^"]+" data-unit="(\d+)" data-state="([^"]+)">/g)].map((m) => [m[1], m[2]]);
    expect(status).toEqual(h2.ctx.units.map((u) => [u.code, '已报']));
  });

  it('shows each unit’s figure with the previous period’s, the change and the rank among districts', () => {
    const html = markup(buildReportHtml(h2, h1, charts2, assets));
    // 鄞州区 villages signed: 238 after 279, a stock decrease warned about (amber, its message on hover)
    const cell = /<td class="num m-now st-warning" data-unit="330212" data-item="villages_signed" data-sort="238" data-value="238" title="存量减少：([^"]*)" tabindex="0">238<\/td><td class="num m-before" data-sort="279">279<\/td><td class="num m-delta down" data-sort="-41">−41<\/td><td class="num m-pct down" data-sort="([^"]+)">−14.7%<\/td><td class="num m-rank" data-sort="(\d+)">/.exec(html);
    expect(cell, 'the 鄞州区 villages_signed cells').not.toBeNull();
    // a warning confirmed by an explanation: 奉化区 inspections, green, the explanation on the cell
    const confirmed = markup(buildReportHtml(withFindings(h2, [{ unit: '330213', indicator: 'problems_found', code: 'rule.change_large', message: '变动超过 50%', confirmed: '今年开展专项检查' }]), h1, charts2, assets));
    expect(confirmed).toMatch(/<td class="num m-now st-confirmed" data-unit="330213" data-item="problems_found" [^>]*title="变动过大：变动超过 50%\n已说明：今年开展专项检查" tabindex="0">/);
    // 市本级 has no rank; a district-only item is "—" for 市本级
    const city = html.slice(html.indexOf('<tr data-unit="330200">'), html.indexOf('</tr>', html.indexOf('<tr data-unit="330200">')));
    expect(city).toContain('st-na');
    expect([...city.matchAll(/<td class="num m-rank" data-sort="(\d*)">/g)].every((m) => m[1] === '')).toBe(true);
    // the sort controls: one per column, numbered in order
    const cols = [...html.matchAll(/data-col="(\d+)"/g)].map((m) => Number(m[1]));
    expect(cols).toEqual(cols.map((_, i) => i));
  });

  it('groups findings by kind, errors first, each kind in Chinese with its code, and a confirmed warning with its explanation', () => {
    const r = withFindings(h2, [
      { unit: '330213', indicator: 'inspections', code: 'rule.change_large', message: '变动超过 50%', confirmed: '今年开展专项检查' },
      { unit: '', severity: 'error', code: 'file.unit_unknown', file: '某单位.csv', message: '无法确定填报单位' },
    ]);
    const html = buildReportHtml(r, h1, charts2, assets);
    const groups = [...html.matchAll(/<section class="kind-findings sev-(\w+)" data-code="([^"]*)">\n<h3>.*?<\/span> (\S+) <span class="counts"><span class="n">(\d+)<\/span>/g)].map((m) => [m[1], m[2], m[3], Number(m[4])]);
    expect(groups).toEqual([
      ['error', 'file.unit_unknown', '填报单位不明', 1],
      // warnings someone still has to explain, the larger kinds first (the sample has no confirmations)
      ['warning', 'rule.change_large', '变动过大', 2],
      // #14: the sample's falling stock and the published figure that disagrees with it are one finding
      ['warning', 'rule.stock_decreased', '存量减少', 1],
    ]);
    expect(html).toContain('<code class="code">rule.stock_decreased</code>');
    expect(html).toMatch(/<span class="tag">已说明<\/span>今年开展专项检查/);
    // the unit filter lists the units that have findings, and 'no unit'
    const options = [...html.matchAll(/<option value="([^"]*)">/g)].map((m) => m[1]);
    expect(options).toEqual(expect.arrayContaining(['', '330212', '330213', '-']));
  });

  it('puts each chart in figure[data-chart] with its SVG in <noscript>, and an empty chart as a note', () => {
    // a chart whose data is empty is shown as a note, not an empty frame
    const empty = { name: 'empty-chart', title: '空图', spec: { data: { values: [] }, mark: 'bar' } as never, svg: '<svg></svg>', png: false };
    const charts = [...charts2, empty];
    const html = buildReportHtml(h2, h1, charts, assets);
    const figures = [...html.matchAll(/<figure class="chart[^"]*" id="chart-[^"]+" data-chart="([^"]+)"( data-empty="true")?( hidden)?>/g)].map((m) => [m[1], !!m[2]]);
    // one chart shown at a time, picked with the chooser (one option per chart)
    expect((html.match(/<figure class="chart[^>]*>/g) ?? []).filter((f) => !/ hidden>$/.test(f))).toHaveLength(1);
    expect([...html.matchAll(/<option value="([^"]+)"( selected)?>/g)].filter((m) => charts.some((c) => c.name === m[1])).map((m) => m[1])).toEqual(charts.map((c) => c.name));
    expect(figures).toEqual(charts.map((c) => [c.name, chartIsEmpty(c.spec)]));
    expect(figures).toContainEqual(['empty-chart', true]);
    // 2018H2 has no city-wide published figure: that chart is not made at all
    expect(figures.map((f) => f[0])).not.toContain('city-vs-published');
    expect((html.match(/<noscript><svg /g) ?? []).length).toBe(charts.filter((c) => !chartIsEmpty(c.spec)).length);
  });

  it('links the sibling outputs with relative addresses', () => {
    const html = buildReportHtml(h1, undefined, charts1, assets);
    for (const f of ['2018H1.xlsx', 'reconciled.csv', 'reconciliation.csv', 'findings.csv', 'findings.json', 'manifest.json', 'charts/', 'charts/status.svg', 'charts/status.png', 'charts/status.vl.json'])
      expect(html).toContain(`href="${f}"`);
  });

  it('is deterministic: two builds from separately rendered charts are byte-equal, with no date in them', async () => {
    const a = buildReportHtml(h2, h1, charts2, assets);
    const b = buildReportHtml(h2, h1, await render(h2, h1), loadScriptAssets());
    expect(a === b).toBe(true);
    const page = a.slice(0, a.indexOf('<script>'));
    expect(/20\d\d-\d\d-\d\d|\d\d:\d\d:\d\d/.test(page)).toBe(false);
  });
});

describe('report helpers', () => {
  it('formats numbers with thousands separators, without the locale', () => {
    expect([formatNumber(1234567.891), formatNumber(57.989), formatNumber(-54), formatNumber(0), formatNumber(null)]).toEqual(['1,234,567.89', '57.99', '−54', '0', '']);
  });

  it.runIf(!!findCjkFont())('renders a chart to PNG at twice its size with the CJK font, the same bytes each time', () => {
    const font = findCjkFont()!;
    const svg = charts1.find((c) => c.name === 'status')!.svg;
    const a = renderPng(svg, font);
    expect(Buffer.from(a.subarray(0, 8)).toString('hex')).toBe('89504e470d0a1a0a');
    const width = Buffer.from(a.subarray(16, 20)).readUInt32BE(0);
    expect(width).toBe(2 * Number(/<svg[^>]* width="(\d+)"/.exec(svg)![1]));
    expect(Buffer.from(renderPng(svg, font)).equals(Buffer.from(a))).toBe(true);
  });
});
