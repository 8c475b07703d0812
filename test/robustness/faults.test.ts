// Faults: the real CLI killed (SIGKILL) at random moments, two runs at once, a stale lock, inputs
// that change between runs, links that lead nowhere. What must hold: a period folder is always a
// complete run (its manifest's hashes match every file in it), the previous outputs survive a killed
// run, the next run cleans up, and no command ever changes a byte (or an mtime) of its inputs.
// One copy of data/ serves the whole file, in order (vitest runs a file's tests one after another):
// first run → kills in two output folders at once (the last one also meets a second, concurrent run:
// the lock) → final run with a changed input and broken links → validate, diff, template → inputs compared.
import { cpSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireLock, recoverInterrupted, swapIntoPlace } from '../../pipeline/io.ts';
import { dataCopy, fileExists, isAlive, listTree, prng, readInChild, runCli, sha256, sleep, snapshotTree, startCli, waitFor, type CliResult } from './support.ts';

const SEED = 20181231;
const KILLS = 12;
/** kills before the outputs start; the rest but one while writing; the last at the swap */
const STARTUP_KILLS = 4;
const PERIOD = '2018H1';

let tmp: string;
let data: string;
let out: string;
let inputsAtStart: Map<string, string>;
/** output file → sha256 of the first complete run (manifest.json aside: it records the run's time) */
let firstRun: Map<string, string>;
/** ms from spawn to the "输出 outputs" line, and to the end, in the first run */
let phase = { toOutputs: 0, total: 0 };
/** (b) a second run started while the last killed run held the lock (see the kills below) */
let busy: { dir: string; holder: string; second: CliResult; firstStillRunning: boolean } | undefined;

/** (e) started at once and given 5 s from when the child is ready: it overlaps the first run */
let fifoRead: ReturnType<typeof readInChild>;

