// Any region, end to end: a province-shaped data folder (浙江省, the region file `make roster REGION=33`
// builds, kept in test/fixtures/regions/33.yaml), one 汇总表 per city with a row per unit (the city's
// 市本级 and its counties), figures published for the province, two cities and a county —
// `banbao report` reconciles each at its own level. The expected totals are summed here, in the test.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import YAML from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { Region } from '../../schemas/units.ts';
import { loadCatalogue } from '../../pipeline/reference/load.ts';
import { DATA, ROOT, YZ, longCsv, longRows } from '../helpers.ts';

const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const FIXTURE = path.join(ROOT, 'test/fixtures/regions/33.yaml');
const region = Region.parse(YAML.parse(readFileSync(FIXTURE, 'utf8')));
const catalogue = loadCatalogue(DATA, '2018H1');
const items = catalogue.items;

/** A unit's figure of an item: made up from its code, parts below their wholes. */
function figure(code: string, k: number, municipal: boolean): number | null {
  const item = items[k];
  if (item.reporters === 'districts' && municipal) return null;
  const n = Number(code.slice(2));
  if (item.part_of) return (n % 7) + k;
  return 20 + ((n * (k + 3)) % 211);
}

const cities = region.scopes.filter((s) => s.level === 'city');
const province = region.scopes[0];
const unitsOf = (prefix: string) => region.units.filter((u) => u.code.startsWith(prefix));
const sum = (prefix: string, code: string) =>
  unitsOf(prefix).reduce((a, u) => a + (figure(u.code, items.findIndex((i) => i.code === code), u.level === 'municipal') ?? 0), 0);

let out: string;
let run: { status: number | null; stdout: string; stderr: string };
let rows: Record<string, string>[];
let findings: Record<string, string>[];

beforeAll(() => {
  const data = mkdtempSync(path.join(os.tmpdir(), 'banbao-region-'));
  for (const d of ['reference', 'catalogue', 'published', 'submissions/2018H1']) mkdirSync(path.join(data, d), { recursive: true });
  copyFileSync(FIXTURE, path.join(data, 'reference/region.yaml'));
  copyFileSync(path.join(DATA, 'catalogue/2018H1.yaml'), path.join(data, 'catalogue/2018H1.yaml'));
  const ningbo = cities.find((c) => c.name === '宁波市')!;
  const hangzhou = cities.find((c) => c.name === '杭州市')!;
  const county = unitsOf(ningbo.prefix).find((u) => u.name === '鄞州区')!;
  const fig = (id: string, indicator: string, scope: string, scope_code: string, text: string) => ({
    id,
    indicator,
    relation: 'value',
    scope,
    scope_code,
    text,
    subject_zh: id,
    source: { doc: 'test', quote: text },
  });
  const figures = [
    fig('zj_inspections', 'inspections', 'province', province.code, String(sum(province.prefix, 'inspections'))),
    fig('zj_units_signed', 'units_signed', 'province', province.code, String(sum(province.prefix, 'villages_signed') + sum(province.prefix, 'communities_signed'))),
    fig('nb_villages', 'villages_signed', '宁波市', ningbo.code, String(sum(ningbo.prefix, 'villages_signed'))),
    fig('nb_frontline', 'frontline_cadres', '宁波市', ningbo.code, String(sum(ningbo.prefix, 'frontline_cadres'))),
    fig('hz_promoted', 'promoted_total', '杭州市', hangzhou.code, String(sum(hangzhou.prefix, 'promoted_total') + 1)),
    fig('yz_cases', 'eight_rules_cases', county.name, county.code, String(figure(county.code, items.findIndex((i) => i.code === 'eight_rules_cases'), false))),
  ];
  writeFileSync(path.join(data, 'published/2018H1.yaml'), YAML.stringify({ period: '2018H1', figures }));
  for (const c of cities) {
    const lines = ['党建争强半年度推进情况汇总表（2018年上半年）', ['单位', ...items.map((i) => i.name_zh)].join(',')];
    for (const u of unitsOf(c.prefix)) lines.push([u.name, ...items.map((_, k) => figure(u.code, k, u.level === 'municipal') ?? '')].join(','));
    writeFileSync(path.join(data, 'submissions/2018H1', `${c.name}_2018H1.csv`), lines.join('\n') + '\n');
  }
  out = path.join(data, 'reports');
  const r = spawnSync(TSX, ['pipeline/cli.ts', 'report', '--data', data, '--out', out], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  run = { status: r.status, stdout: r.stdout, stderr: r.stderr };
  const csv = (f: string) => Papa.parse<Record<string, string>>(readFileSync(path.join(out, '2018H1', f), 'utf8').replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: 'greedy' }).data;
  rows = csv('reconciliation.csv');
  findings = csv('findings.csv');
}, 180_000);

