// `banbao validate <files…>`: the check a district runs before sending its file. Findings grouped by
// file on stdout, findings.csv and findings.json with the same findings, an annotated copy of a
// workbook with findings (the original untouched), and the exit status 0 / 1 / 2.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../schemas/finding.ts';
import { ROOT } from '../helpers.ts';

const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const FIXTURES = path.join(ROOT, 'test', 'fixtures');
const BAD = '镇海区_2018H1_村社明细_有误.xlsx';
const GOOD = '北仑区_2018H1_GBK.csv';

const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

/** Copies fixtures into a fresh folder (the committed ones are never handed to the tool). */
function inputs(...names: string[]): { dir: string; paths: string[] } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'banbao-validate-in-'));
  for (const n of names) copyFileSync(path.join(FIXTURES, n), path.join(dir, n));
  return { dir, paths: names.map((n) => path.join(dir, n)) };
}

function validate(args: string[]) {
  const r = spawnSync(TSX, ['pipeline/cli.ts', 'validate', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function readCsv(file: string): Record<string, string>[] {
  return Papa.parse<Record<string, string>>(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: 'greedy' }).data;
}

function noteText(note: ExcelJS.Cell['note']): string {
  if (!note) return '';
  if (typeof note === 'string') return note;
  return (note.texts ?? []).map((t) => t.text).join('');
}

describe('banbao validate <bad.xlsx> <good.csv>', () => {
  let run: ReturnType<typeof validate>;
  let out: string;
  let files: { dir: string; paths: string[] };
  let before: string[];
  let json: Finding[];

  beforeAll(() => {
    files = inputs(BAD, GOOD);
    before = files.paths.map(sha);
    out = mkdtempSync(path.join(os.tmpdir(), 'banbao-validate-out-'));
    run = validate([...files.paths, '--out', out]);
    json = (JSON.parse(readFileSync(path.join(out, 'findings.json'), 'utf8')) as { findings: Finding[] }).findings;
  }, 120_000);

  it('exits 1: the bad file has errors; no stack trace', () => {
    expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(run.status, run.stdout + run.stderr).toBe(1);
  });

  it('prints the findings grouped by file, each file named once as a heading', () => {
    const lines = run.stdout.split('\n');
    const headings = lines.map((l, i) => [l, i] as const).filter(([l]) => l.startsWith('■ '));
    expect(headings.map(([l]) => l.slice(2).split('，')[0])).toEqual(files.paths);
    const [bad, good] = headings.map(([, i]) => i);
    const badBlock = lines.slice(bad + 1, good).join('\n');
    const goodBlock = lines.slice(good + 1).join('\n');
    expect(badBlock).toMatch(/村社明细\s+A101\s+rule\.detail_unknown_village/);
    expect(badBlock).toMatch(/填报表\s+E9\s+rule\.detail_sum/);
    expect(goodBlock).not.toMatch(/rule\.|value\.|file\./);
    expect(lines[good]).toContain('gb18030');
  });

  it('writes findings.csv and findings.json with the same findings', () => {
    const csv = readCsv(path.join(out, 'findings.csv'));
    const key = (f: Record<string, unknown>) => [f.file, f.sheet, f.cell, f.code, f.severity, f.message].map(String).join('|');
    expect(csv.map(key)).toEqual(json.map(key));
    expect(json.map((f) => [f.file, f.sheet, f.cell, f.code])).toEqual([
      [files.paths[0], '填报表', 'E9', 'rule.detail_sum'],
      [files.paths[0], '村社明细', 'A101', 'rule.detail_unknown_village'],
    ]);
    expect(json.every((f) => f.period === '2018H1' && f.severity === 'error')).toBe(true);
  });

  it('writes an annotated copy: each finding’s cell filled and noted with its message, and a sheet 问题清单', async () => {
    const copy = path.join(out, BAD.replace(/\.xlsx$/, '.annotated.xlsx'));
    expect(existsSync(copy)).toBe(true);
    expect(readdirSync(out).filter((f) => f.endsWith('.xlsx'))).toEqual([path.basename(copy)]); // none for the CSV
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(copy);
    for (const f of json) {
      const cell = wb.getWorksheet(f.sheet)!.getCell(f.cell);
      expect(cell.fill, `${f.sheet}!${f.cell}`).toMatchObject({ type: 'pattern', pattern: 'solid' });
      expect(noteText(cell.note)).toContain(f.message);
    }
    const list = wb.getWorksheet('问题清单')!;
    const rows: string[][] = [];
    list.eachRow((r) => rows.push((r.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
    expect(rows[0]).toContain('单元格');
    expect(rows.slice(1).map((r) => r.slice(1, 4))).toEqual(json.map((f) => [f.sheet, f.cell, f.code]));
    // the figures themselves are kept
    expect(wb.getWorksheet('填报表')!.getCell('E9').value).toBe(5);
  });

  it('fills only the cells with findings, not every cell that shared their style', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(out, BAD.replace(/\.xlsx$/, '.annotated.xlsx')));
    const filled: string[] = [];
    for (const ws of wb.worksheets)
      ws.eachRow({ includeEmpty: true }, (r) =>
        r.eachCell({ includeEmpty: true }, (c) => {
          // (cells a figure was read from are light green, READ_FILL: not problem cells)
          const fill = c.fill as ExcelJS.FillPattern | undefined;
          if (fill?.pattern === 'solid' && fill.fgColor?.argb !== 'FFE2F0D9') filled.push(`${ws.name}!${c.address}`);
        }),
      );
    expect(filled.sort()).toEqual(json.map((f) => `${f.sheet}!${f.cell}`).sort());
  });

  it('leaves the original files’ bytes unchanged', () => {
    expect(files.paths.map(sha)).toEqual(before);
    expect(files.paths.map(sha)).toEqual([BAD, GOOD].map((n) => sha(path.join(FIXTURES, n))));
    expect(readdirSync(files.dir).sort()).toEqual([BAD, GOOD].sort());
  });
});

describe('banbao validate: exit status', () => {
  it('2 with no files, saying how to use it', () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'banbao-validate-out-'));
    const r = validate(['--out', out]);
    expect(r.status).toBe(2);
    expect(r.stdout + r.stderr).toMatch(/用法|usage/);
    expect(readdirSync(out)).toEqual([]);
  }, 120_000);

  it('0 for files that are all good (a warning does not fail), with empty findings files and no annotated copy', () => {
    const files = inputs(GOOD, '海曙区2018年上半年党建争强推进情况表.xlsx', '宁海县2018年上半年党建争强推进情况表.txt');
    const out = mkdtempSync(path.join(os.tmpdir(), 'banbao-validate-out-'));
    const r = validate([...files.paths, '--out', out]);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('■ '))).toHaveLength(3);
    expect(JSON.parse(readFileSync(path.join(out, 'findings.json'), 'utf8')).findings).toEqual([]);
    expect(readCsv(path.join(out, 'findings.csv'))).toEqual([]);
    expect(readdirSync(out).sort()).toEqual(['findings.csv', 'findings.json']);
  }, 120_000);

  it('0 for a good file with a warning (the form on a hidden sheet), which is listed', () => {
    const files = inputs('慈溪市_2018H1_隐藏工作表.xlsx');
    const out = mkdtempSync(path.join(os.tmpdir(), 'banbao-validate-out-'));
    const r = validate([...files.paths, '--out', out]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const json = JSON.parse(readFileSync(path.join(out, 'findings.json'), 'utf8')).findings as Finding[];
    expect(json.map((f) => [f.severity, f.sheet, f.code])).toEqual([['warning', '填报表', 'sheet.hidden']]);
  }, 120_000);
});
