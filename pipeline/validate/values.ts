// Validate, part 1: each figure read → a unit value (number, missing, n/a or invalid) with findings;
// duplicates between files, missing rows, missing units, and village-level detail summed to the unit.
import type { Finding, FindingCode } from '../../schemas/finding.ts';
import type { ReportedItem } from '../../schemas/catalogue.ts';
import { finding } from '../messages.ts';
import { type Cell, a1 } from '../ingest/grid.ts';
import type { DetailRow, Loc, ParsedFile } from '../normalize/layout.ts';
import { parseSubmittedValue } from '../normalize/chinese-number.ts';
import { type PeriodContext, isReporter, regionScope, reportersOf } from '../context.ts';
import { cmp } from '../compare.ts';
import { explainedByAnalyst } from './explain.ts';
import { CappedFindings, FileFindings, type FindingSink } from './finding-cap.ts';

/** value / missing / na / invalid: the schema's (reconciled.csv status). */
export type { ValueStatus } from '../../schemas/reconciled.ts';
import type { ValueStatus } from '../../schemas/reconciled.ts';

/** One unit × reported item after validation: the row of reconciled.csv. */
export interface UnitValue {
  unit: string;
  indicator: string;
  value: number | null;
  status: ValueStatus;
  loc: Loc | null;
  raw: string;
  note: string;
  /** 'form' (the unit's row), 'detail' (summed from 村社明细), 'none' (not submitted) */
  origin: 'form' | 'detail' | 'none';
}

const NO_LOC = { file: '', sheet: '', cell: '', row: null, col: null };

function locFields(loc: Loc | null) {
  return loc ? { file: loc.file, sheet: loc.sheet, cell: loc.cell, row: loc.row, col: loc.col } : NO_LOC;
}

/** Reads one cell as a count for an item: a number, or why not. */
export function readCount(
  cell: Cell,
  raw: string,
  item: ReportedItem,
  reporter: boolean,
  where: { loc: Loc; unit: string; period: string },
  opts: { yesNo?: boolean } = {},
): { value: number | null; status: ValueStatus; findings: Finding[] } {
  const expected = `非负整数（${item.measure}）${item.na_allowed ? '，不适用填“—”' : ''}${opts.yesNo ? '，或 是/否' : ''}`;
  const at = { ...locFields(where.loc), unit: where.unit, indicator: item.code as string, period: where.period, raw, expected };
  const p = { item: item.name_zh };
  const bad = (code: Parameters<typeof finding>[0]) => ({ value: null, status: 'invalid' as const, findings: [finding(code, at, p)] });
  switch (cell.t) {
    case 'error':
      return bad('value.formula_error');
    case 'nocache':
      return bad('value.formula_no_cache');
    case 'date':
    case 'bool':
      return bad('value.not_a_number');
    case 'empty':
      return reporter
        ? { value: null, status: 'missing', findings: [finding('value.missing', at, p)] }
        : { value: null, status: 'na', findings: [] };
  }
  if (cell.t === 'number' && cell.percent) return bad('value.percent');
  let parsed = cell.t === 'number' ? parseSubmittedValue(cell.n) : parseSubmittedValue(cell.s);
  if (opts.yesNo && cell.t === 'text') {
    const t = cell.s.normalize('NFKC').trim();
    if (['是', '已悬挂', 'Y', 'y', '√', '✓'].includes(t)) parsed = { kind: 'number', value: 1, percent: false };
    else if (['否', '未悬挂', 'N', 'n', '×'].includes(t)) parsed = { kind: 'number', value: 0, percent: false };
  }
  switch (parsed.kind) {
    case 'empty':
      return reporter
        ? { value: null, status: 'missing', findings: [finding('value.missing', at, p)] }
        : { value: null, status: 'na', findings: [] };
    case 'na':
      return reporter && !item.na_allowed
        ? { value: null, status: 'invalid', findings: [finding('value.not_applicable', at, p)] }
        : { value: null, status: 'na', findings: [] };
    case 'invalid':
      return bad(parsed.code);
    case 'number':
      if (parsed.percent) return bad('value.percent');
      if (parsed.value < 0) return bad('value.negative');
      if (!Number.isInteger(parsed.value)) {
        // a formula's binary residue (=0.1*2050 → 205.00000000000003): Excel shows 205, so it is 205
        const whole = Math.round(parsed.value);
        if (cell.t === 'number' && Math.abs(parsed.value - whole) <= 1e-9 * Math.max(1, Math.abs(whole))) return { value: whole, status: 'value', findings: [] };
        return bad('value.fraction');
      }
      return { value: parsed.value, status: 'value', findings: [] };
  }
}

