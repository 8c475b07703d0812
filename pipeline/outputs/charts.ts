// Charts as data: pure functions build Vega-Lite specs from a period's result; one renderer turns
// them into SVG with vega's headless view (no browser), counting CJK characters a full em wide.
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { PeriodResult } from '../run.ts';
import { regionScope } from '../context.ts';
import { intervalWords, STATUS_ZH } from './labels.ts';

const FONT = 'Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif';
const CONFIG = {
  font: FONT,
  axis: { labelFont: FONT, titleFont: FONT, labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFont: FONT, titleFont: FONT },
  title: { font: FONT, fontSize: 14, anchor: 'start' as const },
  view: { stroke: null },
};
export const STATUS_COLORS: Record<string, string> = {
  match: '#2e7d32',
  within: '#1976d2',
  mismatch: '#c62828',
  incomplete: '#f9a825',
  unpublished: '#9e9e9e',
};
const statusScale = {
  domain: Object.keys(STATUS_COLORS).map((k) => STATUS_ZH[k]),
  range: Object.values(STATUS_COLORS),
};

/**
 * Charts with a bar per unit are drawn for a region of up to this many units (a city's 11, a province's
 * 101): the country's 3,312 would be a 70,000-pixel chart, and vega overflows its stack compiling the
 * sort order of that many names. Larger regions get the level charts (status, totals vs published).
 */
export const MAX_UNIT_BARS = 200;

export interface ChartSpec {
  name: string;
  title: string;
  spec: TopLevelSpec;
}

