// Refuses zip bombs and merge bombs before exceljs expands an .xlsx. First the central directory
// (nothing inflated): too many entries, too much declared data, an absurd ratio. Then each entry is
// inflated with a counter that stops at its declared size (headers can lie), and worksheet XML is
// scanned for merged ranges exceljs would expand cell by cell. pako (JSZip's own inflater) works in
// Node and in the browser page alike.
import pako from 'pako';

export interface ZipEntry {
  name: string;
  method: number;
  /** general purpose bit flags (bit 0: encrypted) */
  flags: number;
  crc: number;
  compressed: number;
  uncompressed: number;
  localOffset: number;
}

export interface ZipStats {
  entries: number;
  compressed: number;
  uncompressed: number;
  names: string[];
  list: ZipEntry[];
  /** cells in all worksheets (every <c>, with or without a value), set by verifyEntries */
  cells?: number;
}

export interface ZipLimits {
  maxEntries: number;
  maxUncompressed: number;
  maxRatio: number;
  /** merged ranges per worksheet, and the furthest row / column a merged range may reach */
  maxMerges: number;
  maxMergeRow: number;
  maxMergeCol: number;
  /**
   * cells in all worksheets together. exceljs holds a whole workbook as objects: measured peak RSS
   * of `banbao validate` ≈ 0.8 KB per cell plus ~130 MB (200k cells 567 MB with the annotated copy,
   * 1M cells 1.6 GB); 500k keeps a file inside every limit under ~1 GB (test/robustness/round2.test.ts).
   */
  maxCells: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 10_000,
  // exceljs holds the XML it parses: 232 MB of text in 500k cells peaks at ~0.7 GB (round2.test.ts)
  maxUncompressed: 256 * 1024 * 1024,
  maxRatio: 200,
  maxMerges: 5_000,
  maxMergeRow: 1_000_000,
  maxMergeCol: 500,
  maxCells: 500_000,
};

/** The central directory's totals, or a reason the archive is not a readable zip. */
export function zipStats(bytes: Uint8Array): ZipStats | { error: string } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // End of central directory: signature 0x06054b50 within the last 64 KiB + 22 bytes
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 65_557); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return { error: '找不到 zip 目录（文件不完整）' };
  let entries = view.getUint16(eocd + 10, true);
  let cdSize = view.getUint32(eocd + 12, true);
  let cdOffset = view.getUint32(eocd + 16, true);
  // ZIP64: the locator sits just before the EOCD
  if ((entries === 0xffff || cdOffset === 0xffffffff) && eocd >= 20 && view.getUint32(eocd - 20, true) === 0x07064b50) {
    const z64 = Number(view.getBigUint64(eocd - 12, true));
    if (z64 + 56 > bytes.length || view.getUint32(z64, true) !== 0x06064b50) return { error: 'zip64 目录损坏' };
    entries = Number(view.getBigUint64(z64 + 32, true));
    cdSize = Number(view.getBigUint64(z64 + 40, true));
    cdOffset = Number(view.getBigUint64(z64 + 48, true));
  }
  if (cdOffset + cdSize > bytes.length) return { error: 'zip 目录超出文件末尾（文件不完整）' };
  let p = cdOffset;
  let compressed = 0;
  let uncompressed = 0;
  const names: string[] = [];
  const list: ZipEntry[] = [];
  const dec = new TextDecoder('utf-8');
  for (let n = 0; n < entries; n++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== 0x02014b50) return { error: 'zip 目录项损坏' };
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    const crc = view.getUint32(p + 16, true);
    let csize = view.getUint32(p + 20, true);
    let usize = view.getUint32(p + 24, true);
    let localOffset = view.getUint32(p + 42, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    if (usize === 0xffffffff || csize === 0xffffffff) {
      // ZIP64 extended information in the extra field
      let e = p + 46 + nameLen;
      const end = e + extraLen;
      while (e + 4 <= end) {
        const id = view.getUint16(e, true);
        const size = view.getUint16(e + 2, true);
        if (id === 0x0001) {
          let q = e + 4;
          if (usize === 0xffffffff) (usize = Number(view.getBigUint64(q, true))), (q += 8);
          if (csize === 0xffffffff) (csize = Number(view.getBigUint64(q, true))), (q += 8);
          if (localOffset === 0xffffffff) localOffset = Number(view.getBigUint64(q, true));
          break;
        }
        e += 4 + size;
      }
    }
    const name = dec.decode(bytes.subarray(p + 46, p + 46 + nameLen));
    if (names.length < 200) names.push(name);
    list.push({ name, method, flags, crc, compressed: csize, uncompressed: usize, localOffset });
    compressed += csize;
    uncompressed += usize;
    p += 46 + nameLen + extraLen + commentLen;
  }
  return { entries, compressed, uncompressed, names, list };
}

/** Why an archive must not be expanded, or undefined when it is within the limits. */
export function zipBombReason(stats: ZipStats, limits: ZipLimits = DEFAULT_ZIP_LIMITS): string | undefined {
  if (stats.entries > limits.maxEntries) return `压缩包内有 ${stats.entries} 个文件，超过上限 ${limits.maxEntries}`;
  if (stats.uncompressed > limits.maxUncompressed)
    return `解压后 ${Math.round(stats.uncompressed / 1048576)} MB，超过上限 ${Math.round(limits.maxUncompressed / 1048576)} MB`;
  if (stats.compressed > 0 && stats.uncompressed / stats.compressed > limits.maxRatio && stats.uncompressed > 10 * 1024 * 1024)
    return `压缩比 ${Math.round(stats.uncompressed / stats.compressed)}:1 异常（可能是“压缩炸弹”）`;
  return undefined;
}

