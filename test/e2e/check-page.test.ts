// check.html in Debian's Chromium (playwright-core, /usr/bin/chromium, never a downloaded browser):
// the page is built into a temp folder, opened from file://, and real files are set on its file input
// or dropped on it. It must show the very findings checkFile gives in Node for the same bytes, decode
// GBK, say 可以报送 for a clean file, log no console error and make no request that is not file://.
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFile } from '../../pipeline/check.ts';
import { sha256Hex } from '../../pipeline/browser/sha256.ts';
import { createHash as shimHash } from '../../pipeline/browser/node-crypto.ts';
import { checkPageData, contextFromPageData } from '../../pipeline/browser/page-data.ts';
import { displayOrder } from '../../pipeline/browser/render.ts';
import { BUNDLE_CACHE_DIR, CSP, buildCheckPageHtml, bundleFromCache, checkPageScript, freshBundle, writeCheckPage } from '../../pipeline/outputs/check-page.ts';
import { templateModel } from '../../pipeline/template/model.ts';
import { templateXlsx } from '../../pipeline/template/xlsx.ts';
import { ROOT, YZ, contextFor, encodeText, longCsv, longRows, longXlsx } from '../helpers.ts';
import { fillXlsx, plausibleValues } from '../template/fill.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ctx = contextFor('2018H1');

let dir: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const requests: string[] = [];
const consoleErrors: string[] = [];

/** Files as a district would have them on disk. */
const files: Record<string, Uint8Array> = {};

const MISSING = `${CHROMIUM} is missing: the check-page tests need Debian's Chromium (apt-get install -y chromium; CI installs it). No browser is downloaded.`;

/** Each browser test starts here: without Chromium it fails, by name, with the reason. */
function needBrowser(): void {
  if (!page) throw new Error(MISSING);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'banbao-check-page-'));
  await writeCheckPage({ ctx }, (rel, data) => writeFileSync(path.join(dir, rel), data));

  // 鄞州区's form with an approximate figure at E15 and a negative count at E8
  files['鄞州区_2018H1.xlsx'] = await longXlsx({ rows: longRows('2018H1', { ...YZ, inspections: '120余', communities_signed: -3 }) });
  // 北仑区's GBK CSV as Excel on Chinese Windows saves it, with an approximate figure in Chinese
  files['北仑区_2018H1.csv'] = encodeText(
    longCsv(longRows('2018H1', { ...YZ, villages_signed: 150, communities_signed: 60, problems_found: '约400', nonpublic_members: '1.2万' }), { unitLine: '填报单位：北仑区委组织部' }),
    'gbk',
  );
  // 海曙区's 2018H1 template, filled in
  const model = templateModel(ctx, '330203');
  files['海曙区_2018H1.xlsx'] = await fillXlsx(await templateXlsx(model, ctx), plausibleValues(ctx, model));
  for (const [name, bytes] of Object.entries(files)) writeFileSync(path.join(dir, name), bytes);

  if (!existsSync(CHROMIUM)) return;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  context = await browser.newContext();
  // every request that is not the page's own file is recorded and refused
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    requests.push(url);
    return route.abort();
  });
  page = await context.newPage();
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) requests.push(r.url());
  });
  page.on('websocket', (ws) => requests.push(ws.url()));
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.goto(pathToFileURL(path.join(dir, 'check.html')).href);
  await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 30_000 });
}, 180_000);

afterAll(async () => {
  await browser?.close();
});

/** The findings rows the page shows: [file, sheet, cell, code, message]. */
async function shownRows(): Promise<string[][]> {
  return page.$$eval('tr.finding', (rows) =>
    rows.map((r) => [r.getAttribute('data-file') ?? '', r.getAttribute('data-sheet') ?? '', r.getAttribute('data-cell') ?? '', r.getAttribute('data-code') ?? '', r.querySelector('.msg')?.firstChild?.textContent ?? '']),
  );
}

/** What checkFile gives in Node for the same bytes, in the page's order (errors first). */
async function nodeRows(name: string): Promise<string[][]> {
  const c = await checkFile({ file: name, bytes: files[name] }, ctx);
  return displayOrder(c.findings).map((f) => [f.file, f.sheet, f.cell, f.code, f.message]);
}

async function pick(...names: string[]): Promise<void> {
  needBrowser();
  await page.evaluate(() => (document.body.dataset.state = 'waiting'));
  await page.setInputFiles('#file', names.map((n) => path.join(dir, n)));
  await page.waitForFunction(() => document.body.dataset.state === 'done', null, { timeout: 60_000 });
}

