// The 说明 sheet of a template, as rows of text: how to fill the form, what not to do, how to save and
// send it, and the checks the pipeline will apply — the value rules and the RULES registry, worded
// from the same templates the findings use. Pure: model and context in, rows out.
import type { FindingCode } from '../../schemas/finding.ts';
import { previousPeriod, type PeriodContext } from '../context.ts';
import { TEMPLATES, type MessageParams } from '../messages.ts';
import { RULES, type Rule } from '../validate/rules.ts';
import { BASIS_ZH, NA_TEXT, TEMPLATE_LAYOUT, periodSpanZh, quoteZh, type TemplateModel } from './model.ts';

export type InstructionStyle = 'title' | 'heading' | 'text' | 'tableHeader' | 'tableRow';

export interface InstructionRow {
  style: InstructionStyle;
  cells: string[];
}

const SEVERITY_ZH = { error: '错误（必须改正）', warning: '提示（请核实）' } as const;

/** Checks on each figure, with an example of the message the pipeline gives. */
const VALUE_CHECKS: { code: FindingCode; rule: string; example: MessageParams }[] = [
  { code: 'value.missing', rule: '每个要填的指标都要填；没有发生填 0，空白视为未填报', example: { item: '发现问题' } },
  { code: 'value.approximate', rule: '填准确数字，不填约数', example: { raw: '120余' } },
  { code: 'value.percent', rule: '填人数、个数，不填百分比（比例由系统计算）', example: { item: '提拔干部', raw: '57.8%' } },
  { code: 'value.negative', rule: '不能为负数', example: { item: '处理人员', raw: '-3' } },
  { code: 'value.fraction', rule: '应为整数，不能有小数', example: { item: '一线挂职干部', raw: '2.5' } },
  { code: 'value.not_a_number', rule: '只填阿拉伯数字，文字写在“上报说明”列', example: { raw: '见附件' } },
  { code: 'value.not_applicable', rule: `“${NA_TEXT}”只能填在允许不适用的指标`, example: { item: '正风肃纪监督检查', raw: NA_TEXT } },
  { code: 'value.formula_error', rule: '不能是公式错误值', example: { raw: '#REF!' } },
  { code: 'value.not_a_number', rule: '一个单元格只填一个数：更正时删去旧数，不用删除线或换行保留', example: { raw: '200 215' } },
  { code: 'value.not_reporter', rule: '只填本单位填报的指标（市本级不填只由区县（市）填报的指标）', example: { item: '悬挂红色标识的行政村', unit: '市本级', what: '各区县（市）', raw: '12' } },
  { code: 'row.unit_measure', rule: '按“单位”列的计量单位填写，不改用“万”“千”或“%”', example: { raw: '万人', expected: '人' } },
  { code: 'row.missing_indicator', rule: '不删除指标行', example: { item: '发现问题' } },
  { code: 'row.unknown_indicator', rule: '不增加、不改写指标名称和指标代码', example: { raw: '其他工作' } },
  { code: 'file.period_other', rule: '报表的期别要与本期一致', example: {} }, // the periods: this one and the one before
];

/** Rules that compare with other units or other periods are applied when the city sums up, not in the self-check. */
function appliedWhen(rule: Rule): string {
  if (rule.scope === 'period') return '汇总时（与上期比较）';
  if (rule.code === 'rule.share_far_from_city') return '汇总时（与全市比较）';
  return '报送前自查时和汇总时';
}

