// The disk edge: list and read submissions (read-only), load side files, write outputs atomically.
import { closeSync, existsSync, fsyncSync, linkSync, lstatSync, mkdirSync, openSync, readFileSync, readdirSync, readlinkSync, realpathSync, renameSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { ChoicesFile, ConfirmationsFile } from '../schemas/submissions.ts';
import type { Choice, Confirmation } from './context.ts';
import { ReferenceDataError } from './reference/load.ts';
import type { SubmissionInput } from './read-form.ts';
import { DEFAULT_LIMITS } from './ingest/read.ts';
import { cmp } from './compare.ts';
import { READ_ERRORS } from './messages.ts';

/** Side files and notes that live next to submissions but are not submissions. */
const NOT_SUBMISSIONS = /^(readme(\..*)?|confirmations\.ya?ml|choices\.ya?ml|\..*|~\$.*|thumbs\.db|desktop\.ini)$/i;

/** Submission files of a folder (not recursive), sorted; skipped names are returned too. */
export function listSubmissions(dir: string): { files: string[]; skipped: string[]; folders: string[] } {
  if (!existsSync(dir)) return { files: [], skipped: [], folders: [] };
  const files: string[] = [];
  const skipped: string[] = [];
  const folders: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => cmp(a.name, b.name))) {
    // sub-folders are not read (a folder per period is the contract), but they are named
    if (e.isDirectory()) {
      if (!NOT_SUBMISSIONS.test(e.name)) folders.push(e.name);
      continue;
    }
    // a symbolic link is listed too: if its target is gone, reading it becomes a finding; so is a
    // FIFO, a socket or a device (readInput does not open it: a finding, not a wait)
    if (!e.isFile() && !e.isSymbolicLink() && !e.isFIFO() && !e.isSocket() && !e.isCharacterDevice() && !e.isBlockDevice()) continue;
    (NOT_SUBMISSIONS.test(e.name) ? skipped : files).push(e.name);
  }
  return { files, skipped, folders };
}

/**
 * Reads a submission's bytes; a read error becomes data, not an exception. With `root` (the
 * submissions folder), a link whose target lies outside it is not followed.
 */
export function readInput(fullPath: string, shownAs: string, maxBytes: number = DEFAULT_LIMITS.maxBytes, root?: string): SubmissionInput {
  try {
    // stat first (following links): a pipe or a folder is not read, and a huge file is not loaded
    const st = statSync(fullPath);
    if (!st.isFile()) return { file: shownAs, readError: st.isDirectory() ? 'EISDIR' : READ_ERRORS.notRegular };
    if (root !== undefined) {
      const base = realpathSync(root);
      if (!realpathSync(fullPath).startsWith(base + path.sep)) return { file: shownAs, readError: READ_ERRORS.outside };
    }
    if (st.size > maxBytes) return { file: shownAs, readError: 'too large', size: st.size };
    // the file's own buffer, not a copy (a 100 MB file was held twice); a small file read into
    // Node's shared pool is copied, so that no one sees the pool through `bytes.buffer`
    const b = readFileSync(fullPath);
    const bytes = b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? new Uint8Array(b.buffer) : new Uint8Array(b);
    return { file: shownAs, bytes, mtime: st.mtime.toISOString() };
  } catch (e) {
    return { file: shownAs, readError: (e as NodeJS.ErrnoException).code ?? String(e) };
  }
}