describe('check.html in Chromium', () => {
  it('shows a bad .xlsx’s findings at their cells, the same list checkFile gives in Node', async () => {
    await pick('鄞州区_2018H1.xlsx');
    const rows = await shownRows();
    expect(rows.map((r) => [r[2], r[3]])).toEqual(
      expect.arrayContaining([
        ['E15', 'value.approximate'],
        ['E8', 'value.negative'],
      ]),
    );
    expect(rows).toEqual(await nodeRows('鄞州区_2018H1.xlsx'));
    expect(rows.find((r) => r[2] === 'E15')![4]).toBe('“120余”是约数，请填写准确数字');
    const verdict = await page.$eval('.verdict', (e) => e.textContent ?? '');
    expect(verdict).toContain('有错误');
    expect(verdict).not.toContain('可以报送');
    // the hash the analyst's manifest will record, computed in the page
    const shown = await page.$eval('.hash code', (e) => e.textContent);
    expect(shown).toBe(createHash('sha256').update(files['鄞州区_2018H1.xlsx']).digest('hex'));
  });

  it('decodes a GBK CSV: the Chinese in its findings reads right', async () => {
    await pick('北仑区_2018H1.csv');
    const rows = await shownRows();
    expect(rows).toEqual(await nodeRows('北仑区_2018H1.csv'));
    expect(rows.map((r) => [r[2], r[3], r[4]])).toEqual([
      ['E16', 'value.approximate', '“约400”是约数，请填写准确数字'],
      ['E11', 'value.rounded', '“1.2万”是以万/亿为单位的约整数，得不出准确人数（个数），请填写准确数字'], // a warning: listed after the errors
    ]);
    // a rounded figure is corrected, not explained (a 上报说明 cannot make 1.2万 exact); the error has no such line
    expect(await page.$$eval('tr.finding', (rs) => rs.map((r) => r.querySelector('.unexplained')?.textContent ?? ''))).toEqual(['', '待改正：上报说明不能代替准确数字，请按提示改正后再报送']);
    // the table as read, in Chinese, with the text as written (#13)
    expect(await page.$eval('table.read-back', (e) => e.textContent)).toContain('非公企业党员12000E11');
    expect(await page.$eval('.meta', (e) => e.textContent)).toContain('编码 GBK / GB18030');
    expect(await page.$eval('.meta', (e) => e.textContent)).toContain('北仑区（330206）');
  });

  it('says plainly that a clean file can be submitted (可以报送)', async () => {
    await pick('海曙区_2018H1.xlsx');
    expect(await shownRows()).toEqual([]);
    expect(await nodeRows('海曙区_2018H1.xlsx')).toEqual([]);
    expect(await page.$eval('.verdict', (e) => e.textContent)).toBe('✓ 没有发现问题，可以报送');
    expect(await page.$eval('.file-result', (e) => e.getAttribute('data-status'))).toBe('ok');
  });

  it('checks several files at once, and a file dropped on the page', async () => {
    await pick('海曙区_2018H1.xlsx', '鄞州区_2018H1.xlsx');
    expect(await page.$$eval('.file-result', (a) => a.map((e) => [e.getAttribute('data-file'), e.getAttribute('data-status')]))).toEqual([
      ['海曙区_2018H1.xlsx', 'ok'],
      ['鄞州区_2018H1.xlsx', 'errors'],
    ]);
    await page.evaluate(() => (document.body.dataset.state = 'waiting'));
    const b64 = Buffer.from(files['北仑区_2018H1.csv']).toString('base64');
    const dt = await page.evaluateHandle(([data, name]) => {
      const t = new DataTransfer();
      t.items.add(new File([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))], name));
      return t;
    }, [b64, '北仑区_2018H1.csv'] as const);
    await page.dispatchEvent('#drop', 'drop', { dataTransfer: dt });
    await page.waitForFunction(() => document.body.dataset.state === 'done', null, { timeout: 60_000 });
    expect(await shownRows()).toEqual(await nodeRows('北仑区_2018H1.csv'));
  });

  it('reads workbooks other generators wrote (x: prefix, data.xml, SharedStrings.xml, cells without r=): 可以报送', async () => {
    // test/fixtures/blind/: normalised in the page as in Node (pipeline/ingest/xlsx-normalize.ts)
    const blind = path.join(ROOT, 'test', 'fixtures', 'blind');
    const names = ['ok103_余姚市_x前缀命名空间.xlsx', 'ok108_余姚市_工作表文件名非sheetN.xlsx', 'ok109_余姚市_SharedStrings大写.xlsx', 'ok110_余姚市_单元格无r属性.xlsx'];
    for (const n of names) files[n] = new Uint8Array(readFileSync(path.join(blind, n)));
    for (const n of names) writeFileSync(path.join(dir, n), files[n]);
    await pick(...names);
    expect(await shownRows()).toEqual([]);
    expect(await page.$$eval('.file-result', (a) => a.map((e) => [e.getAttribute('data-file'), e.getAttribute('data-status')]))).toEqual(names.map((n) => [n, 'ok']));
    for (const n of names) expect(await nodeRows(n)).toEqual([]);
  });

  it('made no request beyond its own file and logged no console error', () => {
    needBrowser();
    expect(requests).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});

