// The fixture corpus (test/fixtures/, made by test/fixtures/make-fixtures.ts) through checkFile, as a
// district's file is checked before it is sent: the exact figure read for every indicator and the
// cell it came from, the encoding reported for text files, and for the files with mistakes the exact
// [cell, code] pairs and a Chinese message that says what to do.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFile, type FileCheck } from '../../pipeline/check.ts';
import type { Finding } from '../../schemas/finding.ts';
import { ROOT, contextFor, findingsAt } from '../helpers.ts';

const FIXTURES = path.join(ROOT, 'test', 'fixtures');
const ctx = contextFor('2018H1');

const cache = new Map<string, Promise<FileCheck>>();
/** checkFile on a committed fixture (once per file). */
function check(name: string): Promise<FileCheck> {
  if (!cache.has(name)) cache.set(name, checkFile({ file: name, bytes: new Uint8Array(readFileSync(path.join(FIXTURES, name))) }, ctx));
  return cache.get(name)!;
}

const ITEMS = [
  'frontline_cadres', 'promoted_total', 'promoted_frontline', 'villages_signed', 'communities_signed',
  'cadres_adjusted', 'secretaries_adjusted', 'nonpublic_members', 'four_star_orgs', 'talent_3315_applications',
  'high_end_teams_new', 'inspections', 'problems_found', 'persons_handled', 'eight_rules_cases',
] as const;

type Expected = Record<string, [number | null, string]>;
/** A long form: item n's figure in E(3+n); null = not usable. */
const long = (...v: (number | null)[]): Expected => Object.fromEntries(ITEMS.map((k, i) => [k, [v[i], `E${4 + i}`]]));
/** A wide form row: items in columns C…Q of `row`. */
const wide = (row: number, ...v: number[]): Expected =>
  Object.fromEntries(ITEMS.map((k, i) => [k, [v[i], `${String.fromCharCode(67 + i)}${row}`]]));

/** unit → indicator → [value, cell], as read. */
function read(c: FileCheck): Record<string, Expected> {
  const out: Record<string, Expected> = {};
  for (const v of c.values) (out[v.unit] ??= {})[v.indicator] = [v.value, v.loc?.cell ?? ''];
  return out;
}
const errors = (c: FileCheck) => c.findings.filter((f) => f.severity === 'error');
const warnings = (c: FileCheck) => c.findings.filter((f) => f.severity === 'warning');

const CHINESE = /[\u4e00-\u9fff]/;
/** What a clerk is told to do: 请… (please …) or 应… (it should be …). */
const SAYS_WHAT_TO_DO = /请|应/;

// ───────────────────────────── files whose every figure can be used ─────────────────────────────
interface Good {
  file: string;
  layouts: string;
  encoding: string; // '' for workbooks
  values: Record<string, Expected>;
  /** [cell, code] of the warnings expected (never an error) */
  warnings?: [string, string][];
}

