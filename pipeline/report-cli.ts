// `report`: the edge for building periods — lock, read, run the stages, write outputs atomically,
// print progress and a compact summary; returns the exit status (cli.ts sets it).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { listPeriods, loadReference } from './reference/load.ts';
import { changedSinceLastRun, computePeriod, foreignFiles, previousResult, writePeriod, type Logger } from './report.ts';
import { acquireLock, onAbort, recoverInterrupted } from './io.ts';
import { regionScope } from './context.ts';
import { countFindings, type PeriodResult } from './run.ts';
import { statusCounts } from './outputs/tables.ts';
import { STATUS_ZH } from './outputs/workbook.ts';
import { findingKind, intervalWords, STAGE_ZH } from './outputs/labels.ts';
import { collectGarbage } from './gc.ts';
import { htmlOutputs } from './outputs/html.ts';
import { withCheckPage } from './outputs/check-page.ts';
import { HOME } from './home.ts';
import { draftFor, writeBulletin, type BulletinDraft } from './bulletin/outputs.ts';
import { statusLines, submissionStatus } from './status.ts';
import { groupedFindingLines } from './outputs/terminal.ts';

export const TOOL_VERSION: string = (JSON.parse(readFileSync(path.join(HOME, 'package.json'), 'utf8')) as { version: string }).version;

function pad(s: string, w: number): string {
  let width = 0;
  for (const ch of s) width += /[\u2e80-\uffef]/.test(ch) ? 2 : 1;
  return s + ' '.repeat(Math.max(0, w - width));
}

function printSummary(r: PeriodResult, log: Logger): void {
  const c = countFindings(r.findings);
  const s = statusCounts(r);
  const units = new Set(r.values.filter((v) => v.origin !== 'none').map((v) => v.unit)).size;
  for (const line of statusLines(submissionStatus(r))) log.info(`  ${line}`);
  log.info(`  ${r.period}: ${r.inputs.length} 个文件，${units}/${r.ctx.units.length} 个单位，错误 ${c.errors}，提示 ${c.warnings}（未说明 ${c.unconfirmed}）`);
  log.info(`  核对: ${Object.entries(s).map(([k, n]) => `${STATUS_ZH[k]} ${n}`).join(' · ')}`);
  const share = (code: string) => r.ctx.derived.get(code)?.type === 'share';
  for (const row of r.reconciliation.filter((x) => x.status !== 'unpublished')) {
    const mark = { match: '✓', within: '≈', mismatch: '✗', incomplete: '?', unpublished: '·' }[row.status];
    log.info(
      `    ${mark} ${pad(`${row.scope_code === regionScope(r.ctx).code ? '' : row.scope + '·'}${row.name_zh}`, 34)} ${pad(row.text, 10)} ${pad(row.interval.startsWith('同比') ? `同比 ${intervalWords(row.interval.slice(3), '%')}` : intervalWords(row.interval, share(row.indicator) ? '%' : ''), 24)} → ${row.interval.startsWith('同比') && row.status === 'incomplete' ? '—' : row.computed === null ? '—' : share(row.indicator) ? `${row.computed.toFixed(1)}%` : row.computed}  ${STATUS_ZH[row.status]}${row.difference ? `（差 ${row.difference}）` : ''}`,
    );
  }
  if (r.findings.length) log.info(`  问题（按类别，错误在前）：`);
  for (const line of groupedFindingLines(r.findings)) log.info(`  ${line}`);
}

/** The folder as the user should look for it: relative to where they are, unless that climbs out. */
function shownDir(dir: string): string {
  const rel = path.relative(process.cwd(), dir);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : dir;
}

