// The words offices put in their forms' headers and rows.
import { matchKey } from './match.ts';

export const k = matchKey;
export const NAME_HEADERS = new Set(
  ['指标名称', '指标', '指标项目', '项目', '项目名称', '名称', '指标内容', '统计指标', '数据项', '填报项目', '填报内容', '内容', '工作内容', '考核指标', '指标名称及口径', 'indicator', 'name', 'item'].map(k),
);
export const CODE_HEADERS = new Set(['指标代码', '代码', '编码', '指标编码', 'code', 'indicatorcode'].map(k));
export const VALUE_HEADERS = new Set(
  ['本期数', '本期', '数值', '数量', '填报数', '本期数值', '完成数', '完成值', '完成情况', '本期完成', '本期完成数', '填报数据', '数据', '实际数', 'value', '本期值', '半年度数据', '实际完成', '实际完成数', '本期实际'].map(k),
);
/** A total column: the period's figures when no column names the period (一季度 | 二季度 | 合计), not before one that does (1-6月 | 7-12月 | 合计). */
export const TOTAL_HEADERS = new Set(['合计', '本期合计', '半年合计', '小计'].map(k));
/** Cumulative columns: read only when the form has no column for the period itself (本期数 beside 累计数 wins). */
export const CUMULATIVE_HEADERS = new Set(['累计数', '累计', '年度累计', '本年累计', '截至本期累计', '累计完成', '累计完成数'].map(k));
/** Columns that compare with another period: never the period's own figures. */
export const COMPARISON = /去年|上年|同期|同比|环比|增减|增长|增幅|比上|上期|对比|差额|变化/;
export const MEASURE_HEADERS = new Set(['单位', '计量单位', '计量', '单位名称(计量)', 'measure'].map(k));
export const NOTE_HEADERS = new Set(['备注', '说明', '上报说明', '情况说明', 'note', 'notes', 'remark'].map(k));
export const UNIT_HEADERS = new Set(['单位', '填报单位', '单位名称', '地区', '区县(市)', '区县市', '县(市、区)', '县市区', '区县', '单位代码', '行政区划代码', '区划代码', 'unit', 'unitcode'].map(k));
export const REPORTER_HEADERS = new Set(['填报单位', '报送单位', '单位名称', '单位代码', 'unit'].map(k));
export const PERIOD_HEADERS = new Set(['报告期', '期别', '时期', '统计期', '所属期', 'period'].map(k));
export const VILLAGE_CODE_HEADERS = new Set(['村社代码', '村(社区)代码', '村社区代码', '统计用区划代码', '区划代码', '村代码', '社区代码', '村社编码', '村级代码', 'villagecode'].map(k));
export const VILLAGE_NAME_HEADERS = new Set(['村社名称', '村(社区)名称', '村社区名称', '名称', '村名', '村社', 'villagename'].map(k));
export const VILLAGE_TYPE_HEADERS = new Set(['类型', '村社类型', '村/社区', '村或社区', 'type'].map(k));
export const FOOTER = /^(注|说明|备注|填报人|填表人|填报单位|填报日期|填表日期|报送日期|联系人|联系电话|审核人|负责人|制表|单位负责人|分管领导)/;
/** The same words as a label in any cell of a row (审核人：李敏 in column C): a footer line. */
export const FOOTER_LABEL = /^(填报人|填表人|填报日期|填表日期|报送日期|联系人|联系电话|审核人|负责人|制表人?|单位负责人|分管领导)\s*[:：]/;
export const TOTAL_ROW = new Set(['合计', '总计', '全市', '小计', '全市合计', '宁波市', '总数'].map(k));
export const MAX_HEADER_SCAN = 30;
export const SUBTOTAL = /^(小计|合计|计|总计|总数|人数|数量|个数|次数)$/;
/** Rows of a long form that sum the rows above (not items): 小计, 合计, 总计, 其中小计. */
export const SUBTOTAL_ROW = /^(小计|合计|总计|共计|总数|全部合计)$/;
/** A row naming a share (占比, 比例): computed from its parts, not read. */
export const SHARE_LABEL = /占比|比例|比重|百分比|覆盖率|完成率/;
