// The disk edge: list and read submissions (read-only), load side files, write outputs atomically.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { ChoicesFile, ConfirmationsFile } from '../schemas/submissions.ts';
import type { Choice, Confirmation } from './context.ts';
import { ReferenceDataError } from './reference/load.ts';
import type { SubmissionInput } from './run.ts';
import { cmp } from './compare.ts';

/** Side files and notes that live next to submissions but are not submissions. */
const NOT_SUBMISSIONS = /^(readme(\..*)?|confirmations\.ya?ml|choices\.ya?ml|\..*|~\$.*|thumbs\.db|desktop\.ini)$/i;

/** Submission files of a folder (not recursive), sorted; skipped names are returned too. */
export function listSubmissions(dir: string): { files: string[]; skipped: string[] } {
  if (!existsSync(dir)) return { files: [], skipped: [] };
  const files: string[] = [];
  const skipped: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => cmp(a.name, b.name))) {
    if (!e.isFile()) continue;
    (NOT_SUBMISSIONS.test(e.name) ? skipped : files).push(e.name);
  }
  return { files, skipped };
}

/** Reads a submission's bytes; a read error becomes data, not an exception. */
export function readInput(fullPath: string, shownAs: string): SubmissionInput {
  try {
    return { file: shownAs, bytes: new Uint8Array(readFileSync(fullPath)) };
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

/** Writes a file atomically: a temp file in the same folder, fsync, then rename over the target. */
export function writeAtomic(file: string, data: string | Uint8Array): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, file);
  } catch (e) {
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
