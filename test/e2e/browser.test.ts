// The HTML report in a real browser: `banbao report` into a temp folder, then each period's
// index.html opened from file:// in Debian's Chromium with the network cut off.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartIsEmpty } from '../../pipeline/outputs/html.ts';
import { CHROMIUM, launchChromium, offlineContext, statusCountsFromCsv, waitForCharts, watchPage } from '../browser-helpers.ts';
import { ROOT } from '../helpers.ts';

const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const SCREENSHOT = path.join(ROOT, 'test/artifacts/report-2018H1.png');
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
    const bar = page.locator(`figure[data-chart^="indicator-"] ${MARKS}`).first();
    await bar.scrollIntoViewIfNeeded();
    await bar.hover();
    const tip = page.locator('#vg-tooltip-element.visible');
    await tip.waitFor({ state: 'visible', timeout: 5_000 });
    expect(await tip.innerText()).toContain('单位');
  });
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
