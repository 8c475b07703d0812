// A zip archive byte by byte: local headers, data, central directory, end record. Browser-safe
// (Uint8Array, TextEncoder and pako only), so ingest can re-zip a normalised .xlsx on the check page.
// The robustness tests use the same writer, with its knobs for archives no normal writer would make
// (compressed bytes as they are, a chosen CRC, a declared size that lies, ZIP64 sizes).
import pako from 'pako';

export interface ZipWriteEntry {
  name: string;
  /** the entry's real content (deflated unless `method` is 0) */
  data?: Uint8Array;
  /** or its compressed bytes as they are (copied from another archive, or made by hand) */
  raw?: Uint8Array;
  method?: 0 | 8;
  crc?: number;
  /** the uncompressed size the headers declare (a lie when it differs from data.length) */
  declaredSize?: number;
  /** ZIP64: the headers say 0xFFFFFFFF and the extra field carries this size */
  zip64Size?: bigint;
}

let CRC_TABLE: Uint32Array | undefined;

/** CRC-32 (the zip one, polynomial 0xEDB88320). */
export function crc32(data: Uint8Array, crc = 0): number {
  if (!CRC_TABLE) {
    CRC_TABLE = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      CRC_TABLE[n] = c >>> 0;
    }
  }
  const t = CRC_TABLE;
  let c = ~crc >>> 0;
  for (let i = 0; i < data.length; i++) c = t[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

export function writeZip(entries: ZipWriteEntry[]): Uint8Array {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = enc.encode(e.name);
    const method = e.method ?? 8;
    const body = e.raw ?? (method === 8 ? pako.deflateRaw(e.data!) : e.data!);
    const crc = e.crc ?? (e.data ? crc32(e.data) : 0);
    const size = e.zip64Size !== undefined ? 0xffffffff : (e.declaredSize ?? e.data?.length ?? 0);
    const extra = new Uint8Array(e.zip64Size !== undefined ? 12 : 0);
    if (e.zip64Size !== undefined) {
      const x = new DataView(extra.buffer);
      x.setUint16(0, 0x0001, true);
      x.setUint16(2, 8, true);
      x.setBigUint64(4, e.zip64Size, true);
    }
    const local = new Uint8Array(30);
    const l = new DataView(local.buffer);
    l.setUint32(0, 0x04034b50, true);
    l.setUint16(4, 20, true);
    l.setUint16(6, 0x0800, true); // UTF-8 names
    l.setUint16(8, method, true);
    l.setUint32(14, crc >>> 0, true);
    l.setUint32(18, body.length, true);
    l.setUint32(22, size >>> 0, true);
    l.setUint16(26, name.length, true);
    l.setUint16(28, extra.length, true);
    const cd = new Uint8Array(46);
    const c = new DataView(cd.buffer);
    c.setUint32(0, 0x02014b50, true);
    c.setUint16(4, 20, true);
    c.setUint16(6, 20, true);
    c.setUint16(8, 0x0800, true);
    c.setUint16(10, method, true);
    c.setUint32(16, crc >>> 0, true);
    c.setUint32(20, body.length, true);
    c.setUint32(24, size >>> 0, true);
    c.setUint16(28, name.length, true);
    c.setUint16(30, extra.length, true);
    c.setUint32(42, offset, true);
    parts.push(local, name, extra, body);
    central.push(cd, name, extra);
    offset += 30 + name.length + extra.length + body.length;
  }
  const cdLength = central.reduce((n, p) => n + p.length, 0);
  const end = new Uint8Array(22);
  const d = new DataView(end.buffer);
  d.setUint32(0, 0x06054b50, true);
  d.setUint16(8, entries.length, true);
  d.setUint16(10, entries.length, true);
  d.setUint32(12, cdLength, true);
  d.setUint32(16, offset, true);
  const out = new Uint8Array(offset + cdLength + 22);
  let p = 0;
  for (const part of [...parts, ...central, end]) out.set(part, p), (p += part.length);
  return out;
}
