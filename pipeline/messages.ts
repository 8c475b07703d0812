// Finding wording: one template per code, in Chinese for the district clerk, English alongside.
// Codes and severities are the contract (schemas/finding.ts); wording may change freely.
import type { FindingCode, Severity, Finding } from '../schemas/finding.ts';
import { cmp } from './compare.ts';

/** Parameters a template may use; all optional strings. */
export type MessageParams = Partial<
  Record<'raw' | 'item' | 'unit' | 'other' | 'expected' | 'value' | 'detail' | 'period' | 'what' | 'limit', string>
>;

type Template = { severity: Severity; zh: (p: MessageParams) => string; en: (p: MessageParams) => string };

/** Quotes a name for a message, without doubling quotes it already has (“3315计划”申报). */
const q = (s: string | undefined) => (/^[“"]/.test(s ?? '') ? (s ?? '') : `“${s ?? ''}”`);

export const TEMPLATES: Record<FindingCode, Template> = {
  'file.unsupported_format': {
    severity: 'error',
    zh: (p) =>
      /压缩包/.test(p.what ?? '')
        ? `文件${p.what}不是报表：如是几份报表打成的压缩包，请解压后把各单位的 .xlsx 或 .csv 逐个提交`
        : `文件格式${p.what ?? ''}无法读取：请用 Excel 或 WPS 打开后“另存为” .xlsx（Excel 工作簿）或 .csv 再提交`,
    en: (p) => `unsupported format ${p.what ?? ''}: open it in Excel or WPS and save as .xlsx or .csv`,
  },
  'file.encrypted': {
    severity: 'error',
    zh: () => '文件设置了打开密码，无法读取：请取消密码（文件→信息→保护工作簿→用密码进行加密，清空）后重新提交',
    en: () => 'the file is password-protected: remove the password and submit again',
  },
  'file.corrupt': {
    severity: 'error',
    zh: (p) => `文件已损坏或不完整，无法打开${p.detail ? `（${p.detail}）` : ''}：请重新导出或重新发送原文件`,
    en: (p) => `the file is corrupt or truncated${p.detail ? ` (${p.detail})` : ''}: export or send it again`,
  },
  'file.empty': {
    severity: 'error',
    zh: () => '文件是空的：请填写填报表后重新提交',
    en: () => 'the file is empty',
  },
  'file.too_large': {
    severity: 'error',
    zh: (p) => `文件超过大小限制（${p.limit}）：请只保留填报表`,
    en: (p) => `the file exceeds the size limit (${p.limit})`,
  },
  'file.unreadable': {
    severity: 'error',
    zh: (p) => `读取文件时出错${p.detail ? `（${p.detail}）` : ''}：请确认文件仍在并可读取`,
    en: (p) => `the file could not be read${p.detail ? ` (${p.detail})` : ''}`,
  },
  'file.no_form': {
    severity: 'error',
    zh: () => '没有找到填报表：表头应包含“指标名称”和“本期数”两列（或每列一个指标的汇总表、村社明细表）。请使用下发的模板',
    en: () => 'no form found: expected a header with 指标名称 and 本期数 (or a wide summary, or a village-level detail sheet)',
  },
  'file.range_dropped': {
    severity: 'warning',
    zh: (p) => `${p.what}远超已填写的区域，读取时已忽略（不影响读取的数据）；如需要，请在模板中把它限定在填报区域内`,
    en: (p) => `${p.what} reaches far beyond the filled area and was ignored when reading (the data read is not affected)`,
  },
  'file.folder_skipped': {
    severity: 'warning',
    zh: (p) => `文件夹${q(p.what)}里的文件未读取：各单位的报表请直接放在 submissions/${p.period ?? '<期别>'}/ 下，不放在子文件夹里`,
    en: (p) => `the folder ${p.what} was not read: put the submissions directly in submissions/${p.period ?? '<period>'}/`,
  },
  'file.duplicate_submission': {
    severity: 'error',
    zh: (p) => `${p.unit}${p.period}已由${q(p.other)}报送，同一单位同一期只能有一份：请删除多余文件，或在 choices.yaml 中指定采用哪一份`,
    en: (p) => `${p.unit} ${p.period} was also submitted in ${p.other}: keep one file, or record the choice in choices.yaml`,
  },
  'file.superseded': {
    severity: 'warning',
    zh: (p) => `按 choices.yaml 的记录，${p.unit}${p.period}采用${q(p.other)}，本文件不计入`,
    en: (p) => `per choices.yaml, ${p.other} is used for ${p.unit} ${p.period}; this file is not counted`,
  },
  'file.unit_unknown': {
    severity: 'error',
    zh: (p) =>
      p.raw
        ? `填报单位${q(p.raw)}不是报送单位之一（${p.what || '本区域的报送单位'}）：请写明所属区县（市），如“填报单位：××区委组织部”`
        : '无法确定填报单位：请在标题下填写“填报单位：××区委组织部”，或在文件名中写明单位',
    en: (p) =>
      p.raw
        ? `the reporting unit ${p.raw} is not one of the region's reporting units (${p.what || 'see region.yaml'}): name the district, e.g. 填报单位：××区委组织部`
        : 'the reporting unit could not be determined: write 填报单位：… under the title or name the unit in the file name',
  },
  'file.unit_inferred': {
    severity: 'warning',
    zh: (p) => `填报单位只能从${p.detail ?? ''}看出是${p.unit ?? ''}：请在标题下写明“填报单位：${p.unit ?? '××'}委组织部”，或在文件名中写明单位`,
    en: (p) => `the reporting unit (${p.unit}) was only inferred from ${p.detail}: write 填报单位：… under the title`,
  },
  'file.unit_conflict': {
    severity: 'error',
    zh: (p) => `填报单位前后不一致：${p.detail}。请改为同一单位`,
    en: (p) => `the reporting unit disagrees between sources: ${p.detail}`,
  },
  'file.period_unknown': {
    severity: 'error',
    zh: () => '无法确定报告期：请在标题中写明“2018年上半年”等，或在文件名中写明期别',
    en: () => 'the period could not be determined',
  },
  'file.period_conflict': {
    severity: 'error',
    zh: (p) => `报告期前后不一致：${p.detail}。请核对`,
    en: (p) => `the period disagrees between sources: ${p.detail}`,
  },
  'file.period_other': {
    severity: 'error',
    zh: (p) =>
      /H[12]$/.test(p.other ?? '')
        ? `本文件是${p.other}的报表，不是${p.period}的：请核对标题或文件名里的期别；若确是${p.other}的报表，请作为${p.other}的报表报送`
        : `本文件是${p.other}的报表，不是${p.period}的：半年报只填本半年（${(p.period ?? '').endsWith('H2') ? '7—12月' : '1—6月'}）的数，请核对标题里的期别和所填的数`,
    en: (p) => `this file is for ${p.other}, not ${p.period}`,
  },
  'file.encoding': {
    severity: 'warning',
    zh: (p) => `文件编码无法确定，按 ${p.what} 读取：请核对中文是否显示正常`,
    en: (p) => `encoding uncertain, read as ${p.what}`,
  },
  'sheet.hidden': {
    severity: 'warning',
    zh: (p) => `工作表${q(p.what)}是隐藏的，已读取其中的填报表：请确认隐藏表中的数据是要报送的`,
    en: (p) => `sheet ${p.what} is hidden and was read: confirm its figures are meant to be submitted`,
  },
  'sheet.hidden_rows': {
    severity: 'warning',
    zh: (p) => `第 ${p.what} 行是隐藏行，已照常读取：请确认隐藏行中的数据`,
    en: (p) => `hidden row(s) ${p.what} were read as usual`,
  },
  'sheet.several_forms': {
    severity: 'warning',
    zh: (p) => `文件中有多张表像填报表，已采用${q(p.what)}：${p.detail}`,
    en: (p) => `several sheets look like forms; used ${p.what}: ${p.detail}`,
  },
  'header.unknown_indicator': {
    severity: 'error',
    zh: (p) => `表头${q(p.raw)}不是本期指标：${p.other ? `是否指${q(p.other)}？` : ''}请使用模板中的指标名称`,
    en: (p) => `column header ${p.raw} is not an indicator of this period`,
  },
  'header.duplicate_indicator': {
    severity: 'error',
    zh: (p) => `指标${q(p.item)}出现了两列：请删除重复的一列`,
    en: (p) => `indicator ${p.item} has two columns`,
  },
  'row.unknown_indicator': {
    severity: 'error',
    zh: (p) => `${q(p.raw)}不是本期的指标：${p.other ? `是否指${q(p.other)}？` : ''}请使用模板中的指标名称或代码`,
    en: (p) => `${p.raw} is not an indicator of this period`,
  },
  'row.duplicate_indicator': {
    severity: 'error',
    zh: (p) => `指标${q(p.item)}填了两次（另见 ${p.other}）：请只保留一行`,
    en: (p) => `indicator ${p.item} appears twice (also ${p.other})`,
  },
  'row.unknown_unit': {
    severity: 'error',
    zh: (p) => `${q(p.raw)}不是填报单位：请写区县（市）全称或 6 位区划代码（见模板）`,
    en: (p) => `${p.raw} is not a reporting unit`,
  },
  'row.missing_indicator': {
    severity: 'error',
    zh: (p) => `缺少指标${q(p.item)}：请补上这一行（没有发生请填 0）`,
    en: (p) => `indicator ${p.item} is missing`,
  },
  'row.unit_measure': {
    severity: 'error',
    zh: (p) => `计量单位${q(p.raw)}与指标要求的“${p.expected}”不符：请按“${p.expected}”填写数字`,
    en: (p) => `measure ${p.raw} differs from the expected ${p.expected}`,
  },
  'limit.exceeded': {
    severity: 'error',
    zh: (p) => `${p.what}超过上限（${p.limit}），其余部分未读取`,
    en: (p) => `${p.what} exceeds the limit (${p.limit})`,
  },
  'value.missing': {
    severity: 'error',
    zh: (p) => `${p.item}未填写：请填写数字，没有发生请填 0`,
    en: (p) => `${p.item} is empty: enter a number, 0 if none`,
  },
  'value.not_applicable': {
    severity: 'error',
    zh: (p) => `${p.item}不能填${q(p.raw)}（不适用）：请填写数字，没有发生请填 0`,
    en: (p) => `${p.item} may not be ${p.raw} (not applicable): enter a number`,
  },
  'value.not_reporter': {
    severity: 'warning',
    zh: (p) => `${p.unit ?? '本单位'}不填报${p.item}（由${p.what ?? '其他单位'}填报），所填${q(p.raw)}未计入合计：若确有此数，请与市委组织部联系`,
    en: (p) => `${p.unit ?? 'this unit'} does not report ${p.item}; ${p.raw} was not counted`,
  },
  'value.approximate': {
    severity: 'error',
    zh: (p) => `${q(p.raw)}是约数，请填写准确数字`,
    en: (p) => `${p.raw} is approximate: enter the exact number`,
  },
  'value.formula_error': {
    severity: 'error',
    zh: (p) => `单元格是公式错误 ${p.raw}：请检查公式引用，或直接填写数字`,
    en: (p) => `formula error ${p.raw}: fix the formula or type the number`,
  },
  'value.formula_no_cache': {
    severity: 'error',
    zh: (p) => `单元格公式 ${q(p.raw)} 没有计算结果（文件未经 Excel/WPS 保存）：请在 Excel 或 WPS 中打开并保存后再提交，或直接填写数字`,
    en: (p) => `formula ${p.raw} has no cached result: open and save the file in Excel/WPS, or type the number`,
  },
  'value.not_a_number': {
    severity: 'error',
    zh: (p) =>
      /\d\s+\d/.test(p.raw ?? '')
        ? `${q(p.raw)}像是两个数：一个单元格只填一个数（更正时删去旧数，不用删除线或换行保留）`
        : `${q(p.raw)}不是数字：请只填写阿拉伯数字`,
    en: (p) => `${p.raw} is not a number`,
  },
  'value.negative': {
    severity: 'error',
    zh: (p) => `${p.item}不能为负数（${p.raw}）：请填写实际发生数，没有发生请填 0`,
    en: (p) => `${p.item} cannot be negative (${p.raw})`,
  },
  'value.fraction': {
    severity: 'error',
    zh: (p) => `${p.item}应为整数（${p.raw}）：个数、人数不能有小数`,
    en: (p) => `${p.item} must be a whole number (${p.raw})`,
  },
  'value.percent': {
    severity: 'error',
    zh: (p) => `${p.item}应填人数/个数，不是百分比（${p.raw}）：比例由系统计算`,
    en: (p) => `${p.item} is a count, not a percentage (${p.raw})`,
  },
  'rule.part_exceeds_whole': {
    severity: 'error',
    zh: (p) => `${p.item}（${p.value}）大于${p.other}（${p.expected}）：其中项不能超过总数`,
    en: (p) => `${p.item} (${p.value}) exceeds ${p.other} (${p.expected})`,
  },
  'rule.roster_exceeded': {
    severity: 'error',
    zh: (p) => `${p.item}合计 ${p.value} 超过本单位村社总数 ${p.expected}（统计用区划代码）`,
    en: (p) => `${p.item} ${p.value} exceeds the unit's ${p.expected} village-level units in the roster`,
  },
  'rule.share_out_of_range': {
    severity: 'error',
    zh: (p) => `${p.item}为 ${p.value}，不在 0–100% 之间：请核对分子分母`,
    en: (p) => `${p.item} is ${p.value}, outside 0–100%`,
  },
  'rule.share_far_from_city': {
    severity: 'warning',
    zh: (p) => `${p.item}为 ${p.value}，与${p.what ?? '全市'} ${p.expected} 相差较大：请核实`,
    en: (p) => `${p.item} is ${p.value}, far from the city's ${p.expected}`,
  },
  'rule.detail_sum': {
    severity: 'error',
    zh: (p) => `村社明细合计 ${p.value} 与本单位填报的${p.item} ${p.expected} 不一致：请核对村社明细或填报表，使两者相等`,
    en: (p) => `village-level detail sums to ${p.value}, the unit row says ${p.expected} for ${p.item}`,
  },
  'rule.detail_unknown_village': {
    severity: 'error',
    zh: (p) =>
      /^\d(\.\d+)?e\+?\d+$/i.test(p.raw ?? '')
        ? `村社代码 ${p.raw} 被 Excel 改成了科学计数，已看不出原来的12位代码：请把代码列设为“文本”格式，重新填入12位代码后再保存`
        : `村社代码 ${p.raw} 不在统计用区划代码中：请核对12位代码`,
    en: (p) => `village code ${p.raw} is not in the roster`,
  },
  'rule.detail_wrong_unit': {
    severity: 'error',
    zh: (p) => `村社代码 ${p.raw} 属于${p.other}，不属于${p.unit}`,
    en: (p) => `village code ${p.raw} belongs to ${p.other}, not ${p.unit}`,
  },
  'rule.detail_duplicate_village': {
    severity: 'error',
    zh: (p) => `村社代码 ${p.raw} 重复（另见 ${p.other}）`,
    en: (p) => `village code ${p.raw} appears twice (also ${p.other})`,
  },
  'rule.detail_type': {
    severity: 'error',
    zh: (p) => `${p.item}只能填在类型为“${p.expected}”的行，此行类型为${q(p.raw)}`,
    en: (p) => `${p.item} belongs on rows of type ${p.expected}, this row is ${p.raw}`,
  },
  'rule.ytd_decreased': {
    severity: 'error',
    zh: (p) => `${p.item}是年度累计数，本期 ${p.value} 小于上期 ${p.expected}：累计数在年内不能减少`,
    en: (p) => `${p.item} is year-to-date: ${p.value} is below the previous period's ${p.expected}`,
  },
  'rule.stock_decreased': {
    severity: 'warning',
    zh: (p) => `${p.item}是期末存量，本期 ${p.value} 少于上期 ${p.expected}：请核实并填写上报说明`,
    en: (p) => `${p.item} is a stock and fell from ${p.expected} to ${p.value}: confirm or explain`,
  },
  'rule.change_large': {
    severity: 'warning',
    zh: (p) => `${p.item}本期 ${p.value}，上期 ${p.expected}，变动 ${p.detail}：变动超过 ${p.limit}，请核实`,
    en: (p) => `${p.item} changed ${p.detail} (${p.expected} → ${p.value}), more than ${p.limit}`,
  },
  'submission.missing': {
    severity: 'warning',
    zh: (p) => `${p.unit}尚未报送${p.period}的报表：${p.what ?? '全市'}合计不完整`,
    en: (p) => `${p.unit} has not submitted ${p.period}: city totals are incomplete`,
  },
  'reconcile.mismatch': {
    severity: 'error',
    zh: (p) => `${p.item}汇总为 ${p.value}，与公布的${q(p.raw)}（${p.expected}）不符，差 ${p.detail}`,
    en: (p) => `${p.item} sums to ${p.value}, outside the published ${p.raw} ${p.expected} by ${p.detail}`,
  },
  'reconcile.vague_mismatch': {
    severity: 'warning',
    zh: (p) => `${p.item}汇总为 ${p.value}，与公布的约数${q(p.raw)}（按 ${p.expected} 理解）不符：请核实`,
    en: (p) => `${p.item} sums to ${p.value}, outside ${p.expected} as read from the figure of speech ${p.raw}`,
  },
  'reconcile.incomplete': {
    severity: 'warning',
    zh: (p) => `${p.item}无法与公布的${q(p.raw)}核对：${p.detail}`,
    en: (p) => `${p.item} cannot be checked against ${p.raw}: ${p.detail}`,
  },
  'file.duplicate_copy': {
    severity: 'warning',
    zh: (p) => `本文件与${q(p.other)}内容完全相同（重复下载或重复发送的副本），只计入${q(p.other)}一次：可删除本文件`,
    en: (p) => `this file is a byte-identical copy of ${p.other}; it is counted once`,
  },
  'reconcile.sources_disagree': {
    severity: 'warning',
    zh: (p) => `公布数之间不一致：${p.detail}。请核实并说明`,
    en: (p) => `published figures disagree: ${p.detail}`,
  },
  'reading.uncertain': {
    severity: 'error',
    zh: (p) => `无法确定${p.what}：${p.detail}。请只保留一个，或在表头写明“本期数”`,
    en: (p) => `cannot tell ${p.what}: ${p.detail}`,
  },
  'sheet.same_period': {
    severity: 'error',
    zh: (p) => `文件中有两张同一期的填报表：${p.detail}，无法确定以哪张为准。请删除不用的工作表后重新报送`,
    en: (p) => `two forms for the same period: ${p.detail}`,
  },
  'row.merged_value': {
    severity: 'error',
    zh: (p) => `数值单元格 ${p.other} 合并了${p.detail}，一个数不能同时是两项的数。请拆分合并单元格，每项各填一个数`,
    en: (p) => `one merged value cell ${p.other} spans ${p.detail}`,
  },
  'row.extra_fields': {
    severity: 'error',
    zh: (p) => `这一行比表头多出 ${p.what} 个字段（${q(p.raw)}），可能是数字中的逗号（如 7,013）未加引号。请去掉千分位逗号或用 Excel 另存`,
    en: (p) => `row has ${p.what} more fields than the header (${p.raw}): an unquoted thousands separator?`,
  },
  'row.cumulative_differs': {
    severity: 'warning',
    zh: (p) => `上半年的${p.item}本期数 ${p.value} 与${q(p.raw)}列的 ${p.expected} 不一致（上半年的累计数即本期数），已按本期数读取：请核实哪一个正确，改正或填写上报说明`,
    en: (p) => `H1 ${p.item}: 本期数 ${p.value} but ${p.raw} ${p.expected} (in H1 both are January to June)`,
  },
  'row.subtotal_mismatch': {
    severity: 'warning',
    zh: (p) => `${q(p.raw)}行的数 ${p.value} 与其上各项之和 ${p.expected} 不一致，请核实`,
    en: (p) => `subtotal row ${p.raw} is ${p.value}, the items above sum to ${p.expected}`,
  },
  'header.year_only': {
    severity: 'error',
    zh: (p) => `${q(p.raw)}列是全年累计数，不能直接作为下半年数：${p.item}是期间数，下半年数 = 全年 − 上半年。请增加“1-6月”列或直接填写下半年数`,
    en: (p) => `column ${p.raw} is the whole year; a period item's H2 figure needs the first half too`,
  },
  'value.rounded': {
    severity: 'warning',
    zh: (p) => `${q(p.raw)}是以万/亿为单位的约整数，得不出准确人数（个数），请填写准确数字`,
    en: (p) => `${p.raw} is rounded to 万/亿 and cannot give an exact count`,
  },
  'findings.omitted': {
    // its severity is that of the findings it counts (validate/finding-cap.ts)
    severity: 'warning',
    zh: (p) => `另有 ${p.value} 处“${p.what}”未逐条列出（每个文件每类只列前 ${p.limit} 处），第一处在 ${p.raw}；它们与已列出的同类问题一样处理，请检查全部同类行`,
    en: (p) => `${p.value} more findings of this kind (${p.what}) are not listed one by one (the first ${p.limit} of a file are); the first of them is at ${p.raw}`,
  },
  'value.encoding': {
    severity: 'warning',
    zh: (p) => `单元格 ${q(p.raw)} 含有无法识别的字节（文件其余部分按 UTF-8 读取），请核对这一格`,
    en: (p) => `cell ${p.raw} holds invalid UTF-8 bytes`,
  },
};

/** Where a finding points. */
export type Location = Partial<
  Pick<Finding, 'file' | 'sheet' | 'cell' | 'row' | 'col' | 'raw' | 'unit' | 'indicator' | 'period' | 'expected'>
>;

/**
 * Builds a finding with its default severity and worded message. A plain object with every field
 * of schemas/finding.ts (tests check findings against the zod schema; the hot path does not parse).
 */
export function finding(code: FindingCode, loc: Location = {}, params: MessageParams = {}): Finding {
  const t = TEMPLATES[code];
  const p = { raw: loc.raw, ...params };
  return {
    severity: t.severity,
    code,
    message: t.zh(p),
    message_en: t.en(p),
    period: loc.period ?? '',
    unit: loc.unit ?? '',
    indicator: loc.indicator ?? '',
    file: loc.file ?? '',
    sheet: loc.sheet ?? '',
    cell: loc.cell ?? '',
    row: loc.row ?? null,
    col: loc.col ?? null,
    raw: loc.raw ?? '',
    expected: loc.expected ?? '',
    confirmed: '',
    confirmed_by: '',
    refs: '',
  };
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1 };

/** Stable order for findings: file, sheet, row, col, code. */
export function sortFindings(list: Finding[]): Finding[] {
  return [...list].sort(
    (a, b) =>
      cmp(a.period, b.period) ||
      cmp(a.file, b.file) ||
      cmp(a.sheet, b.sheet) ||
      (a.row ?? Infinity) - (b.row ?? Infinity) ||
      (a.col ?? Infinity) - (b.col ?? Infinity) ||
      cmp(a.unit, b.unit) ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      cmp(a.code, b.code),
  );
}

/** Why a submission was not read, as the detail of a file.unreadable finding (io.ts readInput). */
export const READ_ERRORS = {
  notRegular: '不是普通文件，而是管道、套接字或设备，未读取；请放入普通的 .xlsx 或 .csv 文件',
  outside: '这是一个链接，指向报送文件夹以外的位置，出于安全未读取；请把文件本身复制到报送文件夹',
} as const;

/** The note on a cell of an annotated copy that held a formula (the copy keeps its cached value). */
export const formulaNote = (formula: string) => `【原为公式 =${formula}】副本中只保留了它上次计算的结果，公式已去掉`;

/** validate's line when a workbook is too large for an annotated copy. */
export const annotateDeclined = (file: string, cells: number, limit: number) =>
  `标注副本未生成：${file} 有 ${cells} 个单元格，超过标注副本的上限 ${limit}；问题请看 findings.csv（按工作表、单元格列出）`;
