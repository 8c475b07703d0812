// check.html: one self-contained offline page on which a district drops its .xlsx or .csv and sees the
// findings the pipeline would give. Not a second implementation: esbuild bundles pipeline/check.ts
// (ingest → normalize → validate) for the browser, with node:crypto replaced by a JS SHA-256; the
// period's catalogue, units and roster codes are embedded as JSON. The CSP forbids every connection.
// Same sources and data give the same bytes (no clock; esbuild output is deterministic).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ASSET_DIR, BUNDLED, HOME } from '../home.ts';
import { writeAtomic } from '../io.ts';
import type { PeriodContext } from '../context.ts';
import { checkPageData, type CheckPageData } from '../browser/page-data.ts';
import { esc } from '../browser/render.ts';
import { jsonForScript } from './escape.ts';
import { previousFromValues, type PreviousFigures } from '../previous-figures.ts';
import type { UnitValue } from '../validate/values.ts';

const ROOT = HOME;
const ENTRY = 'pipeline/browser/check-entry.ts';
const CRYPTO_SHIM = './pipeline/browser/node-crypto.ts';
const STREAM_SHIM = './pipeline/browser/node-stream.ts';

/** Browsers the bundle is compiled for (syntax only; APIs are not polyfilled). */
export const BROWSER_TARGET = ['chrome87', 'edge87', 'firefox78', 'safari15'];

export const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

let scriptCache: Promise<string> | undefined;

const OPTIONS = {
  entryPoints: [ENTRY],
  absWorkingDir: ROOT, // paths esbuild records in the output are relative to the repo: same bytes anywhere
  bundle: true,
  format: 'iife',
  platform: 'browser', // exceljs resolves to its browser build (package.json "browser": dist/exceljs.min.js)
  target: BROWSER_TARGET,
  minify: true,
  charset: 'utf8',
  legalComments: 'eof',
  write: false,
  alias: { 'node:crypto': CRYPTO_SHIM, 'node:stream': STREAM_SHIM },
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'silent',
} as const;

/**
 * The bundle is kept in .cache/check-page/ (outside git) with the list of files esbuild read for it;
 * a later run uses it only if the hash of those files' bytes, the build options, esbuild's version and
 * package-lock.json is the same — any edit to a bundled source, a new import (which edits a bundled
 * file) or another installed version rebuilds it. It saves the build (about a second) on every run.
 */
const CACHE_DIR = path.join(ROOT, '.cache/check-page');

function cacheKey(inputs: string[], esbuildVersion: string): string | undefined {
  const h = createHash('sha256').update(JSON.stringify({ OPTIONS, esbuildVersion, inputs }));
  try {
    for (const f of ['package-lock.json', ...inputs]) h.update(f).update('\0').update(readFileSync(path.join(ROOT, f))).update('\0');
  } catch {
    return undefined; // an input is gone: rebuild
  }
  return h.digest('hex');
}

function esbuildVersion(): string {
  return (JSON.parse(readFileSync(path.join(ROOT, 'node_modules/esbuild/package.json'), 'utf8')) as { version: string }).version;
}

/** The cached bundle, if it is the one the current sources make (its key) and whole (its own hash). */
export function bundleFromCache(dir = CACHE_DIR): string | undefined {
  try {
    const meta = JSON.parse(readFileSync(path.join(dir, 'bundle.json'), 'utf8')) as { key: string; code: string; inputs: string[] };
    if (cacheKey(meta.inputs, esbuildVersion()) !== meta.key) return undefined;
    const code = readFileSync(path.join(dir, 'bundle.js'), 'utf8');
    return createHash('sha256').update(code).digest('hex') === meta.code ? code : undefined;
  } catch {
    return undefined;
  }
}

function toCache(code: string, inputs: string[]): void {
  const key = cacheKey(inputs, esbuildVersion());
  if (!key) return;
  try {
    writeAtomic(path.join(CACHE_DIR, 'bundle.js'), code);
    writeAtomic(path.join(CACHE_DIR, 'bundle.json'), JSON.stringify({ key, code: createHash('sha256').update(code).digest('hex'), inputs }) + '\n');
  } catch {
    /* a cache that cannot be written is only slower */
  }
}