/**
 * The village-level rows of a detail file that names no unit of its own (a province's or the country's
 * 村社明细: each row counts for the unit its code starts with), by that unit's code; rows whose code
 * starts with no unit of the region are under ''. Undefined for a file of one unit.
 */
const detailGroups = new WeakMap<ParsedFile, Map<string, DetailRow[]>>();
export function detailUnits(file: ParsedFile, ctx: PeriodContext): Map<string, DetailRow[]> | undefined {
  const settled = settledDetails.get(file);
  if (settled) return settled.groups;
  if (file.unit || !file.details.length || file.observations.length) return undefined;
  let g = detailGroups.get(file);
  if (!g) {
    g = new Map();
    for (const d of file.details) {
      const unit = unitOfCode(d.code, ctx);
      let rows = g.get(unit);
      if (!rows) g.set(unit, (rows = []));
      rows.push(d);
    }
    detailGroups.set(file, g);
  }
  return [...g.keys()].filter(Boolean).length > 1 ? g : undefined;
}

/**
 * Turns the parsed files of one period into one value per (unit, reported item), in a stable order.
 * Every expected unit gets a row for every item it reports, even when nothing was submitted.
 */
export function validateValues(files: ParsedFile[], ctx: PeriodContext): { values: UnitValue[]; findings: Finding[] } {
  const findings: Finding[] = [];
  const period = ctx.period;

  // 1. who submitted what: one file per unit, or a recorded choice
  const filesByUnit = new Map<string, ParsedFile[]>();
  for (const f of [...files].sort((a, b) => cmp(a.file, b.file))) {
    const groups = detailUnits(f, ctx);
    const units = new Set([...(f.unit ? [f.unit] : []), ...f.itemsSeen.keys(), ...(groups ? [...groups.keys()].filter(Boolean) : [])]);
    // rows of a many-unit detail file whose code starts with no unit of the region: said once, here
    if (groups?.has('')) for (const x of unknownVillages(f, ctx)) findings.push(x);
    for (const u of units) filesByUnit.set(u, [...(filesByUnit.get(u) ?? []), f]);
  }
  const chosen = new Map<string, ParsedFile>();
  for (const [unit, fs] of filesByUnit) {
    if (fs.length === 1) {
      chosen.set(unit, fs[0]);
      continue;
    }
    const name = ctx.matchUnits.name(unit);
    const choice = ctx.choices.find((c) => c.unit === unit && fs.some((f) => baseName(f.file) === c.use || f.file === c.use));
    if (choice) {
      const keep = fs.find((f) => baseName(f.file) === choice.use || f.file === choice.use)!;
      chosen.set(unit, keep);
      for (const f of fs)
        if (f !== keep)
          findings.push({
            ...finding('file.superseded', { file: f.file, unit, period }, { unit: name, period, other: keep.file }),
            confirmed: `choices.yaml：${choice.reason}`,
            confirmed_by: explainedByAnalyst(undefined),
          });
    } else {
      for (const f of fs)
        findings.push(
          finding('file.duplicate_submission', { file: f.file, unit, period }, {
            unit: name,
            period,
            other: fs.filter((o) => o !== f).map((o) => o.file).join('、'),
          }),
        );
    }
  }

  // 2. values from the chosen files
  const values: UnitValue[] = [];
  for (const unit of ctx.units.map((u) => u.code as string)) {
    const file = chosen.get(unit);
    const expectedItems = ctx.catalogue.items.filter((i) => isReporter(ctx, i, unit));
    if (!file) {
      if (expectedItems.length && !filesByUnit.has(unit))
        findings.push(finding('submission.missing', { unit, period }, { unit: ctx.matchUnits.name(unit), period, what: regionScope(ctx).label }));
      for (const item of expectedItems)
        values.push({ unit, indicator: item.code, value: null, status: 'missing', loc: null, raw: '', note: '', origin: 'none' });
      continue;
    }
    const detailSums = sumDetail(file, unit, ctx, findings);
    const seen = file.itemsSeen.get(unit) ?? new Set<string>();
    for (const item of ctx.catalogue.items) {
      const reporter = isReporter(ctx, item, unit);
      const obs = file.observations.find((o) => o.unit === unit && o.indicator === item.code);
      const detail = detailSums.get(item.code);
      if (obs) {
        let r = readCount(obs.cell, obs.raw, item, reporter, { loc: obs.loc, unit, period });
        if (!reporter && r.status === 'value') {
          // a figure from a unit that does not report the item (市本级's 行政村) is not summed; a
          // non-zero one is said, since someone may have put it in the wrong unit's form
          if (r.value !== 0)
            r.findings.push(
              finding('value.not_reporter', { ...locFields(obs.loc), unit, indicator: item.code, period, raw: obs.raw }, {
                item: item.name_zh,
                unit: ctx.matchUnits.name(unit),
                what: item.reporters === 'districts' ? '各区县（市）' : reportersOf(ctx, item).map((u) => ctx.matchUnits.name(u)).join('、'),
              }),
            );
          r = { value: null, status: 'na', findings: r.findings };
        }
        findings.push(...r.findings);
        values.push({ unit, indicator: item.code, value: r.value, status: r.status, loc: obs.loc, raw: obs.raw, note: obs.note, origin: 'form' });
        if (detail && detail.complete && r.status === 'value' && r.value !== detail.sum)
          findings.push(
            finding('rule.detail_sum', { ...locFields(obs.loc), unit, indicator: item.code, period, raw: obs.raw }, {
              item: item.name_zh,
              value: String(detail.sum),
              expected: String(r.value),
            }),
          );
      } else if (detail) {
        values.push({
          unit,
          indicator: item.code,
          value: detail.complete ? detail.sum : null,
          status: detail.complete ? 'value' : 'invalid',
          loc: detail.loc,
          raw: `明细合计 ${detail.rows} 行`,
          note: '',
          origin: 'detail',
        });
      } else if (reporter) {
        if (!seen.has(item.code)) {
          const at = file.unitLoc.get(unit);
          findings.push(finding('row.missing_indicator', { ...locFields(at ?? null), cell: '', row: null, col: null, unit, indicator: item.code, period }, { item: item.name_zh }));
        }
        values.push({ unit, indicator: item.code, value: null, status: 'missing', loc: null, raw: '', note: '', origin: 'none' });
      }
    }
  }
  // observations for units the run does not know are reported where they were read (row.unknown_unit)
  return { values, findings };
}

