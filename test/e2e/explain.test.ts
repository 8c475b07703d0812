// Issue 14, end to end: the shipped templates (made by the CLI's `template`), filled as a district
// would — figures in 本期数, an explanation in 上报说明 — confirm the warnings of their rows in
// findings.json, the workbook, the page and --strict; and 报送情况 (已报 / 未报 / 重复 / 已替换) is the
// first table of the page, the workbook and the terminal, with a missing unit, a byte-identical
// copy and a resubmission settled by choices.yaml.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Finding } from '../../schemas/finding.ts';
import { DATA, ROOT } from '../helpers.ts';
import { runSample } from '../sample.ts';
import { launchChromium, offlineContext, watchPage } from '../browser-helpers.ts';
import type { PeriodResult } from '../../pipeline/run.ts';

const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const JIANGBEI = '330205';
const YINZHOU = '330212';
const JB_NOTE = '2018年下半年3个行政村撤并为1个，悬挂标识的行政村相应减少（经区民政局核实）';
const JB_FIGURE_NOTE = '含专项督查12次';
const YZ_NOTE = '部分村社撤并、标识统一更换中，下降属实';

let tmp: string;
let h2: PeriodResult;

function cli(args: string[]) {
  const r = spawnSync(TSX, ['pipeline/cli.ts', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

/** The unit's 2018H2 figures from the shipped sample, by indicator code. */
function figures(unit: string): Map<string, number | null> {
  return new Map(h2.values.filter((v) => v.unit === unit).map((v) => [v.indicator, v.value]));
}

/** Fills the template .xlsx as a district does: 本期数 (F) from the figures, 上报说明 (G) per code. */
async function fillXlsx(file: string, values: Map<string, number | null>, notes: Record<string, string>): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = wb.getWorksheet('填报表')!;
  expect(ws.getCell('G3').value).toBe('上报说明');
  ws.eachRow((row, n) => {
    if (n <= 3) return;
    const code = row.getCell(4).value;
    if (typeof code !== 'string' || !values.has(code)) return;
    row.getCell(6).value = values.get(code) ?? null;
    if (notes[code]) row.getCell(7).value = notes[code];
  });
  return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

/** Fills the CSV twin: 本期数 and 上报说明 are its last two columns. */
function fillCsv(file: string, values: Map<string, number | null>, notes: Record<string, string>): Uint8Array {
  const text = readFileSync(file, 'utf8');
  const lines = text.split(/\r?\n/).map((line) => {
    const f = line.split(',');
    if (f.length < 7 || !values.has(f[3])) return line;
    f[5] = String(values.get(f[3]) ?? '');
    f[6] = notes[f[3]] ?? '';
    return f.join(',');
  });
  expect(text).toContain('本期数,上报说明');
  return new Uint8Array(Buffer.from(lines.join('\r\n'), 'utf8'));
}

/** A data folder: the repo's reference data and 2018H1, and a 2018H2 folder made by `setup`. */
function dataDir(name: string, setup: (dir: string) => void): string {
  const d = path.join(tmp, name);
  cpSync(DATA, d, { recursive: true });
  setup(path.join(d, 'submissions', '2018H2'));
  return d;
}

let jbFilled: Uint8Array;
let jbBlank: Uint8Array;
let yzFilled: Uint8Array;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'banbao-explain-'));
  h2 = await runSample('2018H2');
  const tpl = path.join(tmp, 'templates');
  for (const unit of ['江北区', '鄞州区']) {
    const r = cli(['template', '--period', '2018H2', '--unit', unit, '--out', tpl, '--reports', path.join(tmp, 'none')]);
    expect(r.status, r.err).toBe(0);
  }
  // 江北区: its signed villages fall from 2018H1 (a stock that fell: a warning), explained in G
  const jb = figures(JIANGBEI);
  const h1 = await runSample('2018H1');
  const before = h1.values.find((v) => v.unit === JIANGBEI && v.indicator === 'villages_signed')!.value!;
  jb.set('villages_signed', before - 2);
  jbFilled = await fillXlsx(path.join(tpl, '江北区_2018H2.xlsx'), jb, { villages_signed: JB_NOTE, inspections: JB_FIGURE_NOTE });
  jbBlank = await fillXlsx(path.join(tpl, '江北区_2018H2.xlsx'), jb, {});
  // 鄞州区 (the CSV twin): its sample figures fall already (E7, E8, and the published 353)
  yzFilled = fillCsv(path.join(tpl, '鄞州区_2018H2.csv'), figures(YINZHOU), { villages_signed: YZ_NOTE, communities_signed: YZ_NOTE });
}, 120_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function read(out: string, rel: string) {
  return readFileSync(path.join(out, '2018H2', rel), 'utf8');
}

