// `report`: for each period, read its submissions, run the stages, write every output atomically,
// the manifest last. History (the previous half-year, the year before) comes from their submissions.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { makeContext, previousPeriod, yearEarlier, type Reference } from './context.ts';
import { rmSync, mkdirSync } from 'node:fs';
import { finding, sortFindings } from './messages.ts';
import { listSubmissions, loadChoices, loadConfirmations, onAbort, readInput, safeOutputPath, swapIntoPlace, writeAtomic } from './io.ts';
import { listCataloguePeriods, loadCatalogue, loadPublished } from './reference/load.ts';
import { countFindings, runPeriod, sha256, type History, type PeriodResult } from './run.ts';
import { toCsv } from './outputs/csv.ts';
import { FINDING_COLUMNS, RECONCILED_COLUMNS, RECONCILIATION_COLUMNS, findingRows, reconciledRows, statusCounts } from './outputs/tables.ts';
import { writeWorkbookBytes } from './outputs/workbook.ts';
import { periodCharts, renderSvg } from './outputs/charts.ts';
import { cmp } from './compare.ts';

export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
}

export interface ReportOptions {
  dataDir: string;
  outDir: string;
  ref: Reference;
  log: Logger;
  toolVersion: string;
  /** outputs may include extra writers (HTML report, check page), run after the core outputs */
  extraOutputs?: (r: PeriodResult, previous: PeriodResult | undefined, write: (rel: string, data: string | Uint8Array) => void) => Promise<void>;
}

/** Runs a period from disk (no outputs). Memoised per run so history is computed once. */
export async function computePeriod(period: string, opts: ReportOptions, cache: Map<string, PeriodResult | null>, depth = 0): Promise<PeriodResult | null> {
  // a period computed only as history (without its own history) is cached under its own key
  const key = depth === 0 ? period : `${period}#history`;
  if (cache.has(key)) return cache.get(key)!;
  if (depth > 0 && cache.get(period)) return cache.get(period)!;
  const dir = path.join(opts.dataDir, 'submissions', period);
  if (!existsSync(dir) || !listCataloguePeriods(opts.dataDir).includes(period)) {
    cache.set(key, null);
    return null;
  }
  const history: History = new Map();
  if (depth < 1) {
    for (const p of [previousPeriod(period), yearEarlier(period)]) {
      const h = await computePeriod(p, opts, cache, depth + 1);
      if (h) history.set(p, { values: h.values, table: h.table, totals: h.totals, levels: h.levels });
    }
  }
  const catalogue = loadCatalogue(opts.dataDir, period);
  const published = loadPublished(opts.dataDir, period);
  const ctx = makeContext(opts.ref, catalogue, published, { confirmations: loadConfirmations(dir), choices: loadChoices(dir) });
  const { files, folders } = listSubmissions(dir);
  const inputs = files.map((f) => readInput(path.join(dir, f), f, undefined, dir));
  const result = await runPeriod(inputs, ctx, history, undefined, true); // the inputs are this run's own
  if (folders.length) {
    // a file put in a sub-folder (象山县/, 旧版/) is not read: say so, rather than only "not submitted"
    result.findings = sortFindings([...result.findings, ...folders.map((f) => finding('file.folder_skipped', { file: `${f}/`, period }, { what: f, period }))]);
  }
  cache.set(key, result);
  return result;
}

/** The previous half-year's result for a period's comparisons (环比), however it was computed. */
export function previousResult(period: string, cache: Map<string, PeriodResult | null>): PeriodResult | undefined {
  const p = previousPeriod(period);
  return cache.get(p) ?? cache.get(`${p}#history`) ?? undefined;
}

interface ManifestEntry {
  file: string;
  sha256: string;
  bytes: number;
}

/**
 * Builds and writes one period's outputs into a staging folder, the manifest last, then swaps it
 * into reports/<period>/: a run killed at any moment leaves either the previous outputs or the new.
 */
