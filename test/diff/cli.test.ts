// `banbao diff` end to end: the shipped sample built by `banbao report` into a temp folder, then
// diffed between periods (2018H1 → 2018H2), against itself, and against a second run of 2018H1 in
// which 鄞州区 resubmitted its file.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDiff } from '../../pipeline/diff-cli.ts';
import { ROOT } from '../helpers.ts';

const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const banbao = (...args: string[]) => {
  const r = spawnSync(TSX, ['pipeline/cli.ts', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

function readCsv(file: string): Record<string, string>[] {
  const text = readFileSync(file, 'utf8');
  expect(text.charCodeAt(0)).toBe(0xfeff);
  return Papa.parse<Record<string, string>>(text.slice(1), { header: true, skipEmptyLines: 'greedy' }).data;
}

function silentLog() {
  const out: string[] = [];
  const err: string[] = [];
  return { log: { info: (m: string) => out.push(m), warn: (m: string) => err.push(m) }, out, err };
}

let tmp: string;
let reports: string;
let periods: ReturnType<typeof banbao>;
let again: number;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'banbao-diff-'));
  reports = path.join(tmp, 'reports');
  const built = banbao('report', '--out', reports);
  expect(built.status, built.stderr).toBe(0);
  periods = banbao('diff', '--from', '2018H1', '--to', '2018H2', '--reports', reports);
  // the second run in process: the same bytes whichever way it is called
  again = await runDiff([path.join(reports, '2018H1'), path.join(reports, '2018H2'), '--out', path.join(tmp, 'again')], silentLog().log);
}, 300_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('banbao diff 2018H1 → 2018H2 on the shipped sample', () => {
  const out = () => path.join(reports, 'diff', '2018H1..2018H2');
  const rows = () => readCsv(path.join(out(), 'diff.csv'));

  it('exits 0 and writes diff.csv, diff.xlsx, index.html and summary.json under <reports>/diff/2018H1..2018H2', () => {
    expect(periods.stderr).not.toMatch(/at .*\.ts:\d+/);
    expect(periods.status).toBe(0);
    expect(readdirSync(out()).sort()).toEqual(['diff.csv', 'diff.xlsx', 'index.html', 'summary.json']);
    expect(periods.stdout).toContain('差异 2018H1 → 2018H2（两个期别之间）');
  });

  it('shows 鄞州区’s signage falling as levels: villages 279 → 238, communities 128 → 115', () => {
    const yz = rows().filter((r) => r.section === 'value' && r.unit === '330212' && ['villages_signed', 'communities_signed'].includes(r.indicator));
    expect(yz.map((r) => [r.indicator, r.before, r.after, r.delta, r.basis, r.compare_as])).toEqual([
      ['villages_signed', '279', '238', '-41', 'stock', 'level'],
      ['communities_signed', '128', '115', '-13', 'stock', 'level'],
    ]);
  });

  it('shows 奉化区’s inspections 205 → 330 (+61%) as a flow', () => {
    const fh = rows().find((r) => r.section === 'value' && r.unit === '330213' && r.indicator === 'inspections')!;
    expect(fh).toMatchObject({ change: 'changed', before: '205', after: '330', delta: '125', delta_pct: '61', basis: 'period', compare_as: 'flow' });
    expect(periods.stdout).toContain('奉化区 正风肃纪监督检查 205 → 330 +125（+61%） 比流量');
  });

  it('shows the catalogue item eight_rules_persons added, and its 11 values as rows added', () => {
    const r = rows();
    expect(r.filter((x) => x.section === 'catalogue').map((x) => [x.change, x.indicator])).toEqual([['added', 'eight_rules_persons']]);
    expect(r.filter((x) => x.section === 'value' && x.change === 'added').map((x) => x.indicator)).toEqual(Array(11).fill('eight_rules_persons'));
    expect(r.filter((x) => x.section === 'value' && x.change === 'removed')).toEqual([]);
  });

  it('shows the findings rule.stock_decreased and rule.change_large as new', () => {
    const news = rows().filter((x) => x.section === 'finding' && x.change === 'new').map((x) => `${x.finding_code} ${x.unit} ${x.indicator}`);
    // 鄞州区's two falling stock rows and the published 353 are one fact, one finding (#14)
    expect(news).toEqual(expect.arrayContaining(['rule.stock_decreased 330212 villages_signed', 'rule.change_large 330213 inspections']));
  });

  it('summary.json agrees with diff.csv', () => {
    const s = JSON.parse(readFileSync(path.join(out(), 'summary.json'), 'utf8'));
    expect(s.a.name).toBe('2018H1');
    expect(s.b.name).toBe('2018H2');
    expect(s.differences).toBe(rows().length);
    expect(s.counts.catalogue.added).toBe(1);
  });

  it('writes byte-identical outputs when run twice (diff.xlsx by SHA-256 included)', () => {
    expect(again).toBe(0);
    for (const f of ['diff.xlsx', 'diff.csv', 'index.html', 'summary.json']) expect(sha(path.join(tmp, 'again', '2018H1..2018H2', f)), f).toBe(sha(path.join(out(), f)));
  });
});

