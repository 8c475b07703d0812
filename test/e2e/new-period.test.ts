// A new half-year is a data change: in a copy of data/, `banbao new-period` scaffolds 2019H1, `template`
// (its period taken from the data: the latest catalogue) writes the forms, a clerk fills them in with
// exceljs (and two units the CSV twin), `report` builds every period, `diff` compares 2019H1 with
// 2018H2. The forms survive the report; a file of the user's in a report folder stops the report.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import YAML from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeContext } from '../../pipeline/context.ts';
import { loadCatalogue, loadPublished, loadRoster, loadUnits } from '../../pipeline/reference/load.ts';
import { templateModel } from '../../pipeline/template/model.ts';
import { ROOT } from '../helpers.ts';
import { fillCsv, fillXlsx, plausibleValues, type Filled } from '../template/fill.ts';

const NEW = '2019H1';
const CSV_UNITS = new Set(['330206', '330282']); // 北仑区 and 慈溪市 send the CSV twin
let tmp: string;
let data: string;

function banbao(...args: string[]) {
  const r = spawnSync(path.join(ROOT, 'banbao'), args, { cwd: tmp, encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  expect(r.stderr, args.join(' ')).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  return r;
}

function readCsv(file: string): Record<string, string>[] {
  return Papa.parse<Record<string, string>>(readFileSync(file, 'utf8').replace(/^\ufeff/, ''), { header: true, skipEmptyLines: 'greedy' }).data;
}

const runs: Record<string, ReturnType<typeof banbao>> = {};
const filled = new Map<string, Filled>();

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'banbao-new-period-'));
  data = path.join(tmp, 'data');
  cpSync(path.join(ROOT, 'data'), data, { recursive: true });
  runs.scaffold = banbao('new-period', '--period', NEW);
  runs.again = banbao('new-period', '--period', NEW);
  runs.template = banbao('template'); // no --period: the latest catalogue, i.e. the new one
  // the clerks: each unit's form filled in and sent back into data/submissions/2019H1/
  const ctx = makeContext({ units: loadUnits(data), roster: loadRoster(data) }, loadCatalogue(data, NEW), loadPublished(data, NEW));
  const forms = path.join(tmp, 'reports/templates', NEW);
  for (const unit of ctx.units) {
    const model = templateModel(ctx, unit.code);
    const values = plausibleValues(ctx, model);
    filled.set(unit.code, values);
    const out = path.join(data, 'submissions', NEW, model.fileStem);
    if (CSV_UNITS.has(unit.code)) writeFileSync(`${out}.csv`, fillCsv(readFileSync(path.join(forms, `${model.fileStem}.csv`), 'utf8'), values));
    else writeFileSync(`${out}.xlsx`, await fillXlsx(new Uint8Array(readFileSync(path.join(forms, `${model.fileStem}.xlsx`))), values));
  }
  runs.report = banbao('report');
  runs.diff = banbao('diff', '--from', '2018H2', '--to', NEW);
}, 300_000);

describe(`banbao new-period ${NEW}, then the whole half-year in a copy of data/`, () => {
  it('scaffolds the catalogue from the latest one (items kept), an empty published file that explains its format, the submissions folder', () => {
    expect(runs.scaffold.status).toBe(0);
    expect(runs.scaffold.stdout).toContain('复制自 2018H2.yaml');
    const cat = loadCatalogue(data, NEW);
    const last = loadCatalogue(data, '2018H2');
    expect(cat).toEqual({ ...last, period: NEW, version: `${NEW}-v1` });
    const text = readFileSync(path.join(data, 'published', `${NEW}.yaml`), 'utf8');
    expect(YAML.parse(text)).toEqual({ period: NEW, figures: [] });
    for (const field of ['id:', 'indicator:', 'relation:', 'scope_code:', 'text:', 'quote:']) expect(text).toMatch(new RegExp(`^#.*${field}`, 'm'));
    expect(loadPublished(data, NEW).figures).toEqual([]);
    expect(existsSync(path.join(data, 'submissions', NEW, 'README.md'))).toBe(true);
  });

  it('refuses to scaffold a period that exists (exit 2), and changes nothing', () => {
    expect(runs.again.status).toBe(2);
    expect(runs.again.stderr).toContain('已经存在，不会覆盖');
  });

  it('template without --period writes the new period’s forms to reports/templates/2019H1/', () => {
    expect(runs.template.status).toBe(0);
    const files = readdirSync(path.join(tmp, 'reports/templates', NEW));
    expect(files.filter((f) => f.endsWith('.xlsx'))).toHaveLength(11);
    expect(files).toContain(`鄞州区_${NEW}.xlsx`);
    expect(files).toContain('check.html');
    expect(runs.template.stdout).toContain(`reports/templates/${NEW}/`);
  });

  it('report reads the filled forms back with no errors, every figure as typed, into reports/2019H1/', () => {
    expect(runs.report.status, runs.report.stdout + runs.report.stderr).toBe(0);
    expect(runs.report.stdout).toContain(`${NEW}: 11 个文件，11/11 个单位，错误 0`);
    expect(runs.report.stdout).toContain(`输出 outputs → reports/${NEW}/`);
    const rows = readCsv(path.join(tmp, 'reports', NEW, 'reconciled.csv'));
    for (const [unit, values] of filled)
      for (const [indicator, v] of Object.entries(values)) {
        const row = rows.find((r) => r.unit === unit && r.indicator === indicator);
        expect(row?.value, `${unit} ${indicator}`).toBe(String(v));
      }
    // nothing published yet: every city figure is unpublished, none silently dropped
    const rec = readCsv(path.join(tmp, 'reports', NEW, 'reconciliation.csv'));
    expect(new Set(rec.map((r) => r.status))).toEqual(new Set(['unpublished']));
  });

  it('the report kept the forms make template wrote', () => {
    expect(readdirSync(path.join(tmp, 'reports/templates', NEW)).filter((f) => f.endsWith('.xlsx'))).toHaveLength(11);
  });

  it('diff 2018H2 → 2019H1: same catalogue, each unit’s change as typed', () => {
    expect(runs.diff.status, runs.diff.stderr).toBe(0);
    const dir = path.join(tmp, 'reports/diff', `2018H2..${NEW}`);
    const diff = readCsv(path.join(dir, 'diff.csv'));
    expect(diff.filter((r) => r.section === 'catalogue' || r.section === 'unit')).toEqual([]);
    const before = readCsv(path.join(tmp, 'reports/2018H2/reconciled.csv'));
    const yz = diff.find((r) => r.section === 'value' && r.unit === '330212' && r.indicator === 'inspections')!;
    const was = before.find((r) => r.unit === '330212' && r.indicator === 'inspections')!.value;
    const now = filled.get('330212')!.inspections as number;
    expect(now).not.toBe(Number(was));
    expect([yz.before, yz.after, yz.delta]).toEqual([was, String(now), String(now - Number(was))]);
  });

  it('a file of the user’s in a report folder stops the report (exit 4) before anything is replaced', () => {
    const mine = path.join(tmp, 'reports', NEW, '我的笔记.txt');
    writeFileSync(mine, '给领导的说明');
    const manifest = readFileSync(path.join(tmp, 'reports', NEW, 'manifest.json'), 'utf8');
    const r = banbao('report', '--period', NEW);
    expect(r.status).toBe(4);
    expect(r.stderr).toContain('我的笔记.txt');
    expect(readFileSync(mine, 'utf8')).toBe('给领导的说明');
    expect(readFileSync(path.join(tmp, 'reports', NEW, 'manifest.json'), 'utf8')).toBe(manifest);
  }, 60_000);
});