function baseName(f: string): string {
  return f.split(/[\\/]/).pop() ?? f;
}

interface DetailSum {
  sum: number;
  rows: number;
  complete: boolean;
  loc: Loc;
}

/** Sums a unit's village-level detail per item, checking each row against the roster. */
function sumDetail(file: ParsedFile, unit: string, ctx: PeriodContext, findings: Finding[]): Map<string, DetailSum> {
  const settled = settledOf(file, ctx).units.get(unit);
  if (!settled) return new Map();
  for (const f of settled.findings) findings.push(f);
  return settled.sums;
}

/** The findings of a many-unit file's rows whose code starts with no unit of the region (bounded as every row's). */
function unknownVillages(file: ParsedFile, ctx: PeriodContext): Finding[] {
  return settledOf(file, ctx).unknown;
}
function unknownVillage(d: DetailRow, period: string): Finding {
  return finding('rule.detail_unknown_village', { ...locFields(d.loc), unit: '', period, raw: d.code });
}

/**
 * A detail file's rows summed as soon as it is read (runPeriod), for each unit it can count for,
 * and then let go: a period of thousands of detail files holds one file's rows at a time, not all
 * of them. The sums and row findings are exactly what validateValues would compute from the rows.
 */
interface Settled {
  /** the file's units, when it counts for several, each with no rows kept ('' for codes of no unit) */
  groups: Map<string, DetailRow[]> | undefined;
  units: Map<string, { sums: Map<string, DetailSum>; findings: Finding[] }>;
  /** the findings of the rows under '' in groups */
  unknown: Finding[];
}
const settledDetails = new WeakMap<ParsedFile, Settled>();
export function settleDetails(file: ParsedFile, ctx: PeriodContext): void {
  if (!file.details.length || settledDetails.has(file)) return;
  settledDetails.set(file, settle(file, ctx));
  file.details = [];
  detailGroups.delete(file);
}

