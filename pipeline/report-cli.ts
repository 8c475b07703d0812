// `report`: the edge for building periods — lock, read, run the stages, write outputs atomically,
// print progress and a compact summary; returns the exit status (cli.ts sets it).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { listPeriods, loadReference } from './reference/load.ts';
import { changedSinceLastRun, computePeriod, previousResult, writePeriod, type Logger } from './report.ts';
import { acquireLock, recoverInterrupted } from './io.ts';
import { countFindings, type PeriodResult } from './run.ts';
import { statusCounts } from './outputs/tables.ts';
import { STATUS_ZH } from './outputs/workbook.ts';
import { htmlOutputs } from './outputs/html.ts';
import { withCheckPage } from './outputs/check-page.ts';

export const TOOL_VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

function pad(s: string, w: number): string {
  let width = 0;
  for (const ch of s) width += /[\u2e80-\uffef]/.test(ch) ? 2 : 1;
  return s + ' '.repeat(Math.max(0, w - width));
}

function printSummary(r: PeriodResult, log: Logger): void {
  const c = countFindings(r.findings);
  const s = statusCounts(r);
  const units = new Set(r.values.filter((v) => v.origin !== 'none').map((v) => v.unit)).size;
  log.info(`  ${r.period}: ${r.inputs.length} 个文件，${units}/${r.ctx.units.length} 个单位，错误 ${c.errors}，提示 ${c.warnings}（未说明 ${c.unconfirmed}）`);
  log.info(`  核对: ${Object.entries(s).map(([k, n]) => `${STATUS_ZH[k]} ${n}`).join(' · ')}`);
  for (const row of r.reconciliation.filter((x) => x.status !== 'unpublished')) {
    const mark = { match: '✓', within: '≈', mismatch: '✗', incomplete: '?', unpublished: '·' }[row.status];
    log.info(
      `    ${mark} ${pad(`${row.scope === '全市' ? '' : row.scope + '·'}${row.name_zh}`, 34)} ${pad(row.text, 10)} ${pad(row.interval, 18)} → ${row.computed ?? '—'}  ${STATUS_ZH[row.status]}${row.difference ? `（差 ${row.difference}）` : ''}`,
    );
  }
  for (const f of r.findings.filter((f) => f.severity === 'error').slice(0, 20))
    log.info(`    错误 ${f.code} ${f.file}${f.sheet ? `!${f.sheet}` : ''}${f.cell ? `!${f.cell}` : ''}: ${f.message}`);
  for (const f of r.findings.filter((f) => f.severity === 'warning').slice(0, 10))
    log.info(`    提示 ${f.code} ${f.file}${f.cell ? `!${f.cell}` : ''}: ${f.message}${f.confirmed ? `【已说明：${f.confirmed}】` : ''}`);
}

/** `report [--period P] [--data data] [--out reports] [--strict]` */
export async function runReport(args: string[], log: Logger): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { period: { type: 'string' }, data: { type: 'string', default: 'data' }, out: { type: 'string', default: 'reports' }, strict: { type: 'boolean', default: false }, png: { type: 'boolean', default: false } },
    allowPositionals: false,
  });
  const dataDir = path.resolve(values.data!);
  const outDir = path.resolve(values.out!);
  const t0 = Date.now();
  const startedAt = new Date().toISOString();
  const ref = loadReference(dataDir);
  if (values.period && !/^\d{4}H[12]$/.test(values.period)) {
    log.warn(`期别格式应为 2018H1 / 2018H2（收到 “${values.period}”）`);
    return 2;
  }
  const periods = values.period ? [values.period] : listPeriods(dataDir);
  if (!periods.length) {
    log.warn(`${dataDir}/submissions 下没有期别文件夹（如 2018H1）`);
    return 2;
  }
  const opts = { dataDir, outDir, ref, log, toolVersion: TOOL_VERSION, extraOutputs: withCheckPage(htmlOutputs({ png: values.png! })) };
  const cache = new Map<string, PeriodResult | null>();
  const done: PeriodResult[] = [];
  let failed = false;
  const lock = acquireLock(outDir);
  if ('busy' in lock) {
    log.warn(`另一个 banbao report 正在写 ${outDir}（进程 ${lock.busy}）：请等它结束后再运行 (another run holds the lock)`);
    return 3;
  }
  try {
    for (const note of recoverInterrupted(outDir)) log.info(`上次运行被中断：${note}`);
    log.info(`banbao ${TOOL_VERSION}: ${periods.join(', ')} (参考数据 ${ref.units.length} 个单位，名录 ${ref.roster.length} 个村社)`);
    for (const period of periods) {
      const t1 = Date.now();
      log.info(`[${period}] 读取与校验 ingest → normalize → validate → reconcile`);
      const r = await computePeriod(period, opts, cache);
      if (!r) {
        log.warn(`[${period}] 没有 data/submissions/${period}/ 或 data/catalogue/${period}.yaml，跳过`);
        failed = true;
        continue;
      }
      const changed = changedSinceLastRun(outDir, r);
      if (changed.length) log.info(`[${period}] 与上次运行相比，以下报送文件已变化：${changed.join('、')}`);
      const prev = previousResult(period, cache);
      log.info(`[${period}] 输出 outputs → reports/${period}/`);
      const outputs = await writePeriod(r, prev ?? undefined, opts, startedAt);
      printSummary(r, log);
      log.info(`[${period}] ${outputs.length + 1} 个输出文件，用时 ${((Date.now() - t1) / 1000).toFixed(1)} s`);
      const c = countFindings(r.findings);
      if (c.errors > 0 || (values.strict && c.unconfirmed > 0)) failed = true;
      done.push(r);
    }
    if (done.length > 1) {
      const all = done.flatMap((r) => r.findings);
      const c = countFindings(all);
      const units = done.map((r) => `${r.period} ${new Set(r.values.filter((v) => v.origin !== 'none').map((v) => v.unit)).size}/${r.ctx.units.length} 个单位`).join('，');
      log.info(`合计：${units}；错误 ${c.errors}，提示 ${c.warnings}（未说明 ${c.unconfirmed}）`);
    }
  } finally {
    lock.release();
  }
  log.info(`完成，用时 ${((Date.now() - t0) / 1000).toFixed(1)} s${failed ? '：仍有错误（或 --strict 下未说明的提示），退出码 1' : ''}`);
  return failed ? 1 : 0;
}

