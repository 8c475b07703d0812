// `bulletin`: the edge for the half-year 通报 — compute the period as `report` does, draft it from
// the phrasing file, write reports/<period>/通报.docx and 通报.md atomically; --publish also writes
// data/published/<period>.yaml from the phrases it wrote. Returns the exit status (cli.ts sets it).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { listCataloguePeriods, listPeriods, loadPublished, loadRoster, loadUnits } from '../reference/load.ts';
import { computePeriod, type Logger } from '../report.ts';
import { writeAtomic } from '../io.ts';
import { runReport } from '../report-cli.ts';
import { draftFor } from './outputs.ts';
import type { PeriodResult } from '../run.ts';
import { PhrasingError } from './draft.ts';
import { loadPhrasing, phrasingPath, scaffoldPhrasing } from './phrasing.ts';
import { publishFigures, publishedYaml } from './publish.ts';

export { periodEnd } from './outputs.ts';

export const BULLETIN_DOC = (period: string) => `${period}/通报.docx`;

/** `bulletin [--period P] [--data data] [--out reports] [--publish]` */
export async function runBulletin(args: string[], log: Logger): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { period: { type: 'string' }, data: { type: 'string', default: 'data' }, out: { type: 'string', default: 'reports' }, publish: { type: 'boolean', default: false } },
    allowPositionals: false,
  });
  const dataDir = path.resolve(values.data!);
  const outDir = path.resolve(values.out!);
  if (values.period !== undefined && !/^\d{4}H[12]$/.test(values.period)) {
    log.warn(`期别格式应为 2018H1 / 2018H2（收到 “${values.period}”）`);
    return 2;
  }
  const catalogued = new Set(listCataloguePeriods(dataDir));
  const period = values.period ?? listPeriods(dataDir).filter((p) => catalogued.has(p)).pop();
  if (!period) {
    log.warn(`${dataDir}/submissions 下没有可用的期别（需 submissions/<期别>/ 和 catalogue/<期别>.yaml）`);
    return 2;
  }
  const ref = { units: loadUnits(dataDir), roster: loadRoster(dataDir) };
  const opts = { dataDir, outDir, ref, log, toolVersion: '' };
  const cache = new Map<string, PeriodResult | null>();
  log.info(`[${period}] 计算本期数据 ingest → normalize → validate → reconcile`);
  const result = await computePeriod(period, opts, cache);
  if (!result) {
    log.warn(`[${period}] 没有 data/submissions/${period}/ 或 data/catalogue/${period}.yaml`);
    return 2;
  }
  if (!loadPhrasingOrNull(dataDir, period, log)) {
    const file = phrasingPath(dataDir, period);
    writeAtomic(file, scaffoldPhrasing(result.ctx.catalogue));
    log.info(`[${period}] 没有措辞文件，已按默认（全部照印准确数）生成 ${path.relative(process.cwd(), file) || file}，可修改后重新运行`);
  }
  const draft = draftFor(result, dataDir, cache);
  if (!draft) return 2;
  if ('refused' in draft) {
    log.warn(`[${period}] 以下措辞与数据不符，未写出通报（请修改 ${path.relative(process.cwd(), phrasingPath(dataDir, period))}）：`);
    for (const m of draft.refused) log.warn(`  ${m}`);
    return 1;
  }
  const model = draft.model;
  log.info(`[${period}] 通报草稿：${model.figures.length} 个数字均已按公布口径读回核实${model.pending.length ? `；待核实 ${model.pending.length} 处` : ''}`);
  for (const p of model.pending) log.info(`  待核实 ${p.where}：${p.reasons.join('；')}`);
  if (values.publish) {
    const doc = BULLETIN_DOC(period);
    const { file, changes } = publishFigures(model, loadPublished(dataDir, period), doc);
    const target = path.join(dataDir, 'published', `${period}.yaml`);
    writeAtomic(target, publishedYaml(file, doc));
    const zh = { added: '新增', replaced: '替换', removed: '删除', kept: '保留' } as const;
    log.info(`[${period}] 已写出 ${path.relative(process.cwd(), target) || target}（${file.figures.length} 个公布数）；下面的 report 即据此核对`);
    for (const c of changes) log.info(`  ${zh[c.kind]} ${c.id}${c.before ? `：${c.before}` : ''}${c.after ? ` → ${c.after}` : ''}`);
  }
  // the bulletin is one of the period's report outputs (通报.docx, 通报.md beside the workbook, in the
  // manifest): the report writes the period's folder whole, so nothing it replaces is lost
  log.info(`[${period}] 写出报告与通报 → ${path.join(path.relative(process.cwd(), outDir) || outDir, period)}/通报.docx、通报.md`);
  return runReport(['--period', period, '--data', dataDir, '--out', outDir], log);
}

/** The phrasing file, or null when there is none (a broken one is reported by draftFor). */
function loadPhrasingOrNull(dataDir: string, period: string, log: Logger): boolean {
  try {
    return loadPhrasing(dataDir, period) !== null;
  } catch (e) {
    if (e instanceof PhrasingError) {
      log.warn(`措辞文件有误 ${phrasingPath(dataDir, period)}: ${e.message}`);
      return true;
    }
    throw e;
  }
}
