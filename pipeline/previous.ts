// The previous half-year's figures for the checks before sending (validate, check.html): taken from
// the last built report of that period, reports/<previous>/ (reconciled.csv with its manifest), so a
// district hears of a stock that fell or a change over the limit before the city asks afterwards.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { previousPeriod } from './context.ts';
import { REQUIRED_FILES, parseReportFolder, type RequiredFile } from './diff/folder.ts';
import { previousFromValues, type PreviousFigures } from './previous-figures.ts';

export { previousForRules, previousFromValues, type PreviousFigures } from './previous-figures.ts';

/**
 * The previous half-year of `period` from reports/<previous>/, if it was built and reads cleanly;
 * else undefined (and why, for the caller to say).
 */
export function loadPreviousFigures(reportsDir: string, period: string): { figures?: PreviousFigures; note: string } {
  const prev = previousPeriod(period);
  const dir = path.join(reportsDir, prev);
  if (!existsSync(path.join(dir, 'manifest.json'))) return { note: `${prev} 尚未汇总（没有 ${dir}），与上期的比较未做` };
  const texts: Partial<Record<RequiredFile, string>> = {};
  for (const f of REQUIRED_FILES) if (existsSync(path.join(dir, f))) texts[f] = readFileSync(path.join(dir, f), 'utf8');
  const parsed = parseReportFolder(prev, texts);
  if (!parsed.ok) return { note: `${dir} 不完整或无法读取（${[...parsed.missing, ...parsed.problems].join('；')}），与上期的比较未做` };
  const values = parsed.folder.values.filter((v) => v.status === 'value').map((v) => ({ unit: v.unit, indicator: v.indicator, value: v.value, status: 'value' as const, loc: null, raw: '', note: '', origin: 'form' as const }));
  return { figures: previousFromValues(prev, values), note: `与上期比较：${prev}（${dir}）` };
}
