// Valid .xlsx packages that exceljs misreads, rewritten before it sees them. Other generators than
// Excel (OpenXML SDK, .NET and WPS exports, hand-rolled writers) make packages the standard allows
// but exceljs does not expect:
//   - SpreadsheetML written with a namespace prefix (<x:worksheet xmlns:x="…/spreadsheetml/2006/main">):
//     exceljs matches element names as written, so it finds no worksheet (exceljs issue #1437);
//   - a worksheet part not named xl/worksheets/sheetN.xml (exceljs only parses names of that form);
//   - xl/SharedStrings.xml or xl/Styles.xml (exceljs wants exactly xl/sharedStrings.xml, xl/styles.xml;
//     part names are case-insensitive in OPC);
//   - <row> and <c> without r="…" (optional: a row follows the previous one, a cell the previous cell).
// Detection is cheap and rides on the inflate zip-guard does anyway: the first 4 KiB of every part
// (prefix) and the worksheet text (a <row>/<c> without r). Only then are the affected parts inflated,
// rewritten and the package zipped again: untouched parts are copied compressed as they are, rewritten
// ones stored. Browser-safe (pako, Uint8Array, TextEncoder/TextDecoder): the check page bundles it.
import pako from 'pako';
import { DEFAULT_ZIP_LIMITS, type EntryScanner, type ZipEntry, type ZipLimits, type ZipStats, entryDataStart, verifyEntries, zipBombReason, zipStats } from './zip-guard.ts';
import { type ZipWriteEntry, writeZip } from './zip-write.ts';

