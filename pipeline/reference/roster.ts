// The village roster (村社名录), columnar: a country's 620,573 villages without an object per village.
// Codes sorted as numbers (12 digits fit a double exactly), names in one string with offsets, towns,
// units and types interned; a village's RosterEntry is made when it is asked for. Counts per unit and
// each unit's villages in code order are built once, with the roster, not per period.
import type { RosterEntry } from '../../schemas/units.ts';

const TYPES: readonly RosterEntry['type'][] = ['居委会', '村委会'];

/** Whether a text is a village code as written: twelve ASCII digits (/^\d{12}$/, without a regular expression: asked twice per detail row). */
export function isVillageCode(code: string): boolean {
  if (code.length !== 12) return false;
  for (let k = 0; k < 12; k++) {
    const c = code.charCodeAt(k);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** One village as read, before the roster is built (the loader's and fromEntries' input). */
export interface RosterRow {
  code: string;
  name: string;
  town_code: string;
  town_name: string;
  unit_code: string;
  type: RosterEntry['type'];
}

/** A roster code met twice: the rows (0-based, as the loader numbers them) of both. */
export class DuplicateVillageCode extends Error {
  constructor(
    readonly code: string,
    readonly first: number,
    readonly second: number,
  ) {
    super(`村社代码 ${code} 重复 (duplicate village code)：第 ${first} 条与第 ${second} 条`);
    this.name = 'DuplicateVillageCode';
  }
}

/** Builds a Roster row by row; `build()` sorts by code and throws DuplicateVillageCode. */
export class RosterBuilder {
  private codes: number[] = [];
  private names: string[] = [];
  private town: number[] = [];
  private unit: number[] = [];
  private type: number[] = [];
  private readonly towns = new Map<string, number>();
  private readonly townCodes: string[] = [];
  private readonly townNames: string[] = [];
  private readonly units = new Map<string, number>();
  private readonly unitCodes: string[] = [];

  // rows come in code order, so a row's town and unit are mostly the last row's
  private lastTown = -1;
  private lastUnit = -1;

  add(r: RosterRow): void {
    let t = this.lastTown;
    if (t < 0 || this.townCodes[t] !== r.town_code || this.townNames[t] !== r.town_name) {
      const townKey = `${r.town_code}\t${r.town_name}`;
      t = this.towns.get(townKey) ?? -1;
      if (t < 0) {
        this.towns.set(townKey, (t = this.townCodes.length));
        this.townCodes.push(r.town_code);
        this.townNames.push(r.town_name);
      }
      this.lastTown = t;
    }
    let u = this.lastUnit;
    if (u < 0 || this.unitCodes[u] !== r.unit_code) {
      u = this.units.get(r.unit_code) ?? -1;
      if (u < 0) {
        this.units.set(r.unit_code, (u = this.unitCodes.length));
        this.unitCodes.push(r.unit_code);
      }
      this.lastUnit = u;
    }
    this.codes.push(Number(r.code));
    this.names.push(r.name);
    this.town.push(t);
    this.unit.push(u);
    this.type.push(r.type === '居委会' ? 0 : 1);
  }

  build(): Roster {
    const n = this.codes.length;
    const codes = this.codes;
    let order: Int32Array | undefined;
    for (let i = 1; i < n; i++)
      if (codes[i - 1] >= codes[i]) {
        order = Int32Array.from({ length: n }, (_, k) => k).sort((a, b) => codes[a] - codes[b] || a - b);
        break;
      }
    const at = (k: number) => (order ? order[k] : k);
    const sorted = new Float64Array(n);
    const town = new Int32Array(n);
    const unit = new Int32Array(n);
    const type = new Uint8Array(n);
    const nameOffsets = new Uint32Array(n + 1);
    const names: string[] = new Array(n);
    let len = 0;
    for (let k = 0; k < n; k++) {
      const i = at(k);
      if (k > 0 && codes[i] === sorted[k - 1]) throw new DuplicateVillageCode(codeText(codes[i]), at(k - 1), i);
      sorted[k] = codes[i];
      town[k] = this.town[i];
      unit[k] = this.unit[i];
      type[k] = this.type[i];
      names[k] = this.names[i];
      nameOffsets[k] = len;
      len += this.names[i].length;
    }
    nameOffsets[n] = len;
    const roster = new Roster(sorted, names.join(''), nameOffsets, town, this.townCodes, this.townNames, unit, this.unitCodes, type);
    this.codes = this.names = this.town = this.unit = this.type = [];
    return roster;
  }
}

function codeText(c: number): string {
  return String(c).padStart(12, '0');
}

export class Roster {
  /** per unit (index into unitCodes): where its villages start in `byUnit`, and how many */
  private readonly unitStart: Int32Array;
  private readonly unitCount: Int32Array;
  /** village indices grouped by unit, each unit's in code order */
  private readonly byUnit: Int32Array;
  private readonly unitIndex: Map<string, number>;

  /** @internal built by RosterBuilder */
  constructor(
    private readonly codes: Float64Array,
    private readonly names: string,
    private readonly nameOffsets: Uint32Array,
    private readonly town: Int32Array,
    private readonly townCodes: readonly string[],
    private readonly townNames: readonly string[],
    private readonly unit: Int32Array,
    private readonly unitCodes: readonly string[],
    private readonly type: Uint8Array,
  ) {
    const nU = unitCodes.length;
    this.unitCount = new Int32Array(nU);
    for (let i = 0; i < unit.length; i++) this.unitCount[unit[i]]++;
    this.unitStart = new Int32Array(nU);
    for (let u = 1; u < nU; u++) this.unitStart[u] = this.unitStart[u - 1] + this.unitCount[u - 1];
    const fill = this.unitStart.slice();
    this.byUnit = new Int32Array(unit.length);
    for (let i = 0; i < unit.length; i++) this.byUnit[fill[unit[i]]++] = i;
    this.unitIndex = new Map(unitCodes.map((c, u) => [c, u]));
  }

  /** A roster of these entries (the check page's, a test's). */
  static fromEntries(entries: Iterable<RosterRow>): Roster {
    const b = new RosterBuilder();
    for (const e of entries) b.add(e);
    return b.build();
  }

  /** The roster of a region that keeps none. */
  static empty(): Roster {
    return new RosterBuilder().build();
  }

  /** Number of villages. */
  get size(): number {
    return this.codes.length;
  }

  /** The village of a 12-digit code, made on demand; undefined when the roster has no such code. */
  get(code: string): RosterEntry | undefined {
    const i = this.index(code);
    return i < 0 ? undefined : this.entry(i);
  }

  /** The unit of a village code (no entry made: checked once per detail row); undefined when not listed. */
  unitOf(code: string): string | undefined {
    const i = this.index(code);
    return i < 0 ? undefined : this.unitCodes[this.unit[i]];
  }

  /** A village code's place in the roster (0 … size − 1), or −1 when not listed: a detail row asks once, then by place. */
  index(code: string): number {
    return isVillageCode(code) ? this.indexOf(Number(code)) : -1;
  }

  /** The unit of the village at place i (of index()). */
  unitAt(i: number): string {
    return this.unitCodes[this.unit[i]];
  }

  /** The type of the village at place i (of index()): 村委会 or 居委会. */
  typeAt(i: number): RosterEntry['type'] {
    return TYPES[this.type[i]];
  }

  /** Whether the roster lists the code. */
  has(code: string): boolean {
    return this.index(code) >= 0;
  }

  /** A unit's number of villages (0 for a unit the roster does not list). */
  count(unit: string): number {
    const u = this.unitIndex.get(unit);
    return u === undefined ? 0 : this.unitCount[u];
  }

  /** A unit's villages, in code order. */
  ofUnit(unit: string): RosterEntry[] {
    const u = this.unitIndex.get(unit);
    if (u === undefined) return [];
    const out: RosterEntry[] = new Array(this.unitCount[u]);
    for (let k = 0; k < out.length; k++) out[k] = this.entry(this.byUnit[this.unitStart[u] + k]);
    return out;
  }

  /** A unit's village codes, in code order (no entries made). */
  codesOfUnit(unit: string): string[] {
    const u = this.unitIndex.get(unit);
    if (u === undefined) return [];
    const out: string[] = new Array(this.unitCount[u]);
    for (let k = 0; k < out.length; k++) out[k] = codeText(this.codes[this.byUnit[this.unitStart[u] + k]]);
    return out;
  }

  /** The units the roster lists villages for, in the order first met. */
  units(): string[] {
    return [...this.unitCodes];
  }

  /** Every village in code order, each entry made as it is reached. */
  *[Symbol.iterator](): IterableIterator<RosterEntry> {
    for (let i = 0; i < this.codes.length; i++) yield this.entry(i);
  }

  private indexOf(c: number): number {
    const codes = this.codes;
    let lo = 0;
    let hi = codes.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = codes[mid];
      if (v === c) return mid;
      if (v < c) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  private entry(i: number): RosterEntry {
    const t = this.town[i];
    return {
      code: codeText(this.codes[i]),
      name: this.names.slice(this.nameOffsets[i], this.nameOffsets[i + 1]),
      town_code: this.townCodes[t],
      town_name: this.townNames[t],
      unit_code: this.unitCodes[this.unit[i]] as RosterEntry['unit_code'],
      type: TYPES[this.type[i]],
    };
  }
}