/** A file's rows as settled: when it was read (runPeriod), or now (the check page), once. */
function settledOf(file: ParsedFile, ctx: PeriodContext): Settled {
  let s = settledDetails.get(file);
  if (!s) settledDetails.set(file, (s = settle(file, ctx)));
  return s;
}

/**
 * The sums and row findings of a file for each unit it counts for. The findings a file's rows give are
 * bounded (finding-cap.ts), the bound spent in the order of the file's rows: a file of many units is
 * summed row by row into each row's unit, exactly as a stream sums it (detailStream), so a file read
 * whole or streamed lists the same findings.
 */
function settle(file: ParsedFile, ctx: PeriodContext): Settled {
  const groups = detailUnits(file, ctx);
  if (!groups) {
    const settled: Settled = { groups: undefined, units: new Map(), unknown: [] };
    const fileFindings = new FileFindings();
    for (const unit of new Set([...(file.unit ? [file.unit] : []), ...file.itemsSeen.keys()])) {
      const found = new CappedFindings(fileFindings);
      const sums = sumDetailRows(file, unit, ctx, found);
      settled.units.set(unit, { sums, findings: found.finish() });
    }
    return settled;
  }
  // a file of many units: its rows through the stream's own summing, in the file's order
  const rows = new RowSettler(file, ctx);
  for (const d of file.details) rows.add(d);
  return rows.settled();
}

/** The unit a village code's first six digits name in the region, or '' (as detailUnits groups rows). */
function unitOfCode(code: string, ctx: PeriodContext): string {
  const prefix = code.slice(0, 6);
  return /^\d{6}$/.test(prefix) && ctx.matchUnits.exact(prefix) === prefix ? prefix : '';
}

/** A finding made only when the sink would list it or say where the first counted one is; else counted. */
function say(sink: FindingSink, code: FindingCode, indicator: string, make: () => Finding): void {
  if (sink.count && !sink.wants!(code)) sink.count(code, indicator);
  else sink.push(make());
}

function detailAt(d: DetailRow, unit: string, period: string) {
  return { ...locFields(d.loc), unit, period, raw: d.code };
}

function sumDetailRows(file: ParsedFile, unit: string, ctx: PeriodContext, findings: FindingSink): Map<string, DetailSum> {
  if (!file.details.length) return new Map();
  const rows = file.unit ? file.details : (detailUnits(file, ctx)?.get(unit) ?? file.details);
  const summer = new DetailSummer(unit, ctx);
  for (const d of rows) summer.add(d, findings);
  return summer.result();
}