export async function writePeriod(result: PeriodResult, previous: PeriodResult | undefined, opts: ReportOptions, startedAt: string): Promise<ManifestEntry[]> {
  const final = safeOutputPath(opts.outDir, result.period);
  const dir = safeOutputPath(opts.outDir, `.staging-${result.period}-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  // a failed write (a full disk) or a stopped run removes the staging folder: it would keep the disk full
  const removeStaging = () => rmSync(dir, { recursive: true, force: true });
  const unregister = onAbort(removeStaging);
  try {
    mkdirSync(dir, { recursive: true });
    const outputs: ManifestEntry[] = [];
    const write = (rel: string, data: string | Uint8Array) => {
      const full = safeOutputPath(dir, rel);
      writeAtomic(full, data);
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      outputs.push({ file: rel, sha256: sha256(bytes), bytes: bytes.length });
    };
    write('reconciled.csv', toCsv(RECONCILED_COLUMNS, reconciledRows(result)));
    write('reconciliation.csv', toCsv(RECONCILIATION_COLUMNS, result.reconciliation as unknown as Record<string, unknown>[]));
    write('findings.csv', toCsv(FINDING_COLUMNS, findingRows(result.findings)));
    write('findings.json', JSON.stringify({ period: result.period, findings: result.findings }, null, 2) + '\n');
    write('catalogue.json', JSON.stringify(result.ctx.catalogue, null, 2) + '\n');
    write(`${result.period}.xlsx`, await writeWorkbookBytes(result, previous));
    for (const chart of periodCharts(result, previous)) {
      write(`charts/${chart.name}.vl.json`, JSON.stringify(chart.spec, null, 2) + '\n');
      write(`charts/${chart.name}.svg`, await renderSvg(chart.spec));
    }
    if (opts.extraOutputs) await opts.extraOutputs(result, previous, write);
    writeAtomic(path.join(dir, 'manifest.json'), manifestText(result, outputs, opts.toolVersion, startedAt));
    swapIntoPlace(dir, final);
    return outputs;
  } catch (e) {
    removeStaging();
    throw e;
  } finally {
    unregister();
  }
}

/** The manifest: inputs and outputs with SHA-256, the tool version, and the run record (the only clock). */
export function manifestText(result: PeriodResult, outputs: ManifestEntry[], toolVersion: string, startedAt: string): string {
  const counts = countFindings(result.findings);
  return (
    JSON.stringify(
      {
        tool: { name: 'banbao', version: toolVersion },
        period: result.period,
        catalogue_version: result.ctx.catalogue.version,
        run: { started_at: startedAt, node: process.version },
        summary: {
          files: result.inputs.length,
          errors: counts.errors,
          warnings: counts.warnings,
          unconfirmed_warnings: counts.unconfirmed,
          statuses: statusCounts(result),
        },
        inputs: result.inputs.map((i) => ({ file: i.file, sha256: i.sha256, bytes: i.bytes, format: i.format, encoding: i.encoding, layouts: i.layouts, unit: i.unit })),
        outputs: [...outputs].sort((a, b) => cmp(a.file, b.file)),
      },
      null,
      2,
    ) + '\n'
  );
}

/** Inputs changed since the manifest of the last run: bytes changed, files added, files gone. */
export function changedSinceLastRun(outDir: string, result: PeriodResult): string[] {
  const file = path.join(outDir, result.period, 'manifest.json');
  if (!existsSync(file)) return [];
  try {
    const old = JSON.parse(readFileSync(file, 'utf8')) as { inputs?: { file: string; sha256: string }[] };
    const before = new Map((old.inputs ?? []).map((i) => [i.file, i.sha256]));
    const now = new Set(result.inputs.map((i) => i.file));
    return [
      ...result.inputs.filter((i) => before.has(i.file) && before.get(i.file) !== i.sha256).map((i) => `${i.file}（内容已变）`),
      ...result.inputs.filter((i) => !before.has(i.file)).map((i) => `${i.file}（新增）`),
      ...[...before.keys()].filter((f) => !now.has(f)).map((f) => `${f}（已不在）`),
    ];
  } catch {
    return [];
  }
}

/** Names the system or an open editor leaves beside files (not the user's work). */
const LITTER = /^(\.DS_Store|Thumbs\.db|desktop\.ini|~\$.*|\.~lock\..*#)$/i;

/**
 * Files in a period's report folder that the report did not write (per its manifest): the folder is
 * replaced whole on every run, so these would be lost. Paths relative to the folder, sorted.
 */
export function foreignFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const own = new Set(['manifest.json']);
  try {
    const m = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { outputs?: { file: string }[] };
    for (const o of m.outputs ?? []) own.add(o.file);
  } catch {
    /* no manifest (or not ours): every file is foreign */
  }
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (!own.has(r) && !LITTER.test(e.name)) out.push(r);
    }
  };
  walk('');
  return out.sort(cmp);
}
