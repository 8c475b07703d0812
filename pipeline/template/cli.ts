// `template`: writes the blank forms districts fill in for a period — one .xlsx per unit and its CSV
// twin — plus the check page (check.html) that goes out with them. Exit 0, or 2 on a usage error.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { makeContext } from '../context.ts';
import { safeOutputPath, writeAtomic } from '../io.ts';
import { listCataloguePeriods, loadCatalogue, loadPublished, loadReference } from '../reference/load.ts';
import { writeCheckPage } from '../outputs/check-page.ts';
import { loadPreviousFigures } from '../previous.ts';
import type { Logger } from '../report.ts';
import { templateCsv } from './csv.ts';
import { templateModel } from './model.ts';
import { templateXlsx } from './xlsx.ts';

const USAGE = '用法 usage: banbao template [--period <期别>] [--unit 单位代码|名称] [--detail] [--out reports/templates/<期别>] [--data data]';

export async function runTemplate(args: string[], log: Logger): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        period: { type: 'string' },
        unit: { type: 'string' },
        detail: { type: 'boolean', default: false },
        out: { type: 'string' },
        data: { type: 'string', default: 'data' },
        reports: { type: 'string', default: 'reports' },
      },
      allowPositionals: false,
    });
  } catch (e) {
    log.warn(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values } = parsed;
  const dataDir = path.resolve(values.data!);
  const known = listCataloguePeriods(dataDir);
  const period = values.period ?? known[known.length - 1];
  if (!period || !known.includes(period)) {
    log.warn(`没有 ${period ?? '任何期别'} 的指标目录 data/catalogue/${period ?? '<期别>'}.yaml（已有：${known.join('、') || '无'}）\n${USAGE}`);
    return 2;
  }
  const ref = loadReference(dataDir);
  const ctx = makeContext(ref, loadCatalogue(dataDir, period), loadPublished(dataDir, period));
  let units = ctx.units.map((u) => u.code as string);
  if (values.unit) {
    const u = ctx.matchUnits.exact(values.unit);
    if (!u) {
      const eg = ctx.units.find((x) => x.level === 'district') ?? ctx.units[0];
      log.warn(`“${values.unit}”不是填报单位（可用代码或名称，如 ${eg.code}、${eg.name}）\n${USAGE}`);
      return 2;
    }
    units = [u];
  }
  // apart from reports/<period>/, which each report replaces whole
  const outDir = path.resolve(values.out ?? path.join('reports', 'templates', period));
  const written: string[] = [];
  for (const unit of units) {
    const model = templateModel(ctx, unit, { detail: values.detail });
    writeAtomic(safeOutputPath(outDir, `${model.fileStem}.xlsx`), await templateXlsx(model, ctx));
    writeAtomic(safeOutputPath(outDir, `${model.fileStem}.csv`), templateCsv(model));
    written.push(`${model.fileStem}${model.detail ? '（含村社明细）' : ''}`);
  }
  // the previous half-year from the last built report, embedded for these units only
  const prev = loadPreviousFigures(path.resolve(values.reports!), period);
  const previous = prev.figures ? { ...prev.figures, values: prev.figures.values.filter((v) => units.includes(v.unit)) } : undefined;
  await writeCheckPage({ ctx }, (rel, data) => writeAtomic(safeOutputPath(outDir, rel), data), previous);
  log.info(prev.note);
  const shown = path.relative(process.cwd(), outDir) || '.';
  log.info(`${period} 填报模板 ${written.length} 份（.xlsx 与 .csv）：${written.join('、')}`);
  log.info(`已写入 ${shown}/，连同报送前自查页面 check.html（浏览器离线打开，拖入文件即可检查）`);
  return 0;
}
