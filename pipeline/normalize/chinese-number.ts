// The value grammar for SUBMITTED cell values: turns what a district clerk typed into a number, "missing", "not applicable" or a coded reason it is unusable.

export type InvalidCode =
  | 'value.approximate' // 120余, 130多, 近60%, 约400, 400左右, 上千, 数万, 千名, 100以上, 超过…, 不到…, 1-2
  | 'value.formula_error' // #REF!, #DIV/0!, #N/A, #VALUE!, #NAME?, #NUM!, #NULL!, #SPILL!, #CALC!, #GETTING_DATA
  | 'value.not_a_number'; // anything else that is not a number

export type ParsedValue =
  | { kind: 'number'; value: number; percent: boolean } // value in base units; percent=true when the text had % (value stays 57.8 for "57.8%")
  | { kind: 'empty' } // '', whitespace only, null, undefined
  | { kind: 'na'; token: string } // not applicable: '—', '-', '–', '--', '/', '／', '无', 'N/A', '不适用' (after trim/NFKC)
  | { kind: 'invalid'; code: InvalidCode; token: string }; // token = the offending normalized text

// Zero-width characters that survive NFKC and are invisible in a spreadsheet: dropped, not spaced.
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;

/**
 * Contract: NFKC, drop zero-width characters, collapse every run of whitespace (including the
 * ideographic space U+3000, NBSP and thin spaces) to one ASCII space, and trim. Total and
 * idempotent; use it for cell values and header matching alike.
 */
export function normalizeText(s: string): string {
  return s.normalize('NFKC').replace(ZERO_WIDTH, '').replace(/\s+/gu, ' ').trim();
}

// Tokens meaning "not applicable", compared after normalizeText (so ／ is already /).
const NA_TOKENS = new Set(['—', '——', '―', '-', '--', '–', '−', '/', '无', 'n/a', 'na', '不适用']);