/** namespaces whose prefix exceljs cannot read: SpreadsheetML, and the package relationships */
const NS_PREFIX = /xmlns:([A-Za-z_][\w.-]*)\s*=\s*(["'])(http:\/\/schemas\.openxmlformats\.org\/(?:spreadsheetml\/2006\/main|package\/2006\/relationships))\2/g;
// A <c> / <row> whose first attribute is not r (or that has none). Writers put r first (Excel always
// does); one that puts it later only costs a rewrite that changes nothing. No attribute of <c> or <row>
// but r starts with "r". The character after the space is required: a chunk may end inside the tag
// (zip-guard passes the tag again, whole, with the next chunk). Unprefixed names only: a prefixed
// sheet is rewritten anyway. Two literal-led patterns: ~20 ms more on a 60 MB sheet.
const CELL_NO_R = /<c(?:[>/]|\s+[^\sr])/;
const ROW_NO_R = /<row(?:[>/]|\s+[^\sr])/;
const EXCEL_MAX_ROW = 1_048_576;
const EXCEL_MAX_COL = 16_384;

/** What the scan saw, by entry name. */
export interface XlsxHints {
  prefixed: Set<string>;
  unnumbered: Set<string>;
  /** xl/_rels/workbook.xml.rels as text, when the scan saw all of it (so planning inflates nothing) */
  workbookRels?: string;
  /** worksheets with a data validation or conditional format over more than RANGE_BOUND cells */
  wideRanges: Set<string>;
  /** filled by normalizeXlsx: what was dropped rather than handed to exceljs (a finding each) */
  dropped: { sheet?: string; what: string }[];
}

// Ranges exceljs expands cell by cell when it loads a workbook: each data validation's sqref (one
// entry per cell), each defined name (one per cell; print areas and titles are not expanded).
// A sheet-wide validation (A1:XFD1048576, 17 billion cells) hangs it; a template's five columns
// of 1,048,576 rows take 5 s to read and 27 s to write back. Such ranges are bounded first: a
// validation or conditional format is clipped to the sheet's used range (beyond it there are no
// values to check), a defined name over more than RANGE_BOUND cells is dropped (banbao reads no
// names), and what is dropped becomes a finding (file.range_dropped).
export const RANGE_BOUND = 100_000;
/** clipped ranges of one sheet together may still cover at most this many cells */
const RANGE_CAP = 1_000_000;
const SQREF_TAG = /<(?:[A-Za-z_][\w.-]*:)?(?:dataValidation|conditionalFormatting)\s[^>]*?\bsqref\s*=\s*(["'])([^"']*)\1/g;
const AREA_REF = /\$?([A-Za-z]{1,3})\$?(\d+)(?::\$?([A-Za-z]{1,3})\$?(\d+))?/g;

/** The cells a list of A1 ranges covers (whole rows / columns are not expanded by exceljs: 0). */
function areaOf(refs: string): number {
  let n = 0;
  for (const m of refs.matchAll(AREA_REF)) {
    const rows = Math.abs(Number(m[4] ?? m[2]) - Number(m[2])) + 1;
    const cols = Math.abs(colNumber(m[3] ?? m[1]) - colNumber(m[1])) + 1;
    n += rows * cols;
  }
  return n;
}

/** A scanner for verifyEntries, and the hints it fills. */
export function xlsxScanner(): { scan: EntryScanner; hints: XlsxHints } {
  const hints: XlsxHints = { prefixed: new Set(), unnumbered: new Set(), wideRanges: new Set(), dropped: [] };
  const scan: EntryScanner = {
    head(e, text, whole) {
      for (const m of text.matchAll(NS_PREFIX)) if (text.includes(`<${m[1]}:`)) hints.prefixed.add(e.name);
      if (whole && e.name === 'xl/_rels/workbook.xml.rels') hints.workbookRels = text;
    },
    sheet(e, text) {
      if (!hints.unnumbered.has(e.name) && (CELL_NO_R.test(text) || ROW_NO_R.test(text))) hints.unnumbered.add(e.name);
      if (!hints.wideRanges.has(e.name) && text.includes('sqref')) for (const m of text.matchAll(SQREF_TAG)) if (areaOf(m[2]) > RANGE_BOUND) hints.wideRanges.add(e.name);
    },
  };
  return { scan, hints };
}

/** Why a package cannot be normalised: 'corrupt' (the file is broken) or 'limit' (it would grow past the limits). */
export class NormalizeError extends Error {
  constructor(
    readonly kind: 'corrupt' | 'limit',
    message: string,
  ) {
    super(message);
  }
}

// ── paths inside the package ────────────────────────────────────────────────────────────────────

const dirOf = (part: string) => part.slice(0, part.lastIndexOf('/') + 1);
const baseOf = (part: string) => part.slice(part.lastIndexOf('/') + 1);
const relsOf = (part: string) => `${dirOf(part)}_rels/${baseOf(part)}.rels`;

/** The part a .rels entry describes ('' for the package's own _rels/.rels), or undefined. */
function sourceOf(rels: string): string | undefined {
  const m = /^(.*?)_rels\/([^/]*)\.rels$/.exec(rels);
  return m ? m[1] + m[2] : undefined;
}

/** A relationship target resolved against its source's folder ('xl/'): a part name without leading slash. */
function resolveTarget(dir: string, target: string): string {
  const t = target.trim().replace(/[?#].*$/, '');
  const out: string[] = [];
  for (const s of (t.startsWith('/') ? t.slice(1) : dir + t).split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') out.pop();
    else out.push(s);
  }
  return out.join('/');
}

/** `to` relative to folder `dir`. */
function relativeTarget(dir: string, to: string): string {
  const a = dir.split('/').filter(Boolean);
  const b = to.split('/');
  let i = 0;
  while (i < a.length && i < b.length - 1 && a[i] === b[i]) i++;
  return [...Array<string>(a.length - i).fill('..'), ...b.slice(i)].join('/');
}

const unescapeXml = (s: string) =>
  s.replace(/&(?:#x([0-9a-fA-F]+)|#(\d+)|(amp|lt|gt|quot|apos));/g, (_, hex, dec, named) =>
    hex ? String.fromCodePoint(parseInt(hex, 16)) : dec ? String.fromCodePoint(+dec) : ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[named],
  );
const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

const ATTR = /([A-Za-z_][\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
function attrsOf(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of tag.matchAll(ATTR)) out.set(m[1], unescapeXml(m[2] ?? m[3]));
  return out;
}

const RELATIONSHIP = /<(?:[A-Za-z_][\w.-]*:)?Relationship\s[^>]*>/g;
const PART_NAME = /(<(?:[A-Za-z_][\w.-]*:)?Override\s[^>]*?\bPartName\s*=\s*)(["'])([^"']*)\2/g;

// ── the package ─────────────────────────────────────────────────────────────────────────────────

class Package {
  readonly byName = new Map<string, ZipEntry>();
  readonly byLower = new Map<string, ZipEntry>();
  constructor(
    readonly bytes: Uint8Array,
    readonly list: ZipEntry[],
  ) {
    // a name given twice: the last one wins, as in JSZip
    for (const e of list) this.byName.set(e.name, e), this.byLower.set(e.name.toLowerCase(), e);
  }

  /** An entry by part name: exact, then ignoring case (OPC part names are case-insensitive), then percent-decoded. */
  find(name: string): ZipEntry | undefined {
    const hit = this.byName.get(name) ?? this.byLower.get(name.toLowerCase());
    if (hit || !name.includes('%')) return hit;
    try {
      return this.find(decodeURIComponent(name));
    } catch {
      return undefined;
    }
  }

  /** An entry's bytes, inflated; its size must be the one the directory declares (JSZip checks it too). */
  read(e: ZipEntry): Uint8Array {
    const start = entryDataStart(this.bytes, e);
    if (start === undefined || start + e.compressed > this.bytes.length) throw new NormalizeError('corrupt', `压缩包内“${e.name}”不完整`);
    const data = this.bytes.subarray(start, start + e.compressed);
    let out: Uint8Array | undefined;
    if (e.method === 0) out = data;
    else if (e.method === 8) {
      try {
        out = pako.inflateRaw(data);
      } catch {
        out = undefined;
      }
    }
    if (!out || out.length !== e.uncompressed) throw new NormalizeError('corrupt', `压缩包内“${e.name}”无法解压`);
    return out;
  }

  text(e: ZipEntry): string {
    return new TextDecoder('utf-8').decode(this.read(e));
  }

  /** The entry's compressed bytes as they are, to copy under the same or another name. */
  copy(e: ZipEntry, name: string): ZipWriteEntry {
    const start = entryDataStart(this.bytes, e)!;
    if (start + e.compressed > this.bytes.length) throw new NormalizeError('corrupt', `压缩包内“${e.name}”不完整`);
    return { name, raw: this.bytes.subarray(start, start + e.compressed), method: e.method as 0 | 8, crc: e.crc, declaredSize: e.uncompressed };
  }
}

interface Rel {
  id: string;
  type: string;
  target: string;
  external: boolean;
}

function relsIn(xml: string): Rel[] {
  return [...xml.matchAll(RELATIONSHIP)].map((m) => {
    const a = attrsOf(m[0]);
    return { id: a.get('Id') ?? '', type: a.get('Type') ?? '', target: a.get('Target') ?? '', external: (a.get('TargetMode') ?? '').toLowerCase() === 'external' };
  });
}

/** Where exceljs looks for a worksheet a workbook relationship points at (its reconcile, verbatim). */
const exceljsSheetKey = (target: string) => `xl/${target.replace(/^(\s|\/xl\/)+/, '')}`;
const SHEET_NAME = /^xl\/worksheets\/sheet(\d+)\.xml$/;

/**
 * The package rewritten so exceljs reads it as Excel would, or undefined when it needs nothing.
 * `stats` and `hints` come from zip-guard's pass over the same bytes (which must have passed it).
 * Throws NormalizeError.
 */
export function normalizeXlsx(bytes: Uint8Array, stats: ZipStats, hints: XlsxHints, limits: ZipLimits): Uint8Array | undefined {
  // an encrypted entry: exceljs refuses it as it is; a rewrite must not hide that
  if (stats.list.some((e) => e.flags & 1 || (e.method !== 0 && e.method !== 8))) return undefined;
  const pkg = new Package(bytes, stats.list);
  const rename = new Map<string, string>(); // entry name → new name
  const taken = new Set(stats.list.map((e) => e.name.toLowerCase()));
  const targetOverride = new Map<string, Map<string, string>>(); // rels entry → Id → new target
  const content = new Set<string>(hints.prefixed); // entries whose XML is rewritten
  for (const n of hints.unnumbered) content.add(n);
  for (const n of hints.wideRanges) content.add(n);
  // defined names over more cells than RANGE_BOUND (the workbook part is small: read it whole)
  const workbookPart = stats.list.find((e) => e.name === 'xl/workbook.xml') ?? stats.list.find((e) => /(^|\/)workbook\.xml$/i.test(e.name));
  let workbookText: string | undefined;
  if (workbookPart && workbookPart.uncompressed < 16 << 20 && !(workbookPart.flags & 1)) {
    const text = pkg.text(workbookPart);
    const trimmed = dropWideNames(text, hints.dropped);
    if (trimmed !== text) (workbookText = trimmed), content.add(workbookPart.name);
  }

  const moveTo = (e: ZipEntry, to: string) => {
    rename.set(e.name, to);
    taken.add(to.toLowerCase());
    const rels = pkg.byName.get(relsOf(e.name)) ?? pkg.byLower.get(relsOf(e.name).toLowerCase());
    if (rels) rename.set(rels.name, relsOf(to)), taken.add(relsOf(to).toLowerCase());
  };
  const isFree = (name: string, self: ZipEntry) => {
    const own = [self.name.toLowerCase(), relsOf(self.name).toLowerCase()];
    return [name, relsOf(name)].every((n) => !taken.has(n.toLowerCase()) || own.includes(n.toLowerCase()));
  };

  const wbRelsEntry = pkg.byName.get('xl/_rels/workbook.xml.rels');
  const wbRels = wbRelsEntry ? relsIn(prefixFree(hints.workbookRels ?? pkg.text(wbRelsEntry))) : [];
  // worksheets: each must sit at xl/worksheets/sheetN.xml, and its relationship must lead exceljs there
  const sheetNos = new Set<string>();
  for (const rel of wbRels.filter((r) => !r.external && /\/worksheet$/.test(r.type))) {
    const e = pkg.find(resolveTarget('xl/', rel.target));
    if (!e || rename.has(e.name)) continue;
    const m = SHEET_NAME.exec(e.name);
    let name = e.name;
    if (!m || sheetNos.has(m[1])) {
      let k = 1;
      while (!isFree(`xl/worksheets/sheet${k}.xml`, e) || sheetNos.has(String(k))) k++;
      name = `xl/worksheets/sheet${k}.xml`;
      moveTo(e, name);
      // not under xl/worksheets/, so not scanned for rows and cells without r: rewrite to be sure
      if (!/^xl\/worksheets\/[^/]+\.xml$/i.test(e.name)) content.add(e.name);
    }
    sheetNos.add(SHEET_NAME.exec(name)![1]);
    if (exceljsSheetKey(rel.target) !== name) {
      if (!targetOverride.has(wbRelsEntry!.name)) targetOverride.set(wbRelsEntry!.name, new Map());
      targetOverride.get(wbRelsEntry!.name)!.set(rel.id, name.slice('xl/'.length));
    }
  }
  // shared strings and styles: exceljs reads them by these exact names only
  for (const [type, fixed] of [
    ['sharedStrings', 'xl/sharedStrings.xml'],
    ['styles', 'xl/styles.xml'],
  ] as const) {
    const rel = wbRels.find((r) => !r.external && r.type.endsWith(`/${type}`));
    const e = rel ? pkg.find(resolveTarget('xl/', rel.target)) : pkg.byLower.get(fixed.toLowerCase());
    if (!e || e.name === fixed || rename.has(e.name)) continue;
    const other = pkg.byName.get(fixed);
    if (other && other !== e) {
      // a stray part already has the name: the relationship says which one is meant
      let n = 1;
      while (taken.has(`xl/${type}-unused${n}.xml`.toLowerCase())) n++;
      moveTo(other, `xl/${type}-unused${n}.xml`);
    }
    moveTo(e, fixed);
  }

  if (rename.size === 0 && content.size === 0 && targetOverride.size === 0) return undefined;

  // every relationship whose target moved (or whose source moved to another folder) is rewritten
  const newData = new Map<string, Uint8Array>();
  const enc = new TextEncoder();
  if (rename.size || targetOverride.size) {
    const renamedLower = new Map([...rename].map(([from, to]) => [from.toLowerCase(), to]));
    for (const e of stats.list) {
      const src = sourceOf(e.name);
      if (src === undefined || !/\.rels$/.test(e.name)) continue;
      const newSrc = src === '' ? '' : (rename.get(pkg.find(src)?.name ?? src) ?? src);
      const dir = dirOf(src);
      const newDir = dirOf(newSrc);
      const overrides = targetOverride.get(e.name);
      if (!overrides && !rename.size) continue;
      let xml = pkg.text(e);
      if (hints.prefixed.has(e.name)) xml = prefixFree(xml);
      let changed = false;
      xml = xml.replace(RELATIONSHIP, (tag) => {
        const a = attrsOf(tag);
        const target = a.get('Target');
        if (target === undefined || (a.get('TargetMode') ?? '').toLowerCase() === 'external') return tag;
        let next = overrides?.get(a.get('Id') ?? '');
        if (next === undefined) {
          const resolved = resolveTarget(dir, target);
          const actual = pkg.find(resolved)?.name ?? resolved;
          const moved = renamedLower.get(actual.toLowerCase());
          if (moved === undefined && newDir === dir) return tag;
          const to = moved ?? actual;
          next = target.trim().startsWith('/') ? `/${to}` : relativeTarget(newDir, to);
        }
        if (next === target) return tag;
        changed = true;
        return tag.replace(/(\bTarget\s*=\s*)(["'])[^"']*\2/, (_, pre) => `${pre}"${escapeXml(next!)}"`);
      });
      if (changed) newData.set(e.name, enc.encode(xml));
    }
    const types = pkg.byName.get('[Content_Types].xml');
    if (types && rename.size) {
      let changed = false;
      const xml = pkg.text(types).replace(PART_NAME, (whole, pre, _q, value: string) => {
        const part = resolveTarget('', unescapeXml(value));
        const moved = renamedLower.get((pkg.find(part)?.name ?? part).toLowerCase());
        if (moved === undefined) return whole;
        changed = true;
        return `${pre}"/${escapeXml(moved)}"`;
      });
      if (changed) newData.set(types.name, enc.encode(xml));
    }
  }
  // what is added (r= on every cell) counts against the same limit as what was there
  const tooBig = () => new NormalizeError('limit', `解压后超过上限 ${Math.round(limits.maxUncompressed / 1048576)} MB`);
  let total = stats.list.reduce((n, e) => n + e.uncompressed, 0);
  for (const name of content) {
    const e = pkg.byName.get(name);
    if (!e) continue;
    const before = newData.get(name) ?? pkg.read(e);
    let out: Uint8Array;
    try {
      const text = e === workbookPart && workbookText !== undefined && !newData.has(name) ? workbookText : new TextDecoder('utf-8').decode(before);
      out = rewriteXml(text, limits.maxUncompressed - total + before.length, hints.wideRanges.has(name) ? { dropped: hints.dropped, sheet: sheetNameOf(name) } : undefined);
    } catch (err) {
      throw err instanceof NormalizeError && err.kind === 'limit' ? tooBig() : err;
    }
    total += out.length - before.length;
    if (total > limits.maxUncompressed) throw tooBig();
    newData.set(name, out);
  }

  const entries: ZipWriteEntry[] = stats.list.map((e) => {
    const name = rename.get(e.name) ?? e.name;
    const data = newData.get(e.name);
    return data ? { name, data, method: 0 } : pkg.copy(e, name);
  });
  return writeZip(entries);
}

/** The defined names of a workbook part without those over more than RANGE_BOUND cells (print areas and titles kept). */
function dropWideNames(xml: string, dropped: XlsxHints['dropped']): string {
  return xml.replace(/<((?:[A-Za-z_][\w.-]*:)?)definedName\b([^>]*)>([^<]*)<\/\1definedName>/g, (whole, _p, attrs: string, body: string) => {
    const name = attrsOf(attrs).get('name') ?? '';
    if (/^_xlnm\.Print_(?:Area|Titles)$/i.test(name) || areaOf(unescapeXml(body)) <= RANGE_BOUND) return whole;
    dropped.push({ what: `名称“${name}”（${unescapeXml(body).slice(0, 80)}）` });
    return '';
  });
}

/** Dropped ranges are told by the part's name (the sheet's shown name is in workbook.xml: not needed for the message). */
const sheetNameOf = (part: string) => baseOf(part).replace(/\.xml$/i, '');

/**
 * The bytes to hand exceljs for a workbook ingest has already read (the annotated copy loads it
 * again): normalised when needed, else the original — also when a guard objects, so exceljs fails
 * on it as before.
 */
export function packageForExceljs(bytes: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Uint8Array {
  try {
    const stats = zipStats(bytes);
    if ('error' in stats || zipBombReason(stats, limits)) return bytes;
    const { scan, hints } = xlsxScanner();
    if (verifyEntries(bytes, stats, limits, scan)) return bytes;
    const out = normalizeXlsx(bytes, stats, hints, limits);
    if (!out) return bytes;
    const again = zipStats(out);
    return 'error' in again || zipBombReason(again, limits) || verifyEntries(out, again, limits) ? bytes : out;
  } catch {
    return bytes;
  }
}

// ── XML rewriting ───────────────────────────────────────────────────────────────────────────────

/** The prefixes bound to the namespaces exceljs reads unprefixed. */
function prefixesIn(xml: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of xml.matchAll(NS_PREFIX)) out.set(m[1], m[3]);
  return out;
}

/** Only the prefixes gone (for reading relationships). */
function prefixFree(xml: string): string {
  return prefixesIn(xml).size ? new TextDecoder().decode(rewriteXml(xml, Infinity)) : xml;
}

const colLetters = (n: number) => {
  let s = '';
  for (; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
};
const colNumber = (letters: string) => [...letters.toUpperCase()].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
/** a tag's rest up to its '>' outside quotes ("unrolled loop": linear, no nested quantifier) */
const TAG_END = /[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>/y;
const QUOTE_OR_GT = /["'>]/g;

/** The index of the first '>' from `from` on that is outside quotes, or -1. */
function tagEnd(xml: string, from: number): number {
  TAG_END.lastIndex = from;
  try {
    return TAG_END.test(xml) ? TAG_END.lastIndex - 1 : -1;
  } catch {
    // a "tag" of millions of quoted attributes overflows the regex's backtrack stack: step through it
  }
  QUOTE_OR_GT.lastIndex = from;
  for (let m = QUOTE_OR_GT.exec(xml); m; m = QUOTE_OR_GT.exec(xml)) {
    if (m[0] === '>') return m.index;
    const close = xml.indexOf(m[0], m.index + 1);
    if (close < 0) return -1;
    QUOTE_OR_GT.lastIndex = close + 1;
  }
  return -1;
}
const R_ATTR = /\sr\s*=\s*(?:"([^"]*)"|'([^']*)')/;
const CELL_REF = /^\$?([A-Za-z]{1,3})\$?(\d+)$/;
const FIRST_CELL = /\s*<(?:[A-Za-z_][\w.-]*:)?c(\s[^>]*)?>/y;

/** Collects output text and turns it into UTF-8 in slices (a sheet may be larger than one string can be). */
class Out {
  private text = '';
  private chunks: Uint8Array[] = [];
  bytes = 0;
  private readonly enc = new TextEncoder();
  constructor(private readonly max: number) {}
  push(s: string) {
    this.text += s;
    if (this.text.length > 4 << 20) this.flush();
  }
  private flush() {
    const b = this.enc.encode(this.text);
    this.text = '';
    this.chunks.push(b);
    this.bytes += b.length;
    if (this.bytes > this.max) throw new NormalizeError('limit', `改写后超过 ${this.max} 字节`);
  }
  done(): Uint8Array {
    this.flush();
    if (this.chunks.length === 1) return this.chunks[0];
    const out = new Uint8Array(this.bytes);
    let p = 0;
    for (const c of this.chunks) out.set(c, p), (p += c.length);
    return out;
  }
}

/**
 * One pass over the tags (comments, CDATA, processing instructions and text left as they are):
 * SpreadsheetML / relationships prefixes dropped from element names (the root then declares the
 * namespace as default), and inside <sheetData> every <row> and <c> given the r= Excel would show:
 * a row without r follows the previous row (or takes the row its first cell's r names), a cell
 * without r follows the previous cell of its row. Existing r attributes are kept.
 */
export function rewriteXml(xml: string, maxBytes: number, bound?: { dropped: XlsxHints['dropped']; sheet: string }): Uint8Array {
  const prefixes = prefixesIn(xml);
  let maxRow = 0; // the used range, as far as the rows seen so far reach (sheetData comes first)
  let maxCol = 0;
  let budget = RANGE_CAP;
  const out = new Out(maxBytes);
  const len = xml.length;
  let i = 0; // copied up to here
  let p = 0; // scanning from here
  let root = true;
  let inSheetData = false;
  let inRow = false;
  let row = 0;
  let col = 0;
  while (p < len) {
    const lt = xml.indexOf('<', p);
    if (lt < 0) break;
    const next = xml.charCodeAt(lt + 1);
    if (next === 0x21 /* ! */ || next === 0x3f /* ? */) {
      const close = xml.startsWith('<!--', lt) ? '-->' : xml.startsWith('<![CDATA[', lt) ? ']]>' : next === 0x3f ? '?>' : '>';
      const e = xml.indexOf(close, lt + 2);
      p = e < 0 ? len : e + close.length;
      continue;
    }
    // the tag's end: the first '>' outside quotes
    const j = tagEnd(xml, lt + 1);
    if (j < 0) break; // unterminated: left as it is for the parser to refuse
    p = j + 1;
    const closing = next === 0x2f; /* / */
    const nameStart = closing ? lt + 2 : lt + 1;
    let nameEnd = nameStart;
    for (let ch = xml.charCodeAt(nameEnd); nameEnd < j && ch !== 0x20 && ch !== 0x2f && ch !== 0x0a && ch !== 0x09 && ch !== 0x0d; ch = xml.charCodeAt(++nameEnd));
    const qname = xml.slice(nameStart, nameEnd);
    const colon = qname.indexOf(':');
    const prefixed = colon > 0 && prefixes.has(qname.slice(0, colon));
    const local = prefixed ? qname.slice(colon + 1) : qname;
    const selfClosing = xml.charCodeAt(j - 1) === 0x2f;
    let insert = '';
    if (!closing) {
      if (root) {
        root = false;
        if (prefixed && !/\sxmlns\s*=/.test(xml.slice(nameEnd, j))) insert += ` xmlns="${prefixes.get(qname.slice(0, colon))}"`;
      }
      if (local === 'sheetData') inSheetData = !selfClosing;
      else if (inSheetData && local === 'row') {
        const r = attrOf(xml, nameEnd, j, 'r');
        if (r !== undefined) row = /^\d+$/.test(r.trim()) ? parseInt(r, 10) : row + 1;
        else {
          row = (selfClosing ? undefined : firstCellRow(xml, p)) ?? row + 1;
          if (row > EXCEL_MAX_ROW) throw new NormalizeError('corrupt', `工作表的行超过 ${EXCEL_MAX_ROW} 行`);
          insert += ` r="${row}"`;
        }
        col = 0;
        if (row > maxRow) maxRow = row;
        inRow = !selfClosing;
      } else if (inRow && local === 'c') {
        const r = attrOf(xml, nameEnd, j, 'r');
        const m = r === undefined ? null : CELL_REF.exec(r);
        if (m) col = colNumber(m[1]);
        else if (r === undefined) {
          col++;
          if (col > EXCEL_MAX_COL) throw new NormalizeError('corrupt', `第 ${row} 行的单元格超过 ${EXCEL_MAX_COL} 列`);
          insert += ` r="${colLetters(col)}${row}"`;
        } else col++;
        if (col > maxCol) maxCol = col;
      }
    } else if (local === 'sheetData') inSheetData = false;
    else if (local === 'row') inRow = false;
    let sqref: { from: number; to: number; value: string } | undefined;
    if (bound && !closing && (local === 'dataValidation' || local === 'conditionalFormatting')) {
      const m = SQREF_ATTR.exec(xml.slice(nameEnd, j));
      if (m) {
        const from = nameEnd + m.index + m[0].length - m[2].length - 1;
        const clipped = clipRefs(m[2], maxRow, maxCol);
        budget -= clipped.area;
        if (budget < 0) bound.dropped.push({ sheet: bound.sheet, what: `${local === 'dataValidation' ? '数据验证' : '条件格式'}范围 ${m[2].slice(0, 80)}` });
        const value = budget < 0 ? clipped.first : clipped.refs;
        if (value !== m[2]) sqref = { from, to: from + m[2].length, value };
      }
    }
    if (!prefixed && !insert && !sqref) continue;
    out.push(prefixed ? xml.slice(i, nameStart) + local + insert : xml.slice(i, nameEnd) + insert);
    i = nameEnd;
    if (sqref) {
      out.push(xml.slice(i, sqref.from) + sqref.value);
      i = sqref.to;
    }
  }
  out.push(xml.slice(i));
  return out.done();
}

const SQREF_ATTR = /\ssqref\s*=\s*(["'])([^"']*)\1/;

/**
 * A space-separated list of A1 ranges clipped to rows 1..maxRow and columns 1..maxCol; a range
 * wholly outside keeps only its first cell (a validation with no cells would be another reading).
 */
function clipRefs(refs: string, maxRow: number, maxCol: number): { refs: string; area: number; first: string } {
  const outRefs: string[] = [];
  let area = 0;
  let first = '';
  for (const ref of refs.trim().split(/\s+/)) {
    const m = /^\$?([A-Za-z]{1,3})\$?(\d+)(?::\$?([A-Za-z]{1,3})\$?(\d+))?$/.exec(ref);
    if (!m) {
      outRefs.push(ref);
      continue;
    }
    const top = Math.min(+m[2], +(m[4] ?? m[2]));
    const bottom = Math.max(+m[2], +(m[4] ?? m[2]));
    const left = Math.min(colNumber(m[1]), colNumber(m[3] ?? m[1]));
    const right = Math.max(colNumber(m[1]), colNumber(m[3] ?? m[1]));
    first ||= `${colLetters(left)}${top}`;
    const b = Math.min(bottom, Math.max(maxRow, top));
    const r = Math.min(right, Math.max(maxCol, left));
    const clipped = top > maxRow || left > maxCol ? `${colLetters(left)}${top}` : b === top && r === left ? `${colLetters(left)}${top}` : `${colLetters(left)}${top}:${colLetters(r)}${b}`;
    // an unclipped range keeps its text as written
    outRefs.push(b === bottom && r === right ? ref : clipped);
    area += top > maxRow || left > maxCol ? 1 : (b - top + 1) * (r - left + 1);
  }
  return { refs: outRefs.join(' '), area, first: first || refs };
}

/** The value of attribute `name` in the tag text between `from` and `to`, or undefined. */
function attrOf(xml: string, from: number, to: number, name: 'r'): string | undefined {
  const m = R_ATTR.exec(xml.slice(from, to));
  return m ? (m[1] ?? m[2]) : undefined;
}

/** The row number in the r= of the row's first cell (the tag right after `from`), or undefined. */
function firstCellRow(xml: string, from: number): number | undefined {
  FIRST_CELL.lastIndex = from;
  const attrs = FIRST_CELL.exec(xml)?.[1];
  const r = attrs ? R_ATTR.exec(attrs) : null;
  const ref = r ? CELL_REF.exec(r[1] ?? r[2]) : null;
  return ref ? parseInt(ref[2], 10) : undefined;
}
