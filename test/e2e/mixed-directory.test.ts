// `banbao report` on a folder as an analyst finds it: the shipped 2018H1 sample plus files that cannot
// be used (legacy .xls, .et, password-protected, truncated, empty, a contact list, the wrong period,
// the wrong unit). The bad files are named with what is wrong; the good ones still reconcile; the
// inputs are never touched.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { DATA, ROOT } from '../helpers.ts';

const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const FIXTURES = path.join(ROOT, 'test', 'fixtures');

/** The bad fixtures added to submissions/2018H1, with the one error each must give. */
const BAD: [string, string][] = [
  ['余姚市_2018H1_已加密.xlsx', 'file.encrypted'],
  ['党建联络员通讯录.csv', 'file.no_form'],
  ['奉化区2018年上半年党建争强推进情况表.et', 'file.unsupported_format'],
  ['宁海县2018年上半年党建争强推进情况表.csv', 'file.empty'],
  ['慈溪市_2018H1_报表.csv', 'file.unit_conflict'],
  ['江北区_2018H1（修改稿）.xlsx', 'file.period_conflict'],
  ['象山县_2018H1_传输中断.xlsx', 'file.corrupt'],
  ['鄞州区2018年上半年党建争强推进情况表.xls', 'file.unsupported_format'],
];

let tmp: string;
let data: string;
let out: string;
let run: { status: number | null; stdout: string; stderr: string };
let before: Map<string, string>;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
const hashes = (dir: string) => new Map(walk(dir).sort().map((f) => [path.relative(dir, f), sha(f)]));

function readCsv(file: string): Record<string, string>[] {
  const text = readFileSync(file, 'utf8');
  return Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: 'greedy' }).data;
}

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'banbao-mixed-'));
  data = path.join(tmp, 'data');
  out = path.join(tmp, 'out');
  // a copy of data/: reference, catalogue, published and both periods' submissions
  cpSync(DATA, data, { recursive: true });
  for (const [f] of BAD) copyFileSync(path.join(FIXTURES, f), path.join(data, 'submissions', '2018H1', f));
  // 2018H2: last round's file kept in a sub-folder, as offices do
  mkdirSync(path.join(data, 'submissions', '2018H2', '旧版'));
  copyFileSync(path.join(data, 'submissions', '2018H2', readdirSync(path.join(data, 'submissions', '2018H2')).find((f) => f.startsWith('海曙区'))!), path.join(data, 'submissions', '2018H2', '旧版', '海曙区_旧.xlsx'));
  before = hashes(data);
  const r = spawnSync(TSX, ['pipeline/cli.ts', 'report', '--data', data, '--out', out], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC' },
  });
  run = { status: r.status, stdout: r.stdout, stderr: r.stderr };
}, 300_000);

describe('banbao report on the sample plus bad files', () => {
  it('exits 1 (errors remain) without a stack trace', () => {
    expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(run.stderr).not.toMatch(/内部错误|internal error/);
    expect(run.status, run.stdout + run.stderr).toBe(1);
  });

  it('names every bad file in findings.csv with its code, and nothing else is an error', () => {
    const rows = readCsv(path.join(out, '2018H1', 'findings.csv'));
    const errs = rows.filter((r) => r.severity === 'error').map((r) => [r.file, r.code]);
    expect(errs.sort()).toEqual([...BAD].sort());
    for (const r of rows.filter((r) => r.severity === 'error')) {
      expect(r.message, r.file).toMatch(/[\u4e00-\u9fff]/);
      expect(r.cell, r.file).toBe('');
    }
  });

  it('the good files still reconcile: 2498 villages and 3164 inspections match', () => {
    const rows = readCsv(path.join(out, '2018H1', 'reconciliation.csv'));
    const by = (id: string) => rows.find((r) => r.published_id === id)!;
    expect([by('villages_signed'), by('communities_signed'), by('inspections')].map((r) => [r.text, r.computed, r.status])).toEqual([
      ['2498', '2498', 'match'],
      ['544', '544', 'match'],
      ['3164', '3164', 'match'],
    ]);
    expect(rows.filter((r) => r.status === 'mismatch')).toEqual([]);
  });

  it('a unit with a bad second file keeps the figures of its good one', () => {
    const rows = readCsv(path.join(out, '2018H1', 'reconciled.csv'));
    expect(rows).toHaveLength(11 * 15);
    const files = (unit: string) => [...new Set(rows.filter((r) => r.unit === unit).map((r) => r.file))];
    expect(files('330205')).toEqual(['江北区_2018H1.xlsx']);
    expect(files('330282')).toEqual(['慈溪市_2018H1.csv']);
    expect(files('330212')).toEqual(['鄞州区_2018H1.csv']);
    expect(rows.find((r) => r.unit === '330205' && r.indicator === 'nonpublic_members')).toMatchObject({ value: '3087', status: 'value', cell: 'E11' });
  });

  it('lists every input in the manifest with the sha256 it had', () => {
    const manifest = JSON.parse(readFileSync(path.join(out, '2018H1', 'manifest.json'), 'utf8')) as { inputs: { file: string; sha256: string }[] };
    const sub = (f: string) => before.get(path.join('submissions', '2018H1', f));
    expect(manifest.inputs.map((i) => i.file).sort()).toEqual(readdirSync(path.join(data, 'submissions', '2018H1')).sort());
    for (const i of manifest.inputs) expect(i.sha256, i.file).toBe(sub(i.file));
  });

  it('2018H2 is untouched by the bad 2018H1 files: no errors; its sub-folder is named, not read', () => {
    const rows = readCsv(path.join(out, '2018H2', 'findings.csv'));
    expect(rows.filter((r) => r.severity === 'error')).toEqual([]);
    const folder = rows.filter((r) => r.code === 'file.folder_skipped');
    expect(folder.map((r) => [r.severity, r.file])).toEqual([['warning', '旧版/']]);
    expect(folder[0].message).toContain('文件夹“旧版”里的文件未读取');
  });

  it('changes no input: every file under data/ has the same sha256 after the run', () => {
    expect(hashes(data)).toEqual(before);
  });
});