/** One unit's detail sums, row by row: each row checked against the roster, then its cells summed per item. */
class DetailSummer {
  private readonly out = new Map<string, DetailSum>();
  /** a code's place in the roster → its first row's number (a duplicate names that row's code cell: same sheet, same column) */
  private readonly seen = new Map<number, number>();
  private readonly given = new Set<string>();
  constructor(
    private readonly unit: string,
    private readonly ctx: PeriodContext,
  ) {}

  add(d: DetailRow, findings: FindingSink): void {
    const { unit, ctx } = this;
    const period = ctx.period;
    const at = ctx.roster.index(d.code);
    if (at < 0) {
      say(findings, 'rule.detail_unknown_village', '', () => finding('rule.detail_unknown_village', detailAt(d, unit, period)));
      return;
    }
    const entryUnit = ctx.roster.unitAt(at);
    if (entryUnit !== unit) {
      say(findings, 'rule.detail_wrong_unit', '', () => finding('rule.detail_wrong_unit', detailAt(d, unit, period), { other: ctx.matchUnits.name(entryUnit), unit: ctx.matchUnits.name(unit) }));
      return;
    }
    const prev = this.seen.get(at);
    if (prev !== undefined) {
      say(findings, 'rule.detail_duplicate_village', '', () => finding('rule.detail_duplicate_village', detailAt(d, unit, period), { other: a1(prev - 1, d.codeCol - 1) }));
      return;
    }
    this.seen.set(at, d.row);
    if (d.extraFields) {
      // a row whose cells may be shifted: none of its figures is taken, and the unit's sums say so
      const extra = d.extraFields;
      say(findings, 'row.extra_fields', '', () => finding('row.extra_fields', { ...locFields(d.loc), unit, period, raw: extra.raw }, { what: String(extra.count), raw: extra.raw }));
      for (const v of d.values) {
        const item = ctx.items.get(v.indicator);
        if (!item) continue;
        this.given.add(item.code);
        this.accOf(item.code, d, v.col).complete = false;
      }
      return;
    }
    // a row that does not say its type (no 类型 column, or the cell left blank): the roster's
    // (村委会 → 村, 居委会 → 社区), the authority on what each code is
    const type = d.type || (ctx.roster.typeAt(at) === '村委会' ? '村' : '社区');
    const values = d.values;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      // the item and sum of the value's place, as on the row before when it names the same indicator
      if (this.pInd[i] !== v.indicator) {
        this.pInd[i] = v.indicator;
        const found = ctx.items.get(v.indicator);
        this.pItem[i] = found;
        if (found) this.pAcc[i] = this.accOf(found.code, d, v.col);
        this.pGiven[i] = found !== undefined && this.given.has(found.code);
      }
      const item = this.pItem[i];
      if (!item) continue;
      const acc = this.pAcc[i];
      if (!this.pGiven[i] && v.cell.t !== 'empty') {
        this.given.add(item.code);
        this.pGiven[i] = true;
      }
      const r = readDetailCount(v.cell, v.raw, item, d, v.col, unit, period, findings);
      if (r.findings.length) findings.push(...r.findings);
      if (r.status === 'invalid') acc.complete = false;
      if (r.value === null) continue;
      if (r.value > 0 && item.village_level && item.village_level !== 'any' && type !== item.village_level) {
        say(findings, 'rule.detail_type', item.code, () =>
          finding('rule.detail_type', { ...locFields(d.typeLoc), unit, indicator: item.code, period, raw: d.type || `名录：${type}` }, { item: item.name_zh, expected: item.village_level }),
        );
        acc.complete = false;
        continue;
      }
      const t = this.taken++;
      this.tItem[t] = item;
      this.tAcc[t] = acc;
      this.tValue[t] = r.value;
      this.tCol[t] = v.col;
    }
    // a part greater than its whole on the row (其中党组织书记 2, 调整村社干部 1): one of the two is wrong
    // and the row cannot say which; neither is taken, and the sums say so
    const n = this.taken;
    const { tItem, tAcc, tValue, tCol } = this;
    for (let p = 0; p < n; p++) {
      const whole = tItem[p].part_of;
      if (!whole) continue;
      let w = 0;
      while (w < n && tItem[w].code !== whole) w++;
      if (w === n || !(tValue[p] > tValue[w])) continue;
      const [part, of, pv, wv] = [tItem[p], tItem[w], tValue[p], tValue[w]];
      say(findings, 'rule.part_exceeds_whole', part.code, () =>
        finding('rule.part_exceeds_whole', { ...locFields(d.at(tCol[p])), unit, indicator: part.code, period }, { item: part.name_zh, value: String(pv), other: of.name_zh, expected: String(wv) }),
      );
      tAcc[p].complete = tAcc[w].complete = false;
      tValue[p] = tValue[w] = NaN;
    }
    for (let t = 0; t < n; t++)
      if (!Number.isNaN(tValue[t])) {
        tAcc[t].sum += tValue[t];
        tAcc[t].rows += 1;
      }
    this.taken = 0;
  }

  /** Per place in a row's values: the indicator last met there, its item, its running sum, whether it was given (a header's columns are the same on every row). */
  private readonly pInd: string[] = [];
  private readonly pItem: (ReportedItem | undefined)[] = [];
  private readonly pAcc: DetailSum[] = [];
  private readonly pGiven: boolean[] = [];

  /** A row's readings to be summed once the row is read whole: columns reused from row to row, no object per cell. */
  private taken = 0;
  private readonly tItem: ReportedItem[] = [];
  private readonly tAcc: DetailSum[] = [];
  private readonly tValue: number[] = [];
  private readonly tCol: number[] = [];

  /** An item's running sum, made at its first cell (the column's location: the file, sheet and column of row d's cell). */
  private accOf(item: string, d: DetailRow, col: number): DetailSum {
    let acc = this.out.get(item);
    if (!acc) this.out.set(item, (acc = { sum: 0, rows: 0, complete: true, loc: { file: d.file, sheet: d.sheet, row: 0, col, cell: '' } }));
    return acc;
  }

  result(): Map<string, DetailSum> {
    // a row added after this starts its places afresh (a sum deleted here is no longer the item's)
    this.pInd.length = 0;
    // a column left empty on every row was not given: the unit's own row stands alone
    for (const [code, acc] of this.out) if (!this.given.has(code)) this.out.delete(code);
    for (const acc of this.out.values()) acc.loc = { ...acc.loc, cell: '', row: 0 };
    return this.out;
  }
}

