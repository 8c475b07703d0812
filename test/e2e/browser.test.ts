// The HTML report in a real browser: `banbao report` into a temp folder, then each period's
// index.html opened from file:// in Debian's Chromium with the network cut off.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartIsEmpty } from '../../pipeline/outputs/html.ts';
import { CHROMIUM, launchChromium, offlineContext, statusCountsFromCsv, waitForCharts, watchPage } from '../browser-helpers.ts';
import { ROOT } from '../helpers.ts';

const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const ARTIFACTS = path.join(ROOT, 'test/artifacts');
const SCREENSHOT = path.join(ARTIFACTS, 'report-2018H1.png');
// data marks only (axes and legends have other roles): bars and ticks are paths, rules lines
const MARKS = '.vega-embed svg g.role-mark > *';

let out: string;
let browser: Browser;

beforeAll(async () => {
  // checked first, so a missing browser fails at once and says why
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's Chromium (apt-get install -y chromium) to run the browser tests`);
  out = mkdtempSync(path.join(os.tmpdir(), 'banbao-browser-'));
  const r = spawnSync(TSX, ['pipeline/cli.ts', 'report', '--out', out], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  if (r.status !== 0) throw new Error(`banbao report exited ${r.status}:\n${r.stderr}`);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (out) rmSync(out, { recursive: true, force: true });
});

const pageUrl = (period: string) => `file://${path.join(out, period, 'index.html')}`;

describe.each(['2018H1', '2018H2'])('%s/index.html in Chromium, offline from file://', (period) => {
  let context: BrowserContext;
  let page: Page;
  let offDisk: string[];
  let problems: string[];

  beforeAll(async () => {
    ({ context, offDisk } = await offlineContext(browser));
    page = await context.newPage();
    problems = watchPage(page);
    await page.goto(pageUrl(period));
    await waitForCharts(page);
  }, 60_000);

  afterAll(async () => {
    await context?.close();
  });

  it('loads with no console error, no page error and no request off the disk', () => {
    expect(problems).toEqual([]);
    expect(offDisk).toEqual([]);
    expect(existsSync(path.join(out, period, 'index.html'))).toBe(true);
  });

  it('draws the marks of every chart with vega-embed, and says so where a chart has no data', async () => {
    const figures = await page.$$eval(`figure[data-chart]`, (fs, sel) => fs.map((f) => ({ name: f.getAttribute('data-chart')!, empty: f.getAttribute('data-empty') === 'true', rendered: f.getAttribute('data-rendered'), marks: f.querySelectorAll(sel).length })), MARKS);
    expect(figures.length).toBeGreaterThan(10);
    for (const f of figures) {
      // emptiness is judged again from the chart file the CLI wrote beside the page
      const spec = JSON.parse(readFileSync(path.join(out, period, 'charts', `${f.name}.vl.json`), 'utf8'));
      if (chartIsEmpty(spec)) expect(f, f.name).toMatchObject({ empty: true, marks: 0 });
      else {
        expect(f.rendered, f.name).toBe('true');
        expect(f.marks, f.name).toBeGreaterThan(0);
      }
    }
  });

  it('shows the status counts that reconciliation.csv holds', async () => {
    const shown = Object.fromEntries(await page.$$eval('[data-status][data-count]', (els) => els.map((e) => [e.getAttribute('data-status')!, Number(e.getAttribute('data-count'))])));
    expect(shown).toEqual(statusCountsFromCsv(readFileSync(path.join(out, period, 'reconciliation.csv'), 'utf8')));
  });

  it('shows a tooltip when the pointer is over a bar', async () => {
    const name = await page.$eval('figure[data-chart^="indicator-"]', (f) => f.getAttribute('data-chart')!);
    await page.selectOption('#chart-chooser', name);
    const bar = page.locator(`figure[data-chart="${name}"] ${MARKS}`).first();
    await bar.scrollIntoViewIfNeeded();
    await bar.hover();
    const tip = page.locator('#vg-tooltip-element.visible');
    await tip.waitFor({ state: 'visible', timeout: 5_000 });
    expect(await tip.innerText()).toContain('单位');
  });
});

/** Figures of reconciled.csv by unit and item: the numbers the unit × item table must show. */
function reconciledFigures(period: string): Map<string, number> {
  const rows = Papa.parse<Record<string, string>>(readFileSync(path.join(out, period, 'reconciled.csv'), 'utf8').replace(/^\ufeff/, ''), { header: true, skipEmptyLines: 'greedy', dynamicTyping: false }).data;
  return new Map(rows.filter((r) => r.status === 'value').map((r) => [`${r.unit}/${r.indicator}`, Number(r.value)]));
}

describe.each([
  ['2018H2', 1400],
  ['2018H2', 420],
  ['2018H1', 420],
] as const)('%s/index.html at %i px wide', (period, width) => {
  let context: BrowserContext;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    ({ context } = await offlineContext(browser, { viewport: { width, height: 900 } }));
    page = await context.newPage();
    problems = watchPage(page);
    await page.goto(pageUrl(period));
    await waitForCharts(page);
  }, 60_000);

  afterAll(async () => {
    await context?.close();
  });

  it('has no horizontal scroll of the page (wide tables scroll in their own box) and no console error', async () => {
    const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    expect(client).toBe(width);
    expect(scroll).toBeLessThanOrEqual(client);
    // status cards keep whole words: each label on one line
    const labels = await page.$$eval('.status-card .label', (ls) => ls.map((l) => Math.round(l.getBoundingClientRect().height / parseFloat(getComputedStyle(l).lineHeight))));
    expect(labels.every((n) => n === 1)).toBe(true);
    expect(problems).toEqual([]);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, `report-${period}-${width}px.png`), fullPage: true });
  });

  it('shows the unit × item table with the figures of reconciled.csv, and sorts it by a column', async () => {
    const cells = await page.$$eval('#unit-table tbody td[data-value]', (tds) => tds.map((td) => [`${td.getAttribute('data-unit')}/${td.getAttribute('data-item')}`, Number(td.getAttribute('data-value')), td.textContent!] as const));
    const figures = reconciledFigures(period);
    const reported = cells.filter(([k]) => figures.has(k));
    expect(reported.length).toBe(figures.size);
    for (const [k, v, text] of reported) {
      expect(v, k).toBe(figures.get(k));
      expect(Number(text.replace(/,/g, '')), k).toBe(v);
    }
    // the 鄞州区 row's villages signed, as a person reads it
    expect(await page.textContent('#unit-table tbody td[data-unit="330212"][data-item="villages_signed"]')).toBe(period === '2018H2' ? '238' : '279');
    // click 本期 of 悬挂红色标识的行政村: districts in descending order, the empty 市本级 last
    await page.click('#unit-table th[data-item="villages_signed"].m-now button');
    const order = await page.$$eval('#unit-table tbody td.m-now[data-item="villages_signed"]', (tds) => tds.map((td) => td.getAttribute('data-value')));
    const nums = order.filter((v): v is string => v !== null).map(Number);
    expect(nums).toEqual([...nums].sort((a, b) => b - a));
    expect(order.at(-1)).toBeNull();
    // again: ascending
    await page.click('#unit-table th[data-item="villages_signed"].m-now button');
    const up = (await page.$$eval('#unit-table tbody td.m-now[data-item="villages_signed"]', (tds) => tds.map((td) => td.getAttribute('data-value')))).filter((v): v is string => v !== null).map(Number);
    expect(up).toEqual([...up].sort((a, b) => a - b));
    if (period === '2018H2') {
      // a cell with a finding: tapped, its note opens in a box (hover shows the same title)
      const cell = page.locator('#unit-table tbody td[data-unit="330212"][data-item="villages_signed"]');
      expect(await cell.getAttribute('class')).toContain('st-warning');
      await cell.scrollIntoViewIfNeeded();
      await cell.click();
      const tip = page.locator('#cell-tip');
      expect(await tip.isVisible()).toBe(true);
      expect(await tip.textContent()).toContain('存量减少：悬挂红色标识的行政村是期末存量，本期 238 少于上期 279');
      await page.click('#units h2');
      expect(await tip.isVisible()).toBe(false);
    }
  });

  it('switches charts with the chooser and draws the chosen chart’s marks', async () => {
    const visible = () => page.$$eval('figure[data-chart]', (fs) => fs.filter((f) => !(f as HTMLElement).hidden).map((f) => f.getAttribute('data-chart')));
    const names = await page.$$eval('#chart-chooser option', (os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(names.length).toBeGreaterThan(10);
    expect(await visible()).toHaveLength(1);
    for (const name of [names.find((n) => n.startsWith('indicator-'))!, names.at(-1)!, names[0]]) {
      await page.selectOption('#chart-chooser', name);
      expect(await visible()).toEqual([name]);
      const fig = page.locator(`figure[data-chart="${name}"]`);
      expect(await fig.isVisible()).toBe(true);
      expect(await fig.locator(MARKS).count(), name).toBeGreaterThan(0);
      const box = (await fig.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(width);
    }
    expect(problems).toEqual([]);
  });

  it('filters the findings by unit', async () => {
    const all = await page.$$eval('#findings tbody tr', (rs) => rs.length);
    // 2018H2: 鄞州区 (two stock decreases and a published figure); 2018H1: the one finding about the city
    const unit = period === '2018H2' ? '330212' : '-';
    await page.selectOption('#finding-unit', unit);
    const shown = await page.$$eval('#findings tbody tr', (rs) => rs.filter((r) => !(r as HTMLElement).hidden).map((r) => r.getAttribute('data-unit')));
    expect(shown.length).toBeGreaterThan(0);
    if (period === '2018H2') expect(shown.length).toBeLessThan(all);
    expect(new Set(shown)).toEqual(new Set([unit === '-' ? '' : unit]));
    await page.selectOption('#finding-unit', '');
    expect(await page.$$eval('#findings tbody tr', (rs) => rs.filter((r) => !(r as HTMLElement).hidden).length)).toBe(all);
  });
});

describe('the report printed on A4', () => {
  it('prints 2018H2 with the unit × item table on a landscape page holding every item’s column', async () => {
    const { context } = await offlineContext(browser);
    try {
      const page = await context.newPage();
      await page.goto(pageUrl('2018H2'));
      await waitForCharts(page);
      mkdirSync(ARTIFACTS, { recursive: true });
      const file = path.join(ARTIFACTS, 'report-2018H2-A4.pdf');
      await page.pdf({ path: file, format: 'A4', preferCSSPageSize: true, printBackground: true });
      const info = spawnSync('pdfinfo', ['-f', '1', '-l', '99', file], { encoding: 'utf8' });
      if (info.status !== 0) throw new Error(`pdfinfo (poppler-utils) is needed to read the printout: ${info.stderr}`);
      const sizes = [...info.stdout.matchAll(/^Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+)/gm)].map((m) => ({ n: Number(m[1]), w: Number(m[2]), h: Number(m[3]) }));
      expect(sizes.length).toBeGreaterThan(2);
      // A4 portrait throughout, but for the unit × item table's own landscape page
      const landscape = sizes.filter((s) => s.w > s.h);
      expect(landscape).toHaveLength(1);
      for (const s of sizes) expect([Math.round(Math.min(s.w, s.h)), Math.round(Math.max(s.w, s.h))]).toEqual([595, 842]);
      const text = spawnSync('pdftotext', ['-f', String(landscape[0].n), '-l', String(landscape[0].n), '-layout', file, '-'], { encoding: 'utf8' }).stdout;
      expect(text).toContain('各单位指标');
      // 鄞州区's row whole on the page: every item's figure, first to last, as the table shows them
      const row = text.split('\n').find((l) => l.trimStart().startsWith('鄞州区'))!;
      const figures = row.trim().split(/\s+/).slice(1);
      const cells = await page.$$eval('#unit-table tbody tr[data-unit="330212"] td.m-now', (tds) => tds.map((td) => td.textContent));
      expect(figures).toEqual(cells);
    } finally {
      await context.close();
    }
  }, 60_000);
});

