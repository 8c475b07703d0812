#!/usr/bin/env -S npx tsx
// banbao — the command line, and the only place that sets the exit code.
//   report    build every period in data/submissions (or --period P)
//   validate  check submission files and say exactly what is wrong
//   diff      compare two report folders (two periods, or two runs of one)
//   template  the forms districts fill in, and the check page
//   new-period  scaffold a new half-year's data (catalogue, published figures, submissions folder)
//   bulletin  the half-year 通报 (.docx, .md), every figure phrased as published and read back
// Each command's code is loaded only when it runs, so `banbao diff` does not start up vega.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ReferenceDataError } from './reference/load.ts';
import { runAbortCleanups } from './abort.ts';
import type { Logger } from './report.ts';

const HELP = `banbao — 党建争强半年度数据：汇总、校验、核对、出报告

用法 usage:
  banbao report [--period <期别>] [--data data] [--out reports] [--strict] [--png]
      读取 data/submissions/<期别>/ 下各单位报表，校验、与公布数核对，输出到 reports/<期别>/
  banbao validate <文件…> [--period <期别>] [--out reports/validate]
      报送前自查：逐个文件列出问题（文件、工作表、单元格），并写出 CSV、JSON 与标注副本
  banbao diff <报告文件夹A> <报告文件夹B> | --from <期别A> --to <期别B> [--reports reports] [--out reports/diff] [--tolerance 0.5]
      供审核：比较两期（或同一期的两次运行）的报告，输出 reports/diff/<A>..<B>/（diff.csv、diff.xlsx、index.html、summary.json）
  banbao template [--period <期别>] [--unit 鄞州区] [--detail] [--out reports/templates/<期别>]
      给各单位的填报模板：每单位一份 .xlsx（数据验证、无密码保护）和同样内容的 .csv，另附报送前自查页面 check.html
  banbao new-period --period <新期别> [--from <期别>] [--data data]
      新的一期：复制最近一期的指标目录，建空的公布数文件（含格式说明）和报送文件夹，均在 data/ 下
  banbao bulletin [--period <期别>] [--data data] [--out reports] [--publish]
      半年通报：按 data/bulletin/<期别>.yaml 的措辞写出 reports/<期别>/通报.docx 与 通报.md（每个数字均按公布口径读回核实）；
      --publish 另把通报中的数字写入 data/published/<期别>.yaml，供下次 report 核对
  banbao --help

期别 period：四位年份加 H1（上半年）或 H2（下半年），同 data/catalogue/ 下的文件名；不给 --period 时取数据中已有的期别

退出码 exit status: 0 无错误；1 仍有错误（--strict 时未说明的提示也算）；2 用法或参考数据错误；3 另一个 report 正在运行；4 文件系统或内部错误（含报告文件夹中有不是报告生成的文件）
`;

// A closed stdout or stderr (`banbao report | head -1`) ends that output quietly; the run goes on
// to its end (outputs swapped in, lock released) and exits as it would have.
const closed = { stdout: false, stderr: false };
for (const name of ['stdout', 'stderr'] as const) {
  process[name].on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    closed[name] = true;
  });
}
const consoleLogger: Logger = {
  info: (m) => void (closed.stdout || process.stdout.write(m + '\n')),
  warn: (m) => void (closed.stderr || process.stderr.write(m + '\n')),
};

// A stopped run undoes what it started (the staging folder, the lock) before it exits: on SIGTERM,
// SIGINT, SIGHUP, and when the process named by BANBAO_EXIT_WITH is gone (the Makefile passes its
// make's pid: `make report` killed, even by SIGKILL, does not leave the run going on without it).
function stopWhen(): void {
  const stop = (status: number) => {
    runAbortCleanups();
    process.exit(status);
  };
  for (const [sig, n] of [['SIGTERM', 15], ['SIGINT', 2], ['SIGHUP', 1]] as const) process.on(sig, () => stop(128 + n));
  const watched = Number(process.env.BANBAO_EXIT_WITH ?? 0);
  if (watched > 1) {
    setInterval(() => {
      try {
        process.kill(watched, 0);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EPERM') {
          if (!closed.stderr) process.stderr.write(`banbao: 启动本次运行的进程 ${watched} 已结束，运行中止并清理 (parent gone: stopped, cleaned up)\n`);
          stop(130);
        }
      }
    }, 200).unref();
  }
}

/** Runs a command; returns the exit status. Usage errors are 2; nothing escapes as a stack trace. */
export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'report':
        return await (await import('./report-cli.ts')).runReport(rest, consoleLogger);
      case 'validate':
        return await (await import('./validate-cli.ts')).runValidate(rest, consoleLogger);
      case 'diff':
        return await (await import('./diff-cli.ts')).runDiff(rest, consoleLogger);
      case 'template':
        return await (await import('./template/cli.ts')).runTemplate(rest, consoleLogger);
      case 'new-period':
        return await (await import('./new-period.ts')).runNewPeriod(rest, consoleLogger);
      case 'bulletin':
        return await (await import('./bulletin/cli.ts')).runBulletin(rest, consoleLogger);
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
    const code = (e as NodeJS.ErrnoException)?.code;
    if (code && /^E[A-Z]+$/.test(code)) {
      // the machine said no (ENOTDIR, EACCES, ENOSPC…): say where, without a stack trace
      process.stderr.write(`无法读写文件 file system error: ${(e as Error).message}\n`);
      return 4;
    }
    process.stderr.write(`内部错误 internal error: ${(e as Error)?.message ?? e}\n请把这条信息和所用文件发给维护人员。\n`);
    return 4;
  }
}

// run as a program (tsx pipeline/cli.ts, or the bundle's lib/cli.js), not when imported by a test
const self = fileURLToPath(import.meta.url);
if (process.argv[1] !== undefined && (path.resolve(process.argv[1]) === self || /pipeline[\\/]cli\.ts$/.test(process.argv[1]))) {
  stopWhen();
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