/** One chart per reported item: each unit's figure, stacked into the city total, with the published interval. */
export function indicatorCharts(r: PeriodResult): ChartSpec[] {
  const out: ChartSpec[] = [];
  if (r.ctx.units.length > MAX_UNIT_BARS) return out; // a bar per unit of a province or the country: see MAX_UNIT_BARS
  for (const it of [...r.ctx.catalogue.items, ...r.ctx.catalogue.derived]) {
    const isShare = r.ctx.derived.get(it.code)?.type === 'share';
    const units = r.ctx.units
      .map((u) => ({ unit: u.name, code: u.code, value: r.table.value(u.code, it.code) }))
      .filter((d) => d.value !== null);
    const rec = r.reconciliation.find((x) => x.indicator === it.code && x.scope_code === regionScope(r.ctx).code);
    const total = r.totals.get(it.code)?.value ?? null;
    const unit = isShare ? '%' : it.measure;
    const ranked = [...units].sort((a, b) => b.value! - a.value! || (a.code < b.code ? -1 : 1)).map((d) => d.unit);
    // ranked: the largest figure on top, each bar labelled with its value
    const layers: Record<string, unknown>[] = [
      {
        data: { values: units.map((d) => ({ ...d, value: Math.round(d.value! * 100) / 100 })) },
        encoding: {
          // ranked as an explicit list: the bar and its label layer share one order (no union of sorts)
          y: { field: 'unit', type: 'nominal', sort: ranked, title: null },
          x: { field: 'value', type: 'quantitative', title: `${isShare ? '比例' : it.name_zh}（${unit}）`, axis: { titleAnchor: 'end' } },
        },
        layer: [
          {
            mark: { type: 'bar', tooltip: true, color: '#5b8ff9' },
            encoding: {
              tooltip: [
                { field: 'unit', title: '单位' },
                { field: 'value', title: `${it.name_zh}（${unit}）`, format: isShare ? '.1f' : ',' },
              ],
            },
          },
          { mark: { type: 'text', align: 'left', dx: 3, fontSize: 11, color: '#333' }, encoding: { text: { field: 'value', type: 'quantitative', format: isShare ? '.1f' : ',' } } },
        ],
      },
    ];
    const note = rec && rec.text ? `全市合计 ${fmt(total, isShare)}${unit === '%' ? '' : ` ${unit}`}，公布“${rec.text}”：${STATUS_ZH[rec.status]}` : `全市合计 ${fmt(total, isShare)}${unit === '%' ? '' : ` ${unit}`}（未公布）`;
    if (isShare && rec && rec.lo !== null) {
      // a share is comparable unit by unit: mark the published interval across the chart
      layers.push({
        data: { values: [{ lo: rec.lo, hi: rec.hi ?? rec.lo, label: `公布 ${rec.text}` }] },
        mark: { type: 'rect', opacity: 0.18, color: STATUS_COLORS[rec.status] },
        encoding: { x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' }, tooltip: [{ field: 'label', title: '公布数' }] },
      });
      if (total !== null)
        layers.push({
          data: { values: [{ total: Math.round(total * 10) / 10, label: '全市' }] },
          mark: { type: 'rule', color: '#333', strokeDash: [4, 3] },
          encoding: { x: { field: 'total', type: 'quantitative' }, tooltip: [{ field: 'total', title: '全市比例（%）' }] },
        });
    }
    out.push({
      name: `indicator-${it.code}`,
      title: it.name_zh,
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        title: { text: `${it.name_zh}：各单位`, subtitle: note },
        width: 520,
        height: { step: 22 },
        config: CONFIG,
        layer: layers,
      } as unknown as TopLevelSpec,
    });
  }
  // the city total against the published figure, one row per item, each on its own scale: the
  // published text's range as a band (a tick when it is exact), the computed total as a point
  const pub = r.reconciliation.filter((x) => x.scope_code === regionScope(r.ctx).code && x.lo !== null && x.computed !== null && !x.interval.startsWith('同比'));
  const rows = pub.map((x, order) => {
    const share = r.ctx.derived.get(x.indicator)?.type === 'share';
    const measure = share ? '%' : r.ctx.items.get(x.indicator)?.measure ?? r.ctx.derived.get(x.indicator)?.measure ?? '';
    const hi = x.hi ?? x.lo! * 1.1;
    const lo = x.lo!;
    const span = Math.max(hi - lo, Math.abs(x.computed! - lo), Math.abs(x.computed! - hi), Math.abs(lo) * 0.02, 1);
    const r1 = (v: number) => Math.round(v * 10) / 10;
    return {
      item: `${x.name_zh}（${measure}）`,
      order,
      computed: r1(x.computed!),
      lo,
      hi,
      exact: lo === hi,
      text: x.text,
      range: intervalWords(x.interval, share ? '%' : ''),
      status: STATUS_ZH[x.status],
      label: `${share ? x.computed!.toFixed(1) : r1(x.computed!).toLocaleString('en-US')}`,
      // the domain each row's scale covers: the band and the point with a margin on either side
      dmin: r1(Math.min(lo, x.computed!) - span * 0.6),
      dmax: r1(Math.max(hi, x.computed!) + span * 0.6),
    };
  });
  if (rows.length) out.push({
    name: 'city-vs-published',
    title: '全市合计与公布数',
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: { text: '全市合计与公布数', subtitle: '浅色带为公布文字所表示的范围（确数为竖线），圆点为各单位汇总的全市合计；每行各用自己的刻度' },
      config: { ...CONFIG, facet: { spacing: 6 }, header: { labelFont: FONT, labelFontSize: 12, labelAngle: 0, labelAlign: 'left', labelAnchor: 'start', labelOrient: 'top', labelPadding: 2 } },
      data: { values: rows },
      facet: { row: { field: 'item', type: 'nominal', sort: { field: 'order' }, title: null } },
      resolve: { scale: { x: 'independent' } },
      spec: {
        width: 480,
        height: 26,
        layer: [
          { mark: { type: 'rule', opacity: 0 }, encoding: { x: { field: 'dmin', type: 'quantitative', scale: { zero: false, nice: false }, title: null, axis: { tickCount: 4, tickMinStep: 1, format: ',', labelFontSize: 10, grid: false } }, x2: { field: 'dmax' } } },
          {
            transform: [{ filter: '!datum.exact' }],
            mark: { type: 'bar', opacity: 0.35, color: '#1976d2', height: 18, tooltip: true },
            encoding: { x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' }, tooltip: [{ field: 'text', title: '公布' }, { field: 'range', title: '表示' }] },
          },
          {
            transform: [{ filter: 'datum.exact' }],
            mark: { type: 'tick', thickness: 3, size: 22, color: '#1976d2', tooltip: true },
            encoding: { x: { field: 'lo', type: 'quantitative' }, tooltip: [{ field: 'text', title: '公布' }, { field: 'range', title: '表示' }] },
          },
          {
            mark: { type: 'point', filled: true, size: 70, tooltip: true, opacity: 1 },
            encoding: {
              x: { field: 'computed', type: 'quantitative' },
              color: { field: 'status', type: 'nominal', scale: statusScale, title: '核对结果', legend: { orient: 'top' } },
              tooltip: [
                { field: 'item', title: '指标' },
                { field: 'text', title: '公布' },
                { field: 'range', title: '表示' },
                { field: 'computed', title: '全市合计', format: ',' },
                { field: 'status', title: '核对结果' },
              ],
            },
          },
          { mark: { type: 'text', dy: -12, fontSize: 10, color: '#333' }, encoding: { x: { field: 'computed', type: 'quantitative' }, text: { field: 'label' } } },
        ],
      },
    } as unknown as TopLevelSpec,
  });
  return out;
}