describe('the check page as written', () => {
  it('is one self-contained page: a CSP that forbids connections, the data as JSON with no raw “<”', () => {
    const html = readFileSync(path.join(dir, 'check.html'), 'utf8');
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${CSP.replace(/'/g, '&#39;')}">`);
    expect(CSP).toContain("default-src 'none'");
    const shell = html.replace(/<script>[\s\S]*?<\/script>/, '<script></script>'); // the page without the bundle
    expect(shell).not.toMatch(/\ssrc=|<link|https?:|\/\//);
    const json = /<script type="application\/json" id="banbao-check-data">([^<]*)<\/script>/.exec(html);
    expect(json).not.toBeNull();
    const data = JSON.parse(json![1]);
    expect(data.period).toBe('2018H1');
    expect(Object.values(data.roster as Record<string, string[]>).flat()).toHaveLength(3042);
    expect(html.match(/<\/script>/g)).toHaveLength(2);
  });

  it('is the same bytes when built again', async () => {
    const again = buildCheckPageHtml(checkPageData(contextFor('2018H1')), await checkPageScript());
    expect(again).toBe(readFileSync(path.join(dir, 'check.html'), 'utf8'));
  });

  it('takes the bundle from .cache/ only when it is the one the sources make now, and whole', async () => {
    const script = await checkPageScript();
    expect(await freshBundle()).toBe(script); // what a build gives now is what the page holds
    expect(bundleFromCache()).toBe(script);
    const inputs = (JSON.parse(readFileSync(path.join(BUNDLE_CACHE_DIR, 'bundle.json'), 'utf8')) as { inputs: string[] }).inputs;
    expect(inputs).toEqual(expect.arrayContaining(['pipeline/check.ts', 'pipeline/ingest/read.ts', 'pipeline/browser/check-entry.ts', 'node_modules/exceljs/dist/exceljs.min.js']));
    // a source edited since (its key no longer matches), or a bundle cut short: not used
    const copy = (name: string, edit: (dir: string) => void) => {
      const d = mkdtempSync(path.join(os.tmpdir(), `banbao-bundle-${name}-`));
      cpSync(BUNDLE_CACHE_DIR, d, { recursive: true });
      edit(d);
      return d;
    };
    const meta = JSON.parse(readFileSync(path.join(BUNDLE_CACHE_DIR, 'bundle.json'), 'utf8')) as { key: string };
    expect(bundleFromCache(copy('edited', (d) => writeFileSync(path.join(d, 'bundle.json'), JSON.stringify({ ...meta, key: '0'.repeat(64) }))))).toBeUndefined();
    expect(bundleFromCache(copy('cut', (d) => writeFileSync(path.join(d, 'bundle.js'), script.slice(0, 1000))))).toBeUndefined();
    expect(bundleFromCache(copy('same', () => {}))).toBe(script);
  }, 60_000);

  it('rebuilds, from its embedded data, a context that checks like the pipeline’s', async () => {
    const rebuilt = contextFromPageData(JSON.parse(JSON.stringify(checkPageData(ctx))));
    for (const u of ctx.units) expect(rebuilt.roster.count(u.code)).toBe(ctx.roster.count(u.code));
    expect(rebuilt.roster.size).toBe(ctx.roster.size);
    for (const name of Object.keys(files)) {
      const a = await checkFile({ file: name, bytes: files[name] }, rebuilt);
      expect(a.findings, name).toEqual((await checkFile({ file: name, bytes: files[name] }, ctx)).findings);
    }
  });

  it('hashes in the browser exactly as node:crypto does (the node:crypto shim)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const want = createHash('sha256').update(bytes).digest('hex');
        return sha256Hex(bytes) === want && shimHash('sha256').update(bytes).digest('hex') === want;
      }),
    );
    expect(() => shimHash('md5')).toThrow(/not available in the browser/);
  });
});