/** The file `make dist` writes the check page's script to, next to the bundle (no esbuild in dist). */
export const DIST_CHECK_SCRIPT = 'check-page.js';

async function bundle(): Promise<string> {
  if (BUNDLED) return readFileSync(path.join(ASSET_DIR, DIST_CHECK_SCRIPT), 'utf8');
  const cached = bundleFromCache();
  if (cached !== undefined) return cached;
  return freshBundle();
}

/** esbuild run now (and its result kept in .cache/). */
export async function freshBundle(): Promise<string> {
  const { build } = await import('esbuild');
  const r = await build({ ...OPTIONS, entryPoints: [...OPTIONS.entryPoints], target: [...OPTIONS.target], metafile: true });
  // `</script` would end the element early, and `<!--` opens the parser's escaped states (where a
  // `<script` would then matter); core-js inside exceljs's browser build holds a harmless "<script>".
  // Both can only be inside a string, template or regex literal of minified code (the XML reader's
  // '<!--'), where `<\/` and `<\x21` mean the same characters; then checked again.
  const code = r.outputFiles[0].text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\x21--');
  if (/<\/script|<!--/i.test(code)) throw new Error('check page: the bundle contains markup that cannot be inlined in <script>');
  toCache(code, Object.keys(r.metafile.inputs).filter((f) => !f.includes(':')).sort());
  return code;
}

export const BUNDLE_CACHE_DIR = CACHE_DIR;

/** The bundled check script: from .cache/ when its sources are unchanged, else built (about a second); then served from memory. */
export function checkPageScript(): Promise<string> {
  scriptCache ??= bundle().catch((e: unknown) => {
    scriptCache = undefined;
    throw e;
  });
  return scriptCache;
}

function label(period: string): string {
  const m = /^(\d{4})H([12])$/.exec(period);
  return m ? `${m[1]}年${m[2] === '1' ? '上' : '下'}半年` : period;
}

const CSS = `
:root { color-scheme: light; --err: #b3261e; --warn: #8a5a00; --ok: #1e6b32; --line: #d0d4dc; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.6 "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; color: #1f2328; background: #f6f7f9; }
header, main, footer { max-width: 1100px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 24px; }
h1 { font-size: 22px; margin: 0 0 6px; }
.lead { margin: 0 0 16px; color: #444; }
.drop { display: block; border: 2px dashed #8a94a6; border-radius: 10px; background: #fff; padding: 28px; text-align: center; cursor: pointer; }
.drop.over, .drop:focus { border-color: #2f6feb; background: #eef4ff; outline: none; }
.drop strong { font-size: 17px; }
.drop input { display: block; margin: 12px auto 0; }
.privacy { color: #555; font-size: 13px; margin: 8px 0 20px; }
.file-result { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 14px 18px; margin: 16px 0; }
.file-result h2 { font-size: 17px; margin: 0; word-break: break-all; }
.meta { color: #555; font-size: 13px; margin: 4px 0 8px; word-break: break-all; }
.verdict { font-size: 17px; font-weight: 600; margin: 8px 0; }
.verdict.ok, .verdict.warnings { color: var(--ok); }
.verdict.errors { color: var(--err); }
.explained { color: var(--ok); margin-top: 2px; }
.unexplained { color: var(--warn); margin-top: 2px; }
h3 { font-size: 15px; margin: 14px 0 6px; }
h3.error { color: var(--err); }
h3.warning { color: var(--warn); }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #eef0f4; white-space: nowrap; }
tr.error td.cell { color: var(--err); font-weight: 600; }
tr.warning td.cell { color: var(--warn); font-weight: 600; }
td.file { max-width: 14em; word-break: break-all; }
code { font-family: ui-monospace, Consolas, monospace; font-size: 12px; }
details { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 10px 18px; margin: 16px 0; }
summary { cursor: pointer; font-weight: 600; }
footer { color: #666; font-size: 12px; padding: 16px 20px 32px; }
noscript p { color: var(--err); font-weight: 600; }
#results:focus { outline: none; }
@media print { .drop, .privacy, details { display: none; } body { background: #fff; } }
`;