function fmt(x: number | null, share: boolean): string {
  if (x === null) return '—';
  return share ? `${x.toFixed(1)}%` : x.toLocaleString('en-US');
}

/** The reconciliation status of every item (and district-scope figures). */
export function statusChart(r: PeriodResult): ChartSpec {
  const rows = r.reconciliation.map((x) => ({
    item: `${x.scope_code === regionScope(r.ctx).code ? '' : `${x.scope}·`}${x.name_zh}${x.interval.startsWith('同比') ? '（同比）' : ''}`,
    status: STATUS_ZH[x.status],
    text: x.text || '—',
    computed: x.computed,
    interval: x.interval || '—',
  }));
  return {
    name: 'status',
    title: '核对状态',
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: { text: `${r.period} 核对状态`, subtitle: '每项公布数（及未公布的指标）与汇总值的核对结果' },
      width: { step: 72 },
      height: { step: 20 },
      config: CONFIG,
      data: { values: rows },
      mark: { type: 'rect', tooltip: true, stroke: 'white' },
      encoding: {
        y: { field: 'item', type: 'nominal', sort: null, title: null },
        x: { field: 'status', type: 'nominal', title: null, scale: { domain: statusScale.domain }, axis: { orient: 'top', labelAngle: 0 } },
        color: { field: 'status', type: 'nominal', scale: statusScale, legend: null },
        tooltip: [
          { field: 'item', title: '指标' },
          { field: 'text', title: '公布' },
          { field: 'interval', title: '区间' },
          { field: 'computed', title: '汇总', format: ',.1f' },
          { field: 'status', title: '状态' },
        ],
      },
    } as unknown as TopLevelSpec,
  };
}

/** The change of each item's city total on the previous period (flows and levels alike, in %). */
export function changeChart(r: PeriodResult, previous: PeriodResult | undefined): ChartSpec | undefined {
  if (!previous) return undefined;
  const rows = [...r.ctx.catalogue.items, ...r.ctx.catalogue.derived].flatMap((it) => {
    const a = previous.totals.get(it.code)?.value ?? null;
    const b = r.totals.get(it.code)?.value ?? null;
    if (a === null || b === null || a === 0) return [];
    const share = r.ctx.derived.get(it.code)?.type === 'share';
    return [{
      item: it.name_zh,
      basis: it.basis === 'stock' ? '存量（水平）' : '期间数（流量）',
      change: share ? Math.round((b - a) * 10) / 10 : Math.round(((b - a) / a) * 1000) / 10,
      measure: share ? '百分点' : '%',
      before: Math.round(a * 10) / 10,
      now: Math.round(b * 10) / 10,
    }];
  });
  return {
    name: 'change',
    title: '与上期比较',
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: { text: `${previous.period} → ${r.period} 全市合计变动`, subtitle: '比例类指标为百分点差，其余为增减百分比' },
      width: 480,
      height: { step: 22 },
      config: CONFIG,
      data: { values: rows },
      mark: { type: 'bar', tooltip: true },
      encoding: {
        y: { field: 'item', type: 'nominal', sort: '-x', title: null },
        x: { field: 'change', type: 'quantitative', title: '全市合计比上期增减（%；比例类指标为百分点）' },
        color: { field: 'basis', type: 'nominal', title: '口径', scale: { range: ['#5b8ff9', '#f6bd16'] } },
        tooltip: [
          { field: 'item', title: '指标' },
          { field: 'before', title: previous.period, format: ',' },
          { field: 'now', title: r.period, format: ',' },
          { field: 'change', title: '变动' },
          { field: 'measure', title: '单位' },
        ],
      },
    } as unknown as TopLevelSpec,
  };
}