describe('a province-shaped region (浙江省: 11 cities, 90 counties, 11 市本级)', () => {
  it('the region file holds every county of the province and a 市本级 per city, and the levels by prefix', () => {
    expect(region.units.filter((u) => u.level === 'municipal')).toHaveLength(11);
    expect(region.units.filter((u) => u.level === 'district')).toHaveLength(90);
    expect(province).toMatchObject({ code: '330000', label: '全省', level: 'province', prefix: '33' });
    expect(cities).toHaveLength(11);
  });

  it('reads every city’s file, every unit’s row: 101/101 units, the one error the mismatch planted below', () => {
    expect(run.stderr).not.toMatch(/at .*\.ts:\d+/);
    expect(run.stdout).toContain('2018H1: 11 个文件，101/101 个单位，错误 1，提示 0');
    expect(run.status).toBe(1);
    expect(findings.filter((f) => f.severity === 'error').map((f) => [f.code, f.indicator])).toEqual([['reconcile.mismatch', 'promoted_total']]);
  });

  it('reconciles the province’s figures against Σ of all 101 units (a derived sum included)', () => {
    const by = (id: string) => rows.find((r) => r.published_id === id)!;
    expect(by('zj_inspections')).toMatchObject({ scope: '全省', scope_code: '330000', status: 'match', units_expected: '101', units_reported: '101' });
    expect(by('zj_units_signed')).toMatchObject({ scope: '全省', status: 'match', units_expected: '90' });
  });

  it('a city’s figure is Σ its own units only (its 市本级 included), not the 市本级’s own figure of the same code', () => {
    const by = (id: string) => rows.find((r) => r.published_id === id)!;
    expect(by('nb_villages')).toMatchObject({ scope: '宁波市', scope_code: '330200', status: 'match', units_expected: '10' });
    expect(by('nb_frontline')).toMatchObject({ scope: '宁波市', status: 'match', units_expected: '11' });
    expect(Number(by('nb_frontline').computed)).toBe(sum('3302', 'frontline_cadres'));
    expect(Number(by('nb_frontline').computed)).not.toBe(sum('33', 'frontline_cadres'));
  });

  it('a city published one above its sum: a mismatch of −1 at that level, named by the city, with a hint among its own units', () => {
    const r = rows.find((x) => x.published_id === 'hz_promoted')!;
    expect(r).toMatchObject({ scope: '杭州市', status: 'mismatch', difference: '-1' });
    const f = findings.find((x) => x.code === 'reconcile.mismatch' && x.indicator === 'promoted_total')!;
    expect(f.unit).toBe('');
    expect(f.message).toContain('杭州市');
    expect(r.hints).toMatch(/区|县|市/);
    for (const name of unitsOf('33').filter((u) => !u.code.startsWith('3301')).map((u) => u.name)) expect(r.hints).not.toContain(name);
  });

  it('a county’s own figure reconciles as the county’s value', () => {
    expect(rows.find((x) => x.published_id === 'yz_cases')).toMatchObject({ scope: '鄞州区', scope_code: '330212', status: 'match', units_expected: '1' });
  });

  it('items nobody published are shown for the region’s own total (全省)', () => {
    const unpublished = rows.filter((x) => x.status === 'unpublished');
    expect(unpublished.length).toBeGreaterThan(0);
    for (const x of unpublished) expect(x).toMatchObject({ scope: '全省', scope_code: '330000' });
  });
});