function itemsTable(data: CheckPageData): string {
  const municipal = data.units.filter((u) => u.level === 'municipal').map((u) => u.short_name).join('、');
  const rows = data.catalogue.items.map((it) => {
    const who = it.reporters === 'all' ? `各区县（市）${municipal ? `和${municipal}` : ''}` : it.reporters === 'districts' ? '各区县（市）' : it.reporters.map((u) => data.units.find((x) => x.code === u)?.name ?? u).join('、');
    const basis = { period: '本期发生数', ytd: '年度累计数', stock: '期末数' }[it.basis];
    return `<tr><td>${it.no}</td><td>${esc(it.category)}</td><td>${esc(it.name_zh)}</td><td><code>${esc(it.code)}</code></td><td>${esc(it.measure)}</td><td>${esc(basis)}</td><td>${esc(who)}</td><td>${it.na_allowed ? '可填“—”' : ''}</td></tr>`;
  });
  return `<table><thead><tr><th>序号</th><th>指标类别</th><th>指标名称</th><th>指标代码</th><th>单位</th><th>口径</th><th>填报单位</th><th>不适用</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** The page, as a string: a pure function of the period's data and the bundled script. */
export function buildCheckPageHtml(data: CheckPageData, script: string): string {
  const title = `报送前自查 — 党建争强半年度推进情况表（${label(data.period)}）`;
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(CSP)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="banbao">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body data-state="loading">
<header>
<h1>${esc(title)}</h1>
<p class="lead">把填好的报表（.xlsx 或 .csv）拖到下面的框里，或点击选择文件。页面列出汇总程序将给出的全部问题：哪个文件、哪张工作表、哪个单元格、为什么。显示“可以报送”后再报送。</p>
</header>
<main>
<label id="drop" class="drop" tabindex="0"><strong>把报表文件拖到这里</strong>，或点击选择文件（可多选）
<input id="file" type="file" multiple accept=".xlsx,.xlsm,.csv,.txt,.xls,.et"></label>
<p class="privacy">检查完全在本机浏览器中进行：文件不会上传，本页不连接网络，断网也能使用。指标目录 ${esc(data.catalogue.version)}。</p>
<noscript><p>本页需要启用 JavaScript 才能检查文件。</p></noscript>
<section id="results" tabindex="-1" aria-live="polite"></section>
<details><summary>本期指标（${esc(label(data.period))}，共 ${data.catalogue.items.length} 项）</summary>${itemsTable(data)}</details>
</main>
<footer>由 banbao 生成 · 与汇总程序使用同一套校验代码（读取 → 识别表格 → 数值与逻辑审核）· ${data.previous ? `已含与上期（${esc(label(data.previous.period))}）的比较；与其他单位的比较在汇总时进行` : '与其他单位、与上期的比较在汇总时进行'}</footer>
<script type="application/json" id="banbao-check-data">${jsonForScript(data)}</script>
<script>${script}</script>
</body>
</html>
`;
}

/**
 * Writes `check.html` for the period of `result` (a PeriodResult, or anything with its context).
 * Only the catalogue, units and roster are embedded: never submissions, findings or published figures.
 */
export async function writeCheckPage(result: { ctx: PeriodContext }, write: (rel: string, data: string | Uint8Array) => void, previous?: PreviousFigures): Promise<void> {
  write('check.html', buildCheckPageHtml(checkPageData(result.ctx, previous), await checkPageScript()));
}

/** The report's `extraOutputs` hook, the same shape as ReportOptions['extraOutputs']. */
type ExtraOutputs<R extends { ctx: PeriodContext }> = (r: R, previous: R | undefined, write: (rel: string, data: string | Uint8Array) => void) => Promise<void>;

/** Composes an `extraOutputs` hook with the check page: the hook's outputs first, then check.html. */
export function withCheckPage<R extends { ctx: PeriodContext }>(hook?: ExtraOutputs<R>): ExtraOutputs<R> {
  return async (r, previous, write) => {
    if (hook) await hook(r, previous, write);
    // the period's own check page compares with the half-year before it, when that was computed
    const prev = previous as { period?: string; values?: UnitValue[] } | undefined;
    await writeCheckPage(r, write, prev?.period && prev.values ? previousFromValues(prev.period, prev.values) : undefined);
  };
}

export { jsonForScript };
