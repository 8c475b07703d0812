// The words offices put in their forms' headers and rows, from data/reference/form-vocabulary.yaml
// (through form-vocabulary.generated.ts, so the browser's check page has them too).
import { FORM_VOCABULARY as V } from './form-vocabulary.generated.ts';
import { matchKey } from './match.ts';

export const k = matchKey;
const set = (words: string[]) => new Set(words.map(k));
const esc = (w: string) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const any = (words: string[]) => words.map(esc).join('|');

export const NAME_HEADERS = set(V.headers.name);
export const CODE_HEADERS = set(V.headers.code);
export const VALUE_HEADERS = set(V.headers.value);
/** A total column: the period's figures when no column names the period (一季度 | 二季度 | 合计), not before one that does (1-6月 | 7-12月 | 合计). */
export const TOTAL_HEADERS = set(V.headers.total);
/** Cumulative columns: read only when the form has no column for the period itself (本期数 beside 累计数 wins). */
export const CUMULATIVE_HEADERS = set(V.headers.cumulative);
/** Columns that compare with another period or a plan: never the period's own figures. */
export const COMPARISON = new RegExp(any(V.comparison));
export const MEASURE_HEADERS = set(V.headers.measure);
export const NOTE_HEADERS = set(V.headers.note);
export const UNIT_HEADERS = set(V.headers.unit);
export const REPORTER_HEADERS = set(V.headers.reporter);
export const PERIOD_HEADERS = set(V.headers.period);
export const VILLAGE_CODE_HEADERS = set(V.headers.village_code);
export const VILLAGE_CODE_GENERIC_HEADERS = set(V.headers.village_code_generic);
export const VILLAGE_NAME_HEADERS = set(V.headers.village_name);
export const VILLAGE_TYPE_HEADERS = set(V.headers.village_type);
/** Columns of a wide form that are neither units nor items (序号, 联系人, 排名 …). */
export const OTHER_HEADERS = set(V.headers.other);
/** A wide form's 口径 column (本期 | 上年同期 rows). */
export const BASIS_HEADERS = set(V.headers.basis);
export const FOOTER = new RegExp(`^(${any(V.footer_words)})`);
/** The same words as a label in any cell of a row (审核人：李敏 in column C): a footer line. */
export const FOOTER_LABEL = new RegExp(`^(${any(V.footer_labels)})\\s*[:：]`);
export const TOTAL_ROW = set(V.total_rows);
export const MAX_HEADER_SCAN = 30;
/** Sub-labels under a merged group header that stand for the group (提拔干部 over 小计 | 其中…). */
export const SUBTOTAL = new RegExp(`^(${any(V.count_words.map(k))})$`);
/** Rows of a long form that sum the rows above (not items): 小计, 合计, 总计. */
export const SUBTOTAL_ROW = new RegExp(`^(${any(V.subtotal_rows.map(k))})$`);
/** A row or header naming a share (占比, 比例): computed from its parts, not read. */
export const SHARE_LABEL = new RegExp(any(V.share_words));
/** Whole-year column headers in an H2 file, the year taken off (1-12月, 全年, 本年累计). */
export const YEAR_SPANS = set(V.year_spans);
export const YES_TOKENS = new Set(V.yes_tokens);
export const NO_TOKENS = new Set(V.no_tokens);