describe('the whole country as the region (3,312 units, 365 levels)', () => {
  let cn: { status: number | null; stdout: string; stderr: string };
  let outCn: string;
  beforeAll(() => {
    const data = mkdtempSync(path.join(os.tmpdir(), 'banbao-region-cn-'));
    for (const d of ['reference', 'catalogue', 'published', 'submissions/2018H1']) mkdirSync(path.join(data, d), { recursive: true });
    copyFileSync(path.join(ROOT, 'test/fixtures/regions/CN.yaml'), path.join(data, 'reference/region.yaml'));
    copyFileSync(path.join(DATA, 'catalogue/2018H1.yaml'), path.join(data, 'catalogue/2018H1.yaml'));
    const figures = [
      { id: 'nb_inspections', indicator: 'inspections', relation: 'value', scope: '宁波市', scope_code: '330200', text: String(YZ.inspections), subject_zh: 'x', source: { doc: 'test', quote: 'x' } },
      { id: 'zj_inspections', indicator: 'inspections', relation: 'value', scope: '浙江省', scope_code: '330000', text: String(YZ.inspections + 7), subject_zh: 'x', source: { doc: 'test', quote: 'x' } },
    ];
    writeFileSync(path.join(data, 'published/2018H1.yaml'), YAML.stringify({ period: '2018H1', figures }));
    // 鄞州区 is one name in the country; 鼓楼区 is four, so its file says the city
    writeFileSync(path.join(data, 'submissions/2018H1/鄞州区_2018H1.csv'), longCsv(longRows('2018H1', YZ)));
    writeFileSync(path.join(data, 'submissions/2018H1/南京市鼓楼区_2018H1.csv'), longCsv(longRows('2018H1', { ...YZ, inspections: 7 }), { unitLine: '填报单位：南京市鼓楼区委组织部' }));
    outCn = path.join(data, 'reports');
    const r = spawnSync(TSX, ['pipeline/cli.ts', 'report', '--data', data, '--out', outCn], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
    cn = { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }, 300_000);

  it('reports without a stack trace: 2 of 3,312 units, each file to its own county', () => {
    expect(cn.stderr).not.toMatch(/at .*\.ts:\d+/);
    expect(cn.stdout).toContain('2018H1: 2 个文件，2/3312 个单位');
    // a unit not submitted makes the region's own total incomplete, named as the region's (全国), not 全市
    expect(cn.stdout).toContain('北京市本级尚未报送2018H1的报表：全国合计不完整');
    const values = Papa.parse<Record<string, string>>(readFileSync(path.join(outCn, '2018H1/reconciled.csv'), 'utf8').replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: 'greedy' }).data;
    const ins = values.filter((v) => v.indicator === 'inspections' && v.status === 'value').map((v) => [v.unit, v.value]);
    expect(ins).toEqual([
      ['320106', '7'],
      ['330212', String(YZ.inspections)],
    ]);
  });

  it('a city’s figure reconciles with its one reporting county, a province’s is incomplete with the rest missing', () => {
    const rec = Papa.parse<Record<string, string>>(readFileSync(path.join(outCn, '2018H1/reconciliation.csv'), 'utf8').replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: 'greedy' }).data;
    expect(rec.find((r) => r.published_id === 'nb_inspections')).toMatchObject({ scope: '宁波市', status: 'incomplete', computed: String(YZ.inspections), units_expected: '11', units_reported: '1' });
    expect(rec.find((r) => r.published_id === 'zj_inspections')).toMatchObject({ scope: '浙江省', status: 'incomplete', units_expected: '101' });
    expect(rec.find((r) => r.published_id === 'zj_inspections')!.hints).toMatch(/^100 个单位未报或数据不可用：杭州市本级、.*等（另 80 个）$/);
    expect(rec.filter((r) => r.status === 'unpublished').every((r) => r.scope === '全国' && r.scope_code === '000000')).toBe(true);
  });
});
