// The bulletin as one of the report's own outputs: when data/bulletin/<period>.yaml exists (the analyst
// asked for a 通报), `report` drafts it from the figures it just computed and writes 通报.md and
// 通报.docx into reports/<period>/ with everything else (listed in the manifest, swapped in whole).
// A phrase the data does not bear out is refused: no bulletin is written and the run fails.
import { previousPeriod, yearEarlier } from '../context.ts';
import type { PeriodResult } from '../run.ts';
import { DraftRefused, PhrasingError, draftBulletin, type BulletinModel } from './draft.ts';
import { loadPhrasing } from './phrasing.ts';

/** The last day of a period, the document's fixed date: 2018H1 → 2018-06-30. */
export function periodEnd(period: string): Date {
  return new Date(`${period.slice(0, 4)}-${period.endsWith('H1') ? '06-30' : '12-31'}T00:00:00Z`);
}

export type BulletinDraft = { model: BulletinModel } | { refused: string[] } | undefined;

/** The period's draft, if it has a phrasing file; results of other periods come from the run's cache. */
export function draftFor(result: PeriodResult, dataDir: string, cache: Map<string, PeriodResult | null>): BulletinDraft {
  let phrasing;
  try {
    phrasing = loadPhrasing(dataDir, result.period);
  } catch (e) {
    if (e instanceof PhrasingError) return { refused: [`措辞文件有误 data/bulletin/${result.period}.yaml: ${e.message}`] };
    throw e;
  }
  if (!phrasing) return undefined;
  const fromHistory = (p: string) => cache.get(p) ?? cache.get(`${p}#history`) ?? undefined;
  try {
    return { model: draftBulletin({ result, previous: fromHistory(previousPeriod(result.period)), yearEarlier: fromHistory(yearEarlier(result.period)), phrasing }) };
  } catch (e) {
    if (e instanceof DraftRefused) return { refused: e.refusals.map((r) => r.message) };
    if (e instanceof PhrasingError) return { refused: [`措辞文件有误 data/bulletin/${result.period}.yaml: ${e.message}`] };
    throw e;
  }
}

/** Writes 通报.md and 通报.docx through the report's own writer. */
export async function writeBulletin(model: BulletinModel, period: string, write: (rel: string, data: string | Uint8Array) => void): Promise<void> {
  // the docx library is loaded only by a run that writes a bulletin
  const [{ bulletinMarkdown }, { bulletinDocx }] = await Promise.all([import('./markdown.ts'), import('./docx.ts')]);
  write('通报.md', bulletinMarkdown(model));
  write('通报.docx', await bulletinDocx(model, periodEnd(period)));
}