/**
 * A detail file whose rows come in a stream (a large CSV: pipeline/read-detail-stream.ts): each row
 * is summed as it comes, into the file's unit or, for a file of many units, the unit its code starts
 * with, and let go. finish() settles the file exactly as settleDetails settles one read whole.
 */
export function detailStream(file: ParsedFile, ctx: PeriodContext): { add(d: DetailRow): void; finish(): void } {
  const rows = new RowSettler(file, ctx);
  return {
    add: (d) => rows.add(d),
    finish() {
      file.details = [];
      settledDetails.set(file, rows.settled());
    },
  };
}

/**
 * A file's rows summed as they come, each into the file's unit or, for a file of many units, the unit
 * its code starts with; the file's bound on findings spent in the order of its rows. The one summing
 * of a stream (detailStream) and of a file of many units read whole (settle).
 */
class RowSettler {
  private readonly fileFindings = new FileFindings();
  private readonly summers = new Map<string, { summer: DetailSummer; findings: CappedFindings }>();
  /** rows whose code starts with no unit of the region: their findings, no row kept */
  private readonly unknown = new CappedFindings(this.fileFindings);
  private unknownRows = 0;
  /** a code's first six digits → the unit of that code ('' for none): asked once per prefix */
  private readonly unitOfPrefix = new Map<string, string>();
  constructor(
    private readonly file: ParsedFile,
    private readonly ctx: PeriodContext,
  ) {}