async function workbook(out: string) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(readFileSync(path.join(out, '2018H2', '2018H2.xlsx')) as unknown as ArrayBuffer);
  return wb;
}

function sheetRows(ws: ExcelJS.Worksheet): string[][] {
  const rows: string[][] = [];
  ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)))));
  return rows;
}

describe('the district’s 上报说明 confirms its warnings', () => {
  let out: string;
  let report: ReturnType<typeof cli>;
  beforeAll(() => {
    const data = dataDir('explained', (dir) => {
      writeFileSync(path.join(dir, '江北区_2018H2.xlsx'), jbFilled);
      writeFileSync(path.join(dir, '鄞州区_2018H2.csv'), yzFilled);
    });
    out = path.join(tmp, 'reports-explained');
    report = cli(['report', '--period', '2018H2', '--data', data, '--out', out, '--strict']);
  }, 120_000);

  it('findings.json: the warnings of the explained rows are confirmed, by the unit; the analyst’s keeps its by', () => {
    const { findings } = JSON.parse(read(out, 'findings.json')) as { findings: Finding[] };
    for (const f of findings) Finding.parse(f);
    const jb = findings.find((f) => f.code === 'rule.stock_decreased' && f.unit === JIANGBEI)!;
    expect(jb).toMatchObject({ file: '江北区_2018H2.xlsx', cell: 'F7', confirmed: JB_NOTE, confirmed_by: '江北区（上报说明）' });
    const yz = findings.find((f) => f.code === 'rule.stock_decreased' && f.unit === YINZHOU)!;
    expect(yz).toMatchObject({ file: '鄞州区_2018H2.csv', cell: 'F7', confirmed: YZ_NOTE, confirmed_by: '鄞州区（上报说明）' });
    // one fact, one finding: the community row and the published 353 are folded into it, referenced
    expect(findings.filter((f) => f.unit === YINZHOU && f.severity === 'warning')).toHaveLength(1);
    expect(yz.refs).toContain('F8');
    expect(yz.refs).toContain('reconcile.sources_disagree');
    const fh = findings.find((f) => f.code === 'rule.change_large' && f.unit === '330213')!;
    expect(fh.confirmed_by).toBe('市委组织部 组织一处（confirmations.yaml）');
    expect(findings.filter((f) => f.severity === 'warning' && !f.confirmed)).toEqual([]);
  });

  it('--strict passes when every warning is explained', () => {
    expect(report.status, report.out + report.err).toBe(0);
    expect(report.out).toContain('（rule.stock_decreased）× 2');
  });

  it('a note on a row without a warning is the figure’s note (reconciled.csv, workbook 明细)', async () => {
    const csv = read(out, 'reconciled.csv').split(/\r?\n/);
    expect(csv[0].split(',').at(-1)).toBe('note');
    const row = csv.find((l) => l.includes(`,${JIANGBEI},`) && l.includes(',inspections,'))!;
    expect(row.endsWith(`,${JB_FIGURE_NOTE}`)).toBe(true);
    const ws = (await workbook(out)).getWorksheet('明细')!;
    const rows = sheetRows(ws);
    const col = rows[0].indexOf('备注（上报说明）');
    expect(col).toBeGreaterThan(0);
    expect(rows.find((r) => r[0] === JIANGBEI && r[4] === 'inspections')![col]).toBe(JB_FIGURE_NOTE);
  });

  it('the workbook’s 问题 sheet shows the explanation and who gave it', async () => {
    const rows = sheetRows((await workbook(out)).getWorksheet('问题')!);
    const head = rows[0];
    const jb = rows.find((r) => r[head.indexOf('代码')] === 'rule.stock_decreased' && r[head.indexOf('单位')] === '江北区')!;
    expect(jb[head.indexOf('上报说明（已确认）')]).toBe(JB_NOTE);
    expect(jb[head.indexOf('说明人')]).toBe('江北区（上报说明）');
  });

  it('the page shows 已说明 with the explanation and who gave it, and the notes beside the figures', () => {
    const html = read(out, 'index.html');
    expect(html).toContain(`<span class="tag">已说明</span>${JB_NOTE}<span class="by">——江北区（上报说明）</span>`);
    const notes = html.slice(html.indexOf('class="data unit-notes"'));
    expect(notes).toMatch(new RegExp(`data-unit="${JIANGBEI}" data-indicator="inspections">.*${JB_FIGURE_NOTE}</td><td>附注</td>`));
    expect(notes).toMatch(new RegExp(`data-unit="${JIANGBEI}" data-indicator="villages_signed">.*说明了提示（已说明）`));
  });

  it('without the explanation the same warning is 未说明 and --strict fails', () => {
    const data = dataDir('blank', (dir) => {
      writeFileSync(path.join(dir, '江北区_2018H2.xlsx'), jbBlank);
      writeFileSync(path.join(dir, '鄞州区_2018H2.csv'), yzFilled);
    });
    const o = path.join(tmp, 'reports-blank');
    const r = cli(['report', '--period', '2018H2', '--data', data, '--out', o, '--strict']);
    expect(r.status).toBe(1);
    expect(r.out).toContain('（rule.stock_decreased）× 1');
    const { findings } = JSON.parse(read(o, 'findings.json')) as { findings: Finding[] };
    expect(findings.find((f) => f.code === 'rule.stock_decreased' && f.unit === JIANGBEI)!.confirmed).toBe('');
  }, 120_000);

  it('validate says 已说明 / 待说明, with the previous period from the last built report', () => {
    mkdirSync(path.join(tmp, 'v', 'filled'), { recursive: true });
    const dir = path.join(tmp, 'v');
    const blank = path.join(dir, '江北区_2018H2.xlsx');
    const filled = path.join(dir, 'filled', '江北区_2018H2.xlsx');
    cpSync(path.join(tmp, 'explained', 'submissions', '2018H2', '江北区_2018H2.xlsx'), filled);
    writeFileSync(blank, jbBlank);
    // no report built: no comparison with the previous period, and it says so
    let r = cli(['validate', blank, '--reports', path.join(tmp, 'none'), '--out', path.join(dir, 'o1')]);
    expect(r.out).toContain('2018H1 尚未汇总');
    expect(r.out).not.toContain('rule.stock_decreased');
    // once 2018H1 is built, the stock that fell is said before sending
    expect(cli(['report', '--period', '2018H1', '--data', path.join(tmp, 'explained'), '--out', out]).status).toBe(0);
    r = cli(["validate", blank, filled, '--reports', out, '--out', path.join(dir, 'o2')]);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toMatch(/提示·待说明 +填报表 +F7 +rule\.stock_decreased .*【待说明】/);
    expect(r.out).toContain(`【已说明：${JB_NOTE}——江北区（上报说明）】`);
  }, 120_000);

  it('check.html (from `template`, the last built 2018H1 embedded for its unit) says 待说明 / 已说明 in Chromium', async () => {
    const tpl = path.join(tmp, 'tpl-prev');
    const t = cli(['template', '--period', '2018H2', '--unit', '江北区', '--reports', out, '--out', tpl]);
    expect(t.status, t.err).toBe(0);
    const html = readFileSync(path.join(tpl, 'check.html'), 'utf8');
    const data = JSON.parse(html.match(/<script type="application\/json" id="banbao-check-data">([\s\S]*?)<\/script>/)![1]) as { previous?: { period: string; values: { unit: string }[] } };
    expect(data.previous!.period).toBe('2018H1');
    expect(new Set(data.previous!.values.map((v) => v.unit))).toEqual(new Set([JIANGBEI])); // its unit only
    expect(html).toContain('已含与上期（2018年上半年）的比较');
    const browser = await launchChromium();
    try {
      const { context, offDisk } = await offlineContext(browser);
      const page = await context.newPage();
      const problems = watchPage(page);
      await page.goto(`file://${path.join(tpl, 'check.html')}`);
      await page.waitForFunction(() => document.body.dataset.state === 'ready');
      await page.setInputFiles('#file', [path.join(tmp, 'v', '江北区_2018H2.xlsx'), path.join(tmp, 'v', 'filled', '江北区_2018H2.xlsx')]);
      await page.waitForFunction(() => document.body.dataset.state === 'done');
      const rows = await page.$$eval('tr.finding', (trs) => trs.map((tr) => [tr.closest('article')!.getAttribute('data-file'), (tr as HTMLElement).dataset.code, (tr as HTMLElement).dataset.cell, (tr as HTMLElement).dataset.explained, tr.querySelector('.msg')!.textContent]));
      expect(rows).toHaveLength(2);
      expect(rows[0].slice(1, 4)).toEqual(['rule.stock_decreased', 'F7', 'no']);
      expect(rows[0][4]).toContain('待说明');
      expect(rows[1].slice(1, 4)).toEqual(['rule.stock_decreased', 'F7', 'yes']);
      expect(rows[1][4]).toContain(`已说明：${JB_NOTE}——江北区（上报说明）`);
      expect(await page.textContent('article[data-file="江北区_2018H2.xlsx"] .verdict')).toContain('已说明 0 条，待说明 1 条');
      expect(offDisk).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 120_000);
});

describe('报送情况: a missing unit, a byte-identical copy and a resubmission', () => {
  let out: string;
  let report: ReturnType<typeof cli>;
  beforeAll(async () => {
    const data = dataDir('status', (dir) => {
      writeFileSync(path.join(dir, '江北区_2018H2.xlsx'), jbFilled);
      writeFileSync(path.join(dir, '江北区_2018H2 (1).xlsx'), jbFilled); // the browser's re-download
      writeFileSync(path.join(dir, '鄞州区_2018H2.csv'), yzFilled);
      unlinkSync(path.join(dir, '象山县_2018H2.xlsx'));
      // 余姚市 sent a corrected file; choices.yaml says which stands
      const yy = readFileSync(path.join(dir, '余姚市_2018H2.xlsx'));
      writeFileSync(path.join(dir, '余姚市_2018H2（修改稿）.xlsx'), yy);
      writeFileSync(path.join(dir, 'choices.yaml'), 'choices:\n  - unit: "330281"\n    use: 余姚市_2018H2（修改稿）.xlsx\n    reason: 余姚市来电更正后重新报送\n');
    });
    // the resubmission must differ in bytes, or it is only a copy: re-save it with one figure changed
    const file = path.join(data, 'submissions', '2018H2', '余姚市_2018H2（修改稿）.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    wb.creator = '余姚市委组织部（修改稿）';
    writeFileSync(file, new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer));
    out = path.join(tmp, 'reports-status');
    report = cli(['report', '--period', '2018H2', '--data', data, '--out', out]);
  }, 120_000);

  it('the terminal: 报送情况 first, the missing unit stated once, findings grouped by kind', () => {
    const o = report.out;
    expect(o.indexOf('报送情况：')).toBeGreaterThan(-1);
    expect(o.indexOf('报送情况：')).toBeLessThan(o.indexOf('核对:'));
    expect(o).toContain('报送情况：已报 9，已替换 1，未报 1。未报：象山县');
    expect(o).toMatch(/已报 江北区 +江北区_2018H2\.xlsx · \d{4}-\d\d-\d\d \d\d:\d\d · xlsx .*另：江北区_2018H2 \(1\)\.xlsx（与江北区_2018H2\.xlsx相同，未重复计入）/);
    expect(o).toMatch(/已替换 余姚市 +余姚市_2018H2（修改稿）\.xlsx .*另：余姚市_2018H2\.xlsx（被替换：余姚市来电更正后重新报送）/);
    expect(o).toMatch(/未报 象山县 +错误 0/);
    expect(o).toContain('（file.duplicate_copy）× 1');
    expect(o).toContain('（submission.missing）× 1');
  });

  it('findings: the copy is a warning naming it, not a conflict; the missing unit is one finding', () => {
    const { findings } = JSON.parse(read(out, 'findings.json')) as { findings: Finding[] };
    expect(findings.filter((f) => f.code === 'file.duplicate_submission')).toEqual([]);
    const copy = findings.find((f) => f.code === 'file.duplicate_copy')!;
    expect(copy).toMatchObject({ file: '江北区_2018H2 (1).xlsx', unit: JIANGBEI, severity: 'warning', refs: '江北区_2018H2.xlsx' });
    const missing = findings.filter((f) => f.code === 'submission.missing');
    expect(missing).toHaveLength(1);
    // the reconciliation rows 象山县 leaves incomplete refer to it, no warning per item
    expect(findings.filter((f) => f.code === 'reconcile.incomplete' && f.message.includes('象山县'))).toEqual([]);
    const rec = read(out, 'reconciliation.csv');
    if (rec.includes('incomplete')) expect(rec).toContain('未报：象山县（见报送情况）');
    // the copy's warning names the copy; its figures are counted once (江北区 = its one file)
    const jb = read(out, 'reconciled.csv').split('\n').filter((l) => l.includes(`,${JIANGBEI},`));
    expect(jb.every((l) => !l.includes('(1).xlsx'))).toBe(true);
  });

  it('the workbook’s first sheet is 报送情况', async () => {
    const wb = await workbook(out);
    expect(wb.worksheets[0].name).toBe('报送情况');
    const rows = sheetRows(wb.worksheets[0]);
    expect(rows[0][0]).toBe('2018H2 报送情况：已报 9，已替换 1，未报 1。未报：象山县');
    const head = rows[1];
    const by = (name: string) => rows.find((r) => r[head.indexOf('单位')] === name)!;
    expect(by('象山县')[head.indexOf('报送情况')]).toBe('未报');
    expect(by('余姚市')[head.indexOf('报送情况')]).toBe('已替换');
    expect(by('余姚市')[head.indexOf('采用的文件')]).toBe('余姚市_2018H2（修改稿）.xlsx');
    expect(by('江北区')[head.indexOf('其他文件')]).toContain('江北区_2018H2 (1).xlsx');
    expect(by('江北区')[head.indexOf('已说明的提示')]).toBe('1');
    expect(by('鄞州区')[head.indexOf('格式（编码）')]).toMatch(/^csv/);
  });

  it('the page’s first section is 报送情况', () => {
    const html = read(out, 'index.html');
    const main = html.slice(html.indexOf('<main>'));
    expect(main.indexOf('<section id="status">')).toBeLessThan(main.indexOf('<section id="reconciliation">'));
    expect(main.indexOf('<section id="status">')).toBe(main.indexOf('<section'));
    expect(main).toContain('<span class="missing-line">未报：象山县</span>');
    expect(main).toMatch(/data-unit="330225" data-state="未报">/);
    expect(main).toMatch(/data-unit="330281" data-state="已替换">/);
    expect(main).toMatch(/data-unit="330205" data-state="已报">.*江北区_2018H2 \(1\)\.xlsx（与江北区_2018H2\.xlsx相同，未重复计入）/);
  });
});
