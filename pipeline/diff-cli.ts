// `diff`: compare two report folders for reviewers — two periods (2018H1 → 2018H2) or two runs of one
// period (after a resubmission). The edge: reads the folders, calls the pure diff, writes
// reports/diff/<A>..<B>/ (diff.csv, diff.xlsx, index.html, summary.json) atomically, prints a summary.
// Exit 0 when done (differences are not errors), 2 on a usage error or a folder that is not a report.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { diffReports } from './diff/compare.ts';
import { REQUIRED_FILES, parseReportFolder, type ReportFolder, type RequiredFile } from './diff/folder.ts';
import { diffHtml } from './diff/html.ts';
import { DIFF_COLUMNS } from './diff/model.ts';
import { summaryJson, summaryLines } from './diff/summary.ts';
import { diffWorkbookBytes } from './diff/workbook.ts';
import { safeOutputPath, writeAtomic } from './io.ts';
import { toCsv } from './outputs/csv.ts';

export interface DiffLogger {
  info(m: string): void;
  warn(m: string): void;
}

export const DIFF_USAGE = `用法 usage:
  banbao diff <报告文件夹A> <报告文件夹B> [--out reports/diff] [--tolerance 0.5]
  banbao diff --from <期别A> --to <期别B> [--reports reports] [--out <reports>/diff] [--tolerance 0.5]
      比较两个报告文件夹（两个期别，或同一期别的两次运行），输出到 <out>/<A>..<B>/：
      diff.csv、diff.xlsx、index.html、summary.json。--tolerance 为绝对容差，差额不超过它的视为未变。`;

/** Reads a report folder's files; a folder that is not a report is a message, not a throw. */
export function readReportFolder(dir: string): { folder: ReportFolder } | { error: string } {
  const full = path.resolve(dir);
  if (!existsSync(full) || !statSync(full).isDirectory()) return { error: `找不到报告文件夹：${dir}` };
  const texts: Partial<Record<RequiredFile, string>> = {};
  for (const f of REQUIRED_FILES) {
    const p = path.join(full, f);
    if (existsSync(p)) texts[f] = readFileSync(p, 'utf8');
  }
  const parsed = parseReportFolder(path.basename(full), texts);
  if (parsed.ok) return { folder: parsed.folder };
  if (parsed.missing.length)
    return { error: `${dir} 不是报告文件夹：缺少 ${parsed.missing.join('、')}（报告文件夹由 banbao report 生成，应含 ${REQUIRED_FILES.join('、')}）` };
  return { error: `${dir} 的报告文件有误：${parsed.problems.join('；')}。请重新运行 banbao report 生成该期报告` };
}

export async function runDiff(args: string[], log: DiffLogger): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        out: { type: 'string' },
        tolerance: { type: 'string', default: '0' },
        from: { type: 'string' },
        to: { type: 'string' },
        reports: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: true,
    });
  } catch (e) {
    log.warn(`${(e as Error).message}\n${DIFF_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    log.info(DIFF_USAGE);
    return 0;
  }
  const usage = (msg: string) => {
    log.warn(`${msg}\n${DIFF_USAGE}`);
    return 2;
  };
  let dirs: [string, string];
  let outRoot: string;
  if (values.from !== undefined || values.to !== undefined) {
    if (!values.from || !values.to) return usage('--from 与 --to 须同时给出（两个已出报告的期别，如 reports/ 下的文件夹名）');
    if (positionals.length) return usage('用 --from/--to 时不再给文件夹');
    const reports = values.reports ?? 'reports';
    dirs = [path.join(reports, values.from), path.join(reports, values.to)];
    outRoot = values.out ?? path.join(reports, 'diff');
  } else {
    if (values.reports !== undefined) return usage('--reports 只与 --from/--to 一起用');
    if (positionals.length !== 2) return usage(`需要两个报告文件夹，收到 ${positionals.length} 个`);
    dirs = [positionals[0], positionals[1]];
    outRoot = values.out ?? path.join('reports', 'diff');
  }
  const tolerance = Number(values.tolerance);
  if (values.tolerance!.trim() === '' || !Number.isFinite(tolerance) || tolerance < 0) return usage(`--tolerance 应为不小于 0 的数，收到“${values.tolerance}”`);

  const read = dirs.map(readReportFolder);
  const errors = read.flatMap((r) => ('error' in r ? [r.error] : []));
  if (errors.length) {
    for (const e of errors) log.warn(e);
    return 2;
  }
  const [a, b] = read.map((r) => (r as { folder: ReportFolder }).folder);
  if (a.period !== b.period && a.period > b.period) log.warn(`注意：A（${a.period}）晚于 B（${b.period}），“新增/删除”按 A → B 的方向计`);

  const diff = diffReports(a, b, { tolerance });
  const outDir = safeOutputPath(path.resolve(outRoot), `${a.name}..${b.name}`);
  const write = (file: string, data: string | Uint8Array) => writeAtomic(safeOutputPath(outDir, file), data);
  write('diff.csv', toCsv(DIFF_COLUMNS, diff.rows as unknown as Record<string, unknown>[]));
  write('diff.xlsx', await diffWorkbookBytes(diff));
  write('index.html', diffHtml(diff));
  write('summary.json', summaryJson(diff));
  for (const line of summaryLines(diff)) log.info(line);
  const shown = path.relative(process.cwd(), outDir);
  log.info(`输出 ${shown && !shown.startsWith('..') ? shown : outDir}/：diff.csv、diff.xlsx、index.html、summary.json`);
  return 0;
}