const GOOD: Good[] = [
  {
    file: '北仑区_2018H1_GBK.csv',
    layouts: 'long',
    encoding: 'gb18030', // GBK bytes, read as GB18030 (its superset)
    values: { '330206': long(82, 54, 32, 185, 47, 11, 4, 6842, 84, 156, 4, 230, 128, 94, 4) },
  },
  {
    file: '海曙区2018年上半年党建争强推进情况表(GB18030).csv',
    layouts: 'long',
    encoding: 'gb18030',
    values: { '330203': long(95, 62, 37, 207, 73, 14, 6, 5216, 96, 118, 3, 290, 162, 118, 5) },
  },
  {
    file: '宁海县2018年上半年党建争强推进情况表.txt',
    layouts: 'long',
    encoding: 'utf-16le',
    values: { '330226': long(92, 52, 31, 357, 36, 14, 5, 3351, 80, 70, 2, 240, 134, 97, 5) },
  },
  {
    file: '象山县_2018H1_Unicode大端.txt',
    layouts: 'long',
    encoding: 'utf-16be',
    values: { '330225': long(88, 50, 30, 376, 34, 15, 6, 2617, 76, 52, 1, 215, 118, 86, 5) },
  },
  {
    file: '慈溪市_2018H1_分号分隔.csv',
    layouts: 'long',
    encoding: 'utf-8',
    values: { '330282': long(117, 80, 47, 339, 67, 16, 7, 9248, 128, 172, 4, 359, 208, 155, 6) },
  },
  {
    // the 备注 of row 9 spans two lines: the rows after it keep their Excel row numbers
    file: '余姚市_2018H1（备注含换行）.csv',
    layouts: 'long',
    encoding: 'utf-8-bom',
    values: { '330281': long(108, 72, 42, 286, 40, 13, 5, 7605, 112, 162, 4, 330, 180, 131, 6) },
  },
  {
    // 1.2万 → 12000 (E11), 1248个 (E13), １２４８ (E15), "1,248" (E16)
    file: '鄞州区_2018H1_数字写法.csv',
    layouts: 'long',
    encoding: 'gb18030',
    values: { '330212': long(125, 88, 52, 279, 128, 19, 8, 12000, 138, 1248, 5, 1248, 1248, 150, 7) },
    warnings: [['E11', 'value.rounded']], // 1.2万 is read, and the clerk asked for the exact number
  },
  {
    file: '海曙区2018年上半年党建争强推进情况表.xlsx',
    layouts: 'long@Sheet1',
    encoding: '',
    values: { '330203': long(95, 62, 37, 207, 73, 14, 6, 5216, 96, 118, 3, 290, 162, 118, 5) },
  },
  {
    file: '江北区2018年上半年党建争强推进情况表（WPS）.xlsx',
    layouts: 'long@Sheet1',
    encoding: '',
    values: { '330205': long(55, 36, 20, 97, 55, 7, 3, 3087, 52, 72, 2, 165, 92, 66, 3) },
  },
  {
    file: '余姚市_2018H1_隐藏行.xlsx',
    layouts: 'long@填报表',
    encoding: '',
    values: { '330281': long(108, 72, 42, 286, 40, 13, 5, 7605, 112, 162, 4, 330, 180, 131, 6) },
    warnings: [['A11', 'sheet.hidden_rows']], // row 11 is hidden, and read
  },
  {
    file: '慈溪市_2018H1_隐藏工作表.xlsx',
    layouts: 'long@填报表',
    encoding: '',
    values: { '330282': long(117, 80, 47, 339, 67, 16, 7, 9248, 128, 172, 4, 359, 208, 155, 6) },
    warnings: [['', 'sheet.hidden']], // the only form is on a hidden sheet, and read
  },
  {
    file: '镇海区2018年上半年党建争强推进情况表（含封面）.xlsx',
    layouts: 'long@填报表',
    encoding: '',
    values: { '330211': long(50, 34, 19, 66, 33, 5, 2, 3593, 48, 88, 2, 150, 80, 58, 3) },
  },
  {
    file: '2018年上半年党建争强推进情况汇总表（北仑区、镇海区）.xlsx',
    layouts: 'wide@汇总表',
    encoding: '',
    values: {
      '330206': wide(4, 82, 54, 32, 185, 47, 11, 4, 6842, 84, 156, 4, 230, 128, 94, 4),
      '330211': wide(5, 50, 34, 19, 66, 33, 5, 2, 3593, 48, 88, 2, 150, 80, 58, 3),
    },
  },
  {
    file: '镇海区_2018H1_村社明细.xlsx',
    layouts: 'long@填报表 detail@村社明细',
    encoding: '',
    values: { '330211': long(50, 34, 19, 66, 33, 5, 2, 3593, 48, 88, 2, 150, 80, 58, 3) },
  },
];

