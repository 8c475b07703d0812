// The CLI end to end on the shipped sample: `banbao report` into a temp folder, outputs read back.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers.ts';

const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
let out: string;
let run: { status: number | null; stdout: string; stderr: string };

function readCsv(file: string): Record<string, string>[] {
  const text = readFileSync(file, 'utf8');
  expect(text.charCodeAt(0)).toBe(0xfeff);
  return Papa.parse<Record<string, string>>(text.slice(1), { header: true, skipEmptyLines: 'greedy' }).data;
}

const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

beforeAll(() => {
  out = mkdtempSync(path.join(os.tmpdir(), 'banbao-report-'));
  const r = spawnSync(TSX, ['pipeline/cli.ts', 'report', '--out', out], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  run = { status: r.status, stdout: r.stdout, stderr: r.stderr };
}, 120_000);

describe('banbao report on the shipped sample', () => {
  it('exits 0: 2018H1 and 2018H2 have no errors', () => {
    expect(run.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('2018H1: 11 个文件，11/11 个单位，错误 0');
    expect(run.stdout).toContain('2018H2: 11 个文件，11/11 个单位，错误 0');
    expect(run.stdout).toContain('合计：2018H1 11/11 个单位，2018H2 11/11 个单位；错误 0，提示 3（未说明 2）');
  });

  it('2018H1 reconciles 2498 villages, 544 communities and 3164 inspections as matches, every other published figure match or within', () => {
    const rows = readCsv(path.join(out, '2018H1/reconciliation.csv'));
    const by = (id: string) => rows.find((r) => r.published_id === id)!;
    expect([by('villages_signed'), by('communities_signed'), by('inspections')].map((r) => [r.text, r.computed, r.status])).toEqual([
      ['2498', '2498', 'match'],
      ['544', '544', 'match'],
      ['3164', '3164', 'match'],
    ]);
    const published = rows.filter((r) => r.published_id && r.published_id !== 'talent_3315_growth');
    expect(published).toHaveLength(11);
    for (const r of published) expect(['match', 'within'], `${r.published_id} ${r.computed} ${r.interval}`).toContain(r.status);
    expect(by('frontline_cadres')).toMatchObject({ text: '千名', interval: '[900, 2000)', status: 'within' });
    expect(by('promoted_frontline_share')).toMatchObject({ text: '近60%', interval: '[55, 60)', status: 'within' });
    // growth on a year with no data is honest about it
    expect(by('talent_3315_growth').status).toBe('incomplete');
    expect(by('talent_3315_growth').hints).toContain('2017H1');
  });

  it('2018H2 reconciles 鄞州区’s 353 村社 and carries the warnings a reviewer must see', () => {
    const rows = readCsv(path.join(out, '2018H2/reconciliation.csv'));
    expect(rows.find((r) => r.published_id === 'yz_units_signed')).toMatchObject({ scope_code: '330212', computed: '353', status: 'match' });
    const findings = readCsv(path.join(out, '2018H2/findings.csv'));
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    // 鄞州区's two falling rows and the published 353 are one fact: one finding, the others referenced (#14)
    expect(findings.map((f) => `${f.code} ${f.unit} ${f.indicator}`).sort()).toEqual([
      'rule.change_large 330213 inspections',
      'rule.stock_decreased 330212 villages_signed',
    ]);
    expect(findings.find((f) => f.code === 'rule.stock_decreased')!.refs).toMatch(/E8 .*reconcile\.sources_disagree/);
    // 奉化区's rise was explained and confirmed (confirmations.yaml); 鄞州区's fall was not
    expect(findings.find((f) => f.code === 'rule.change_large')!.confirmed).toContain('专项督查');
    expect(findings.filter((f) => !f.confirmed).map((f) => f.unit)).toEqual(['330212']);
    const stock = findings.find((f) => f.code === 'rule.stock_decreased' && f.indicator === 'villages_signed')!;
    expect([stock.file, stock.cell]).toEqual(['鄞州区_2018H2.csv', 'E7']);
  });

  it('writes the long table with provenance for every unit × item', () => {
    const rows = readCsv(path.join(out, '2018H1/reconciled.csv'));
    expect(rows).toHaveLength(11 * 15);
    // 市本级 does not report the six district-only items: its “—” is read as not applicable
    const na = rows.filter((r) => r.unit === '330200' && r.status === 'na').map((r) => r.indicator);
    expect(na.sort()).toEqual(['cadres_adjusted', 'communities_signed', 'nonpublic_members', 'secretaries_adjusted', 'villages_signed']);
    const zh = rows.find((r) => r.unit === '330211' && r.indicator === 'villages_signed')!;
    expect(zh).toMatchObject({ value: '66', status: 'value', file: '镇海区_2018H1.xlsx', sheet: '填报表' });
    const xs = rows.find((r) => r.unit === '330225' && r.indicator === 'frontline_cadres')!;
    expect(xs).toMatchObject({ value: '88', raw: '８８' });
  });

  it('the workbook opens with a summary sheet: units × indicators, the city total, the published figure and the status', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(out, '2018H1/2018H1.xlsx'));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['报送情况', '说明', '汇总', '核对', '问题', '明细']);
    const ws = wb.getWorksheet('汇总')!;
    // a printed table's head: title, maker, then category / item / 计量单位 rows (3–5)
    expect(ws.getCell(1, 1).value).toBe('党建争强半年度推进情况汇总表（2018年上半年）');
    expect(String(ws.getCell(2, 1).value)).toMatch(/^制表单位：/);
    const header = Array.from(ws.getRow(4).values as unknown[], (v) => String(v ?? ''));
    const col = header.findIndex((h) => h === '悬挂红色标识的行政村');
    expect(ws.getCell(5, col).value).toBe('个');
    const label = (r: number) => String(ws.getCell(r, 2).value);
    const rowOf = (name: string) => Array.from({ length: ws.rowCount }, (_, i) => i + 1).find((r) => label(r) === name)!;
    expect(ws.getCell(rowOf('鄞州区'), col).value).toBe(279);
    expect(ws.getCell(rowOf('全市合计'), col).value).toBe(2498);
    expect(ws.getCell(rowOf('公布数'), col).value).toBe('2498');
    expect(ws.getCell(rowOf('核对状态'), col).value).toBe('一致');
    expect(ws.getCell(rowOf('全市合计'), col).numFmt).toBe('#,##0');
  });

  it('writes Vega-Lite specs and their SVG renderings with Chinese labels', () => {
    const charts = readdirSync(path.join(out, '2018H1/charts'));
    expect(charts).toEqual(expect.arrayContaining(['status.vl.json', 'status.svg', 'signage-vs-roster.vl.json', 'indicator-inspections.svg']));
    const svg = readFileSync(path.join(out, '2018H1/charts/signage-vs-roster.svg'), 'utf8');
    expect(svg).toContain('<svg');
    expect(svg).toContain('鄞州区');
  });

  it('the manifest lists every input and output with its SHA-256', () => {
    const m = JSON.parse(readFileSync(path.join(out, '2018H1/manifest.json'), 'utf8'));
    expect(m.tool.name).toBe('banbao');
    expect(m.inputs).toHaveLength(11);
    const input = m.inputs.find((i: { file: string }) => i.file === '北仑区_2018H1.csv');
    expect(input.sha256).toBe(sha(path.join(ROOT, 'data/submissions/2018H1/北仑区_2018H1.csv')));
    expect(input.encoding).toBe('gb18030');
    for (const o of m.outputs) expect(sha(path.join(out, '2018H1', o.file)), o.file).toBe(o.sha256);
    const onDisk = readdirSync(path.join(out, '2018H1'), { recursive: true })
      .map(String)
      .filter((f) => statSync(path.join(out, '2018H1', f)).isFile() && f !== 'manifest.json');
    expect(m.outputs.map((o: { file: string }) => o.file).sort()).toEqual(onDisk.sort());
  });

  it('is deterministic: a second run gives the same bytes for every output but the manifest’s run record', () => {
    const again = mkdtempSync(path.join(os.tmpdir(), 'banbao-report-'));
    execFileSync(TSX, ['pipeline/cli.ts', 'report', '--period', '2018H2', '--out', again], { cwd: ROOT, env: { ...process.env, TZ: 'UTC' } });
    const m1 = JSON.parse(readFileSync(path.join(out, '2018H2/manifest.json'), 'utf8'));
    const m2 = JSON.parse(readFileSync(path.join(again, '2018H2/manifest.json'), 'utf8'));
    expect(m2.outputs).toEqual(m1.outputs);
    expect(sha(path.join(again, '2018H2/2018H2.xlsx'))).toBe(sha(path.join(out, '2018H2/2018H2.xlsx')));
  }, 120_000);

  it('--strict (the last run before publication) fails while a warning is unconfirmed, and says how many of each', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'banbao-strict-'));
    const strict = spawnSync(TSX, ['pipeline/cli.ts', 'report', '--period', '2018H2', '--strict', '--out', dir], { cwd: ROOT, encoding: 'utf8' });
    expect(strict.status).toBe(1);
    expect(strict.stdout).toContain('未说明 1');
    expect(strict.stdout).toContain('仍有错误 0 条，未说明的提示 1 条（--strict');
    // --out: the folder it really wrote, not reports/
    expect(strict.stdout).toContain(`输出 outputs → ${path.join(dir, '2018H2')}/`);
  }, 60_000);

  it('validate says a clean sample file can be submitted, and exits 0', () => {
    const r = spawnSync(TSX, ['pipeline/cli.ts', 'validate', 'data/submissions/2018H1/海曙区_2018H1.xlsx', '--out', path.join(out, 'v')], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('可以报送');
  });
});