/** Why a run fails, in numbers: the errors, and with --strict the warnings nobody explained. */
export function failureText(errors: number, unconfirmed: number, strict: boolean): string {
  const parts = [`错误 ${errors} 条`];
  if (strict) parts.push(`未说明的提示 ${unconfirmed} 条（--strict：每条提示须有单位的上报说明或 confirmations.yaml 中的说明）`);
  return `仍有${parts.join('，')}`;
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
    log.warn(`期别格式应为 四位年份加 H1（上半年）或 H2（下半年）（收到 “${values.period}”）`);
    return 2;
  }
  const periods = values.period ? [values.period] : listPeriods(dataDir);
  if (!periods.length) {
    log.warn(`${dataDir}/submissions 下没有期别文件夹（四位年份加 H1 或 H2；新的一期用 banbao new-period 建立）`);
    return 2;
  }
  const cache = new Map<string, PeriodResult | null>();
  // the 通报 of a period whose data/bulletin/<period>.yaml exists: drafted before the outputs are written
  const drafts = new Map<string, BulletinDraft>();
  const pageOutputs = withCheckPage(htmlOutputs({ png: values.png! }));
  const extraOutputs: typeof pageOutputs = async (r, previous, write) => {
    await pageOutputs(r, previous, write);
    const d = drafts.get(r.period);
    if (d && 'model' in d) await writeBulletin(d.model, r.period, write);
  };
  const opts = { dataDir, outDir, ref, log, toolVersion: TOOL_VERSION, extraOutputs };
  const done: PeriodResult[] = [];
  let failed = false;
  let errors = 0;
  let unconfirmed = 0;
  const lock = acquireLock(outDir);
  if ('busy' in lock) {
    log.warn(`另一个 banbao report 正在写 ${outDir}（进程 ${lock.busy}）：请等它结束后再运行 (another run holds the lock)`);
    return 3;
  }
  const unregisterLock = onAbort(() => lock.release());
  try {
    for (const note of recoverInterrupted(outDir)) log.info(`上次运行被中断：${note}`);
    // each period's folder is replaced whole: a file the report did not write there would be lost
    const foreign = periods.map((p) => ({ p, files: foreignFiles(path.join(outDir, p)) })).filter((x) => x.files.length);
    if (foreign.length) {
      for (const { p, files } of foreign)
        log.warn(`${shownDir(path.join(outDir, p))}/ 中有不是报告生成的文件，重新出报告会把它们删掉：${files.slice(0, 10).join('、')}${files.length > 10 ? ` 等 ${files.length} 个` : ''}`);
      log.warn('请先把这些文件移到别处（填报模板现在写在 reports/templates/<期别>/），再运行；未做任何改动 (nothing was changed)');
      return 4;
    }
    log.info(`banbao ${TOOL_VERSION}: ${periods.join(', ')} (参考数据 ${ref.units.length} 个单位，名录 ${ref.roster.size} 个村社)`);
    for (const period of periods) {
      const t1 = Date.now();
      log.info(`[${period}] ${['ingest', 'normalize', 'validate', 'reconcile'].map((k) => STAGE_ZH[k]).join(' → ')}`);
      const r = await computePeriod(period, opts, cache);
      if (!r) {
        log.warn(`[${period}] 没有 data/submissions/${period}/ 或 data/catalogue/${period}.yaml，跳过`);
        failed = true;
        continue;
      }
      const changed = changedSinceLastRun(outDir, r);
      if (changed.length) log.info(`[${period}] 与上次运行相比，以下报送文件已变化：${changed.join('、')}`);
      const prev = previousResult(period, cache);
      const draft = draftFor(r, dataDir, cache);
      drafts.set(period, draft);
      if (draft && 'refused' in draft) {
        log.warn(`[${period}] 通报措辞与数据不符，未写出通报（请修改 data/bulletin/${period}.yaml）：`);
        for (const m of draft.refused) log.warn(`  ${m}`);
        failed = true;
      }
      log.info(`[${period}] 输出 outputs → ${shownDir(path.join(outDir, period))}/`);
      collectGarbage(); // what the reading let go, given back before the outputs are built (gc.ts)
      const outputs = await writePeriod(r, prev ?? undefined, opts, startedAt);
      printSummary(r, log);
      log.info(`[${period}] ${outputs.length + 1} 个输出文件，用时 ${((Date.now() - t1) / 1000).toFixed(1)} s`);
      const c = countFindings(r.findings);
      errors += c.errors;
      unconfirmed += c.unconfirmed;
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
    unregisterLock();
    lock.release();
  }
  log.info(`完成，用时 ${((Date.now() - t0) / 1000).toFixed(1)} s${failed ? `：${failureText(errors, unconfirmed, values.strict!)}，退出码 1` : ''}`);
  return failed ? 1 : 0;
}