/** Where an entry's compressed bytes start, or undefined when its local header is not where the directory says. */
export function entryDataStart(bytes: Uint8Array, e: ZipEntry): number | undefined {
  const h = e.localOffset;
  if (h + 30 > bytes.length) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(h, true) !== 0x04034b50) return undefined;
  return h + 30 + view.getUint16(h + 26, true) + view.getUint16(h + 28, true);
}

/** Looks at the text of entries while verifyEntries inflates them anyway (ingest/xlsx-normalize.ts uses it). */
export interface EntryScanner {
  /** the first up to 4 KiB of every .xml / .rels entry, as text: once per entry (`whole`: that is all of it) */
  head?(entry: ZipEntry, text: string, whole: boolean): void;
  /** a worksheet's text, chunk by chunk; a tag cut by the end of a chunk comes again, whole, at the start of the next */
  sheet?(entry: ZipEntry, text: string): void;
}

const MERGE = /<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"/g;
const CELL = /<(?:[A-Za-z_][\w.-]*:)?c[\s>/]/g;
const countCells = (text: string) => text.match(CELL)?.length ?? 0;
const colNumber = (letters: string) => [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);

/** Why a workbook is not read whole: more cells than the limit. */
export const cellLimitText = (max: number) => `工作表中的单元格超过 ${max} 个（超过此数，内存可能不够）`;

/**
 * Inflates every entry with a running count (stopping as soon as it passes the size its header
 * declared, or the limit), and scans worksheets for merged ranges. Returns why the archive must not
 * be expanded, or undefined. Costs one extra inflate of the file; nothing is kept.
 */
export function verifyEntries(bytes: Uint8Array, stats: ZipStats, limits: ZipLimits = DEFAULT_ZIP_LIMITS, scan?: EntryScanner): string | undefined {
  let total = 0;
  let cells = 0;
  stats.cells = 0;
  for (const e of stats.list) {
    const start = entryDataStart(bytes, e);
    if (start === undefined) return `压缩包内“${e.name}”的位置不对（文件损坏）`;
    const data = bytes.subarray(start, Math.min(bytes.length, start + e.compressed));
    const isSheet = /^xl\/worksheets\/[^/]+\.xml$/i.test(e.name);
    let produced = 0;
    let merges = 0;
    let tail = '';
    let reason: string | undefined;
    const dec = new TextDecoder('utf-8');
    let head = scan?.head !== undefined && /\.(?:xml|rels)$/i.test(e.name);
    const onChunk = (chunk: Uint8Array): boolean => {
      produced += chunk.length;
      if (produced > e.uncompressed + 1024) reason = `压缩包内“${e.name}”解压后比声明的 ${e.uncompressed} 字节大（可能是“压缩炸弹”）`;
      else if (total + produced > limits.maxUncompressed) reason = `解压后超过上限 ${Math.round(limits.maxUncompressed / 1048576)} MB`;
      if (reason) return false;
      if (head) {
        head = false;
        scan!.head!(e, new TextDecoder('utf-8').decode(chunk.subarray(0, 4096)), chunk.length <= 4096 && chunk.length === e.uncompressed);
      }
      if (isSheet) {
        const text = tail + dec.decode(chunk, { stream: true });
        scan?.sheet?.(e, text);
        for (const m of text.matchAll(MERGE)) {
          merges++;
          const right = colNumber(m[3] ?? m[1]);
          const bottom = Number(m[4] ?? m[2]);
          if (right > limits.maxMergeCol || bottom > limits.maxMergeRow) {
            reason = `工作表中的合并单元格 ${m[1]}${m[2]}:${m[3] ?? m[1]}${m[4] ?? m[2]} 超出 ${limits.maxMergeCol} 列或 ${limits.maxMergeRow} 行`;
            return false;
          }
        }
        if (merges > limits.maxMerges) {
          reason = `工作表中合并单元格超过 ${limits.maxMerges} 处`;
          return false;
        }
        const cut = text.lastIndexOf('<');
        tail = cut >= 0 ? text.slice(cut) : '';
        if (tail.length > 4096) tail = '';
        merges -= [...tail.matchAll(MERGE)].length; // counted again with the next chunk
        cells += countCells(text) - countCells(tail);
        if (cells > limits.maxCells) {
          reason = cellLimitText(limits.maxCells);
          return false;
        }
      }
      return true;
    };
    if (e.method === 0) {
      onChunk(data);
    } else if (e.method === 8) {
      const inflater = new pako.Inflate({ raw: true, chunkSize: 64 * 1024 });
      inflater.onData = (chunk: Uint8Array) => {
        if (!reason && !onChunk(chunk)) throw new StopInflate();
      };
      try {
        // feed in slices so a bomb is stopped after its first megabytes, not after all of it
        for (let off = 0; off < data.length && !reason; off += 256 * 1024) inflater.push(data.subarray(off, off + 256 * 1024), off + 256 * 1024 >= data.length);
      } catch (err) {
        if (!(err instanceof StopInflate)) return `压缩包内“${e.name}”无法解压（文件损坏）`;
      }
    } else {
      return `压缩包内“${e.name}”用了不支持的压缩方式 ${e.method}`;
    }
    if (reason) return reason;
    total += produced;
  }
  stats.cells = cells;
  return undefined;
}

class StopInflate extends Error {}
