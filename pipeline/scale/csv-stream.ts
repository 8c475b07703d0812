// Streaming CSV/TXT rows: file bytes → decodeChunks (the ingest encoding rules, split characters
// kept whole) → papaparse's own streaming parser (`chunk` callback) → batches of rows. Only one
// papaparse chunk of rows (≈ 64 KiB of text) is alive at a time; the stats say how many rows that was.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import Papa from 'papaparse';
import { decodeText, type Encoding } from '../ingest/decode.ts';
import { NotUtf8Error, decodeChunks, newDecodeStats, type DecodeStats } from './decode-stream.ts';

/** The parse options of ingest/read.ts readCsv: no typing, empty lines kept (row numbers stay true). */
export const CSV_OPTIONS = {
  header: false,
  dynamicTyping: false,
  skipEmptyLines: false,
  delimitersToGuess: [',', '\t', ';', '|'],
} as const;

export const DEFAULT_CHUNK_BYTES = 64 * 1024;
/** A file this small is read whole (one file's worth of memory) rather than streamed: no stream set-up per file. */
export const WHOLE_FILE_BYTES = 1024 * 1024;

export interface CsvStreamStats {
  decode: DecodeStats;
  rows: number;
  /** papaparse chunks delivered */
  batches: number;
  /** the most rows handed over in one batch: what this stage holds at once */
  maxBatchRows: number;
  /** times the file was read again because it was not UTF-8 after all */
  restarts: number;
}

/** Where rows come from: a file path, or (for tests) any async source of byte chunks. */
export type ByteSource = string | (() => AsyncIterable<Uint8Array>);

function bytesOf(source: ByteSource, chunkBytes: number): AsyncIterable<Uint8Array> {
  return typeof source === 'string' ? createReadStream(source, { highWaterMark: chunkBytes }) : source();
}

/**
 * Streams the rows of a text table. `onRows(rows, first)` gets each batch and the 0-based index of
 * its first row; it runs synchronously inside the parser, so a batch is gone when it returns.
 * When the head looked like UTF-8 and a later byte is not, `onRestart()` is called (drop what was
 * accumulated) and the file is read again as GB18030 — what decodeText does for the whole file.
 */
export async function streamCsvRows(
  source: ByteSource,
  onRows: (rows: string[][], first: number) => void,
  opts: { encoding?: Encoding; chunkBytes?: number; onRestart?: () => void } = {},
): Promise<CsvStreamStats> {
  const chunkBytes = opts.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  const stats: CsvStreamStats = { decode: newDecodeStats(), rows: 0, batches: 0, maxBatchRows: 0, restarts: 0 };
  let encoding = opts.encoding;
  for (;;) {
    try {
      await parseOnce(bytesOf(source, chunkBytes), stats, onRows, encoding);
      return stats;
    } catch (e) {
      if (!(e instanceof NotUtf8Error) || encoding === 'gb18030') throw e;
      encoding = 'gb18030';
      stats.restarts++;
      stats.decode = newDecodeStats();
      stats.rows = stats.batches = stats.maxBatchRows = 0;
      opts.onRestart?.();
    }
  }
}

function parseOnce(
  bytes: AsyncIterable<Uint8Array>,
  stats: CsvStreamStats,
  onRows: (rows: string[][], first: number) => void,
  encoding: Encoding | undefined,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const text = Readable.from(decodeChunks(bytes, stats.decode, encoding), { objectMode: true, highWaterMark: 1 });
    let failed = false;
    const fail = (e: unknown) => {
      if (failed) return;
      failed = true;
      text.destroy();
      reject(e);
    };
    text.on('error', fail);
    Papa.parse<string[]>(text as unknown as NodeJS.ReadableStream as never, {
      ...CSV_OPTIONS,
      delimitersToGuess: [...CSV_OPTIONS.delimitersToGuess],
      chunk(results) {
        if (failed) return;
        const rows = results.data;
        const first = stats.rows;
        stats.rows += rows.length;
        stats.batches++;
        if (rows.length > stats.maxBatchRows) stats.maxBatchRows = rows.length;
        try {
          onRows(rows, first);
        } catch (e) {
          fail(e);
        }
      },
      complete() {
        if (!failed) resolve();
      },
      error(e: unknown) {
        fail(e);
      },
    });
  });
}

/** A small file in one piece: decodeText and papaparse exactly as ingest/read.ts readCsv, one batch. */
export function parseCsvWhole(bytes: Uint8Array, onRows: (rows: string[][], first: number) => void): CsvStreamStats {
  const d = decodeText(bytes);
  const rows = Papa.parse<string[]>(d.text, { ...CSV_OPTIONS, delimitersToGuess: [...CSV_OPTIONS.delimitersToGuess] }).data;
  onRows(rows, 0);
  return {
    decode: { encoding: d.encoding, reason: d.reason, bytes: bytes.length, chunks: 1, maxChunkChars: d.text.length },
    rows: rows.length,
    batches: 1,
    maxBatchRows: rows.length,
    restarts: 0,
  };
}