function readYamlFile<T>(file: string, parse: (x: unknown) => { success: boolean; data?: T; error?: { issues: { path: PropertyKey[]; message: string }[] } }): T | undefined {
  if (!existsSync(file)) return undefined;
  let data: unknown;
  try {
    data = YAML.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ReferenceDataError(file, `YAML 无法解析: ${(e as Error).message}`);
  }
  const r = parse(data);
  if (!r.success) throw new ReferenceDataError(file, r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return r.data;
}

export function loadConfirmations(dir: string): Confirmation[] {
  const f = readYamlFile(path.join(dir, 'confirmations.yaml'), (x) => ConfirmationsFile.safeParse(x));
  return f?.confirmations ?? [];
}

export function loadChoices(dir: string): Choice[] {
  const f = readYamlFile(path.join(dir, 'choices.yaml'), (x) => ChoicesFile.safeParse(x));
  return f?.choices ?? [];
}

// ── test hooks (set only by test/robustness): faults that cannot be made on demand otherwise ─────
// BANBAO_FAULT_ENOSPC=<n>: the n-th file written fails half-way with ENOSPC, as on a full disk.
// BANBAO_TEST_PAUSE=<point>:<marker file>: at <point> (swap: between the steps of the swap) the
// process writes the marker and stops itself (SIGSTOP), so a test can look and then kill it there.
let writes = 0;
function enospcHook(fd: number, buf: Uint8Array): void {
  const n = Number(process.env.BANBAO_FAULT_ENOSPC ?? 0);
  if (!n || ++writes !== n) return;
  writeSync(fd, buf, 0, buf.length >> 1);
  throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
}
export function pauseHook(point: string): void {
  const [at, marker] = (process.env.BANBAO_TEST_PAUSE ?? '').split(/:(.*)/s);
  if (at !== point || !marker) return;
  writeFileSync(marker, String(process.pid));
  process.kill(process.pid, 'SIGSTOP');
}

/** Writes a file atomically: a temp file in the same folder, fsync, then rename over the target. */
export function writeAtomic(file: string, data: string | Uint8Array): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  // never follow a link planted at the temp name: remove it, then create exclusively
  rmSync(tmp, { force: true });
  const fd = openSync(tmp, 'wx');
  try {
    try {
      const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      enospcHook(fd, buf);
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (e) {
    // a full disk, a failed rename: the temp file goes too (it would keep the disk full)
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
    throw e;
  }
}

/** Resolves an output path and refuses anything that would land outside `root`. */
export function safeOutputPath(root: string, ...parts: string[]): string {
  const full = path.resolve(root, ...parts);
  const base = path.resolve(root);
  if (full !== base && !full.startsWith(base + path.sep)) throw new Error(`refusing to write outside ${base}: ${full}`);
  return full;
}

export function fileSize(p: string): number {
  try {
    return statSync(p).size;
  } catch {
    return -1;
  }
}

export { onAbort, runAbortCleanups } from './abort.ts';

/** `.<period>.v<pid>-<n>`: a complete run's folder; reports/<period> is a link to one of them. */
const VERSION = /^\.(.+)\.v\d+-[0-9a-z]+$/;
const PENDING_LINK = /^\.(.+)\.link-\d+$/;
let versions = 0;

/**
 * Puts a fully written staging folder in place of `final`, which is a symbolic link to a versioned
 * folder beside it (reports/2018H1 → .2018H1.v<pid>-<n>): the staging folder is renamed to a new
 * version, a new link to it is made under a temporary name, and renamed over `final` — one atomic
 * rename, so a reader always finds `final` leading to a complete run, the previous or the new one.
 * Then the previous version is removed. A kill at any step leaves `final` whole; recoverInterrupted()
 * removes what the killed run left. A real folder at `final` (written by a version before this
 * scheme) is moved aside once, just before the link takes its name.
 */
export function swapIntoPlace(staging: string, final: string): void {
  const dir = path.dirname(final);
  const name = path.basename(final);
  const version = `.${name}.v${process.pid}-${(Date.now() * 16 + (versions++ % 16)).toString(36)}`;
  renameSync(staging, path.join(dir, version));
  const link = path.join(dir, `.${name}.link-${process.pid}`);
  rmSync(link, { force: true });
  symlinkSync(version, link);
  let previous: string | undefined;
  let legacy: string | undefined;
  const st = lstatOrUndefined(final);
  if (st?.isSymbolicLink()) previous = readlinkSync(final);
  else if (st) {
    legacy = `${final}.old-${process.pid}`;
    rmSync(legacy, { recursive: true, force: true });
    renameSync(final, legacy);
  }
  pauseHook('swap');
  renameSync(link, final);
  if (previous !== undefined && VERSION.test(previous) && previous !== version) rmSync(path.join(dir, previous), { recursive: true, force: true });
  if (legacy) rmSync(legacy, { recursive: true, force: true });
}

function lstatOrUndefined(p: string) {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
}

/** Cleans up after a run that was killed: stale staging folders, temp files, displaced outputs. */
export function recoverInterrupted(outDir: string): string[] {
  const notes: string[] = [];
  if (!existsSync(outDir)) return notes;
  const names = readdirSync(outDir).sort();
  // the versions a period link leads to are live; any other is what a killed swap left
  const live = new Set<string>();
  for (const name of names) {
    if (lstatOrUndefined(path.join(outDir, name))?.isSymbolicLink() && !PENDING_LINK.test(name)) live.add(readlinkSync(path.join(outDir, name)));
  }
  for (const name of names) {
    const full = path.join(outDir, name);
    const old = /^(.+)\.old-\d+$/.exec(name);
    const version = VERSION.exec(name);
    if (name.startsWith('.staging-')) {
      rmSync(full, { recursive: true, force: true });
      notes.push(`removed unfinished ${name}`);
    } else if (PENDING_LINK.test(name)) {
      rmSync(full, { force: true });
    } else if (version && !live.has(name)) {
      const final = path.join(outDir, version[1]);
      if (!lstatOrUndefined(final) && existsSync(path.join(full, 'manifest.json'))) {
        // killed before its link took the period's name, with no previous run: it is complete
        const link = path.join(outDir, `.${version[1]}.link-${process.pid}`);
        rmSync(link, { force: true });
        symlinkSync(name, link);
        renameSync(link, final);
        live.add(name);
        notes.push(`restored ${version[1]} from an interrupted run`);
      } else {
        rmSync(full, { recursive: true, force: true });
        notes.push(`removed ${name}`);
      }
    } else if (old) {
      const final = path.join(outDir, old[1]);
      if (!lstatOrUndefined(final)) {
        renameSync(full, final);
        notes.push(`restored ${old[1]} from an interrupted run`);
      } else {
        rmSync(full, { recursive: true, force: true });
        notes.push(`removed ${name}`);
      }
    } else if (/\.tmp-\d+$/.test(name)) {
      rmSync(full, { force: true });
    }
  }
  return notes;
}

export type Lock = { release(): void } | { busy: number };

/**
 * Takes the output folder's lock: a file holding our pid, created with its content in one step
 * (written under a temp name, then hard-linked into place, which fails if the lock exists). A lock
 * whose process is gone is taken over; a lock file with no pid yet is a run starting up: busy.
 */
export function acquireLock(outDir: string): Lock {
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, '.banbao.lock');
  const mine = `${file}.${process.pid}`;
  writeFileSync(mine, String(process.pid));
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(mine, file);
        return {
          release: () => {
            try {
              if (readFileSync(file, 'utf8') === String(process.pid)) unlinkSync(file);
            } catch {
              /* already gone */
            }
          },
        };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        let text = '';
        try {
          text = readFileSync(file, 'utf8').trim();
        } catch {
          continue; // released meanwhile: try again
        }
        const pid = Number(text);
        if (!pid) return { busy: -1 }; // written by an older tool, or being written
        if (pid !== process.pid && isAlive(pid)) return { busy: pid };
        // stale: its process is gone. Move it aside under our own name, so that of two runs taking
        // over at once only one removes it; then try to take it again.
        try {
          renameSync(file, `${file}.stale-${process.pid}`);
          unlinkSync(`${file}.stale-${process.pid}`);
        } catch {
          /* another run moved it first */
        }
      }
    }
    return { busy: -1 };
  } finally {
    rmSync(mine, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  // a killed run whose parent died with it stays a zombie until PID 1 reaps it, and in a container
  // PID 1 may never do so: a zombie holds no lock (Linux: state Z in /proc/<pid>/stat)
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}
