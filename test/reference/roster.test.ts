// The columnar roster (pipeline/reference/roster.ts) and its loader: the same villages, counts and
// errors as the array of zod-checked rows it replaces, with no object per village kept.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RosterEntry } from '../../schemas/units.ts';
import { loadRoster, ReferenceDataError } from '../../pipeline/reference/load.ts';
import { readPlainRoster } from '../../pipeline/reference/roster-plain.ts';
import { Roster, type RosterRow } from '../../pipeline/reference/roster.ts';
import { DATA } from '../helpers.ts';

const FILE = path.join(DATA, 'reference/villages-3302.csv');
const TEXT = readFileSync(FILE, 'utf8');

/** What loadRoster returned before: papaparse header rows through z.array(RosterEntry). */
function rowsAsBefore(text: string): RosterEntry[] {
  return z.array(RosterEntry).parse(Papa.parse(text, { header: true, skipEmptyLines: 'greedy', dynamicTyping: false }).data);
}

/** A data folder whose roster file has this text. */
function withRoster(text: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'banbao-roster-'));
  cpSync(path.join(DATA, 'reference'), path.join(dir, 'reference'), { recursive: true });
  writeFileSync(path.join(dir, 'reference/villages-3302.csv'), text);
  return dir;
}

const lines = TEXT.split('\n');
/** The shipped file with line `n` (1 = the first village) replaced. */
const edited = (n: number, line: string) => [...lines.slice(0, n), line, ...lines.slice(n + 1)].join('\n');