describe('fixtures that can be used: every figure read, at its cell', () => {
  it.each(GOOD.map((g) => [g.file, g] as const))('%s', async (_name, g) => {
    const c = await check(g.file);
    expect(read(c)).toEqual(g.values);
    expect(c.values.every((v) => v.status === 'value')).toBe(true);
    expect(errors(c)).toEqual([]);
    expect(findingsAt(warnings(c))).toEqual(g.warnings ?? []);
    expect(c.record!.layouts).toBe(g.layouts);
    expect(c.record!.period).toBe('2018H1');
    expect(c.record!.format).toBe(g.file.endsWith('.xlsx') ? 'xlsx' : 'csv');
  });

  it.each(GOOD.filter((g) => g.encoding).map((g) => [g.file, g.encoding] as const))('%s is reported as %s', async (file, encoding) => {
    expect((await check(file)).record!.encoding).toBe(encoding);
  });

  it('keeps a character outside GBK (𠮷, 4 bytes in GB18030) in a 备注', async () => {
    const c = await check('海曙区2018年上半年党建争强推进情况表(GB18030).csv');
    expect(c.values.find((v) => v.indicator === 'villages_signed')!.note).toBe('含𠮷家村（村名用字“𠮷”）');
  });

  it('keeps a quoted 备注 with a line break and a comma whole, on its own row', async () => {
    const c = await check('余姚市_2018H1（备注含换行）.csv');
    const v = c.values.find((v) => v.indicator === 'cadres_adjusted')!;
    expect(v.loc!.cell).toBe('E9');
    expect(v.note).toMatch(/^其中：梨洲街道3名，\r?\n阳明街道2名，其余乡镇8名$/);
  });

  it('keeps the text as written in raw: 1,248 / １２４８ / 1248个 / 1.2万', async () => {
    const c = await check('鄞州区_2018H1_数字写法.csv');
    const raw = Object.fromEntries(c.values.map((v) => [v.indicator, v.raw]));
    expect([raw.nonpublic_members, raw.talent_3315_applications, raw.inspections, raw.problems_found]).toEqual(['1.2万', '1248个', '１２４８', '1,248']);
  });

  it('WPS numbers stored as text are read from their text; the hidden row’s figure is read', async () => {
    const wps = await check('江北区2018年上半年党建争强推进情况表（WPS）.xlsx');
    expect(wps.values.find((v) => v.indicator === 'nonpublic_members')!.raw).toBe('3,087');
    const hidden = await check('余姚市_2018H1_隐藏行.xlsx');
    expect(hidden.findings[0]).toMatchObject({ sheet: '填报表', row: 11, severity: 'warning' });
    expect(hidden.values.find((v) => v.loc?.cell === 'E11')).toMatchObject({ indicator: 'nonpublic_members', value: 7605 });
  });

  it('the 村社明细 of 镇海区 lists the 99 roster units and agrees with the form', async () => {
    const c = await check('镇海区_2018H1_村社明细.xlsx');
    const d = c.parsed!.details;
    expect(d).toHaveLength(99);
    expect(d.every((r) => r.code.startsWith('330211') && /^\d{12}$/.test(r.code))).toBe(true);
    expect(d.filter((r) => r.type === '村')).toHaveLength(66);
    expect(d.filter((r) => r.type === '社区')).toHaveLength(33);
    expect([d[0].loc.cell, d[98].loc.cell]).toEqual(['A2', 'A100']);
    expect(c.findings).toEqual([]);
  });
});

// ───────────────────────────── files read, with mistakes at cells ─────────────────────────────
interface WithErrors {
  file: string;
  /** exact [cell, code] of every finding, in order */
  at: [string, string][];
  sheet: string;
  values: Record<string, Expected>;
}

const WITH_ERRORS: WithErrors[] = [
  {
    file: '奉化区_2018H1_公式.xlsx', // cached results read; E17 has none
    at: [['E17', 'value.formula_no_cache']],
    sheet: '填报表',
    values: { '330213': long(78, 48, 27, 306, 31, 13, 5, 2934, 70, 64, 1, 205, 110, null, 4) },
  },
  {
    file: '象山县_2018H1_公式错误.xlsx',
    at: [['E6', 'value.formula_error'], ['E13', 'value.formula_error'], ['E14', 'value.formula_error']],
    sheet: '填报表',
    values: { '330225': long(88, 50, null, 376, 34, 15, 6, 2617, 76, null, null, 215, 118, 86, 5) },
  },
  {
    file: '鄞州区_2018H1_约数.csv',
    at: [
      ['E4', 'value.approximate'], // 120余
      ['E6', 'value.approximate'], // 近60%
      ['E7', 'value.approximate'], // 约400
      ['E9', 'value.negative'], // -3
      ['E11', 'value.fraction'], // 2.5
      ['E12', 'value.percent'], // 57.8%
      ['E13', 'value.formula_error'], // #REF!
      ['E15', 'value.missing'], // (empty)
      ['E16', 'value.not_applicable'], // —
    ],
    sheet: '',
    values: { '330212': long(null, 88, null, null, 128, null, 8, null, null, null, 5, null, null, 150, 7) },
  },
  {
    file: '镇海区_2018H1_村社明细_有误.xlsx',
    at: [['E9', 'rule.detail_sum'], ['A101', 'rule.detail_unknown_village']],
    sheet: '', // two sheets: see below
    values: { '330211': long(50, 34, 19, 66, 33, 5, 2, 3593, 48, 88, 2, 150, 80, 58, 3) },
  },
];