// Excel / WPS / LibreOffice error values, upper-cased.
const FORMULA_ERRORS = new Set([
  '#REF!', '#DIV/0!', '#N/A', '#VALUE!', '#NAME?', '#NUM!', '#NULL!', '#SPILL!', '#CALC!',
  '#GETTING_DATA', '#FIELD!', '#BLOCKED!', '#CONNECT!', '#BUSY!', '#UNKNOWN!', '#EXTERNAL!', '#PYTHON!',
]);
const FORMULA_ERROR_SHAPE = /^(#[A-Z][A-Z0-9_/]*[!?]|ERR:\d{3})$/;

// Trailing measure words and units that may follow a number; longest first so 人次 wins over 人.
const MEASURE_WORDS = [
  '平方公里', '平方米', '小时', '分钟', '公里', '千米', '人次', '家次', '户次', '个次', '件次', '项次', '批次',
  '场次', '班次', '车次', '人天', '岗位', '个', '人', '名', '位', '次', '起', '件', '项', '户', '家', '支', '条',
  '元', '期', '份', '所', '场', '座', '处', '篇', '批', '对', '种', '步', '年', '天', '日', '月', '周', '亩',
  '吨', '套', '间', '栋', '幢', '台', '辆', '本', '册', '张', '幅', '堂', '节', '届', '轮', '岗', '片', '组',
  '队', '团', '站', '点', '村', '米',
].sort((a, b) => b.length - a.length);

const MULTIPLIER_EXP: Record<string, number> = { 万: 4, 亿: 8, 万亿: 12 };

// sign · integer part (plain, or grouped by one consistent separator) · fraction · exponent ·
// multiplier · percent · measure word. A separator is only a separator when every group after
// the first has exactly three digits.
const NUMBER_RE = new RegExp(
  '^([+\\-\\u2212])? ?' +
    '(\\d{1,3}(?:,\\d{3})+|\\d{1,3}(?: \\d{3})+|\\d+|(?=\\.\\d))' +
    '(?:\\.(\\d*))?' +
    '(?:[eE]([+-]?\\d{1,3}))?' +
    ' ?(万亿|亿|万)?' +
    ' ?([%‰])?' +
    ' ?(' + MEASURE_WORDS.join('|') + ')?$',
);

// A numeral of any script, used to tell "approximate number" from "plain text".
const HAS_NUMERAL = /[0-9〇零一二两三四五六七八九十百千万亿]/;
// Words that make a figure approximate or a bound rather than a value.
const APPROX_MARKERS =
  /余|多|近|约|左右|上下|以上|以下|以内|超过|突破|逾|不到|不足|不少于|不低于|不超过|至少|最多|大概|出头|[0-9十百千万亿]来|[上数几成][十百千万亿]/;
// 千名, 百人, 万: a bare magnitude used as a figure of speech (万元 alone is a unit label, not one).
const BARE_MAGNITUDE = new RegExp('^[百千万]+(' + MEASURE_WORDS.filter((w) => w !== '元').join('|') + ')?$');
// 1-2, 10~20个, 3至5: a range where one number is due.
const RANGE_RE = new RegExp(
  '^\\d[\\d,.]*%?[-~至到—–]\\d[\\d,.]*(万|亿)?%?(' + MEASURE_WORDS.join('|') + ')?$',
);

function invalid(code: InvalidCode, token: string): ParsedValue {
  return { kind: 'invalid', code, token };
}

/**
 * Contract: total (never throws, for any input). null/undefined/blank → empty; a finite JS
 * number passes through (−0 becomes 0), NaN/±Infinity and booleans → not_a_number; strings are
 * normalized (normalizeText) and read as: not-applicable token → na; spreadsheet error → formula_error;
 * a number in one of the accepted spellings → number (base units: 万 ×10⁴, 亿 ×10⁸, computed
 * from the decimal digits so 1.2万 is exactly 12000, and 130万元 is 1300000 元 — a caller whose
 * indicator is kept in 万元 must rescale; % keeps the printed value with
 * percent=true, ‰ becomes percent/10); a number with an approximation word, a bare magnitude or
 * a range → approximate; anything else → not_a_number.
 */
export function parseSubmittedValue(raw: string | number | boolean | null | undefined): ParsedValue {
  try {
    return parseUnsafe(raw);
  } catch {
    // Defensive only: the grammar below has no throwing paths, but the contract is "never throws".
    return invalid('value.not_a_number', safeString(raw));
  }
}

function safeString(raw: unknown): string {
  try {
    return typeof raw === 'string' ? normalizeText(raw) : String(raw);
  } catch {
    return '';
  }
}

function parseUnsafe(raw: unknown): ParsedValue {
  if (raw === null || raw === undefined) return { kind: 'empty' };
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return invalid('value.not_a_number', String(raw));
    return { kind: 'number', value: raw === 0 ? 0 : raw, percent: false };
  }
  if (typeof raw !== 'string') return invalid('value.not_a_number', String(raw));
  // two numbers on two lines of one cell (200⏎215: an old figure and its correction, Alt+Enter) are
  // not one number grouped by a space
  if (/\d[^\S\r\n\u2028\u2029]*[\r\n\u2028\u2029]\s*[+\-\u2212]?\d/.test(raw.normalize('NFKC'))) return invalid('value.not_a_number', normalizeText(raw));

  const s = normalizeText(raw);
  if (s === '') return { kind: 'empty' };
  if (NA_TOKENS.has(s.toLowerCase())) return { kind: 'na', token: s };
  if (FORMULA_ERRORS.has(s.toUpperCase()) || FORMULA_ERROR_SHAPE.test(s.toUpperCase())) {
    return invalid('value.formula_error', s);
  }

  const n = readNumber(s);
  if (n) return n;

  const compact = s.replace(/ /g, '');
  if (
    (HAS_NUMERAL.test(compact) && APPROX_MARKERS.test(compact)) ||
    BARE_MAGNITUDE.test(compact) ||
    RANGE_RE.test(compact)
  ) {
    return invalid('value.approximate', s);
  }
  return invalid('value.not_a_number', s);
}

function readNumber(s: string): ParsedValue | null {
  const m = NUMBER_RE.exec(s);
  if (!m) return null;
  const [, sign, intPart, frac = '', expPart, mult, pct] = m;
  // "." alone, or "5." with nothing at all after a lone sign, is not a number.
  const intDigits = intPart.replace(/[, ]/g, '');
  if (intDigits === '' && frac === '') return null;
  if (expPart !== undefined && (mult || pct)) return null;
  if (mult && pct) return null;

  let exp = -frac.length + (expPart ? Number(expPart) : 0) + (mult ? MULTIPLIER_EXP[mult] : 0);
  if (pct === '‰') exp -= 1;
  // Exact decimal → nearest double in one rounding: no 0.1+0.2 noise, 1.2万 === 12000.
  const digits = (intDigits + frac).replace(/^0+(?=\d)/, '') || '0';
  let value = Number(`${digits}e${exp}`);
  if (!Number.isFinite(value)) return null;
  if (sign === '-' || sign === '\u2212') value = -value;
  if (value === 0) value = 0; // no −0
  return { kind: 'number', value, percent: pct !== undefined };
}
