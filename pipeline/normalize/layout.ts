// Normalize, the conductor: find the form in a Source (long 填报表, wide 汇总表, village-level 村社明细),
// settle the unit and period from what the file claims, and let the reader of the form's layout list
// every figure with its cell. The parts: header.ts (which row and columns), claims.ts (unit and period
// said by titles, labels, sheet and file names), read-long / read-wide / read-detail.ts (the readers),
// vocabulary.ts (the words offices use).
import type { Finding } from '../../schemas/finding.ts';
import { finding } from '../messages.ts';
import { type Sheet, type Source, a1, cellAt, cellText } from '../ingest/grid.ts';
import { halfOfSpan, otherPeriodsIn, periodsIn } from './match.ts';
import { type LayoutContext, type ParsedFile } from './form.ts';
import { type Header, detectHeader, filledText } from './header.ts';
import { type Claim, type SheetClaims, describeConflict, distinct, fileNameClaims, sheetClaims } from './claims.ts';
import { readLong } from './read-long.ts';
import { readWide } from './read-wide.ts';
import { readDetail } from './read-detail.ts';

export type { DetailRow, Layout, LayoutContext, Loc, Observation, ParsedFile } from './form.ts';
export { locOf } from './form.ts';
export { detectHeader } from './header.ts';

/** Parses every form in a Source into observations with provenance, plus findings. */
export function parseForms(source: Source, ctx: LayoutContext, opts: { detailPrefixes?: Iterable<string> } = {}): { parsed?: ParsedFile; findings: Finding[] } {
  const file = source.file;
  const findings: Finding[] = [];
  const headers: { sheet: Sheet; header: Header }[] = [];
  for (const sheet of source.sheets) {
    const header = detectHeader(sheet, ctx);
    if (header) headers.push({ sheet, header });
  }
  if (headers.length === 0) return { findings: [finding('file.no_form', { file })] };

  // of several forms: the one for the period being read (its title or sheet name says so), then one
  // that names no period, then the rest; visible sheets before hidden ones; then in sheet order
  const claimsOf = new Map(headers.map(({ sheet, header }) => [sheet, sheetClaims(sheet, header.row, file, ctx)]));
  const periodRank = (sheet: Sheet) => {
    const c = claimsOf.get(sheet)!;
    const named = distinct(c.periods.length ? c.periods : c.weakPeriods);
    if (!named.length) {
      // sheets named 上半年 / 下半年 (or 1-6月 / 7-12月) without the year: the half being read first
      const half = halfOfSpan(sheet.name);
      if (half && ctx.period) return ctx.period.endsWith(half) ? 0 : 2;
      return 1;
    }
    return ctx.period && named.includes(ctx.period) ? 0 : 2;
  };
  const byPreference = (a: { sheet: Sheet }, b: { sheet: Sheet }) => periodRank(a.sheet) - periodRank(b.sheet) || Number(a.sheet.hidden) - Number(b.sheet.hidden);
  const summaries = headers.filter((h) => h.header.layout !== 'detail').sort(byPreference);
  const details = headers.filter((h) => h.header.layout === 'detail').sort(byPreference);
  const used = [...summaries.slice(0, 1), ...details.slice(0, 1)];
  // two forms no rule tells apart (same period, both visible: 填报表 and the corrected 填报表 (2)):
  // like two files of one unit, neither is read
  const twin = summaries.length > 1 && byPreference(summaries[0], summaries[1]) === 0 ? summaries.filter((s) => byPreference(s, summaries[0]) === 0) : [];
  if (twin.length > 1) {
    const active = twin.find((t) => t.sheet.active);
    findings.push(
      finding('sheet.same_period', { file, sheet: twin[0].sheet.name }, {
        detail: `${twin.map((t) => `“${t.sheet.name}”`).join('、')}${active ? `（打开文件时显示的是“${active.sheet.name}”）` : ''}`,
      }),
    );
    return { findings };
  }
  if (summaries.length > 1)
    findings.push(
      finding('sheet.several_forms', { file, sheet: summaries[0].sheet.name }, {
        what: summaries[0].sheet.name,
        detail: `未读取 ${summaries.slice(1).map((s) => `“${s.sheet.name}”`).join('、')}`,
      }),
    );
  for (const { sheet } of used) if (sheet.hidden) findings.push(finding('sheet.hidden', { file, sheet: sheet.name }, { what: sheet.name }));

  // unit and period claims: title lines of the used sheets, the file name, a unit column
  const unitClaims: Claim[] = [];
  const periodClaims: Claim[] = [];
  const guessed: SheetClaims['guessed'] = [];
  const weakPeriods: Claim[] = [];
  let unknownUnit: SheetClaims['unknownUnit'];
  for (const { sheet, header } of used) {
    const t = claimsOf.get(sheet)!;
    unitClaims.push(...t.units);
    periodClaims.push(...t.periods);
    guessed.push(...t.guessed);
    weakPeriods.push(...t.weakPeriods);
    unknownUnit ??= t.unknownUnit;
    if (header.layout === 'long') {
      // the value column's own header may name the period (2018年上半年)
      const text = filledText(sheet, header.row, header.value) || (header.row > 0 ? filledText(sheet, header.row - 1, header.value) : '');
      for (const p of [...periodsIn(text), ...otherPeriodsIn(text)]) periodClaims.push({ value: p, source: `表头 ${sheet.name ? sheet.name + '!' : ''}${a1(header.row, header.value)}“${text}”` });
    }
  }
  const fn = fileNameClaims(file, ctx);
  unitClaims.push(...fn.units);
  periodClaims.push(...fn.periods);

  const parsed: ParsedFile = {
    file,
    layouts: used.map(({ sheet, header }) => ({ layout: header.layout, sheet: sheet.name })),
    observations: [],
    details: [],
    itemsSeen: new Map(),
    unitLoc: new Map(),
  };

  const summary = summaries[0];
  let wideUnits: string[] = [];
  // a 报告期 column (long or wide) is one more period claim
  if (summary && (summary.header.layout === 'long' || summary.header.layout === 'wide') && summary.header.periodCol !== undefined) {
    const { row, periodCol } = summary.header;
    for (let r = row + 1; r < summary.sheet.rows.length; r++) {
      const t = cellText(cellAt(summary.sheet, r, periodCol));
      for (const p of periodsIn(t)) periodClaims.push({ value: p, source: `“报告期”列 ${a1(r, periodCol)}` });
    }
  }
  if (summary?.header.layout === 'long') {
    const h = summary.header;
    // a 填报单位 column is one more claim
    if (h.reporter !== undefined) {
      for (let r = h.row + 1; r < summary.sheet.rows.length; r++) {
        const t = cellText(cellAt(summary.sheet, r, h.reporter));
        const u = t ? (ctx.units.exact(t) ?? ctx.units.within(t)[0]) : undefined;
        if (u) unitClaims.push({ value: u, source: `“填报单位”列 ${a1(r, h.reporter)}` });
      }
    }
  }
  const detail = details[0];
  if (detail && detail.header.layout === 'detail') {
    readDetail(detail.sheet, detail.header, file, ctx, parsed);
    if (unitClaims.length === 0) {
      // a detail-only file names its unit through the village codes (first six digits)
      // (a large CSV read in a stream: the prefixes of every row, gathered while streaming)
      const prefixes = [...new Set([...parsed.details.map((d) => d.code.slice(0, 6)), ...(opts.detailPrefixes ?? [])])].filter((p) => ctx.units.exact(p));
      if (prefixes.length === 1) unitClaims.push({ value: prefixes[0], source: '村社代码' });
    }
  }
  // Period: every source must agree; the folder is one more source. A sheet's name counts only when
  // nothing else names the period. A full year or a quarter (2018年1-12月) is not a half-year.
  if (periodClaims.length === 0) periodClaims.push(...weakPeriods);
  const periods = distinct(periodClaims);
  const halfYear = (p: string) => /^\d{4}H[12]$/.test(p);
  if (periods.length > 1) {
    findings.push(finding('file.period_conflict', { file }, { detail: describeConflict(periodClaims, (v) => v) }));
  } else if (periods.length === 1) {
    if (halfYear(periods[0])) parsed.period = periods[0];
    if (ctx.period && periods[0] !== ctx.period)
      findings.push(finding('file.period_other', { file, period: ctx.period }, { other: periods[0], period: ctx.period }));
    else if (!ctx.period && !halfYear(periods[0])) findings.push(finding('file.period_unknown', { file, raw: periods[0] }));
  } else if (ctx.period) parsed.period = ctx.period;
  else findings.push(finding('file.period_unknown', { file }));

  // nothing names the unit outright: a title naming one unit, else a signature, else the sheet's name
  let inferred: Claim | undefined;
  if (unitClaims.length === 0)
    for (const tier of [1, 2, 3] as const) {
      const named = distinct(guessed.filter((g) => g.tier === tier));
      if (named.length > 1) break; // two units named at one level: no guess
      if (named.length === 1) {
        const claim = guessed.find((g) => g.tier === tier)!;
        unitClaims.push(claim);
        if (tier > 1) inferred = claim;
        break;
      }
    }
  const units = distinct(unitClaims);
  if (summary?.header.layout === 'wide') {
    wideUnits = readWide(summary.sheet, summary.header, file, ctx, parsed, findings);
  } else {
    if (units.length > 1) findings.push(finding('file.unit_conflict', { file }, { detail: describeConflict(unitClaims, ctx.units.name) }));
    else if (units.length === 1) {
      parsed.unit = units[0];
      if (inferred && summary?.header.layout === 'long')
        findings.push(finding('file.unit_inferred', { file, sheet: summary.sheet.name, unit: units[0] }, { unit: ctx.units.name(units[0]), detail: inferred.source }));
    }
    else findings.push(unknownUnit ? finding('file.unit_unknown', { ...unknownUnit.loc, raw: unknownUnit.raw }, { what: ctx.reporters }) : finding('file.unit_unknown', { file }));
    const tied = summary?.header.layout === 'long' ? summary.header.tied : undefined;
    if (tied && summary) {
      // two columns one rule picks alike: no figure is read, the candidates are named
      findings.push(
        finding('reading.uncertain', { file, sheet: summary.sheet.name, cell: a1(summary.header.row, tied.cols[0]), row: summary.header.row + 1, col: tied.cols[0] + 1, unit: parsed.unit ?? '' }, {
          what: '哪一列是本期数',
          detail: `${tied.cols.map((c, i) => `${a1(summary.header.row, c)}“${tied.texts[i]}”`).join('、')}${tied.reason}`,
        }),
      );
    } else if (summary?.header.layout === 'long' && parsed.unit)
      readLong(summary.sheet, summary.header, file, parsed.unit, ctx, parsed, findings);
  }
  void wideUnits;

  // hidden rows inside the used forms: read, and say so
  for (const { sheet, header } of used) {
    const hidden = sheet.hiddenRows.filter((r) => r - 1 > header.row);
    if (hidden.length)
      findings.push(
        finding('sheet.hidden_rows', { file, sheet: sheet.name, row: hidden[0], cell: `A${hidden[0]}` }, { what: hidden.join('、') }),
      );
  }
  return { parsed, findings };
}