describe('fixtures with mistakes in cells: the exact cells and codes', () => {
  it.each(WITH_ERRORS.map((w) => [w.file, w] as const))('%s', async (_name, w) => {
    const c = await check(w.file);
    expect(findingsAt(c.findings)).toEqual(w.at);
    expect(c.findings.every((f) => f.severity === 'error' && f.file === w.file)).toBe(true);
    if (w.sheet) expect(c.findings.every((f) => f.sheet === w.sheet)).toBe(true);
    expect(read(c)).toEqual(w.values);
  });

  it('each finding of 鄞州区_2018H1_约数.csv names the indicator, its row and the text as written', async () => {
    const c = await check('鄞州区_2018H1_约数.csv');
    expect(c.findings.map((f) => [f.indicator, f.row, f.col, f.raw])).toEqual([
      ['frontline_cadres', 4, 5, '120余'],
      ['promoted_frontline', 6, 5, '近60%'],
      ['villages_signed', 7, 5, '约400'],
      ['cadres_adjusted', 9, 5, '-3'],
      ['nonpublic_members', 11, 5, '2.5'],
      ['four_star_orgs', 12, 5, '57.8%'],
      ['talent_3315_applications', 13, 5, '#REF!'],
      ['inspections', 15, 5, ''],
      ['problems_found', 16, 5, '—'],
    ]);
    expect(c.findings.every((f) => f.unit === '330212' && f.period === '2018H1')).toBe(true);
  });

  it('the same mistakes typed into Excel: all but the percent cell give the same codes', async () => {
    const c = await check('鄞州区2018年上半年党建争强推进情况表（约数）.xlsx');
    expect(findingsAt(c.findings).filter(([cell]) => cell !== 'E12')).toEqual([
      ['E4', 'value.approximate'],
      ['E6', 'value.approximate'],
      ['E7', 'value.approximate'],
      ['E9', 'value.negative'],
      ['E11', 'value.fraction'],
      ['E13', 'value.formula_error'],
      ['E15', 'value.missing'],
      ['E16', 'value.not_applicable'],
    ]);
    expect(c.findings.every((f) => f.sheet === '填报表')).toBe(true);
  });

  it('57.8% typed into Excel (stored 0.578, format 0.0%) is value.percent showing 57.8%', async () => {
    const c = await check('鄞州区2018年上半年党建争强推进情况表（约数）.xlsx');
    const f = c.findings.find((x) => x.cell === 'E12');
    expect([f?.code, f?.raw]).toEqual(['value.percent', '57.8%']);
  });

  it('village-level detail: the sum mismatch points at the form’s figure, the unknown code at its detail cell', async () => {
    const c = await check('镇海区_2018H1_村社明细_有误.xlsx');
    expect(c.findings.map((f) => [f.sheet, f.cell, f.row, f.indicator, f.raw])).toEqual([
      ['填报表', 'E9', 9, 'cadres_adjusted', '5'],
      ['村社明细', 'A101', 101, '', '330211009201'],
    ]);
    expect(c.findings[0].message).toContain('6'); // the detail's sum
    expect(c.findings[0].message).toContain('5'); // the form's figure
    expect(c.findings[1].message).toContain('330211009201');
  });
});

// ───────────────────────────── files that cannot be used as they are ─────────────────────────────
const UNUSABLE: { file: string; code: string; words: string[]; encoding?: string }[] = [
  { file: '鄞州区2018年上半年党建争强推进情况表.xls', code: 'file.unsupported_format', words: ['.xls', '另存为', '.xlsx'] },
  { file: '奉化区2018年上半年党建争强推进情况表.et', code: 'file.unsupported_format', words: ['WPS .et', '另存为'] },
  { file: '余姚市_2018H1_已加密.xlsx', code: 'file.encrypted', words: ['密码'] },
  { file: '象山县_2018H1_传输中断.xlsx', code: 'file.corrupt', words: ['损坏', '重新'] },
  { file: '宁海县2018年上半年党建争强推进情况表.csv', code: 'file.empty', words: ['空'] },
  { file: '党建联络员通讯录.csv', code: 'file.no_form', words: ['指标名称', '本期数', '模板'], encoding: 'gb18030' },
  { file: '江北区_2018H1（修改稿）.xlsx', code: 'file.period_conflict', words: ['2018H2', '2018H1', '江北区_2018H1（修改稿）.xlsx'] },
  { file: '慈溪市_2018H1_报表.csv', code: 'file.unit_conflict', words: ['鄞州区', '慈溪市'], encoding: 'gb18030' },
];

