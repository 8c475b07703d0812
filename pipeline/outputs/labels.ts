// Chinese labels for everything a person reads in the outputs (page, workbook, terminal, check
// page): reconciliation statuses, value statuses, severities, layouts, finding kinds, stages, and a
// published interval said in words. Codes stay ASCII in the data (CSV keys, JSON); only what is
// shown is translated, and it is translated here, once.
import type { FindingCode } from '../../schemas/finding.ts';

/** Reconciliation statuses. */
export const STATUS_ZH: Record<string, string> = {
  match: '一致',
  within: '在区间内',
  mismatch: '不符',
  incomplete: '不完整',
  unpublished: '未公布',
};

/** What a reconciliation status means, in a sentence. */
export const STATUS_HELP: Record<string, string> = {
  match: '汇总值与公布数相同',
  within: '汇总值落在公布文字所表达的范围内（公布的是约数）',
  mismatch: '汇总值不在公布文字所表达的范围内',
  incomplete: '缺少单位或上年同期数据，无法核对',
  unpublished: '该指标本期没有公布数',
};

/** A unit's figure: the reading of its cell. */
export const VALUE_STATUS_ZH: Record<string, string> = {
  value: '已填',
  missing: '未填',
  na: '不适用',
  invalid: '无法读取',
};

export const SEVERITY_ZH: Record<string, string> = { error: '错误', warning: '提示' };

/** Stages of a run, as the terminal and the page name them. */
export const STAGE_ZH: Record<string, string> = {
  ingest: '读取',
  normalize: '识别表式',
  validate: '校验',
  reconcile: '汇总核对',
  outputs: '输出',
};

const LAYOUT_ZH: Record<string, string> = {
  long: '纵表（每行一项指标）',
  wide: '汇总表（每列一项指标）',
  detail: '村社明细表',
};

/** "long@Sheet1 detail@村社明细" → "纵表（每行一项指标），工作表“Sheet1”；村社明细表，工作表“村社明细”". */
export function layoutLabel(layouts: string): string {
  return layouts
    .split(' ')
    .filter(Boolean)
    .map((l) => {
      const at = l.indexOf('@');
      const kind = at < 0 ? l : l.slice(0, at);
      const sheet = at < 0 ? '' : l.slice(at + 1);
      return `${LAYOUT_ZH[kind] ?? kind}${sheet ? `，工作表“${sheet}”` : ''}`;
    })
    .join('；');
}

const FORMAT_ZH: Record<string, string> = { xlsx: 'Excel 工作簿', csv: 'CSV 文本' };
const ENCODING_ZH: Record<string, string> = {
  'utf-8': 'UTF-8',
  'utf-8-bom': 'UTF-8（带 BOM）',
  'utf-16le': 'UTF-16（小端）',
  'utf-16be': 'UTF-16（大端）',
  gb18030: 'GBK / GB18030',
};
export const formatLabel = (f: string): string => FORMAT_ZH[f] ?? f;
export const encodingLabel = (e: string): string => (e ? ENCODING_ZH[e] ?? e : '—');

/** Each finding code's kind, as a short Chinese name (the code is shown beside it in small print). */
export const FINDING_KIND_ZH: Record<FindingCode, string> = {
  'file.unsupported_format': '文件格式不支持',
  'file.encrypted': '文件有密码',
  'file.corrupt': '文件损坏',
  'file.empty': '空文件',
  'file.too_large': '文件过大',
  'file.unreadable': '文件无法读取',
  'file.no_form': '没有填报表',
  'file.duplicate_submission': '重复报送',
  'file.duplicate_copy': '重复副本（内容相同）',
  'file.folder_skipped': '子文件夹未读取',
  'file.unit_inferred': '填报单位系推断',
  'file.superseded': '已被另一份取代',
  'file.unit_unknown': '填报单位不明',
  'file.unit_conflict': '填报单位不一致',
  'file.period_unknown': '报告期不明',
  'file.period_conflict': '报告期不一致',
  'file.period_other': '非本期报表',
  'file.encoding': '编码不确定',
  'sheet.hidden': '隐藏工作表',
  'sheet.hidden_rows': '隐藏行',
  'sheet.several_forms': '多张表像填报表',
  'header.unknown_indicator': '表头不是本期指标',
  'header.duplicate_indicator': '表头指标重复',
  'row.unknown_indicator': '不是本期指标',
  'row.duplicate_indicator': '指标重复填报',
  'row.unknown_unit': '单位不明',
  'row.missing_indicator': '缺少指标',
  'row.unit_measure': '计量单位不符',
  'limit.exceeded': '超出读取上限',
  'value.missing': '未填数',
  'value.not_applicable': '填了“不适用”',
  'value.not_reporter': '非填报单位填了数',
  'value.approximate': '约数',
  'value.formula_error': '公式出错',
  'value.formula_no_cache': '公式无计算结果',
  'value.not_a_number': '不是数字',
  'value.negative': '负数',
  'value.fraction': '非整数',
  'value.percent': '填了百分比',
  'rule.part_exceeds_whole': '其中项大于总数',
  'rule.roster_exceeded': '超过区划名录数',
  'rule.share_out_of_range': '比例超出范围',
  'rule.share_far_from_city': '比例远离全市',
  'rule.detail_sum': '明细与合计不符',
  'rule.detail_unknown_village': '明细中的村社不在名录',
  'rule.detail_wrong_unit': '明细村社不属本单位',
  'rule.detail_duplicate_village': '明细村社重复',
  'rule.detail_type': '明细村社类型不符',
  'rule.ytd_decreased': '累计数减少',
  'rule.stock_decreased': '存量减少',
  'rule.change_large': '变动过大',
  'submission.missing': '未报送',
  'reconcile.mismatch': '与公布数不符',
  'reconcile.vague_mismatch': '与约数公布不符',
  'reconcile.incomplete': '无法核对',
  'reconcile.sources_disagree': '公布数前后矛盾',
  'reading.uncertain': '读法不确定',
  'sheet.same_period': '同期两张填报表',
  'row.merged_value': '数值格合并了几项',
  'row.extra_fields': '行的字段多于表头',
  'row.subtotal_mismatch': '小计与各项之和不符',
  'row.cumulative_differs': '本期数与累计数不符',
  'header.year_only': '只有全年数',
  'value.rounded': '以万/亿约整',
  'value.encoding': '单元格编码有误',
  'file.range_dropped': '整表范围已略去',
  'findings.omitted': '同类问题未逐条列出',
};

