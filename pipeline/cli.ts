#!/usr/bin/env -S npx tsx
// banbao — the command line, and the only place that sets the exit code.
//   report    build every period in data/submissions (or --period P)
//   validate  check submission files and say exactly what is wrong
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ReferenceDataError, listPeriods, loadRoster, loadUnits } from './reference/load.ts';
import { changedSinceLastRun, computePeriod, manifestText, previousResult, writePeriod, type Logger } from './report.ts';
import { countFindings, type PeriodResult } from './run.ts';
import { statusCounts } from './outputs/tables.ts';
import { STATUS_ZH } from './outputs/workbook.ts';
import { runValidate } from './validate-cli.ts';

const HELP = `banbao — 党建争强半年度数据：汇总、校验、核对、出报告

用法 usage:
  banbao report [--period 2018H1] [--data data] [--out reports] [--strict]
      读取 data/submissions/<期别>/ 下各单位报表，校验、与公布数核对，输出到 reports/<期别>/
  banbao validate <文件…> [--period 2018H2] [--out reports/validate]
      报送前自查：逐个文件列出问题（文件、工作表、单元格），并写出 CSV、JSON 与标注副本
  banbao --help

退出码 exit status: 0 无错误；1 仍有错误（--strict 时未说明的提示也算）；2 用法或参考数据错误
`;

export const TOOL_VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const consoleLogger: Logger = {
  info: (m) => process.stdout.write(m + '\n'),
  warn: (m) => process.stderr.write(m + '\n'),
};

function pad(s: string, w: number): string {
  let width = 0;
  for (const ch of s) width += /[\u2e80-\uffef]/.test(ch) ? 2 : 1;
  return s + ' '.repeat(Math.max(0, w - width));
}

function printSummary(r: PeriodResult, log: Logger): void {
  const c = countFindings(r.findings);
  const s = statusCounts(r);
  log.info(`  ${r.period}: ${r.inputs.length} 个文件，错误 ${c.errors}，提示 ${c.warnings}（未说明 ${c.unconfirmed}）`);
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

async function cmdReport(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { period: { type: 'string' }, data: { type: 'string', default: 'data' }, out: { type: 'string', default: 'reports' }, strict: { type: 'boolean', default: false } },
    allowPositionals: false,
  });
  const dataDir = path.resolve(values.data!);
  const outDir = path.resolve(values.out!);
  const log = consoleLogger;
  const t0 = Date.now();
  const startedAt = new Date().toISOString();
  const ref = { units: loadUnits(dataDir), roster: loadRoster(dataDir) };
  const periods = values.period ? [values.period] : listPeriods(dataDir);
  if (!periods.length) {
    log.warn(`${dataDir}/submissions 下没有期别文件夹（如 2018H1）`);
    return 2;
  }
  const opts = { dataDir, outDir, ref, log, toolVersion: TOOL_VERSION };
  const cache = new Map<string, PeriodResult | null>();
  let failed = false;
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
    const outputs = await writePeriod(r, prev ?? undefined, opts);
    const { writeAtomic, safeOutputPath } = await import('./io.ts');
    writeAtomic(safeOutputPath(outDir, period, 'manifest.json'), manifestText(r, outputs, TOOL_VERSION, startedAt));
    printSummary(r, log);
    log.info(`[${period}] ${outputs.length + 1} 个输出文件，用时 ${((Date.now() - t1) / 1000).toFixed(1)} s`);
    const c = countFindings(r.findings);
    if (c.errors > 0 || (values.strict && c.unconfirmed > 0)) failed = true;
  }
  log.info(`完成，用时 ${((Date.now() - t0) / 1000).toFixed(1)} s${failed ? '：仍有错误（或 --strict 下未说明的提示），退出码 1' : ''}`);
  return failed ? 1 : 0;
}

/** Runs a command; returns the exit status. Usage errors are 2; nothing escapes as a stack trace. */
export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'report':
        return await cmdReport(rest);
      case 'validate':
        return await runValidate(rest, consoleLogger);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        process.stdout.write(HELP);
        return cmd === undefined ? 2 : 0;
      default:
        process.stderr.write(`未知命令 unknown command: ${cmd}\n\n${HELP}`);
        return 2;
    }
  } catch (e) {
    if (e instanceof ReferenceDataError) {
      process.stderr.write(`参考数据有误 reference data error: ${e.message}\n`);
      return 2;
    }
    if ((e as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || (e as { code?: string }).code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' || (e as { code?: string }).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      process.stderr.write(`${(e as Error).message}\n\n${HELP}`);
      return 2;
    }
    process.stderr.write(`内部错误 internal error: ${(e as Error)?.message ?? e}\n请把这条信息和所用文件发给维护人员。\n`);
    return 3;
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('cli.ts')) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