describe('banbao diff of a report folder with itself', () => {
  it('is empty: no rows in diff.csv, differences 0', async () => {
    const { log, out } = silentLog();
    const dir = path.join(reports, '2018H2');
    expect(await runDiff([dir, dir, '--out', path.join(tmp, 'self')], log)).toBe(0);
    const d = path.join(tmp, 'self', '2018H2..2018H2');
    expect(readCsv(path.join(d, 'diff.csv'))).toEqual([]);
    expect(JSON.parse(readFileSync(path.join(d, 'summary.json'), 'utf8')).differences).toBe(0);
    expect(out).toContain('  没有差异');
  });
});

describe('banbao diff usage errors (exit 2)', () => {
  it('says which files a folder lacks when it is not a report folder', async () => {
    const half = path.join(tmp, 'half', '2018H1');
    cpSync(path.join(reports, '2018H1'), half, { recursive: true, dereference: true }); // reports/2018H1 is a link
    rmSync(path.join(half, 'findings.json'));
    rmSync(path.join(half, 'manifest.json'));
    const { log, err } = silentLog();
    expect(await runDiff([half, path.join(reports, '2018H2'), '--out', path.join(tmp, 'x')], log)).toBe(2);
    expect(err.join('\n')).toContain('不是报告文件夹：缺少 manifest.json、findings.json');
  });

  it('says so when a folder does not exist, or when --from/--to point nowhere', async () => {
    const { log, err } = silentLog();
    expect(await runDiff(['--from', '2017H1', '--to', '2018H2', '--reports', reports, '--out', path.join(tmp, 'x')], log)).toBe(2);
    expect(err[0]).toBe(`找不到报告文件夹：${path.join(reports, '2017H1')}`);
  });

  it('rejects a missing folder argument, --from without --to, a bad tolerance and an unknown option', async () => {
    for (const args of [[], ['only-one'], ['--from', '2018H1'], ['a', 'b', '--tolerance', 'abc'], ['a', 'b', '--tolerance', '-1'], ['a', 'b', '--colour']]) {
      const { log, err } = silentLog();
      expect(await runDiff(args, log), args.join(' ')).toBe(2);
      expect(err.join('\n')).toContain('用法 usage');
    }
  });

  it('goes through banbao’s command line: `banbao diff` alone exits 2 with the usage', () => {
    const r = banbao('diff');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('banbao diff --from <期别A> --to <期别B>');
  }, 120_000);
});

describe('banbao diff of two runs of 2018H1 after 鄞州区 resubmitted', () => {
  let run: { status: number; stdout: string };
  let diffDir: string;
  beforeAll(async () => {
    // the resubmitted file: one note line more above the header (every cell one row lower) and 270 villages, not 279
    const data = path.join(tmp, 'data');
    cpSync(path.join(ROOT, 'data'), data, { recursive: true });
    const file = path.join(data, 'submissions', '2018H1', '鄞州区_2018H1.csv');
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n');
    lines.splice(2, 0, '（2018年7月9日补报）');
    const changed = lines.join('\n').replace('悬挂红色标识的行政村,个,279,', '悬挂红色标识的行政村,个,270,');
    expect(changed).not.toBe(text);
    writeFileSync(file, changed);
    banbao('report', '--data', data, '--period', '2018H1', '--out', path.join(tmp, 'run2'));
    const { log, out } = silentLog();
    const status = await runDiff([path.join(reports, '2018H1'), path.join(tmp, 'run2', '2018H1'), '--out', path.join(tmp, 'runs')], log);
    run = { status, stdout: out.join('\n') };
    diffDir = path.join(tmp, 'runs', '2018H1..2018H1');
  }, 300_000);

  it('names the file and cell before → after, the raw text, and says the file’s sha256 changed', () => {
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('同一期别的两次运行');
    const values = readCsv(path.join(diffDir, 'diff.csv')).filter((r) => r.section === 'value');
    expect(values.map((r) => [r.unit, r.indicator, r.before, r.after, r.file_before, r.cell_before, r.raw_before, r.file_after, r.cell_after, r.raw_after, r.input_sha256])).toEqual([
      ['330212', 'villages_signed', '279', '270', '鄞州区_2018H1.csv', 'E7', '279', '鄞州区_2018H1.csv', 'E8', '270', 'changed'],
    ]);
    expect(values[0].sha256_before).not.toBe(values[0].sha256_after);
    expect(values[0].message).toContain('鄞州区_2018H1.csv!E7“279” → 鄞州区_2018H1.csv!E8“270”');
  });

  it('lists the resubmitted file, and the city total that no longer matches its published 2498', () => {
    const rows = readCsv(path.join(diffDir, 'diff.csv'));
    expect(rows.filter((r) => r.section === 'input').map((r) => [r.change, r.file_before, r.input_sha256])).toEqual([['changed', '鄞州区_2018H1.csv', 'changed']]);
    expect(rows.find((r) => r.section === 'total' && r.indicator === 'villages_signed')).toMatchObject({ before: '2498', after: '2489', delta: '-9' });
    expect(rows.find((r) => r.section === 'reconciliation' && r.published_id === 'villages_signed')).toMatchObject({ change: 'newly_mismatched', before: 'match', after: 'mismatch' });
  });
});