/** A finding code's Chinese kind; an unknown code is shown as itself. */
export function findingKind(code: string): string {
  return (FINDING_KIND_ZH as Record<string, string>)[code] ?? code;
}

/** 1234.5 → "1,234.5" (at most `digits` decimals, grouped, ASCII minus kept out of the way). */
function num(x: number, digits = 2): string {
  const fixed = Math.abs(x).toFixed(digits).replace(/\.?0+$/, '');
  const [int, frac] = fixed.split('.');
  return `${x < 0 ? '−' : ''}${int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${frac ? `.${frac}` : ''}`;
}

/** 57.989 → "58.0": one decimal, kept. */
export function fixed1(x: number): string {
  const t = num(Math.round(x * 10) / 10, 1);
  return t.includes('.') ? t : `${t}.0`;
}

/**
 * A published interval in words instead of notation: [55, 60) → "55 至不足 60", [2498, 2498] → "恰为
 * 2,498", [500, ∞) → "500 及以上", (a, b] → "多于 a、至多 b". `unit` follows each number ("%", "").
 */
export function intervalWords(interval: string, unit = ''): string {
  const n = '-?[\\d.]+(?:e[-+]?\\d+)?';
  const m = new RegExp(`\\s*([[(])\\s*(${n})\\s*,\\s*(${n}|∞)\\s*([\\])])`).exec(interval);
  if (!m) return interval;
  const lo = Number(m[2]);
  const hi = m[3] === '∞' ? null : Number(m[3]);
  const loIn = m[1] === '[';
  const hiIn = m[4] === ']';
  if (hi !== null && lo === hi) return `恰为 ${num(lo)}${unit}`;
  const a = `${loIn ? '' : '多于 '}${num(lo)}${unit}`;
  if (hi === null) return `${a}${loIn ? ' 及以上' : ''}`;
  return loIn ? `${a} 至${hiIn ? ' ' : '不足 '}${num(hi)}${unit}` : `${a}、${hiIn ? '至多' : '少于'} ${num(hi)}${unit}`;
}

/** What a reconciliation row's status means for that row, in words (no interval notation). */
export function statusSentence(row: { status: string; text: string; interval: string; computed: number | null; difference: number | null; hints: string }, unit = ''): string {
  const yoy = row.interval.startsWith('同比');
  const range = intervalWords(row.interval.replace(/^同比\s*/, ''), yoy ? '%' : unit);
  const what = yoy ? '同比增速' : '汇总值';
  const x = row.computed === null ? '' : unit === '%' || yoy ? `${fixed1(row.computed)}%` : `${num(row.computed, 2)}${unit}`;
  switch (row.status) {
    case 'match':
      return `公布“${row.text}”是确数，${what} ${x} 与之相同`;
    case 'within':
      return `公布“${row.text}”是约数，表示 ${range}；${what} ${x} 在此范围内`;
    case 'mismatch': {
      const d = row.difference ?? 0;
      // a share's or a growth rate's distance is in percentage points
      const by = (x: number) => (yoy || unit === '%' ? `${fixed1(x)} 个百分点` : `${num(x, 2)}${unit}`);
      const side = d < 0 ? `比下限少 ${by(-d)}` : `比上限多 ${by(d)}`;
      return `公布“${row.text}”表示 ${range}；${what} ${x} 不在此范围内，${side}`;
    }
    case 'incomplete':
      return `无法核对：${row.hints || '缺少数据'}`.replace(/(应在 )?\((-?[\d.]+), (-?[\d.]+|∞)\]( 之间)?/g, (_, pre, a, b) => `${pre ? '应' : ''}${b === '∞' ? `多于 ${a}` : `多于 ${a}、至多 ${b}`}`);
    default:
      return '本期没有公布数，不核对';
  }
}