describe('the report without JavaScript', () => {
  it('shows each chart’s pre-rendered SVG from <noscript>', async () => {
    const { context, offDisk } = await offlineContext(browser, { javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(pageUrl('2018H1'));
      const figures = await page.$$eval('figure[data-chart]:not([data-empty])', (fs) => fs.map((f) => f.querySelectorAll('noscript svg g.role-mark > *').length));
      expect(figures.length).toBeGreaterThan(10);
      for (const n of figures) expect(n).toBeGreaterThan(0);
      expect(offDisk).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('a picture of the report', () => {
  it('saves a full-page screenshot of 2018H1 to test/artifacts/report-2018H1.png', async () => {
    const { context } = await offlineContext(browser);
    try {
      const page = await context.newPage();
      await page.goto(pageUrl('2018H1'));
      await waitForCharts(page);
      mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      expect(readFileSync(SCREENSHOT).subarray(1, 4).toString()).toBe('PNG');
    } finally {
      await context.close();
    }
  });
});

describe('the diff page 2018H1..2018H2 in Chromium, offline from file://', () => {
  it('loads with no console error and no request off the disk, and shows the sample’s changes', async () => {
    const r = spawnSync(TSX, ['pipeline/cli.ts', 'diff', path.join(out, '2018H1'), path.join(out, '2018H2'), '--out', path.join(out, 'diff')], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const { context, offDisk } = await offlineContext(browser);
    try {
      const page = await context.newPage();
      const problems = watchPage(page);
      await page.goto(`file://${path.join(out, 'diff', '2018H1..2018H2', 'index.html')}`);
      const text = await page.innerText('body');
      expect(problems).toEqual([]);
      expect(offDisk).toEqual([]);
      expect(text).toContain('279→238'); // 鄞州区 villages signed, a stock compared as a level
      expect(text).toContain('205→330'); // 奉化区 inspections, +61%
      expect(text).toContain('eight_rules_persons');
      mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: path.join(path.dirname(SCREENSHOT), 'diff-2018H1..2018H2.png'), fullPage: true });
    } finally {
      await context.close();
    }
  }, 60_000);
});
