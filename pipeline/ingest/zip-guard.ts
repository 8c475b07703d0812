// Reads a zip's central directory (without inflating anything) to refuse zip bombs before exceljs
// expands an .xlsx: too many entries, too much uncompressed data, or an absurd compression ratio.

export interface ZipStats {
  entries: number;
  compressed: number;
  uncompressed: number;
  names: string[];
}

export interface ZipLimits {
  maxEntries: number;
  maxUncompressed: number;
  maxRatio: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 10_000,
  maxUncompressed: 1024 * 1024 * 1024,
  maxRatio: 200,
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
  const dec = new TextDecoder('utf-8');
  for (let n = 0; n < entries; n++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== 0x02014b50) return { error: 'zip 目录项损坏' };
    let csize = view.getUint32(p + 20, true);
    let usize = view.getUint32(p + 24, true);
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
          if (csize === 0xffffffff) csize = Number(view.getBigUint64(q, true));
          break;
        }
        e += 4 + size;
      }
    }
    if (names.length < 200) names.push(dec.decode(bytes.subarray(p + 46, p + 46 + nameLen)));
    compressed += csize;
    uncompressed += usize;
    p += 46 + nameLen + extraLen + commentLen;
  }
  return { entries, compressed, uncompressed, names };
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
