// Streaming text decoding for large CSV/TXT submissions. The encoding is chosen exactly as
// ingest/decode.ts chooses it (BOM → UTF-16 NUL pattern → strict UTF-8 → GB18030) — by calling it on
// the first 64 KiB — and then applied chunk by chunk with TextDecoder({ stream: true }), so a
// character whose bytes are split across two chunks decodes whole (papaparse on raw Buffers does not:
// PITFALLS.md, papaparse #751).
import { decodeText, type Encoding } from '../ingest/decode.ts';

/** Bytes looked at before the encoding is chosen. */
export const SNIFF_BYTES = 64 * 1024;

/**
 * The head looked like UTF-8 but a later chunk is not: the file must be read again as GB18030
 * (what decodeText would have chosen had it seen the whole file).
 */
export class NotUtf8Error extends Error {
  constructor(readonly atByte: number) {
    super(`not valid UTF-8 at byte ${atByte}: read again as GB18030`);
    this.name = 'NotUtf8Error';
  }
}

export interface DecodeStats {
  encoding: Encoding | '';
  reason: string;
  bytes: number;
  /** decoded chunks handed on */
  chunks: number;
  /** the longest decoded chunk, in UTF-16 code units: what this stage holds at once */
  maxChunkChars: number;
}

export function newDecodeStats(): DecodeStats {
  return { encoding: '', reason: '', bytes: 0, chunks: 0, maxChunkChars: 0 };
}

/** Drops an incomplete UTF-8 sequence at the end of a cut-off sample (at most 3 bytes). */
export function trimPartialUtf8(b: Uint8Array): Uint8Array {
  const n = b.length;
  for (let back = 1; back <= Math.min(3, n); back++) {
    const x = b[n - back];
    if (x < 0x80) return b; // ASCII: nothing pending
    if (x >= 0xc0) {
      // a lead byte: is its sequence complete?
      const need = x >= 0xf0 ? 4 : x >= 0xe0 ? 3 : 2;
      return back < need ? b.subarray(0, n - back) : b;
    }
  }
  return b;
}

/** The encoding decodeText would choose, judged on a head of the file. */
export function sniffEncoding(head: Uint8Array, wholeFile: boolean): { encoding: Encoding; reason: string } {
  const d = decodeText(wholeFile ? head : trimPartialUtf8(head));
  return { encoding: d.encoding, reason: wholeFile ? d.reason : `${d.reason} (first ${head.length} bytes)` };
}

function decoderFor(encoding: Encoding): TextDecoder {
  switch (encoding) {
    case 'utf-8':
      return new TextDecoder('utf-8', { fatal: true });
    case 'utf-8-bom':
      return new TextDecoder('utf-8'); // drops the BOM
    case 'utf-16le':
      return new TextDecoder('utf-16le');
    case 'utf-16be':
      return new TextDecoder('utf-16be');
    case 'gb18030':
      return new TextDecoder('gb18030');
  }
}

/**
 * Bytes → text, chunk by chunk. `force` skips the sniff (used for the GB18030 re-read).
 * Throws NotUtf8Error when a strict UTF-8 choice is contradicted later in the file.
 */
export async function* decodeChunks(source: AsyncIterable<Uint8Array>, stats: DecodeStats, force?: Encoding): AsyncGenerator<string> {
  let decoder: TextDecoder | undefined;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let encoding: Encoding | undefined = force;
  const emit = (text: string) => {
    stats.chunks++;
    if (text.length > stats.maxChunkChars) stats.maxChunkChars = text.length;
    return text;
  };
  const decode = (bytes: Uint8Array, last: boolean): string => {
    try {
      return decoder!.decode(bytes, { stream: !last });
    } catch {
      throw new NotUtf8Error(stats.bytes);
    }
  };
  const start = (head: Uint8Array, wholeFile: boolean) => {
    if (!encoding) {
      const s = sniffEncoding(head, wholeFile);
      encoding = s.encoding;
      stats.reason = s.reason;
    } else stats.reason ||= 'forced';
    stats.encoding = encoding;
    decoder = decoderFor(encoding);
  };
  for await (const chunk of source) {
    const bytes = chunk instanceof Uint8Array ? chunk : new Uint8Array(chunk as ArrayBuffer);
    if (!decoder) {
      pending.push(bytes);
      pendingBytes += bytes.length;
      if (pendingBytes < SNIFF_BYTES) continue;
      start(pending.length === 1 ? pending[0] : Buffer.concat(pending), false);
      // hand the head on in the chunks it came in: the sniff must not set the batch size
      for (const b of pending) {
        const text = decode(b, false);
        stats.bytes += b.length;
        if (text) yield emit(text);
      }
      pending = [];
      continue;
    }
    const text = decode(bytes, false);
    stats.bytes += bytes.length;
    if (text) yield emit(text);
  }
  if (!decoder) {
    const head = pending.length === 1 ? pending[0] : Buffer.concat(pending);
    start(head, true);
    stats.bytes += head.length;
    const text = decode(head, true);
    if (text) yield emit(text);
    return;
  }
  const tail = decode(new Uint8Array(0), true);
  if (tail) yield emit(tail);
}