/** Villages and communities signed per district, stacked, against its village-level units in the roster. */
export function signageChart(r: PeriodResult): ChartSpec | undefined {
  if (r.ctx.units.length > MAX_UNIT_BARS) return undefined;
  const sum = r.ctx.catalogue.derived.find((d) => d.type === 'sum' && d.max_roster);
  if (!sum || sum.type !== 'sum') return undefined;
  const districts = r.ctx.units.filter((u) => u.level === 'district').map((u) => u.name);
  const bars: Record<string, unknown>[] = [];
  const roster: Record<string, unknown>[] = [];
  for (const u of r.ctx.units.filter((u) => u.level === 'district')) {
    for (const part of sum.of) {
      const v = r.table.get(u.code, part);
      if (v?.status === 'value') bars.push({ unit: u.name, code: u.code, part: r.ctx.items.get(part)?.name_zh ?? part, value: v.value });
    }
    roster.push({ unit: u.name, code: u.code, roster: r.ctx.roster.count(u.code) });
  }
  return {
    name: 'signage-vs-roster',
    title: '村社亮显与区划名录',
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: { text: `${sum.name_zh}：各区县（市）`, subtitle: '竖线为统计用区划代码中的村级单位数（上限）' },
      width: 520,
      height: { step: 24 },
      config: CONFIG,
      layer: [
        {
          data: { values: bars },
          mark: { type: 'bar', tooltip: true },
          encoding: {
            y: { field: 'unit', type: 'nominal', sort: districts, title: null },
            x: { field: 'value', type: 'quantitative', stack: 'zero', title: `${sum.name_zh}（${sum.measure}）` },
            color: { field: 'part', type: 'nominal', title: null, scale: { range: ['#c62828', '#f6bd16'] } },
            tooltip: [{ field: 'unit', title: '单位' }, { field: 'part', title: '类型' }, { field: 'value', title: `数量（${sum.measure}）` }],
          },
        },
        {
          data: { values: roster },
          mark: { type: 'tick', color: '#222', thickness: 2, size: 20, tooltip: true },
          encoding: {
            y: { field: 'unit', type: 'nominal', sort: districts },
            x: { field: 'roster', type: 'quantitative' },
            tooltip: [{ field: 'unit', title: '单位' }, { field: 'roster', title: '名录村级单位数' }],
          },
        },
      ],
    } as unknown as TopLevelSpec,
  };
}

/** Every chart of a period, in a stable order. */
export function periodCharts(r: PeriodResult, previous?: PeriodResult): ChartSpec[] {
  return [statusChart(r), signageChart(r), changeChart(r, previous), ...indicatorCharts(r)].filter((c): c is ChartSpec => !!c);
}

const CJK = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;
let metricsPatched = false;
/** Without node-canvas vega guesses 0.8 em a character: count CJK (and full-width) characters as 1 em. */
function patchTextMetrics(): void {
  if (metricsPatched) return;
  metricsPatched = true;
  const tm = (vega as unknown as { textMetrics: unknown }).textMetrics as { width: (item: { fontSize?: number }, text: string) => number };
  tm.width = (item, text) => {
    const size = item.fontSize ?? 11;
    let w = 0;
    for (const ch of String(text ?? '')) w += CJK.test(ch) ? size : size * 0.6;
    return w;
  };
}

const svgCache = new Map<string, string>();

/** Renders a Vega-Lite spec to SVG text, headless (memoised: the files and the page share renderings). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const key = JSON.stringify(spec);
  const hit = svgCache.get(key);
  if (hit !== undefined) return hit;
  const svg = await renderSvgUncached(spec);
  if (svgCache.size > 200) svgCache.clear();
  svgCache.set(key, svg);
  return svg;
}

/** Forgets the renderings (the benchmark's second run in one process must render, as every real run does). */
export function clearSvgCache(): void {
  svgCache.clear();
}

async function renderSvgUncached(spec: TopLevelSpec): Promise<string> {
  patchTextMetrics();
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}
