// Claims: what a file says of its unit and period — title lines, labels and signatures in its
// sheets, the sheet's name, the file name. Each claim keeps where it was found.
import { type Sheet, a1, cellAt, cellText } from '../ingest/grid.ts';
import { type LayoutContext, type Loc, locOf } from './form.ts';
import { otherPeriodsIn, periodsIn } from './match.ts';

const UNIT_LABEL = /(填报单位|报送单位|填表单位|单位名称|(?<![计量])单位(?=\s*[:：]))\s*(?:[(（][^)）]{0,6}[)）])?\s*[:：]?\s*(.*?)(?=\s{2,}|填报日期|填表日期|日期|报送日期|联系|填报人|填表人|(?<![计量])单位\s*[:：]|$)/g;
/** A cell that is an organisation's name and nothing else: 中共宁波市海曙区委组织部（盖章）. */
const SIGNATURE = /^(中共)?[^，。,;；:：\s]{0,18}(委组织部|组织部|党委|党工委|党组)\s*([(（]?盖章[)）]?)?$/;
/** Title lines that mention units or years without being about this file's own (notes, references). */
const NOT_OWN = /^\s*[(（]|^\s*(注|说明|填报说明|填表说明|依据|抄送)|各|参照|不含|含|另表|另报|抄送|按照|根据|目标|对照|依据|要点|《|计划|任务|规划|考核/;

export interface Claim {
  value: string;
  source: string;
}

export interface SheetClaims {
  /** 填报单位 / 报送单位 / 单位： labels (title or under the table) */
  units: Claim[];
  periods: Claim[];
  /**
   * Used only when no label, file name or column names the unit, in this order, the first tier that
   * names exactly one unit: 1 a title line naming one unit; 2 a signature (中共宁波市海曙区委组织部);
   * 3 the sheet's name. Tiers 2 and 3 are said (file.unit_inferred).
   */
  guessed: (Claim & { tier: 1 | 2 | 3 })[];
  /** used only when nothing else names the period: the sheet's name */
  weakPeriods: Claim[];
  /** a 填报单位 label whose text names no reporting unit (杭州湾新区): where, for the finding */
  unknownUnit?: { loc: Loc; raw: string };
}

/**
 * What a sheet says of its unit and period: the title lines above the header (a 填报单位 label, with
 * the name in its own cell or the next one; a title naming one unit; the period), 填报单位 labels and
 * signature lines below the table, and the sheet's own name.
 */
/**
 * Whether a text below a form's header could make a claim (a 填报单位 label, a signature): rows that
 * hold none are data to sheetClaims. A large detail CSV read in a stream keeps only such rows (and the
 * rows above its header) for the claims, so this must hold for every text sheetClaims would take.
 */
/**
 * The characters without one of which no text claims: a label has 单位, a signature 组 (…组织部, 党组)
 * or 党 (党委, 党工委). No other character becomes one of these under NFKC (checked over every code
 * point), so the test can come before the normalising, and a text without any (a whole CSV line) holds
 * no claim in any of its parts; a village's 村委会 or 居委会 has none of them.
 */
export const CLAIM_CHARS = /[单组党]/;

export function mayClaimBelowHeader(text: string): boolean {
  if (!CLAIM_CHARS.test(text)) return false;
  const t = text.normalize('NFKC');
  if (!t.trim() || t.length > 80) return false;
  return t.includes('单位') || SIGNATURE.test(t.trim());
}

/** Sheet!A1 of a claim's cell (made only for a claim: every text cell of a sheet is looked at). */
function whereOf(sheet: Sheet, r: number, c: number): string {
  return `${sheet.name ? sheet.name + '!' : ''}${a1(r, c)}`;
}

export function sheetClaims(sheet: Sheet, headerRow: number, file: string, ctx: LayoutContext): SheetClaims {
  const out: SheetClaims = { units: [], periods: [], guessed: [], weakPeriods: [] };
  const one = (text: string) => {
    const u = ctx.units.exact(text);
    if (u) return u;
    const named = ctx.units.within(text);
    return named.length === 1 ? named[0] : undefined;
  };
  for (let r = 0; r < sheet.rows.length; r++) {
    if (r === headerRow) continue;
    const title = r < headerRow;
    const row = sheet.rows[r] ?? [];
    for (let c = 0; c < row.length; c++) {
      const cell = row[c];
      if (!cell || cell.t !== 'text') continue;
      // below the header only a label or a signature claims (a detail list's thousands of names do not)
      if (!title && !mayClaimBelowHeader(cell.s)) continue;
      const text = cell.s.normalize('NFKC');
      if (!text.trim()) continue;
      if (!title && text.length > 80) continue;
      let labelled = false;
      for (const m of text.matchAll(UNIT_LABEL)) {
        // 单位：人、个 over a table is its measure, not its reporter
        if (m[1] === '单位' && /^[\s人个次名起件家项万元%、,，/]*$/.test(m[2])) continue;
        if (!title && !/^\s*(填报单位|报送单位|填表单位|单位名称|单位)/.test(text)) continue;
        labelled = true;
        let named = m[2].trim() ? one(m[2]) : undefined;
        let shown = m[0].trim();
        if (!m[2].trim()) {
          // 填报单位： | 鄞州区委组织部 — the name in the next filled cell of the row
          for (let c2 = c + 1; c2 < Math.min(row.length, c + 4) && named === undefined; c2++) {
            const next = cellText(cellAt(sheet, r, c2)).normalize('NFKC').trim();
            if (!next) continue;
            named = one(next.replace(UNIT_LABEL, '$2'));
            shown = `${m[0].trim()}${next}`;
            if (named === undefined) {
              out.unknownUnit ??= { loc: locOf(file, sheet, r, c2), raw: next.slice(0, 40) };
              break;
            }
          }
        }
        if (named) out.units.push({ value: named, source: `${title ? '标题' : '表下'} ${whereOf(sheet, r, c)}“${shown}”` });
        else if (m[2].trim()) out.unknownUnit ??= { loc: locOf(file, sheet, r, c), raw: m[2].trim().slice(0, 40) };
      }
      if (labelled) {
        // (a label line's other words are not a title)
      } else if (title && text.trim().length <= 40 && !NOT_OWN.test(text)) {
        // a title that names one unit: 镇海区党建争强半年度推进情况表 (not a note, not 市级 inside a phrase)
        const named = ctx.units.within(text).filter((u) => ctx.units.exact(u) !== undefined);
        const city = named.length === 1 && ctx.units.exact(named[0]) === ctx.units.exact('市本级') && !/市本级|市直/.test(text);
        if (named.length === 1 && !city) out.guessed.push({ value: named[0], source: `标题 ${whereOf(sheet, r, c)}“${text.trim().slice(0, 40)}”`, tier: 1 });
      } else if (!title && SIGNATURE.test(text.trim())) {
        const named = one(text);
        if (named) out.guessed.push({ value: named, source: `落款 ${whereOf(sheet, r, c)}“${text.trim().slice(0, 40)}”`, tier: 2 });
      }
      if (title) {
        const periods = [...periodsIn(text), ...(NOT_OWN.test(text) ? [] : otherPeriodsIn(text))];
        for (const p of periods) out.periods.push({ value: p, source: `标题 ${whereOf(sheet, r, c)}“${text.trim().slice(0, 40)}”` });
      }
    }
  }
  if (sheet.name) {
    const u = one(sheet.name);
    if (u) out.guessed.push({ value: u, source: `工作表名“${sheet.name}”`, tier: 3 });
    for (const p of [...periodsIn(sheet.name), ...otherPeriodsIn(sheet.name)]) out.weakPeriods.push({ value: p, source: `工作表名“${sheet.name}”` });
  }
  return out;
}

export function fileNameClaims(file: string, ctx: LayoutContext) {
  const base = file.split(/[\\/]/).pop() ?? file;
  const stem = base.replace(/\.[^.]+$/, '');
  const named = ctx.units.within(stem);
  return {
    units: named.length === 1 ? [{ value: named[0], source: `文件名“${base}”` }] : [],
    periods: [...periodsIn(stem), ...otherPeriodsIn(stem)].map((p) => ({ value: p, source: `文件名“${base}”` })),
  };
}

export function distinct(claims: Claim[]): string[] {
  return [...new Set(claims.map((c) => c.value))];
}

export function describeConflict(claims: Claim[], name: (v: string) => string): string {
  const byValue = new Map<string, string>();
  for (const c of claims) if (!byValue.has(c.value)) byValue.set(c.value, c.source);
  return [...byValue].map(([v, s]) => `${s}为${name(v)}`).join('，');
}