/** What a rule applies to in this catalogue for this unit; '' when it does not apply at all. */
function appliesTo(rule: Rule, ctx: PeriodContext, model: TemplateModel): string {
  const reported = new Set(model.rows.filter((r) => r.reports).map((r) => r.code));
  const name = (code: string) => ctx.items.get(code)?.name_zh ?? code;
  const items = ctx.catalogue.items.filter((i) => reported.has(i.code));
  switch (rule.code) {
    case 'rule.part_exceeds_whole':
      return items
        .filter((i) => i.part_of && reported.has(i.part_of))
        .map((i) => `${i.name_zh} ≤ ${name(i.part_of!)}`)
        .join('；');
    case 'rule.roster_exceeded': {
      const n = ctx.roster.count(model.unit.code);
      return ctx.catalogue.derived
        .filter((d) => d.type === 'sum' && d.max_roster && d.of.every((c) => reported.has(c)))
        .map((d) => `${d.type === 'sum' ? d.of.map(name).join(' + ') : d.name_zh} ≤ ${n}（本单位村社数）`)
        .join('；');
    }
    case 'rule.share_out_of_range':
    case 'rule.share_far_from_city':
      return ctx.catalogue.derived
        .filter((d) => d.type === 'share' && reported.has(d.numerator) && reported.has(d.denominator))
        .filter((d) => rule.code !== 'rule.share_far_from_city' || (d.type === 'share' && d.far_from_city))
        .map((d) => (d.type === 'share' ? `${d.name_zh} = ${name(d.numerator)} ÷ ${name(d.denominator)}${rule.code === 'rule.share_far_from_city' ? `（相差超过 ${d.far_from_city} 个百分点时核实）` : ''}` : ''))
        .join('；');
    case 'rule.ytd_decreased':
      return items.filter((i) => i.basis === 'ytd').map((i) => i.name_zh).join('、');
    case 'rule.stock_decreased':
      return items.filter((i) => i.basis === 'stock').map((i) => i.name_zh).join('、');
    case 'rule.change_large':
      return `所有指标（上期不少于 ${ctx.catalogue.rules.change_min_base} 时，变动超过 ${Math.round(ctx.catalogue.rules.change_warning * 100)}%）`;
    default:
      return '';
  }
}

