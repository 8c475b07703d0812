// `make dist`: the tool bundled to JavaScript runs with Node alone. The tarball is unpacked in a
// temporary folder that has no node_modules and no npm on its PATH, and `report` and `validate` run on
// the shipped sample; the report it writes is byte for byte the one the TypeScript sources write.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers.ts';

const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

let tmp: string;
let unpacked: string;
let tarball: string;

/** Every file under dir, relative, sorted. */
function files(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(dir, rel)).sort()) {
    // reports/<period> is a link to a hidden versioned folder (.<period>.v<pid>-<n>): walked through the link only
    if (name.startsWith('.')) continue;
    const r = path.join(rel, name);
    if (statSync(path.join(dir, r)).isDirectory()) out.push(...files(dir, r));
    else out.push(r);
  }
  return out;
}

function buildTarball(into: string): string {
  execFileSync(TSX, ['pipeline/tools/build-dist.ts', '--out', path.join(into, 'build', 'banbao'), '--tar', path.join(into, 'dist')], { cwd: ROOT, stdio: 'pipe' });
  return path.join(into, 'dist', `banbao-${VERSION}.tar.gz`);
}

/** A PATH with node and what the launcher uses (sh, dirname), and nothing else: no npm, no npx. */
function nodeOnlyEnv(): NodeJS.ProcessEnv {
  const bin = mkdtempSync(path.join(tmp, 'bin-'));
  for (const [name, target] of [['node', process.execPath], ['sh', '/bin/sh'], ['dirname', execFileSync('sh', ['-c', 'command -v dirname'], { encoding: 'utf8' }).trim()]]) {
    execFileSync('ln', ['-s', target, path.join(bin, name)]);
  }
  return { PATH: bin, HOME: tmp, TZ: 'UTC', LANG: 'C.UTF-8' };
}

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'banbao-dist-'));
  tarball = buildTarball(path.join(tmp, 'a'));
  const into = path.join(tmp, 'unpack');
  execFileSync('mkdir', ['-p', into]);
  execFileSync('tar', ['-xzf', tarball, '-C', into]);
  unpacked = path.join(into, `banbao-${VERSION}`);
}, 180_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('make dist', () => {
  it('is one folder with a launcher, the bundle, its data, and no node_modules at its top', () => {
    expect(existsSync(tarball)).toBe(true);
    expect(readdirSync(path.dirname(unpacked))).toEqual([`banbao-${VERSION}`]);
    const top = readdirSync(unpacked).sort();
    expect(top).toEqual(expect.arrayContaining(['banbao', 'data', 'lib', 'package.json']));
    expect(top).not.toContain('node_modules');
    expect(statSync(path.join(unpacked, 'banbao')).mode & 0o111).not.toBe(0);
    // no TypeScript and no sources: the lib is JavaScript
    expect(files(unpacked).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
  });

  it('writes the same tarball bytes from the same sources', () => {
    const again = buildTarball(path.join(tmp, 'b'));
    expect(readFileSync(again).equals(readFileSync(tarball))).toBe(true);
  }, 180_000);

  it('runs report with Node alone and writes what the sources write', () => {
    const env = nodeOnlyEnv();
    expect(spawnSync('/bin/sh', ['-c', 'command -v npm || command -v npx'], { env }).status).not.toBe(0);
    const out = path.join(tmp, 'out-dist');
    const r = spawnSync(path.join(unpacked, 'banbao'), ['report', '--out', out], { cwd: unpacked, env, encoding: 'utf8' });
    expect(r.stderr).not.toMatch(/at .*\.js:\d+|Error:/);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('2018H1');

    const ref = path.join(tmp, 'out-src');
    const s = spawnSync(TSX, ['pipeline/cli.ts', 'report', '--out', ref], { cwd: ROOT, encoding: 'utf8' });
    expect(s.status).toBe(0);
    const want = files(ref).filter((f) => path.basename(f) !== 'manifest.json');
    expect(want.length).toBeGreaterThan(40);
    expect(files(out).filter((f) => path.basename(f) !== 'manifest.json')).toEqual(want);
    const differ = want.filter((f) => !readFileSync(path.join(out, f)).equals(readFileSync(path.join(ref, f))));
    expect(differ).toEqual([]);
  }, 180_000);

  it('runs validate with Node alone on a sample file', () => {
    const env = nodeOnlyEnv();
    const dir = path.join(unpacked, 'data', 'submissions', '2018H1');
    const file = readdirSync(dir).find((f) => f.endsWith('.xlsx'))!;
    const out = path.join(tmp, 'validate');
    const r = spawnSync(path.join(unpacked, 'banbao'), ['validate', path.join(dir, file), '--out', out], { cwd: unpacked, env, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(file);
    const json = JSON.parse(readFileSync(path.join(out, 'findings.json'), 'utf8')) as unknown;
    expect(json).toBeTruthy();
  }, 60_000);
});
