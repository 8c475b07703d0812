// What a user types after `make` is text, never code: a file name with a backtick, quotes and $(…)
// reaches banbao unchanged and runs nothing, through make's expansion and through the shell. Make is
// run from a scratch folder (links to the tool, its data and node_modules) so outputs land there; the
// npm install step is marked as done (-o), so nothing is installed.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers.ts';

let tmp: string;

function make(...args: string[]) {
  return spawnSync('make', ['-s', '-f', path.join(ROOT, 'Makefile'), '-o', 'node_modules/.package-lock.json', '-o', 'build/banbao/lib/cli.js', ...args], {
    cwd: tmp,
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC' },
  });
}

/** Files whose name says an injected command ran, anywhere it could have run. */
const pwned = () => [tmp, ROOT, os.tmpdir()].flatMap((d) => readdirSync(d).filter((f) => f.startsWith('pwned')));

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'banbao-make-'));
  for (const f of ['banbao', 'node_modules', 'data']) symlinkSync(path.join(ROOT, f), path.join(tmp, f));
});

describe('make passes FILE, PERIOD, FROM, TO as text', () => {
  it('validate FILE=<a name with `touch`, quotes and $(…)> checks that very file and runs nothing', () => {
    const name = '鄞州区_2018H2 a`touch pwned1`"\'$(x)$(shell touch pwned2);touch pwned3.csv';
    copyFileSync(path.join(ROOT, 'data/submissions/2018H2/鄞州区_2018H2.csv'), path.join(tmp, name));
    const r = make('validate', `FILE=${name}`);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`■ ${name}`);
    expect(r.stdout).toContain('没有发现问题');
    expect(pwned()).toEqual([]);
    expect(existsSync(path.join(tmp, 'reports/validate/findings.csv'))).toBe(true);
  }, 60_000);

  it('a PERIOD that is make or shell code is a usage error (make exits 2), and runs nothing', () => {
    const r = make('validate', 'FILE=x.csv', 'PERIOD=$(shell touch pwned4)`touch pwned5`');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('$(shell touch pwned4)`touch pwned5`');
    expect(pwned()).toEqual([]);
  }, 60_000);

  it('FROM and TO reach diff as they were typed', () => {
    const r = make('diff', 'FROM=$(shell touch pwned6)', 'TO=";touch pwned7;"');
    expect(r.status).toBe(2);
    expect(pwned()).toEqual([]);
  }, 60_000);

  it('a value given in the environment is text too', () => {
    const r = spawnSync('make', ['-s', '-f', path.join(ROOT, 'Makefile'), '-o', 'node_modules/.package-lock.json', '-o', 'build/banbao/lib/cli.js', 'template'], {
      cwd: tmp,
      encoding: 'utf8',
      env: { ...process.env, PERIOD: '$(shell touch pwned8)' },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('$(shell touch pwned8)');
    expect(pwned()).toEqual([]);
  }, 60_000);
});