/** The 说明 sheet's rows for one unit's template. */
export function instructionRows(model: TemplateModel, ctx: PeriodContext): InstructionRow[] {
  const rows: InstructionRow[] = [];
  const text = (s: string) => rows.push({ style: 'text', cells: [s] });
  const heading = (s: string) => rows.push({ style: 'heading', cells: [s] });
  const blank = () => rows.push({ style: 'text', cells: [''] });
  const reported = model.rows.filter((r) => r.reports);
  const naItems = reported.filter((r) => r.naAllowed).map((r) => quoteZh(r.name));
  const notReported = model.rows.filter((r) => !r.reports).map((r) => quoteZh(r.name));
  const file = `${model.fileStem}.xlsx`;
  const valueCol = String.fromCharCode(64 + TEMPLATE_LAYOUT.valueCol);

  rows.push({ style: 'title', cells: [`${model.title}　填报说明`] });
  text(`填报单位：${model.unit.name}（${model.unit.code}）　报告期：${model.periodLabel}（${model.period}，${periodSpanZh(model.period)}）　指标目录：${model.catalogueVersion}`);
  blank();

  heading('一、怎样填写');
  let n = 0;
  const step = (s: string) => text(`${++n}. ${s}`);
  step(`只在“${TEMPLATE_LAYOUT.sheet}”的黄色单元格（“本期数”列，${valueCol} 列）填写数字；需要说明的情况写在“上报说明”列。其余单元格已锁定（无密码保护，请勿取消）。`);
  step('填写准确的阿拉伯数字（整数），计量单位按“单位”列（人、个、名、次、起），不要在数字后加文字。');
  step('没有发生的填 0，不要留空：空白视为未填报。');
  step(`口径：“期末数”填报告期最后一天的状态，“本期发生数”只填本半年内发生的数（不含上半年）。各指标的口径见下表。`);
  if (naItems.length) step(`只有${naItems.join('、')}在确实不适用时可以填“${NA_TEXT}”（全角破折号）；其他指标不能填“${NA_TEXT}”“/”“无”。`);
  else step(`本期所有指标都要填数字，不能填“${NA_TEXT}”“/”“无”。`);
  if (notReported.length) step(`${notReported.join('、')}不由本单位填报，已预填“${NA_TEXT}”并锁定。`);
  if (model.detail)
    step(`“村社明细”表：每个村社一行（代码、名称已按统计用区划代码列出）。请填写“类型”（村 或 社区），悬挂红色标识的填 1、未悬挂填 0，调整的干部人数按村社填写。明细各列的合计必须等于“${TEMPLATE_LAYOUT.sheet}”中对应指标的数。`);
  blank();

  heading('二、不要这样填');
  text('× 约数：如“120余”“近60%”“约400”“100以上”“1-2”——请填准确数字。');
  text('× 百分比：如“57.8%”——比例由系统根据人数计算，只填人数、个数。');
  text('× 用“万”“千”作单位：如“1.2万”——请填 12000；也不要修改“单位”列。');
  text('× 负数、小数、公式错误（如 #REF!）、文字说明（请写在“上报说明”列）。');
  text(`× 在不允许的指标填“${NA_TEXT}”“/”“无”；没有发生请填 0。`);
  text('× 增删行列、修改指标名称或指标代码、合并或拆分单元格、把几个单位或几期的数据放在一个文件里。');
  text('× 另存为 .xls、.et、.pdf 或图片，或给文件设置打开密码。');
  blank();

  heading('三、保存与报送');
  n = 0;
  step(`保持 Excel 工作簿格式（.xlsx）。用 WPS 表格填写的，请“另存为”Excel 工作簿（*.xlsx）。`);
  step(`文件名保持为“${file}”。不能使用 Excel 的，可填写同名的 CSV 模板（${model.fileStem}.csv），保存时仍选 CSV 格式。`);
  step('报送前请用“报送前自查”页面（check.html）检查：用浏览器打开，把文件拖进页面。检查在本机进行，文件不会上传。页面显示“可以报送”后再报送。');
  blank();

  heading('四、本期指标');
  rows.push({ style: 'tableHeader', cells: ['序号', '填报项', '计量', '口径', `可否填“${NA_TEXT}”`, '其中项'] });
  for (const r of model.rows)
    rows.push({
      style: 'tableRow',
      cells: [String(r.no), r.name, r.measure, BASIS_ZH[r.basis], !r.reports ? '本单位不填报' : r.naAllowed ? '不适用时可填' : '不可，须填数字', r.partOf ? `不大于${quoteZh(r.partOf)}` : ''],
    });
  blank();

  heading('五、将执行的审核（数值）');
  rows.push({ style: 'tableHeader', cells: ['审核代码', '级别', '要求', '系统提示示例'] });
  for (const v of VALUE_CHECKS) {
    const t = TEMPLATES[v.code];
    const example = v.code === 'file.period_other' ? { other: previousPeriod(ctx.period), period: ctx.period } : v.example;
    rows.push({ style: 'tableRow', cells: [v.code, SEVERITY_ZH[t.severity], v.rule, t.zh(example)] });
  }
  blank();

  heading('六、将执行的审核（指标之间、与上期和全市比较）');
  rows.push({ style: 'tableHeader', cells: ['审核代码', '级别', '要求', '本表适用', '何时审核'] });
  for (const rule of RULES) {
    const to = appliesTo(rule, ctx, model);
    if (!to) continue;
    rows.push({ style: 'tableRow', cells: [rule.code, SEVERITY_ZH[rule.severity], rule.description, to, appliedWhen(rule)] });
  }
  if (model.detail) {
    const detailCodes: FindingCode[] = ['rule.detail_sum', 'rule.detail_unknown_village', 'rule.detail_wrong_unit', 'rule.detail_duplicate_village', 'rule.detail_type'];
    const what: Record<string, string> = {
      'rule.detail_sum': '村社明细各列合计等于填报表中对应指标',
      'rule.detail_unknown_village': '村社代码须为统计用区划代码中的12位代码',
      'rule.detail_wrong_unit': '村社须属于本单位',
      'rule.detail_duplicate_village': '每个村社只填一行',
      'rule.detail_type': '只填村的指标（行政村）填在类型为“村”的行，只填社区的指标填在类型为“社区”的行',
    };
    for (const c of detailCodes) rows.push({ style: 'tableRow', cells: [c, SEVERITY_ZH[TEMPLATES[c].severity], what[c], '村社明细', '报送前自查时和汇总时'] });
  }
  text('“错误”必须改正后才能使用；“提示”请核实，情况属实的在该行“上报说明”列写明原因：写明的提示即为“已说明”，汇总时连同说明一并列出（错误不能以说明代替）。');
  return rows;
}
