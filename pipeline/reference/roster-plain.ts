// The roster `make roster` writes, read from its bytes: a country's 620,000 villages without a string
// per field. Only names are decoded (all at once); codes are parsed from their digits, a town or unit
// is decoded only when it differs from the row before. Anything this reading is not certain of (a
// quote, a CR, another delimiter, a short or bad row, a row out of code order, a name that does not
// decode cleanly) returns undefined, and the loader reads the file as text, with its messages.
import { Roster } from './roster.ts';

const ROSTER_KEYS = ['code', 'name', 'town_code', 'town_name', 'unit_code', 'type'] as const;
/** Bytes that make a file other than plain: quote, CR, tab, |, ; and papaparse's record/unit separators. */
const NOT_PLAIN = [0x22, 0x0d, 0x09, 0x7c, 0x3b, 0x1e, 0x1f];
const COMMA = 0x2c;
const LF = 0x0a;
const utf8 = (s: string) => new TextEncoder().encode(s);
const TYPE_BYTES = [utf8('居委会'), utf8('村委会')]; // the Roster's type 0 and 1

/** The roster of a plain file's bytes, or undefined when the text reading must decide. */
export function readPlainRoster(buf: Uint8Array): Roster | undefined {
  let p = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  for (const b of NOT_PLAIN) if (buf.indexOf(b) >= 0) return undefined;
  const end = buf.length;
  let eol = buf.indexOf(LF, p);
  if (eol < 0) eol = end;
  // ignoreBOM: a U+FEFF the file holds past its first BOM is kept, as papaparse keeps it (a decoder
  // would drop it at the start of each field it decodes: a second BOM, a town named with one)
  const text = new TextDecoder('utf-8', { ignoreBOM: true });
  const header = text.decode(buf.subarray(p, eol)).split(',');
  if (header.length !== ROSTER_KEYS.length) return undefined;
  const order = ROSTER_KEYS.map((k) => header.indexOf(k));
  if (order.some((k) => k < 0)) return undefined;
  const [oCode, oName, oTown, oTownName, oUnit, oType] = order;
  p = eol + 1;

  // a good row is at least 38 bytes (12 + 1 + 9 + 6 + 9 + 5 commas, a newline): room for every row
  const lines = Math.floor((end - p) / 38) + 1;
  const codes = new Float64Array(lines);
  const town = new Int32Array(lines);
  const unit = new Int32Array(lines);
  const type = new Uint8Array(lines);
  const nameAt = new Uint32Array(lines * 2);
  const towns = new Map<string, number>();
  const townCodes: string[] = [];
  const townNames: string[] = [];
  const units = new Map<string, number>();
  const unitCodes: string[] = [];
  const fs = new Int32Array(7); // field k is the bytes from fs[k] up to (not with) fs[k + 1] - 1, its comma
  let lastTown = -1;
  let lastUnit = -1;
  const lt = new Int32Array(7); // the field starts of the row that named lastTown
  let n = 0;
  let nameBytes = 0;
  let prev = -1;

  while (p < end) {
    // one pass to the line's end, noting where its fields start
    // (no function is made per row: under tsx each would cost a __name call)
    let f = 0;
    let e = p;
    fs[0] = p;
    for (; e < end; e++) {
      const b = buf[e];
      if (b === LF) break;
      if (b === COMMA) {
        if (++f > 5) return undefined;
        fs[f] = e + 1;
      }
    }
    if (e === p) {
      p = e + 1;
      continue; // an empty line: papaparse skips it too
    }
    if (f !== 5) return undefined;
    fs[6] = e + 1;
    if (n === lines) return undefined;

    const code = digits(buf, fs[oCode], fs[oCode + 1] - 1, 12);
    if (code < 0 || code <= prev) return undefined; // bad, or out of order: the text reading sorts and names duplicates
    if (fs[oName + 1] - 1 <= fs[oName]) return undefined;
    if (digits(buf, fs[oTown], fs[oTown + 1] - 1, 9) < 0 || digits(buf, fs[oUnit], fs[oUnit + 1] - 1, 6) < 0) return undefined;
    const t = same(buf, fs[oType], fs[oType + 1] - 1, TYPE_BYTES[0], 0, TYPE_BYTES[0].length) ? 0 : same(buf, fs[oType], fs[oType + 1] - 1, TYPE_BYTES[1], 0, TYPE_BYTES[1].length) ? 1 : -1;
    if (t < 0) return undefined;

    if (lastTown < 0 || !same(buf, fs[oTown], fs[oTown + 1] - 1, buf, lt[oTown], lt[oTown + 1] - 1) || !same(buf, fs[oTownName], fs[oTownName + 1] - 1, buf, lt[oTownName], lt[oTownName + 1] - 1)) {
      const tc = latin1(buf, fs[oTown], fs[oTown + 1] - 1);
      const tn = text.decode(buf.subarray(fs[oTownName], fs[oTownName + 1] - 1));
      const key = `${tc}\t${tn}`;
      lastTown = towns.get(key) ?? -1;
      if (lastTown < 0) {
        towns.set(key, (lastTown = townCodes.length));
        townCodes.push(tc);
        townNames.push(tn);
      }
      lt.set(fs);
    }
    if (lastUnit < 0 || !same(buf, fs[oUnit], fs[oUnit + 1] - 1, utf8Of(unitCodes[lastUnit]), 0, 6)) {
      const uc = latin1(buf, fs[oUnit], fs[oUnit + 1] - 1);
      lastUnit = units.get(uc) ?? -1;
      if (lastUnit < 0) {
        units.set(uc, (lastUnit = unitCodes.length));
        unitCodes.push(uc);
      }
    }
    codes[n] = prev = code;
    town[n] = lastTown;
    unit[n] = lastUnit;
    type[n] = t;
    nameAt[2 * n] = fs[oName];
    nameAt[2 * n + 1] = fs[oName + 1] - 1;
    nameBytes += fs[oName + 1] - 1 - fs[oName];
    n++;
    p = e + 1;
  }

  // the names, copied into one buffer and decoded once; each name's length in UTF-16 units counted
  const all = new Uint8Array(nameBytes);
  const nameOffsets = new Uint32Array(n + 1);
  let at = 0;
  let units16 = 0;
  for (let i = 0; i < n; i++) {
    nameOffsets[i] = units16;
    for (let k = nameAt[2 * i], z = nameAt[2 * i + 1]; k < z; k++) {
      const b = buf[k];
      all[at++] = b;
      if ((b & 0xc0) !== 0x80) units16 += b >= 0xf0 ? 2 : 1;
    }
  }
  nameOffsets[n] = units16;
  const names = text.decode(all);
  if (names.length !== units16 || names.includes('\uFFFD')) return undefined; // not clean UTF-8: the text reading decides
  return new Roster(codes.slice(0, n), names, nameOffsets, town.slice(0, n), townCodes, townNames, unit.slice(0, n), unitCodes, type.slice(0, n));
}

const unitBytes = new Map<string, Uint8Array>();
function utf8Of(s: string): Uint8Array {
  let b = unitBytes.get(s);
  if (!b) unitBytes.set(s, (b = utf8(s)));
  return b;
}

/** The number the bytes [from, to) spell as exactly `len` ASCII digits, or -1. */
function digits(buf: Uint8Array, from: number, to: number, len: number): number {
  if (to - from !== len) return -1;
  let v = 0;
  for (let k = from; k < to; k++) {
    const d = buf[k] - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** Whether a[af, at) and b[bf, bt) hold the same bytes. */
function same(a: Uint8Array, af: number, at: number, b: Uint8Array, bf: number, bt: number): boolean {
  if (at - af !== bt - bf) return false;
  for (let k = 0; k < at - af; k++) if (a[af + k] !== b[bf + k]) return false;
  return true;
}

function latin1(buf: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let k = from; k < to; k++) s += String.fromCharCode(buf[k]);
  return s;
}