  add(d: DetailRow): void {
    let unit = this.file.unit;
    if (!unit) {
      const prefix = d.code.slice(0, 6);
      unit = this.unitOfPrefix.get(prefix);
      if (unit === undefined) this.unitOfPrefix.set(prefix, (unit = unitOfCode(prefix, this.ctx)));
      if (!unit) {
        this.unknown.push(unknownVillage(d, this.ctx.period));
        this.unknownRows++;
        return;
      }
    }
    let s = this.summers.get(unit);
    if (!s) this.summers.set(unit, (s = { summer: new DetailSummer(unit, this.ctx), findings: new CappedFindings(this.fileFindings) }));
    s.summer.add(d, s.findings);
  }

  settled(): Settled {
    const { file, summers } = this;
    const settled: Settled = { groups: undefined, units: new Map(), unknown: [] };
    // as detailUnits: a file without a unit of its own counts for the units of its codes when there are several
    const many = !file.unit && !file.observations.length && summers.size > 1;
    if (many) {
      settled.groups = new Map<string, DetailRow[]>([...summers.keys(), ...(this.unknownRows ? [''] : [])].map((k) => [k, []]));
      settled.unknown = this.unknown.finish();
    }
    if (file.unit || many) for (const [unit, s] of summers) settled.units.set(unit, { sums: s.summer.result(), findings: s.findings.finish() });
    return settled;
  }
}

/**
 * readCount for a detail cell (not a reporter's figure, 是/否 allowed), memoised per item by the
 * cell's kind and content when the reading has no finding: a country's detail is 2.5 million cells
 * of a few dozen distinct contents. A reading with a finding is made afresh, for its cell.
 */
type DetailReading = { value: number | null; status: ValueStatus; findings: Finding[] };
/** a reading as memoised: with the kinds of its findings, which are made afresh for each cell (or only counted) */
type Memoised = DetailReading & { codes?: FindingCode[] };
/** per item: text cells read as written (by their text), and every other cell by its kind and content */
const detailMemo = new WeakMap<ReportedItem, { text: Map<string, Memoised>; other: Map<string, Memoised> }>();
const NO_FINDINGS: Finding[] = [];
function readDetailCount(cell: Cell, raw: string, item: ReportedItem, d: DetailRow, col: number, unit: string, period: string, sink: FindingSink): DetailReading {
  const plainText = cell.t === 'text' && raw === cell.s;
  const key = plainText ? raw : cell.t === 'number' ? `n${cell.n}${cell.percent ? '%' : ''}\u0000${raw}` : cell.t === 'text' ? `t${cell.s}\u0000${raw}` : cell.t === 'empty' ? 'e' : undefined;
  if (key === undefined) return readCount(cell, raw, item, false, { loc: d.at(col), unit, period }, { yesNo: true });
  let memo = detailMemo.get(item);
  if (!memo) detailMemo.set(item, (memo = { text: new Map(), other: new Map() }));
  const map = plainText ? memo.text : memo.other;
  const hit = map.get(key);
  if (hit && !hit.codes) return hit;
  // a reading with findings that the sink would only count: counted, none made
  if (hit?.codes && sink.count && !hit.codes.some((c) => sink.wants!(c))) {
    for (const c of hit.codes) sink.count(c, item.code);
    return { value: hit.value, status: hit.status, findings: NO_FINDINGS };
  }
  const r = readCount(cell, raw, item, false, { loc: d.at(col), unit, period }, { yesNo: true });
  if (!hit && map.size < 100_000) map.set(key, { value: r.value, status: r.status, findings: NO_FINDINGS, codes: r.findings.length ? r.findings.map((f) => f.code) : undefined });
  return r;
}
