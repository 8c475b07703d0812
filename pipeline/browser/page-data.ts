// What the check page embeds for one period — only what checkFile needs: the catalogue, the units, and
// the roster reduced to village codes per unit (for 村社明细 checks and the roster limit) — and the
// period context rebuilt from it in the browser. Pure: no DOM, no disk; shared by the page writer and the page.
import type { Catalogue } from '../../schemas/catalogue.ts';
import type { RosterEntry, Unit } from '../../schemas/units.ts';
import { Roster, type RosterRow } from '../reference/roster.ts';
import { type PeriodContext, makeContext } from '../context.ts';
import { cmp } from '../compare.ts';
import type { PreviousFigures } from '../previous-figures.ts';

export interface CheckPageData {
  period: string;
  catalogue: Catalogue;
  units: Unit[];
  /** unit code → its village-level units' 12-digit codes, sorted */
  roster: Record<string, string[]>;
  /** the previous half-year's figures (last built report), for the stock-fell and change checks */
  previous?: PreviousFigures;
}

/** The page's data for a period's context. Sorted, so the same context gives the same JSON. */
export function checkPageData(ctx: PeriodContext, previous?: PreviousFigures): CheckPageData {
  const sorted: Record<string, string[]> = {};
  for (const k of ctx.roster.units().sort(cmp)) sorted[k] = ctx.roster.codesOfUnit(k);
  return { period: ctx.period, catalogue: ctx.catalogue, units: ctx.units, roster: sorted, ...(previous ? { previous } : {}) };
}

/**
 * The period context checkFile runs with in the page. Roster names and towns are not embedded (no
 * check reads them); the type follows the code's last three digits, as in the roster file.
 * No published figures, confirmations or choices: those belong to the city's run, not to a file.
 */
export function contextFromPageData(data: CheckPageData): PeriodContext {
  const roster: RosterRow[] = [];
  for (const [unit, codes] of Object.entries(data.roster))
    for (const code of codes)
      roster.push({
        code,
        name: '',
        town_code: code.slice(0, 9),
        town_name: '',
        unit_code: unit as RosterEntry['unit_code'],
        type: Number(code.slice(9)) < 200 ? '居委会' : '村委会',
      });
  return makeContext({ units: data.units, roster: Roster.fromEntries(roster) }, data.catalogue, { period: data.catalogue.period, figures: [] });
}
