// Browser test helpers: Debian's Chromium through playwright-core (never a downloaded browser), a
// context that cannot leave the disk, and a watch on what a page complains about.
import { existsSync } from 'node:fs';
import Papa from 'papaparse';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Launches /usr/bin/chromium; throws (the test fails, it is not skipped) when it is not installed. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} not found: the browser tests need Debian's Chromium (apt-get install -y chromium); they never download a browser`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** A context where only file:// loads; every other request is aborted and recorded. */
export async function offlineContext(browser: Browser, options: BrowserContextOptions = {}): Promise<{ context: BrowserContext; offDisk: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const offDisk: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    offDisk.push(url);
    return route.abort();
  });
  return { context, offDisk };
}

/** Console errors, uncaught page errors and dialogs (an injected alert) of a page, as they happen. */
export function watchPage(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.type()} ${d.message()}`);
    void d.dismiss();
  });
  return problems;
}

/** Waits until vega-embed has finished (or failed) every chart of the report page. */
export async function waitForCharts(page: Page, timeout = 30_000): Promise<void> {
  await page.waitForFunction(
    () => [...document.querySelectorAll('figure[data-chart]:not([data-empty])')].every((f) => f.hasAttribute('data-rendered')),
    null,
    { timeout },
  );
}

/** Status counts of a reconciliation.csv text (UTF-8 with BOM). */
export function statusCountsFromCsv(text: string): Record<string, number> {
  const rows = Papa.parse<Record<string, string>>(text.replace(/^\ufeff/, ''), { header: true, skipEmptyLines: 'greedy', dynamicTyping: false }).data;
  const counts: Record<string, number> = { match: 0, within: 0, mismatch: 0, incomplete: 0, unpublished: 0 };
  for (const r of rows) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
}
