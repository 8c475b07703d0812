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
    const r = withFindings(h1, [{ severity: 'error', code: 'value.not_a_number', unit: '330212', file: '<img src=x onerror=alert(1)>.csv', sheet: '"><b>', cell: 'E5', raw: XSS, message: `“${XSS}”不是数字` }]);
    const html = buildReportHtml(r, undefined, charts1, assets);
    const page = markup(html);
    expect(html.includes(XSS)).toBe(false);
    expect(/<img\b|<b>/i.test(page)).toBe(false);
    expect(page).toContain('<td class="file">&lt;img src=x onerror=alert(1)&gt;.csv</td><td>&quot;&gt;&lt;b&gt;</td>');
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

  it('has one reconciliation row per reconciled item, with its status in Chinese', () => {
    const html = buildReportHtml(h1, undefined, charts1, assets);
    const rows = [...html.matchAll(/<tr class="row-(\w+)" data-indicator="(\w+)" data-scope="(\d+)">/g)].map((m) => [m[1], m[2], m[3]]);
    expect(rows).toEqual(h1.reconciliation.map((x) => [x.status, x.indicator, x.scope_code]));
    expect(html).toContain('<span class="badge badge-within">在区间内</span>');
  });

  it('groups findings by unit and shows a confirmed warning with its explanation', () => {
    const r = withFindings(h2, [
      { unit: '330213', indicator: 'inspections', code: 'rule.change_large', message: '变动超过 50%', confirmed: '今年开展专项检查' },
      { unit: '', severity: 'error', code: 'file.unit_unknown', file: '某单位.csv', message: '无法确定填报单位' },
    ]);
    const html = buildReportHtml(r, h1, charts2, assets);
    const groups = [...html.matchAll(/<section class="unit-findings" data-unit="([^"]*)">/g)].map((m) => m[1]);
    // file-level findings (no unit) come last
    expect(groups).toEqual(['330212', '330213', '']);
    // a city-wide reconcile finding is shown under 全市, not under 市本级 or with the file-level ones
    const h1Groups = [...buildReportHtml(h1, undefined, charts1, assets).matchAll(/<section class="unit-findings" data-unit="([^"]*)">/g)].map((m) => m[1]);
    expect(h1Groups).toEqual(['全市']);
    const fenghua = html.slice(html.indexOf('data-unit="330213"'));
    expect(fenghua).toMatch(/<span class="tag">已说明<\/span>今年开展专项检查/);
  });

  it('puts each chart in figure[data-chart] with its SVG in <noscript>, and an empty chart as a note', () => {
    // a chart whose data is empty is shown as a note, not an empty frame
    const empty = { name: 'empty-chart', title: '空图', spec: { data: { values: [] }, mark: 'bar' } as never, svg: '<svg></svg>', png: false };
    const charts = [...charts2, empty];
    const html = buildReportHtml(h2, h1, charts, assets);
    const figures = [...html.matchAll(/<figure class="chart[^"]*" data-chart="([^"]+)"( data-empty="true")?>/g)].map((m) => [m[1], !!m[2]]);
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
