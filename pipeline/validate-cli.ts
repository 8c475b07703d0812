// `validate <files…>`: the check before submitting, from the command line. Prints findings grouped by
// file, writes them as CSV and JSON, exits 0 (clean) / 1 (errors) / 2 (usage).
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Finding } from '../schemas/finding.ts';
import { makeContext } from './context.ts';
import { checkFile, type FileCheck } from './check.ts';
import { readInput, safeOutputPath, writeAtomic } from './io.ts';
import { listCataloguePeriods, loadCatalogue, loadPublished, loadReference } from './reference/load.ts';
import { periodsIn } from './normalize/match.ts';
import { formatReadBack } from './normalize/read-back.ts';
import { toCsv } from './outputs/csv.ts';
import { FINDING_COLUMNS } from './outputs/tables.ts';
import type { Logger } from './report.ts';
import { loadPreviousFigures, previousForRules } from './previous.ts';

function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u2e80-\uffef]/.test(ch) ? 2 : 1;
  return w;
}
const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - width(s)));

/** Findings printed per file: a file of a million bad cells is read in findings.csv, not in the terminal. */
export const PRINTED_FINDINGS = 200;

/** A readable table of one file's findings: the first `limit`, then how many more and where they are. */
export function formatFindings(check: FileCheck, unitName: (code: string) => string = (c) => c, limit = PRINTED_FINDINGS): string {
  const lines: string[] = [];
  const errors = check.findings.filter((f) => f.severity === 'error').length;
  const warnings = check.findings.length - errors;
  const enc = check.record?.encoding ? `，编码 ${check.record.encoding}` : '';
  const layout = check.record?.layouts ? `，${check.record.layouts}` : '';
  lines.push(`■ ${check.file}${enc}${layout}`);
  lines.push(...formatReadBack(check.read ?? [], unitName));
  if (!check.findings.length) {
    lines.push('  ✓ 没有发现问题，可以报送 (no findings: ready to submit)');
    return lines.join('\n');
  }
  const explained = check.findings.filter((f) => f.severity === 'warning' && f.confirmed).length;
  lines.push(`  错误 ${errors} 条，提示 ${warnings} 条${warnings ? `（已说明 ${explained} 条，待说明 ${warnings - explained} 条${warnings > explained ? '：核实后在该行“上报说明”列写明原因' : ''}）` : ''}`);
  const said = (f: Finding) => (f.severity !== 'warning' ? '' : f.confirmed ? `【已说明：${f.confirmed}${f.confirmed_by ? `——${f.confirmed_by}` : ''}】` : '【待说明】');
  // when not all are printed, the errors come first (a late row's error is not hidden behind warnings)
  const shown = check.findings.length <= limit ? check.findings : [...check.findings.filter((f) => f.severity === 'error'), ...check.findings.filter((f) => f.severity !== 'error')].slice(0, limit);
  const rows = shown.map((f) => [f.severity === 'error' ? '错误' : f.confirmed ? '提示·已说明' : '提示·待说明', f.sheet || '—', f.cell || '—', f.code, f.message + said(f)]);
  const w = [0, 1, 2, 3].map((i) => rows.reduce((m, r) => Math.max(m, width(r[i])), 0));
  for (const r of rows) lines.push(`  ${pad(r[0], w[0])}  ${pad(r[1], w[1])}  ${pad(r[2], w[2])}  ${pad(r[3], w[3])}  ${r[4]}`);
  if (check.findings.length > shown.length) lines.push(`  ……另 ${check.findings.length - shown.length} 条，见输出目录中的 findings.csv`);
  return lines.join('\n');
}

export async function runValidate(args: string[], log: Logger): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { period: { type: 'string' }, data: { type: 'string', default: 'data' }, out: { type: 'string', default: 'reports/validate' }, reports: { type: 'string', default: 'reports' } }, allowPositionals: true });
  } catch (e) {
    log.warn(`${(e as Error).message}\n用法: banbao validate <文件…> [--period <期别>] [--out 目录]`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (!positionals.length) {
    log.warn('用法 usage: banbao validate <文件…> [--period <期别>] [--out 目录]');
    return 2;
  }
  const dataDir = path.resolve(values.data!);
  const known = listCataloguePeriods(dataDir);
  if (values.period && !known.includes(values.period)) {
    log.warn(`没有 ${values.period} 的指标目录（已有：${known.join('、')}）`);
    return 2;
  }
  const ref = loadReference(dataDir);
  const ctxFor = (p: string) => makeContext(ref, loadCatalogue(dataDir, p), loadPublished(dataDir, p));
  // the previous half-year from the last built report (reports/<previous>/), said once per period
  const previous = new Map<string, ReturnType<typeof loadPreviousFigures>>();
  const previousFor = (p: string) => {
    if (!previous.has(p)) {
      previous.set(p, loadPreviousFigures(path.resolve(values.reports!), p));
      log.info(previous.get(p)!.note);
    }
    return previousForRules(previous.get(p)!.figures);
  };
  const all: Finding[] = [];
  const checks: FileCheck[] = [];
  for (const file of positionals) {
    const input = readInput(path.resolve(file), file);
    // the period: --period, else the one the file names (title or file name), else the latest catalogue
    let period = values.period ?? periodsIn(path.basename(file)).find((p) => known.includes(p)) ?? known[known.length - 1];
    let check = await checkFile(input, ctxFor(period), previousFor(period));
    const claimed = check.parsed?.period;
    if (!values.period && claimed && claimed !== period && known.includes(claimed)) {
      period = claimed;
      check = await checkFile(input, ctxFor(period), previousFor(period));
    }
    check.findings = check.findings.filter((f) => !(f.code === 'file.period_other' && !values.period));
    checks.push(check);
    all.push(...check.findings.map((f) => ({ ...f, period: f.period || period })));
    log.info(formatFindings(check, (u) => ref.units.find((x) => x.code === u)?.name ?? u));
    log.info('');
  }
  const outDir = path.resolve(values.out!);
  writeAtomic(safeOutputPath(outDir, 'findings.csv'), toCsv(FINDING_COLUMNS, all as unknown as Record<string, unknown>[]));
  // with the table as read per file (#13): what was taken, from which cell, as written
  const read = Object.fromEntries(checks.map((c) => [c.file, c.read ?? []]));
  writeAtomic(safeOutputPath(outDir, 'findings.json'), JSON.stringify({ findings: all, read }, null, 2) + '\n');
  const { writeAnnotatedCopies } = await import('./outputs/annotate.ts');
  const copies = await writeAnnotatedCopies(checks, positionals, outDir, (note) => log.info(note));
  const errors = all.filter((f) => f.severity === 'error').length;
  log.info(`共 ${positionals.length} 个文件：错误 ${errors} 条，提示 ${all.length - errors} 条。结果已写入 ${path.relative(process.cwd(), outDir) || '.'}/findings.csv、findings.json${copies.length ? `，标注副本 ${copies.join('、')}` : ''}`);
  return errors > 0 ? 1 : 0;
}
