// Golden files: a case's expected output is committed under test/golden/; a run that differs writes
// test/golden/<case>-changed/ and fails, listing what differs. Goldens are regenerated only on
// purpose (`make golden`, i.e. UPDATE_GOLDEN=1), never in CI.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers.ts';

export const GOLDEN = path.join(ROOT, 'test/golden');

/** Compares `actual` (JSON-able) with test/golden/<name>.json; returns a list of differences. */
export function compareGolden(name: string, actual: unknown): string[] {
  const file = path.join(GOLDEN, `${name}.json`);
  const text = JSON.stringify(actual, null, 2) + '\n';
  const changedDir = path.join(GOLDEN, `${name.split('/')[0]}-changed`);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    rmSync(changedDir, { recursive: true, force: true });
    return [];
  }
  if (!existsSync(file)) return [`missing golden ${path.relative(ROOT, file)} (run make golden)`];
  const expected = readFileSync(file, 'utf8');
  if (expected === text) return [];
  const out = path.join(changedDir, `${path.basename(name)}.json`);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, text);
  const a = expected.split('\n');
  const b = text.split('\n');
  const diffs: string[] = [];
  for (let i = 0; i < Math.max(a.length, b.length) && diffs.length < 12; i++)
    if (a[i] !== b[i]) diffs.push(`line ${i + 1}: golden ${JSON.stringify(a[i] ?? '')} → now ${JSON.stringify(b[i] ?? '')}`);
  return [`${path.relative(ROOT, file)} differs (new output in ${path.relative(ROOT, out)}):`, ...diffs];
}