describe('roster', () => {
  it('holds the shipped roster’s villages: each entry, count and unit list as the rows read before', () => {
    const before = rowsAsBefore(TEXT);
    const roster = loadRoster(DATA);
    expect(roster.size).toBe(before.length);
    const sorted = [...before].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    expect([...roster]).toEqual(sorted);
    for (const r of before) expect(roster.get(r.code)).toEqual(r);
    for (const r of before) expect(roster.unitOf(r.code)).toBe(r.unit_code);
    const units = [...new Set(before.map((r) => r.unit_code))];
    for (const u of units) {
      expect(roster.count(u)).toBe(before.filter((r) => r.unit_code === u).length);
      expect(roster.ofUnit(u)).toEqual(sorted.filter((r) => r.unit_code === u));
      expect(roster.codesOfUnit(u)).toEqual(sorted.filter((r) => r.unit_code === u).map((r) => r.code));
    }
    expect(roster.units().sort()).toEqual(units.sort());
    expect(roster.count('330200')).toBe(0); // 市本级 has no villages
    expect(roster.ofUnit('330200')).toEqual([]);
    for (const code of ['330211009201', '33021100920', '3302110092011', 'abcdefghijkl', ' 330203001001', ''])
      expect([roster.get(code), roster.unitOf(code), roster.has(code)]).toEqual([undefined, undefined, false]);
  });

  it('a region with no roster file has an empty roster', () => {
    const dir = withRoster(TEXT);
    const region = path.join(dir, 'reference/region.yaml');
    writeFileSync(region, readFileSync(region, 'utf8').replace(/^roster: .*$/m, "roster: ''"));
    const roster = loadRoster(dir);
    expect(roster.size).toBe(0);
    expect(roster.count('330211')).toBe(0);
    expect([...roster]).toEqual([]);
  });

  it('refuses a bad row with its number and field, word for word as the schema did', () => {
    const cases: [string, RegExp][] = [
      [edited(4, '33020300100X,某社区,330203001,南门街道,330203,居委会'), /villages-3302\.csv: 不符合数据格式 \(schema\): 3\.code: /],
      [edited(1, '330203001001,,330203001,南门街道,330203,居委会'), /: 0\.name: /],
      [edited(2, '330203001002,柳锦社区,33020300,南门街道,330203,居委会'), /: 1\.town_code: /],
      [edited(3, '330203001003,某社区,330203001,南门街道,33020,居委会'), /: 2\.unit_code: 单位代码应为6位数字/],
      [edited(5, '330203001005,某社区,330203001,南门街道,330203,社区'), /: 4\.type: /],
      [edited(6, '330203001006,某社区,330203001,南门街道,330203'), /: 5\.type: /],
      [edited(7, '330203001007,某社区,330203001,南门街道,330203,居委会,多余'), /: 6: .*__parsed_extra/],
      [TEXT.replace(/^code,/, 'village,'), /: 0\.code: .*; 0: Unrecognized key: "village"$/],
    ];
    for (const [text, message] of cases) {
      const dir = withRoster(text);
      const file = path.join(dir, 'reference/villages-3302.csv');
      // the message the old reading (every row through z.array(RosterEntry)) gave, word for word
      const old = z.array(RosterEntry).safeParse(Papa.parse(text, { header: true, skipEmptyLines: 'greedy', dynamicTyping: false }).data);
      expect(old.success).toBe(false);
      const before = `${file}: 不符合数据格式 (schema): ${old.error!.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`;
      expect(() => loadRoster(dir)).toThrow(ReferenceDataError);
      expect(() => loadRoster(dir)).toThrow(message);
      // a bad header made every row bad: the old message listed them all, the new one stops at the first
      if (!text.startsWith('village,')) expect(() => loadRoster(dir)).toThrow(before);
    }
  });

  it('refuses a village code listed twice, naming both rows', () => {
    const second = lines[2].split(',');
    const dir = withRoster(edited(40, [second[0], '另一个社区', ...second.slice(2)].join(',')));
    expect(() => loadRoster(dir)).toThrow(ReferenceDataError);
    expect(() => loadRoster(dir)).toThrow(/villages-3302\.csv: 村社代码 330203001002 重复 \(duplicate village code\)：第 1 条与第 39 条/);
  });

  it('refuses a header that names a column twice', () => {
    const dir = withRoster(TEXT.replace(/^code,name,/, 'code,code,'));
    expect(() => loadRoster(dir)).toThrow(/表头列名“code”重复/);
  });

  it('reads rows in any order and column order to the same roster', () => {
    const rows = Papa.parse<string[]>(TEXT, { skipEmptyLines: 'greedy' }).data;
    const [head, ...body] = rows;
    const perm = [5, 3, 1, 0, 4, 2];
    const shuffled = [perm.map((k) => head[k]), ...body.reverse().map((r) => perm.map((k) => r[k]))];
    const dir = withRoster(Papa.unparse(shuffled));
    expect([...loadRoster(dir)]).toEqual([...loadRoster(DATA)]);
  });

  it('property: fromEntries answers get, count and ofUnit as a sorted array would', () => {
    const entry = fc
      .record({
        unit: fc.constantFrom('330203', '330211', '110101'),
        town: fc.integer({ min: 1, max: 4 }),
        village: fc.integer({ min: 1, max: 400 }),
        name: fc.string({ minLength: 1, maxLength: 6 }),
        townName: fc.constantFrom('南门街道', '', '某镇'),
      })
      .map(({ unit, town, village, name, townName }): RosterRow => {
        const town_code = `${unit}${String(town).padStart(3, '0')}`;
        return { code: `${town_code}${String(village).padStart(3, '0')}`, name, town_code, town_name: townName, unit_code: unit, type: village < 200 ? '居委会' : '村委会' };
      });
    fc.assert(
      fc.property(fc.uniqueArray(entry, { selector: (e) => e.code, maxLength: 60 }), (entries) => {
        const roster = Roster.fromEntries(entries);
        const sorted = [...entries].sort((a, b) => (a.code < b.code ? -1 : 1));
        expect(roster.size).toBe(entries.length);
        expect([...roster]).toEqual(sorted);
        for (const e of entries) expect(roster.get(e.code)).toEqual(e);
        for (const u of ['330203', '330211', '110101', '330200']) {
          expect(roster.count(u)).toBe(sorted.filter((e) => e.unit_code === u).length);
          expect(roster.ofUnit(u)).toEqual(sorted.filter((e) => e.unit_code === u));
        }
        expect(roster.get('330203999999')).toBeUndefined();
      }),
    );
  });

  it('property: fromEntries refuses any code given twice', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 }), (i, j) => {
        const base = Array.from({ length: 6 }, (_, k): RosterRow => ({ code: `3302030010${k}0`, name: 'x', town_code: '330203001', town_name: '', unit_code: '330203', type: '居委会' }));
        const rows = [...base, { ...base[i], name: 'y' }];
        [rows[j], rows[6]] = [rows[6], rows[j]];
        expect(() => Roster.fromEntries(rows)).toThrow(`村社代码 ${base[i].code} 重复`);
      }),
    );
  });
  it('the shipped roster is read from its bytes (the fast path), to the same villages', () => {
    const fast = readPlainRoster(readFileSync(FILE));
    expect(fast).toBeDefined();
    expect([...fast!]).toEqual([...rowsAsBefore(TEXT)].sort((a, b) => (a.code < b.code ? -1 : 1)));
  });

  it('a U+FEFF past the file’s BOM is kept as papaparse keeps it: in a town name, or a second BOM before the header', () => {
    const [head, first, ...rest] = TEXT.split('\n');
    const f = first.split(',');
    const town = [f[0], f[1], f[2], `\uFEFF${f[3]}`, f[4], f[5]].join(',');
    const withTown = `${head}\n${town}\n${rest.join('\n')}`;
    const fast = readPlainRoster(new TextEncoder().encode(withTown));
    if (fast) expect([...fast]).toEqual([...rowsAsBefore(withTown)].sort((a, b) => (a.code < b.code ? -1 : 1)));
    expect(loadRoster(withRoster(withTown)).get(f[0])!.town_name).toBe(`\uFEFF${f[3]}`);
    // two BOMs: the second is part of the first header name, which the schema refuses
    const twice = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(`\uFEFF${TEXT}`)]);
    expect(readPlainRoster(twice)).toBeUndefined();
  });

  it('property: the byte reading gives the rows the schema accepts, or leaves the file to papaparse; never other rows', () => {
    const digits = (n: number) => fc.stringMatching(new RegExp(`^\\d{${n}}$`));
    const field = (good: fc.Arbitrary<string>) => fc.oneof({ weight: 8, arbitrary: good }, fc.constantFrom('', ' ', '１２３', '3302', '330203001001 ', '33020300100X', 'a,b', '"q"', 'x\r'), fc.string({ maxLength: 13 }));
    const row = fc.tuple(
      field(digits(12)),
      field(fc.oneof(fc.string({ minLength: 1, maxLength: 6 }), fc.constantFrom('多福巷社区居委会', '\u{20000}村', '\uFEFF村'))),
      field(digits(9)),
      fc.oneof(fc.constantFrom('东华门街道', '', '某镇'), fc.string({ maxLength: 6 })),
      field(fc.constantFrom('330203', '330211', '110101')),
      fc.oneof({ weight: 8, arbitrary: fc.constantFrom('居委会', '村委会') }, fc.constantFrom('社区', '', '村', '居委会 ')),
    );
    const head = 'code,name,town_code,town_name,unit_code,type';
    fc.assert(
      fc.property(fc.array(row, { maxLength: 12 }), fc.boolean(), fc.constantFrom('', '\n', '\n\n'), (rows, sorted, tail) => {
        if (sorted) rows = [...rows].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
        const text = `${head}\n${rows.map((r) => r.join(',')).join('\n')}${tail}`;
        const fast = readPlainRoster(new TextEncoder().encode(text));
        let before: RosterEntry[] | undefined;
        try {
          before = rowsAsBefore(text);
        } catch {
          before = undefined;
        }
        if (!before) {
          expect(fast).toBeUndefined();
          return;
        }
        const codes = before.map((r) => r.code);
        if (fast) expect([...fast]).toEqual(before);
        // plain, every row good and in strict code order: the bytes are read, not left to papaparse
        const plain = !/["\r\t|;\x1e\x1f]/.test(text) && rows.every((r) => r.every((f) => !f.includes(',') && !f.includes('\n')));
        if (plain && rows.length === before.length && codes.every((c, k) => k === 0 || codes[k - 1] < c) && !before.some((r) => r.name.startsWith('\uFEFF') && r === before![0]))
          expect(fast).toBeDefined();
      }),
      { numRuns: 3000 },
    );
  });

  it('a roster with quotes or CRLF (papaparse) and the plain one (split by hand) read the same', () => {
    const crlf = withRoster(TEXT.replace(/\n/g, '\r\n'));
    const quoted = withRoster(Papa.unparse(Papa.parse<string[]>(TEXT, { skipEmptyLines: 'greedy' }).data, { quotes: true }));
    const plain = [...loadRoster(DATA)];
    expect([...loadRoster(crlf)]).toEqual(plain);
    expect([...loadRoster(quoted)]).toEqual(plain);
    // what papaparse skips, the hand split skips: a BOM, a line of blank fields, before or among the rows
    const [head, ...body] = TEXT.split('\n');
    const skipped = withRoster(`\uFEFF,,,,,\n${head}\n ,  ,,,,\n${body.join('\n')}\n,,,,,\n`);
    expect([...loadRoster(skipped)]).toEqual(plain);
  });
});
