// Where the city-size `make report` spends its time: process start (node + tsx) → importing the CLI
// and the report command's modules → the first run (lazy imports, JIT warm-up, work) → a second run
// in the same process (the work alone, warm; the in-process SVG memo cleared between the runs). Prints one line `SPLIT {json}`.
//
//   tsx pipeline/bench/report-split.ts <out dir> [period]
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';

/** `--check-page`: check.html's browser bundle, taken from .cache/ as a run does, and built afresh (esbuild). */
async function checkPage() {
  const m = await import('../outputs/check-page.ts');
  let t = performance.now();
  const script = await m.checkPageScript();
  const cachedMs = performance.now() - t;
  t = performance.now();
  await m.freshBundle();
  const freshMs = performance.now() - t;
  process.stdout.write(`CHECKPAGE ${JSON.stringify({ cachedMs, freshMs, bytes: script.length })}\n`);
}

async function main() {
  if (process.argv[2] === '--check-page') return checkPage();
  const bootMs = performance.now(); // since the process started: node + tsx + this file
  const out = path.resolve(process.argv[2] ?? '.cache/bench/report-out');
  const period = process.argv[3];
  const args = ['report', '--out', out, ...(period ? ['--period', period] : [])];
  const t0 = performance.now();
  const cli = (await import('../cli.ts')) as { main: (argv: string[]) => Promise<number> };
  // the report command's own module tree, when the CLI loads it lazily (report-cli.ts)
  const reportCli = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'report-cli.ts');
  if (existsSync(reportCli)) await import(reportCli);
  const importMs = performance.now() - t0;
  // the charts' SVG is memoised within a process (the files and the page share renderings): the
  // second run starts without it, so that it renders every chart as a real run does
  const { clearSvgCache } = await import('../outputs/charts.ts');
  const stdout = process.stdout.write.bind(process.stdout);
  const run = async () => {
    rmSync(out, { recursive: true, force: true });
    clearSvgCache();
    process.stdout.write = (() => true) as typeof process.stdout.write; // the CLI's own progress lines
    const t = performance.now();
    try {
      const code = await cli.main(args);
      return { ms: performance.now() - t, code };
    } finally {
      process.stdout.write = stdout;
    }
  };
  const first = await run();
  const second = await run();
  stdout(`SPLIT ${JSON.stringify({ bootMs, importMs, firstRunMs: first.ms, secondRunMs: second.ms, exit: first.code, maxRssMB: process.resourceUsage().maxRSS / 1024 })}\n`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error)?.stack ?? e}\n`);
  process.exit(1);
});
