// `new-period`: a new half-year is a data change. Scaffolds, under data/, the period's catalogue (a copy
// of the latest, items kept), an empty published-figures file that explains its format, and the
// submissions folder. Never overwrites: a period that already has any of them is refused.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import YAML from 'yaml';
import { writeAtomic } from './io.ts';
import { listCataloguePeriods, loadCatalogue, loadRegion } from './reference/load.ts';
import type { Region } from '../schemas/units.ts';
import type { Logger } from './report.ts';
import { Catalogue } from '../schemas/catalogue.ts';

const USAGE = '用法 usage: banbao new-period --period <期别，如 2019H1> [--from <已有目录的期别>] [--data data]';

/** 2019H1 → 2019年上半年. */
export function periodZh(period: string): string {
  return `${period.slice(0, 4)}年${period.endsWith('H1') ? '上' : '下'}半年`;
}

/** The comment block that opens data/published/<period>.yaml: the format, for the analyst who edits it. */
export function publishedHeader(period: string, region: Region): string {
  const top = region.scopes[0];
  const unit = region.units.find((u) => u.level === 'district') ?? region.units[0];
  return [
    `# ${periodZh(period)}（${period}）公布数：市里公开发布的数字，逐条手工录入，报告时与汇总数核对。`,
    `# Published figures for ${period}, typed in by hand from what the city published; checked on every run.`,
    '#',
    '# 每条 each figure (figures 下一条一项; 格式由 schemas/published.ts 校验, JSON Schema: schemas/json/published.schema.json):',
    '#   id:          本条的名字，小写字母、数字、下划线，文件内不重复 (villages_signed, yz_units_signed)',
    '#   indicator:   对应的指标代码，须在 data/catalogue/<期别>.yaml 中（指标或派生指标）',
    '#   relation:    value（数字本身，默认）或 yoy_growth（“同比增长 X%”，与上年同期比）',
    `#   scope:       city（${top.label}），或所指单位的名称`,
    `#   scope_code:  ${top.code} 为${top.label}合计（data/reference/region.yaml 的 scopes），否则为单位代码（如 "${unit?.code ?? top.code}"，加引号）`,
    '#   text:        原文中的数字，一字不改（120余、近60%、8.6万、353）；区间由程序从原文读出，不要手填',
    '#   subject_zh:  原文说的是什么',
    '#   source:      doc（来源文章或文件）与 quote（原文引文，含该数字）',
    '# 例 example（实有的一条）:',
    '#   - id: villages_signed',
    '#     indicator: villages_signed',
    '#     relation: value',
    '#     scope: city',
    `#     scope_code: "${top.code}"`,
    '#     text: "2498"',
    '#     subject_zh: 悬挂红色标识的行政村',
    '#     source:',
    '#       doc: 001_f025b84fd1abbb16.txt',
    '#       quote: 全市2498个行政村',
    '',
  ].join('\n');
}

function submissionsReadme(period: string): string {
  return [
    `# ${periodZh(period)}（${period}）报送文件`,
    '',
    `各单位报来的文件放在这里，一个单位一个文件（.xlsx、.csv 等），不要放在子文件夹里；放好后运行`,
    `\`make validate FILE=…\` 逐个自查，或 \`make report PERIOD=${period}\` 出报告。`,
    '',
    '- `confirmations.yaml`（可选）：已核实的提示及其上报说明；',
    '- `choices.yaml`（可选）：同一单位报了两个文件时，采用哪一个及原因。',
    '',
    '格式见仓库根目录 README.md 的 “Adding a period”。本文件不会被当作报送文件读取。',
    '',
  ].join('\n');
}

export interface Scaffold {
  period: string;
  from: string;
  files: { path: string; text: string }[];
}

/** What `new-period` writes, without writing it: a refusal (Chinese message) or the files. */
export function planNewPeriod(dataDir: string, period: string, from?: string): Scaffold | { refused: string } {
  if (!/^\d{4}H[12]$/.test(period)) return { refused: `期别格式应为 年份 + H1/H2，如 2019H1（收到 “${period}”）` };
  const known = listCataloguePeriods(dataDir);
  const source = from ?? [...known].reverse().find((p) => p < period) ?? known[known.length - 1];
  if (!source || !known.includes(source)) return { refused: `没有可复制的指标目录 ${path.join(dataDir, 'catalogue', `${source ?? '<期别>'}.yaml`)}（已有：${known.join('、') || '无'}）` };
  const targets = {
    catalogue: path.join(dataDir, 'catalogue', `${period}.yaml`),
    published: path.join(dataDir, 'published', `${period}.yaml`),
    submissions: path.join(dataDir, 'submissions', period),
  };
  const present = Object.values(targets).filter((p) => existsSync(p));
  if (present.length) return { refused: `${period} 已经存在，不会覆盖：${present.join('、')}` };
  loadCatalogue(dataDir, source); // the copy must be a valid catalogue (throws a ReferenceDataError naming the file)
  // the copy is textual, so the items keep their comments and layout: a new header, period and version
  const text = readFileSync(path.join(dataDir, 'catalogue', `${source}.yaml`), 'utf8')
    .replace(/^(#.*\r?\n|\s*\r?\n)*/, '')
    .replace(/^period:.*$/m, `period: ${period}`)
    .replace(/^version:.*$/m, `version: ${period}-v1`);
  const header =
    `# 党建争强半年度推进情况汇总表 — ${periodZh(period)}.\n` +
    `# Copied from ${source}.yaml by \`banbao new-period\`, items kept: change what changed (items added,\n` +
    `# dropped or renamed, categories, rules) and say here how it differs from ${source}.\n`;
  const parsed = Catalogue.safeParse(YAML.parse(text));
  if (!parsed.success || parsed.data.period !== period) return { refused: `无法从 ${source}.yaml 生成 ${period} 的指标目录（period / version 行未找到）` };
  return {
    period,
    from: source,
    files: [
      { path: targets.catalogue, text: header + text },
      { path: targets.published, text: publishedHeader(period, loadRegion(dataDir)) + `period: ${period}\nfigures: []\n` },
      { path: path.join(targets.submissions, 'README.md'), text: submissionsReadme(period) },
    ],
  };
}

/** `new-period --period P [--from Q] [--data data]`: exit 0, or 2 when refused. */
export async function runNewPeriod(args: string[], log: Logger): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { period: { type: 'string' }, from: { type: 'string' }, data: { type: 'string', default: 'data' } }, allowPositionals: false });
  } catch (e) {
    log.warn(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values } = parsed;
  if (!values.period) {
    log.warn(USAGE);
    return 2;
  }
  const dataDir = path.resolve(values.data!);
  const plan = planNewPeriod(dataDir, values.period, values.from);
  if ('refused' in plan) {
    log.warn(`${plan.refused}\n${USAGE}`);
    return 2;
  }
  for (const f of plan.files) {
    mkdirSync(path.dirname(f.path), { recursive: true });
    writeAtomic(f.path, f.text);
  }
  const shown = (p: string) => path.relative(process.cwd(), p) || '.';
  log.info(`${plan.period}（${periodZh(plan.period)}）已建好：`);
  log.info(`  ${shown(plan.files[0].path)}  指标目录，复制自 ${plan.from}.yaml（指标不变）：有变化请直接改`);
  log.info(`  ${shown(plan.files[1].path)}  公布数，目前为空：市里公布后按文件开头的说明逐条录入`);
  log.info(`  ${shown(path.dirname(plan.files[2].path))}/  各单位报送文件放这里`);
  log.info(`下一步：make template PERIOD=${plan.period}（发给各单位的填报模板）`);
  return 0;
}
