// Shared by the robustness tests: a byte-exact zip writer (for archives exceljs would never write),
// the invariants every finding must keep, file-tree hashing, and the real CLI run as a child process.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, lstatSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { expect } from 'vitest';
import { Finding } from '../../schemas/finding.ts';
import { DATA, ROOT } from '../helpers.ts';
import { prng } from '../../pipeline/prng.ts';
import type { ZipWriteEntry as ZipEntry } from '../../pipeline/ingest/zip-write.ts';

export const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
export const CLI = 'pipeline/cli.ts';

// ── zip ─────────────────────────────────────────────────────────────────────────────────────────

// The writer itself lives in pipeline/ingest/zip-write.ts (ingest re-zips normalised workbooks with it).
export { writeZip, type ZipWriteEntry as ZipEntry } from '../../pipeline/ingest/zip-write.ts';
/**
 * A raw deflate stream that inflates to `megabytes` MiB of spaces from about 1/1000 of that:
 * one 16 MiB block compressed once (full flush, so it refers to nothing before it), repeated, then
 * an empty final block. Cheap to make, however large it inflates.
 */
export function deflateBomb(megabytes: number): Uint8Array {
  const chunk = 16;
  const seg = zlib.deflateRawSync(Buffer.alloc(chunk << 20, 0x20), { finishFlush: zlib.constants.Z_FULL_FLUSH });
  const n = Math.ceil(megabytes / chunk);
  return new Uint8Array(Buffer.concat([...Array<Buffer>(n).fill(seg), Buffer.from([0x03, 0x00])]));
}

/** The parts of a minimal, valid one-sheet .xlsx (what exceljs needs to open it). */
export function minimalXlsxParts(sheetXml: string, sheetName = '填报表'): ZipEntry[] {
  const enc = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  return [
    {
      name: '[Content_Types].xml',
      data: enc(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
      ),
    },
    {
      name: '_rels/.rels',
      data: enc(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
      ),
    },
    {
      name: 'xl/workbook.xml',
      data: enc(
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="${esc(sheetName)}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      ),
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: enc(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
      ),
    },
    { name: 'xl/worksheets/sheet1.xml', data: enc(sheetXml) },
  ];
}

export const SHEET_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
export const SHEET_XML_TAIL = '</sheetData></worksheet>';

// ── findings ────────────────────────────────────────────────────────────────────────────────────

/** A JS stack frame in a message means an exception leaked into what a clerk reads. */
const STACK = /\bat [^\n]*\.(?:ts|js|mjs|cjs):\d+/;

/** Every finding is a valid `Finding` and speaks to a person, not a debugger. */
export function expectWellFormed(findings: unknown[], context = ''): void {
  for (const f of findings) {
    const r = Finding.safeParse(f);
    expect(r.success, `${context} ${JSON.stringify(f)} ${r.success ? '' : r.error.message}`).toBe(true);
    const { message, message_en } = f as { message: string; message_en: string };
    expect(message, context).toMatch(/[\u4e00-\u9fff]/); // Chinese first
    for (const m of [message, message_en]) expect(m, `${context}: a stack trace in the message`).not.toMatch(STACK);
  }
}

// ── files ───────────────────────────────────────────────────────────────────────────────────────

export const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

/** Every file under a folder (relative path → sha256, mtime), symbolic links as their target text. */
export function snapshotTree(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      const st = lstatSync(full);
      const rel = path.relative(root, full);
      if (st.isDirectory()) walk(full);
      else if (st.isFile()) out.set(rel, `${sha256(readFileSync(full))} ${st.mtimeMs} ${st.mode}`);
      else out.set(rel, `${st.isSymbolicLink() ? 'link' : 'other'} ${st.mtimeMs}`);
    }
  };
  walk(root);
  return out;
}

/** Every path under a folder, relative, folders marked with a trailing slash. */
export function listTree(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      const rel = path.relative(root, full);
      if (lstatSync(full).isDirectory()) (out.push(rel + '/'), walk(full));
      else out.push(rel);
    }
  };
  walk(root);
  return out;
}

/** A scratch folder with a copy of the shipped data/ (the copy is what a run reads). */
export function dataCopy(prefix: string): { tmp: string; data: string } {
  const tmp = mkdtempSync(path.join(os.tmpdir(), `banbao-${prefix}-`));
  const data = path.join(tmp, 'data');
  cpSync(DATA, data, { recursive: true, preserveTimestamps: true });
  return { tmp, data };
}

export function fileExists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

// ── the CLI ─────────────────────────────────────────────────────────────────────────────────────

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `tsx pipeline/cli.ts …` to the end. */
export function runCli(args: string[], timeoutMs = 240_000): CliResult {
  const t0 = Date.now();
  const r = spawnSync(TSX, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TZ: 'UTC' }, timeout: timeoutMs, maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', ms: Date.now() - t0 };
}

/** Same, without blocking the test process (so it can watch the output folder meanwhile). */
export function startCli(args: string[]) {
  const t0 = Date.now();
  // its own process group: tsx runs the CLI in a child node process, and a kill must reach both
  const child = spawn(TSX, [CLI, ...args], { cwd: ROOT, env: { ...process.env, TZ: 'UTC' }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr, ms: Date.now() - t0 })),
  );
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      /* already gone */
    }
  };
  return {
    child,
    done,
    stdout: () => stdout,
    /** A signal to the whole group (tsx and the node process it runs the CLI in). */
    signal,
    /** SIGKILL to the whole group: nothing gets to clean up, as when the machine loses power. */
    kill: () => signal('SIGKILL'),
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Waits until `test()` holds, polling every `everyMs`; false when `timeoutMs` passes first. */
export async function waitFor(test: () => boolean, timeoutMs: number, everyMs = 10): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (test()) return true;
    await sleep(everyMs);
  }
  return test();
}


/**
 * Reads one file in a child process (test/robustness/read-file.ts) and gives it `capMs` once it is
 * ready: an input that hangs or eats memory is killed there instead of taking the test run with it.
 */
export async function readInChild(file: string, capMs: number): Promise<{ finished: boolean; ms: number; codes: string[]; messages: string[] }> {
  const child = spawn(TSX, ['test/robustness/read-file.ts', file], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=1024' } });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  const closed = new Promise<void>((r) => child.on('close', () => r()));
  await waitFor(() => out.includes('ready\n') || child.exitCode !== null, 120_000, 20);
  const t0 = Date.now();
  const finished = await Promise.race([closed.then(() => true), sleep(capMs).then(() => false)]);
  if (!finished) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
    await closed;
  }
  const line = out.split('\n').find((l) => l.startsWith('{'));
  const r = line ? (JSON.parse(line) as { ms: number; codes: string[]; messages: string[] }) : { ms: Date.now() - t0, codes: [], messages: [] };
  return { finished: finished && !!line, ...r };
}

export { prng };
