// `bulletin`: the edge for the half-year 通报 — compute the period as `report` does, draft it from
// the phrasing file, write reports/<period>/通报.docx and 通报.md atomically; --publish also writes
// data/published/<period>.yaml from the phrases it wrote. Returns the exit status (cli.ts sets it).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { listCataloguePeriods, listPeriods, loadPublished, loadRoster, loadUnits } from '../reference/load.ts';
import { computePeriod, type Logger } from '../report.ts';
import { previousPeriod, yearEarlier } from '../context.ts';
import { acquireLock, safeOutputPath, writeAtomic } from '../io.ts';
import type { PeriodResult } from '../run.ts';
import { DraftRefused, PhrasingError, draftBulletin } from './draft.ts';
import { loadPhrasing, phrasingPath, scaffoldPhrasing } from './phrasing.ts';
import { bulletinMarkdown } from './markdown.ts';
import { bulletinDocx } from './docx.ts';
import { publishFigures, publishedYaml } from './publish.ts';

/** The last day of a period, the document's fixed date: 2018H1 → 2018-06-30. */
export function periodEnd(period: string): Date {
  return new Date(`${period.slice(0, 4)}-${period.endsWith('H1') ? '06-30' : '12-31'}T00:00:00Z`);
}

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
  const lock = acquireLock(outDir);
  if ('busy' in lock) {
    log.warn(`另一个 banbao 进程正在写 ${outDir}（进程 ${lock.busy}）：请等它结束后再运行 (another run holds the lock)`);
    return 3;
  }
  try {
    log.info(`[${period}] 计算本期数据 ingest → normalize → validate → reconcile`);
    const result = await computePeriod(period, opts, cache);
    if (!result) {
      log.warn(`[${period}] 没有 data/submissions/${period}/ 或 data/catalogue/${period}.yaml`);
      return 2;
    }
    const fromHistory = (p: string) => cache.get(p) ?? cache.get(`${p}#history`) ?? undefined;
    let phrasing = loadPhrasing(dataDir, period);
    if (!phrasing) {
      const file = phrasingPath(dataDir, period);
      writeAtomic(file, scaffoldPhrasing(result.ctx.catalogue));
      log.info(`[${period}] 没有措辞文件，已按默认（全部照印准确数）生成 ${path.relative(process.cwd(), file) || file}，可修改后重新运行`);
      phrasing = loadPhrasing(dataDir, period)!;
    }
    let model;
    try {
      model = draftBulletin({ result, previous: fromHistory(previousPeriod(period)), yearEarlier: fromHistory(yearEarlier(period)), phrasing });
    } catch (e) {
      if (e instanceof DraftRefused) {
        log.warn(`[${period}] 以下措辞与数据不符，未写出通报（请修改 ${path.relative(process.cwd(), phrasingPath(dataDir, period))}）：`);
        for (const r of e.refusals) log.warn(`  ${r.message}`);
        return 1;
      }
      if (e instanceof PhrasingError) {
        log.warn(`措辞文件有误 ${phrasingPath(dataDir, period)}: ${e.message}`);
        return 2;
      }
      throw e;
    }
    const dir = safeOutputPath(outDir, period);
    const docx = await bulletinDocx(model, periodEnd(period));
    writeAtomic(path.join(dir, '通报.md'), bulletinMarkdown(model));
    writeAtomic(path.join(dir, '通报.docx'), docx);
    log.info(`[${period}] 已写出 ${path.join(path.relative(process.cwd(), dir) || dir, '通报.docx')} 与 通报.md：${model.figures.length} 个数字均已按公布口径读回核实${model.pending.length ? `；待核实 ${model.pending.length} 处` : ''}`);
    for (const p of model.pending) log.info(`  待核实 ${p.where}：${p.reasons.join('；')}`);
    if (values.publish) {
      const doc = BULLETIN_DOC(period);
      const { file, changes } = publishFigures(model, loadPublished(dataDir, period), doc);
      const target = path.join(dataDir, 'published', `${period}.yaml`);
      writeAtomic(target, publishedYaml(file, doc));
      const zh = { added: '新增', replaced: '替换', removed: '删除', kept: '保留' } as const;
      log.info(`[${period}] 已写出 ${path.relative(process.cwd(), target) || target}（${file.figures.length} 个公布数）；下次 report 将据此核对`);
      for (const c of changes) log.info(`  ${zh[c.kind]} ${c.id}${c.before ? `：${c.before}` : ''}${c.after ? ` → ${c.after}` : ''}`);
    }
    if (!existsSync(path.join(dir, 'manifest.json'))) log.info(`  （reports/${period}/ 还没有 report 的输出；运行 make report PERIOD=${period} 可生成工作簿与核对表）`);
    return 0;
  } finally {
    lock.release();
  }
}