beforeAll(() => {
  ({ tmp, data } = dataCopy('faults'));
  out = path.join(tmp, 'reports');
  inputsAtStart = snapshotTree(data);
  const fifo = path.join(tmp, 'pipe');
  expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
  symlinkSync(fifo, path.join(tmp, '鄞州区_2018H1.csv'));
  fifoRead = readInChild(path.join(tmp, '鄞州区_2018H1.csv'), 5_000);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const report = (outDir = out) => ['report', '--period', PERIOD, '--data', data, '--out', outDir];

/**
 * What a reader of the output folder may see after any interruption: each period folder holds
 * exactly the files its manifest lists, each with the recorded sha256 and size; anything else is a
 * staging folder, a temp file, a displaced previous run, or the lock — never a half-written output.
 */
function checkOutputs(dir: string): { periods: Map<string, Map<string, string>>; leftovers: string[] } {
  const periods = new Map<string, Map<string, string>>();
  const leftovers: string[] = [];
  // reports/<period> is a link to the folder of a complete run (.<period>.v<pid>-<n>): that one is no leftover
  const live = new Set(readdirSync(dir).filter((n) => /^\d{4}H[12]$/.test(n) && lstatSync(path.join(dir, n)).isSymbolicLink()).map((n) => readlinkSync(path.join(dir, n))));
  for (const name of readdirSync(dir).sort()) {
    if (live.has(name)) continue;
    if (!/^\d{4}H[12]$/.test(name)) {
      expect(name).toMatch(/^\.staging-\d{4}H[12]-\d+$|^\d{4}H[12]\.old-\d+$|^\.\d{4}H[12]\.v\d+-[0-9a-z]+$|^\.\d{4}H[12]\.link-\d+$|\.tmp-\d+$|^\.banbao\.lock$/);
      leftovers.push(name.replace(/\d+$/, '<pid>').replace(/\.v\d+-[0-9a-z]+$/, '.v<pid>-<n>'));
      continue;
    }
    const manifest = JSON.parse(readFileSync(path.join(dir, name, 'manifest.json'), 'utf8')) as { outputs: { file: string; sha256: string; bytes: number }[] };
    const hashes = new Map<string, string>();
    for (const o of manifest.outputs) {
      const bytes = readFileSync(path.join(dir, name, o.file));
      expect([o.file, sha256(bytes), bytes.length]).toEqual([o.file, o.sha256, o.bytes]);
      hashes.set(o.file, o.sha256);
    }
    const files = listTree(path.join(dir, name)).filter((p) => !p.endsWith('/'));
    expect(files.sort()).toEqual([...hashes.keys(), 'manifest.json'].sort());
    periods.set(name, hashes);
  }
  return { periods, leftovers };
}

function startedAt(dir: string): string {
  return (JSON.parse(readFileSync(path.join(dir, PERIOD, 'manifest.json'), 'utf8')) as { run: { started_at: string } }).run.started_at;
}

/** A killed run's worker may linger a moment (it is reaped by init): wait until its pid is gone. */
async function waitLockHolderGone(dir: string): Promise<void> {
  const lock = path.join(dir, '.banbao.lock');
  if (!fileExists(lock)) return;
  const pid = Number(readFileSync(lock, 'utf8').trim());
  if (pid) await waitFor(() => !isAlive(pid), 5_000, 20);
}

describe('(a) outputs are atomic: a run killed at any moment leaves the previous run intact', () => {
  it('a first complete run: every output is in the manifest with its sha256', async () => {
    const t0 = Date.now();
    const run = startCli(report());
    await waitFor(() => run.stdout().includes(`[${PERIOD}] 输出`) || run.child.exitCode !== null, 300_000, 20);
    const toOutputs = Date.now() - t0;
    const r = await run.done;
    phase = { toOutputs, total: r.ms };
    expect(r.status, r.stderr).toBe(0);
    const { periods, leftovers } = checkOutputs(out);
    expect([...periods.keys()]).toEqual([PERIOD]);
    expect(leftovers).toEqual([]);
    firstRun = periods.get(PERIOD)!;
    expect(firstRun.size).toBeGreaterThan(20);
    // reports/<period> is a link: copied as the folder it leads to (cp -r needs -L likewise)
    cpSync(path.join(out, PERIOD), path.join(tmp, 'first', PERIOD), { recursive: true, dereference: true });
  }, 300_000);

  it(`killed ${KILLS} times at seeded random moments: each time the folder is still the previous complete run, byte for byte`, async () => {
    const random = prng(SEED);
    // the schedule is drawn up front, so it is the same however the two lanes interleave
    const schedule = Array.from({ length: KILLS }, (_, i) =>
      i < STARTUP_KILLS
        ? { kind: 'startup' as const, ms: Math.round(200 + random() * Math.max(0, phase.toOutputs - 200)) }
        : i < KILLS - 1
          ? { kind: 'writing' as const, ms: Math.round(random() * Math.min(4000, phase.total - phase.toOutputs)) }
          : { kind: 'swap' as const, ms: 0 },
    );
    // two output folders, each starting from the first run, killed in turn: two lanes use both cores
    const lanes = [out, path.join(tmp, 'reports-b')];
    // lane B as lane A is: the period a link to its version folder. (A real folder there is the layout
    // of a version before links, moved aside once by the first swap: between that move and the link's
    // rename the period has no folder — the window the next run repairs, tested below by a crash
    // between the two renames; this test's kill "at the swap" landed in it once under load.)
    const version = readlinkSync(path.join(out, PERIOD));
    cpSync(path.join(tmp, 'first', PERIOD), path.join(lanes[1], version), { recursive: true });
    symlinkSync(version, path.join(lanes[1], PERIOD));
    const log: string[] = [];
    const landed: Record<string, number> = {};
    let killed = 0;

    async function lane(dir: string, jobs: number[]): Promise<void> {
      let previous = { started: startedAt(dir), hashes: firstRun, manifest: readFileSync(path.join(dir, PERIOD, 'manifest.json')) };
      // a lock left by a dead process, to start with: the first run must take it over
      writeFileSync(path.join(dir, '.banbao.lock'), String(spawnSync('true').pid));
      for (const i of jobs) {
        const job = schedule[i];
        await waitLockHolderGone(dir);
        const run = startCli(report(dir));
        let when: string;
        if (job.kind === 'startup') {
          // start-up, reading, validating (and the cleanup after the last killed run)
          await Promise.race([sleep(job.ms), run.done]);
          when = `${job.ms} ms after start`;
        } else if (job.kind === 'writing') {
          // while writing: the CSVs, the workbook, the charts, the first PNGs
          await waitFor(() => run.stdout().includes(`[${PERIOD}] 输出`) || run.child.exitCode !== null, 300_000, 5);
          await Promise.race([sleep(job.ms), run.done]);
          when = `${job.ms} ms into writing`;
        } else {
          // (b) meanwhile, a second run on the same folder must find it busy
          // Its first line is printed after it took the lock. It is then frozen (SIGSTOP to its
          // process group) while the second run starts and checks, so the two overlap for certain
          // however fast this machine runs the first; then it is let go (SIGCONT) on to the swap.
          await waitFor(() => run.stdout().includes('banbao ') || run.child.exitCode !== null, 300_000, 5);
          const holder = fileExists(path.join(dir, '.banbao.lock')) ? readFileSync(path.join(dir, '.banbao.lock'), 'utf8').trim() : '';
          run.signal('SIGSTOP');
          const second = await startCli(report(dir)).done;
          busy = { dir, holder, second, firstStillRunning: run.child.exitCode === null };
          run.signal('SIGCONT');
          // at the swap: the staging folder complete, or the previous run moved aside
          const swapping = () => readdirSync(dir).some((n) => /\.old-\d+$/.test(n) || (n.startsWith('.staging-') && fileExists(path.join(dir, n, 'manifest.json'))));
          await waitFor(() => swapping() || run.child.exitCode !== null, 300_000, 1);
          when = 'at the swap';
        }
        run.kill();
        const r = await run.done;
        expect(r.status, `run ${i} found the folder busy: ${r.stderr}`).not.toBe(3);
        if (r.signal === 'SIGKILL') killed++;
        const { periods, leftovers } = checkOutputs(dir);
        expect([...periods.keys()]).toEqual([PERIOD]);
        const started = startedAt(dir);
        let state: string;
        if (started === previous.started) {
          // not replaced: the previous run, untouched
          expect(periods.get(PERIOD)).toEqual(previous.hashes);
          expect(readFileSync(path.join(dir, PERIOD, 'manifest.json')).equals(previous.manifest)).toBe(true);
          state = 'previous run intact';
        } else {
          // the kill came after the swap: a complete new run (checkOutputs verified every hash)
          previous = { started, hashes: periods.get(PERIOD)!, manifest: readFileSync(path.join(dir, PERIOD, 'manifest.json')) };
          state = 'new run complete';
        }
        landed[state] = (landed[state] ?? 0) + 1;
        log[i] = `  kill ${String(i + 1).padStart(2)} (${dir === out ? 'A' : 'B'}): ${when.padEnd(22)} → ${state}; left: ${leftovers.join(' ') || '—'}`;
      }
    }
    const jobs = schedule.map((_, i) => i);
    await Promise.all([lane(lanes[0], jobs.filter((i) => i % 2 === 0)), lane(lanes[1], jobs.filter((i) => i % 2 === 1))]);
    console.log(
      `faults: ${killed} of ${KILLS} runs killed with SIGKILL (first run: outputs from ${phase.toOutputs} ms, done at ${phase.total} ms); ` +
        `every time ${PERIOD}/ was a complete run whose files match its manifest (${Object.entries(landed).map(([k, n]) => `${k}: ${n}`).join(', ')})\n${log.join('\n')}`,
    );
    expect(killed).toBeGreaterThanOrEqual(KILLS - 2);
    expect(landed['previous run intact']).toBeGreaterThanOrEqual(STARTUP_KILLS);
    // lane B is cleaned up by the recovery the CLI runs first (lane A by the real run in (d, e) below)
    await waitLockHolderGone(lanes[1]);
    recoverInterrupted(lanes[1]);
    const b = checkOutputs(lanes[1]);
    expect(b.leftovers.filter((n) => n !== '.banbao.lock')).toEqual([]);
  }, 600_000);

  it('a crash between the two renames of the swap (too short a window to hit with a kill) is undone by the next run', () => {
    const dir = path.join(tmp, 'swap');
    cpSync(path.join(tmp, 'first', PERIOD), path.join(dir, PERIOD), { recursive: true });
    cpSync(path.join(tmp, 'first', PERIOD), path.join(dir, `.staging-${PERIOD}-999999`), { recursive: true });
    writeFileSync(path.join(dir, `.staging-${PERIOD}-999999`, 'findings.csv'), 'half');
    // as if killed after "final → final.old" and before "staging → final"
    cpSync(path.join(dir, PERIOD), path.join(dir, `${PERIOD}.old-999999`), { recursive: true });
    rmSync(path.join(dir, PERIOD), { recursive: true });
    writeFileSync(path.join(dir, `reconciled.csv.tmp-999999`), 'half');
    const notes = recoverInterrupted(dir);
    expect(notes).toEqual([`removed unfinished .staging-${PERIOD}-999999`, `restored ${PERIOD} from an interrupted run`]);
    expect(readdirSync(dir)).toEqual([PERIOD]);
    expect(checkOutputs(dir).periods.get(PERIOD)).toEqual(firstRun);
    // and a swap that completes leaves nothing behind
    cpSync(path.join(dir, PERIOD), path.join(dir, 'next'), { recursive: true });
    swapIntoPlace(path.join(dir, 'next'), path.join(dir, PERIOD));
    expect(readdirSync(dir).sort()).toEqual([PERIOD, readlinkSync(path.join(dir, PERIOD))].sort());
    expect(checkOutputs(dir).leftovers).toEqual([]);
  });
});

describe('(b) one run at a time per output folder', () => {
  it('a second run while the first holds the lock exits 3, naming the folder and the process that holds it', () => {
    // started during the last kill run of (a), once that run had printed its first line (lock held)
    expect(busy).toBeDefined();
    const { dir, holder, second, firstStillRunning } = busy!;
    expect(firstStillRunning, 'the first run ended before the second one checked the lock').toBe(true);
    expect(holder).toMatch(/^\d+$/);
    expect(second.status).toBe(3);
    expect(second.stderr).toContain(`另一个 banbao report 正在写 ${dir}（进程 ${holder}）：请等它结束后再运行`);
    expect(second.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it('a lock left by a process that is gone is taken over (and by every run after a kill above)', () => {
    const dir = path.join(tmp, 'reports-stale');
    mkdirSync(dir, { recursive: true });
    const dead = spawnSync('true').pid!;
    expect(isAlive(dead)).toBe(false);
    writeFileSync(path.join(dir, '.banbao.lock'), String(dead));
    const lock = acquireLock(dir);
    expect('release' in lock).toBe(true);
    expect(readFileSync(path.join(dir, '.banbao.lock'), 'utf8')).toBe(String(process.pid));
    if ('release' in lock) lock.release();
    expect(fileExists(path.join(dir, '.banbao.lock'))).toBe(false);
  });

  it('exit 3 means only "another run holds the lock": an output folder that cannot be created is another exit status', () => {
    const file = path.join(tmp, 'not-a-folder');
    writeFileSync(file, '');
    const r = runCli(['report', '--period', PERIOD, '--data', data, '--out', path.join(file, 'reports')]);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
    expect(r.status).not.toBe(3);
  }, 120_000);

  it('a lock file whose holder has created it but not yet written its pid is not taken over', () => {
    const dir = path.join(tmp, 'reports-race');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, '.banbao.lock'), ''); // the instant between openSync(…, 'wx') and writeSync(pid)
    const lock = acquireLock(dir);
    if ('release' in lock) lock.release();
    expect('busy' in lock).toBe(true);
  });
});

describe('(d, e) the next run: recovers, notices a changed input, and reads around links that lead nowhere', () => {
  let final: CliResult;
  let inputsBeforeFinal: Map<string, string>;
  const sub = () => path.join(data, 'submissions', PERIOD);

  beforeAll(async () => {
    await waitLockHolderGone(out);
    // (d) 鄞州区 corrects one figure between runs
    const file = path.join(sub(), '鄞州区_2018H1.csv');
    const text = readFileSync(file, 'utf8');
    const edited = text.replace(/^(\d+,[^,\n]*,一线挂职干部,[^,\n]*,)(\d+)/m, (_, head: string, n: string) => `${head}${Number(n) + 1}`);
    expect(edited).not.toBe(text);
    writeFileSync(file, edited);
    // (e) a link to nowhere, a link to itself, a link to a folder
    symlinkSync(path.join(tmp, 'gone', '奉化区_补报.xlsx'), path.join(sub(), '奉化区_补报.xlsx'));
    symlinkSync('循环.csv', path.join(sub(), '循环.csv'));
    symlinkSync(tmp, path.join(sub(), '文件夹.csv'));
    inputsBeforeFinal = snapshotTree(data);
    final = runCli(report());
  }, 300_000);

  it('completes, exit 1 (the unreadable files are errors), and leaves no staging folder, old folder, temp file or lock', () => {
    expect(final.stderr).not.toMatch(/内部错误|at .*\.ts:\d+/);
    expect(final.status, final.stderr).toBe(1);
    const { periods, leftovers } = checkOutputs(out);
    expect([...periods.keys()]).toEqual([PERIOD]);
    expect(leftovers).toEqual([]);
  });

  it('(d) says which input changed since the last run, and the manifest records its new hash', () => {
    expect(final.stdout).toContain(`[${PERIOD}] 与上次运行相比，以下报送文件已变化：鄞州区_2018H1.csv`);
    const manifest = JSON.parse(readFileSync(path.join(out, PERIOD, 'manifest.json'), 'utf8')) as { inputs: { file: string; sha256: string }[] };
    const yz = manifest.inputs.find((i) => i.file === '鄞州区_2018H1.csv')!;
    expect(yz.sha256).toBe(sha256(readFileSync(path.join(sub(), '鄞州区_2018H1.csv'))));
    const before = JSON.parse(readFileSync(path.join(tmp, 'first', PERIOD, 'manifest.json'), 'utf8')) as { inputs: { file: string; sha256: string }[] };
    expect(before.inputs.find((i) => i.file === '鄞州区_2018H1.csv')!.sha256).not.toBe(yz.sha256);
    // the other inputs are recorded unchanged
    expect(manifest.inputs.filter((i) => i.file !== '鄞州区_2018H1.csv')).toEqual(expect.arrayContaining(before.inputs.filter((i) => i.file !== '鄞州区_2018H1.csv').map((i) => expect.objectContaining(i))));
  });

  it('(e) each link is a file.unreadable finding naming the file, and every other file is still reported', () => {
    const csv = (f: string) => Papa.parse<Record<string, string>>(readFileSync(path.join(out, PERIOD, f), 'utf8').replace(/^\ufeff/, ''), { header: true, skipEmptyLines: true }).data;
    const unreadable = csv('findings.csv').filter((f) => f.code === 'file.unreadable');
    expect(unreadable.map((f) => [f.file, f.severity]).sort()).toEqual([
      ['奉化区_补报.xlsx', 'error'],
      ['循环.csv', 'error'],
      ['文件夹.csv', 'error'],
    ]);
    for (const f of unreadable) expect(f.message).toMatch(/^读取文件时出错（E[A-Z]+）：请确认文件仍在并可读取$/);
    expect(unreadable.map((f) => /（(E[A-Z]+)）/.exec(f.message)![1]).sort()).toEqual(['EISDIR', 'ELOOP', 'ENOENT']);
    const reconciliation = csv('reconciliation.csv');
    expect(reconciliation.find((r) => r.published_id === 'inspections')).toMatchObject({ computed: '3164', status: 'match' });
    expect(new Set(csv('reconciled.csv').map((r) => r.unit)).size).toBe(11);
  });

  it('(e) a link to a FIFO (a pipe nobody writes) is a finding within 5 s, not a run that waits forever', async () => {
    const r = await fifoRead;
    expect(r.finished).toBe(true);
  }, 300_000);

  describe('(c) inputs are never modified', () => {
    it('by report (the first run, the killed runs, the final run)', () => {
      // what changed is exactly what the test changed itself, before the final run
      const changed = [...inputsBeforeFinal].filter(([k, v]) => inputsAtStart.get(k) !== v).map(([k]) => k).sort();
      expect(changed).toEqual([`submissions/${PERIOD}/奉化区_补报.xlsx`, `submissions/${PERIOD}/循环.csv`, `submissions/${PERIOD}/文件夹.csv`, `submissions/${PERIOD}/鄞州区_2018H1.csv`].sort());
      expect(snapshotTree(data)).toEqual(inputsBeforeFinal);
    });

    it('by validate, which writes annotated copies of the workbooks', () => {
      const files = readdirSync(sub()).filter((f) => !f.endsWith('.yaml')).map((f) => path.join(sub(), f));
      // --period 2018H2 on 2018H1 files: every file gets a finding, so every workbook gets a copy
      const r = runCli(['validate', ...files, '--period', '2018H2', '--data', data, '--out', path.join(tmp, 'validate')]);
      expect(r.stderr).not.toMatch(/内部错误|at .*\.ts:\d+/);
      expect(r.status).toBe(1);
      const copies = readdirSync(path.join(tmp, 'validate')).filter((f) => f.endsWith('.annotated.xlsx'));
      expect(copies.length).toBe(7);
      expect(snapshotTree(data)).toEqual(inputsBeforeFinal);
    });

    it('by diff (which reads two report folders and changes neither)', () => {
      const a = path.join(tmp, 'first', PERIOD);
      const b = path.join(out, PERIOD);
      const before = [snapshotTree(a), snapshotTree(b)];
      const r = runCli(['diff', a, b, '--out', path.join(tmp, 'diff')]);
      expect(r.stderr).not.toMatch(/内部错误|at .*\.ts:\d+/);
      expect(r.status, r.stderr).toBe(0);
      expect(listTree(path.join(tmp, 'diff'))).toEqual(expect.arrayContaining([`${PERIOD}..${PERIOD}/diff.csv`]));
      expect([snapshotTree(a), snapshotTree(b)]).toEqual(before);
      expect(snapshotTree(data)).toEqual(inputsBeforeFinal);
    });

    it('by template (which reads the catalogue and the roster)', () => {
      const r = runCli(['template', '--period', PERIOD, '--data', data, '--out', path.join(tmp, 'templates')]);
      expect(r.stderr).not.toMatch(/内部错误|at .*\.ts:\d+/);
      expect(r.status, r.stderr).toBe(0);
      expect(listTree(path.join(tmp, 'templates')).filter((f) => f.endsWith('.xlsx')).length).toBeGreaterThanOrEqual(11);
      expect(snapshotTree(data)).toEqual(inputsBeforeFinal);
    });

    it('and nothing was ever written into data/', () => {
      expect(listTree(data).filter((p) => /\.tmp-|\.staging-|\.old-|\.annotated\.|\.lock$/.test(p))).toEqual([]);
    });
  });
});
