import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import YAML from 'yaml';
import { runBulletin } from '../../pipeline/bulletin/cli.ts';
import { runReport } from '../../pipeline/report-cli.ts';
import { PublishedFile } from '../../schemas/published.ts';
import { BulletinFile } from '../../schemas/bulletin.ts';
import { DATA, ROOT } from '../helpers.ts';

let tmp: string;
let data: string;
let out: string;
let lines: string[];
const log = { info: (m: string) => void lines.push(m), warn: (m: string) => void lines.push(m) };

beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'banbao-bulletin-cli-'));
  data = path.join(tmp, 'data');
  out = path.join(tmp, 'reports');
  cpSync(DATA, data, { recursive: true });
  lines = [];
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

const reconciliation = () =>
  Papa.parse<Record<string, string>>(readFileSync(path.join(out, '2018H1/reconciliation.csv'), 'utf8').replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: 'greedy' }).data;

describe('banbao bulletin', () => {
  it('writes 通报.docx and 通报.md, the same bytes on a second run, the .md as the golden', async () => {
    expect(await runBulletin(['--period', '2018H1', '--data', data, '--out', out], log)).toBe(0);
    const docx = readFileSync(path.join(out, '2018H1/通报.docx'));
    const md = readFileSync(path.join(out, '2018H1/通报.md'), 'utf8');
    expect(md).toBe(readFileSync(path.join(ROOT, 'test/golden/bulletin/2018H1-通报.md'), 'utf8'));
    expect(await runBulletin(['--period', '2018H1', '--data', data, '--out', out], log)).toBe(0);
    expect(readFileSync(path.join(out, '2018H1/通报.docx')).equals(docx)).toBe(true);
    expect(lines.join('\n')).toContain('待核实 人才引育·“3315计划”申报（同比）：同比需 2017H1 数据，缺少 2017H1 的报送');
  });

  it('is one of the report\'s own outputs: a later report keeps (rewrites) it and lists it in the manifest', async () => {
    expect(await runBulletin(['--period', '2018H1', '--data', data, '--out', out], log)).toBe(0);
    const docx = readFileSync(path.join(out, '2018H1/通报.docx'));
    // a report after the bulletin is not stopped by "files the report did not write", and writes it again
    expect(await runReport(['--period', '2018H1', '--data', data, '--out', out], log)).toBe(0);
    expect(readFileSync(path.join(out, '2018H1/通报.docx')).equals(docx)).toBe(true);
    const manifest = JSON.parse(readFileSync(path.join(out, '2018H1/manifest.json'), 'utf8')) as { outputs: { file: string }[] };
    expect(manifest.outputs.map((o) => o.file)).toEqual(expect.arrayContaining(['通报.docx', '通报.md']));
    // a period without a phrasing file gets no bulletin
    rmSync(path.join(data, 'bulletin/2018H1.yaml'));
    expect(await runReport(['--period', '2018H1', '--data', data, '--out', out], log)).toBe(0);
    expect(existsSync(path.join(out, '2018H1/通报.docx'))).toBe(false);
  });

  it('closes the loop: --publish writes data/published, report reconciles against it, an edit is caught', async () => {
    expect(await runBulletin(['--period', '2018H1', '--data', data, '--out', out, '--publish'], log)).toBe(0);
    const published = PublishedFile.parse(YAML.parse(readFileSync(path.join(data, 'published/2018H1.yaml'), 'utf8')));
    const fromBulletin = published.figures.filter((f) => f.source.doc === '2018H1/通报.docx');
    expect(fromBulletin.length).toBeGreaterThan(30);
    expect(published.figures.find((f) => f.id === 'talent_3315_growth')?.source.doc).toBe('001_f025b84fd1abbb16.txt'); // kept
    expect(lines.join('\n')).toMatch(/保留 talent_3315_growth/);

    expect(await runReport(['--period', '2018H1', '--data', data, '--out', out], log)).toBe(0);
    const rows = reconciliation().filter((r) => r.published_id && r.text !== '44%');
    expect(rows.length).toBe(fromBulletin.length);
    expect(rows.filter((r) => !['match', 'within'].includes(r.status))).toEqual([]);
    expect(rows.find((r) => r.scope === '鄞州区' && r.indicator === 'cadres_adjusted')).toMatchObject({ text: '19', status: 'match' });

    // an edit of the published text after the fact is caught as today
    const edited = readFileSync(path.join(data, 'published/2018H1.yaml'), 'utf8').replace('text: "127"', 'text: "126"');
    writeFileSync(path.join(data, 'published/2018H1.yaml'), edited);
    expect(await runReport(['--period', '2018H1', '--data', data, '--out', out], log)).toBe(1);
    expect(reconciliation().find((r) => r.published_id === 'cadres_adjusted')).toMatchObject({ text: '126', status: 'mismatch', computed: '127' });
  });

  it('scaffolds data/bulletin/<period>.yaml from the catalogue when absent (every figure exact)', async () => {
    rmSync(path.join(data, 'bulletin'), { recursive: true, force: true });
    expect(await runBulletin(['--period', '2018H1', '--data', data, '--out', out], log)).toBe(0);
    const scaffold = BulletinFile.parse(YAML.parse(readFileSync(path.join(data, 'bulletin/2018H1.yaml'), 'utf8')));
    expect(scaffold.items.cadres_adjusted.phrase).toEqual({ style: 'exact' });
    expect(readFileSync(path.join(out, '2018H1/通报.md'), 'utf8')).toContain('一线挂职干部1050人');
    expect(lines.join('\n')).toContain('没有措辞文件，已按默认');
  });

  it('refuses a false phrase with exit 1, naming item, value and phrase, and writes nothing', async () => {
    const file = path.join(data, 'bulletin/2018H1.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/(  inspections:\n    phrase: )\{ style: exact \}/, '$1{ style: nearly, place: 1000 }'));
    expect(await runBulletin(['--period', '2018H1', '--data', data, '--out', out], log)).toBe(1);
    expect(lines.join('\n')).toContain('措辞不成立：正风肃纪监督检查，计算值 3164，措辞“近4000次”：“近4000”读作 [3500, 4000)，不含计算值 3164');
    expect(existsSync(path.join(out, '2018H1/通报.docx'))).toBe(false);
  });

  it('says what is wrong with a bad phrasing file (exit 2, no stack)', async () => {
    writeFileSync(path.join(data, 'bulletin/2018H1.yaml'), 'period: 2018H1\ntitle: x\nissuer: y\nitems:\n  inspections:\n    phrase: { style: nearly, place: 7 }\n');
    const { main } = await import('../../pipeline/cli.ts');
    const err: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => (err.push(String(s)), true)) as typeof process.stderr.write;
    try {
      expect(await main(['bulletin', '--period', '2018H1', '--data', data, '--out', out])).toBe(2);
    } finally {
      process.stderr.write = write;
    }
    expect(err.join('')).toMatch(/参考数据有误.*bulletin\/2018H1\.yaml.*items\.inspections\.phrase\.place: 应为 10 的整数次幂/);
  });
});