describe('fixtures that cannot be used: one file-level error saying what to do', () => {
  it.each(UNUSABLE.map((u) => [u.file, u.code, u] as const))('%s → %s', async (_f, code, u) => {
    const c = await check(u.file);
    expect(findingsAt(c.findings)).toEqual([['', code]]);
    expect(c.findings[0]).toMatchObject({ severity: 'error', file: u.file, sheet: '', row: null });
    for (const w of u.words) expect(c.findings[0].message).toContain(w);
  });

  it('a file whose unit is in conflict gives no figures; the encoding of the text ones is still reported', async () => {
    expect((await check('慈溪市_2018H1_报表.csv')).values).toEqual([]);
    for (const u of UNUSABLE.filter((x) => x.encoding)) expect((await check(u.file)).record!.encoding, u.file).toBe(u.encoding);
  });
});

// ───────────────────────────── every message: Chinese, and says what to do ─────────────────────────────
/** Codes whose wording (pipeline/messages.ts) tells the clerk what is wrong but not what to do. */
const NO_INSTRUCTION = new Set<string>([]);
const ALL_BAD = [...WITH_ERRORS.map((w) => w.file), '鄞州区2018年上半年党建争强推进情况表（约数）.xlsx', ...UNUSABLE.map((u) => u.file)];

async function messagesByCode(): Promise<Map<string, Finding>> {
  const m = new Map<string, Finding>();
  for (const f of ALL_BAD) for (const x of (await check(f)).findings) if (!m.has(x.code)) m.set(x.code, x);
  return m;
}

describe('messages of the bad fixtures', () => {
  const codes = [
    'value.formula_no_cache', 'value.formula_error', 'value.approximate', 'value.negative', 'value.fraction', 'value.percent',
    'value.missing', 'value.not_applicable', 'rule.detail_sum', 'rule.detail_unknown_village', 'file.unsupported_format',
    'file.encrypted', 'file.corrupt', 'file.empty', 'file.no_form', 'file.period_conflict', 'file.unit_conflict',
  ];

  it('cover every code the bad fixtures give', async () => {
    expect([...(await messagesByCode()).keys()].sort()).toEqual([...codes].sort());
  });

  for (const code of codes) {
    const test = NO_INSTRUCTION.has(code) ? it.fails : it;
    const label = NO_INSTRUCTION.has(code)
      ? `${code}: Chinese, and says what to do (bug: the message says what is wrong but not what to do)`
      : `${code}: Chinese, and says what to do`;
    test(label, async () => {
      const f = (await messagesByCode()).get(code)!;
      expect(f.message).toMatch(CHINESE);
      expect(f.message).toMatch(SAYS_WHAT_TO_DO);
    });
  }

  it('a cell-level message quotes the text as written where it helps the clerk find it', async () => {
    const m = await messagesByCode();
    expect(m.get('value.approximate')!.message).toContain('120余');
    expect(m.get('value.formula_error')!.message).toMatch(/#DIV\/0!|#REF!|#N\/A/);
    expect(m.get('value.formula_no_cache')!.message).toContain('=E16-30');
    expect(m.get('value.not_applicable')!.message).toContain('—');
  });
});

// ───────────────────────────── the corpus itself ─────────────────────────────
describe('the fixture corpus', () => {
  // files only: blind/ holds files other generators wrote, tested in xlsx-normalize.test.ts
  const files = readdirSync(FIXTURES, { withFileTypes: true })
    .filter((d) => d.isFile() && !/\.(ts|md)$/.test(d.name))
    .map((d) => d.name)
    .sort();

  it('every file is described by one line of README.md, and every line names a file', () => {
    const readme = readFileSync(path.join(FIXTURES, 'README.md'), 'utf8');
    const listed = [...readme.matchAll(/^\| `([^`]+)` \| [^|]+ \| .+ \|$/gm)].map((m) => m[1]);
    expect([...listed].sort()).toEqual(files);
    expect(new Set(listed).size).toBe(listed.length);
  });

  it('every file is tested here', () => {
    const tested = [...GOOD.map((g) => g.file), ...ALL_BAD];
    expect([...tested].sort()).toEqual(files);
  });

  it('the committed files are exactly what make-fixtures.ts writes', () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'banbao-fixtures-'));
    const r = spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['test/fixtures/make-fixtures.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, FIXTURES_OUT: out, TZ: 'UTC' },
    });
    expect(r.status, r.stderr).toBe(0);
    const sha = (dir: string, f: string) => createHash('sha256').update(readFileSync(path.join(dir, f))).digest('hex');
    expect(readdirSync(out).sort()).toEqual([...files, 'README.md'].sort());
    for (const f of [...files, 'README.md']) expect(sha(out, f), f).toBe(sha(FIXTURES, f));
  }, 120_000);
});
