// One benchmark case in its own process (so its peak RSS is its own): does the work, then prints one
// line `BENCH {json}` with rows, bytes, wall and CPU seconds of the work, the time the process took to
// get there (node + tsx + imports), peak RSS (process.resourceUsage().maxRSS) and, when run with
// --expose-gc, the heap still in use after a forced collection.
//
//   tsx pipeline/bench/case.ts <case> '<json args>'
//   cases: floor-csv {file} · floor-xlsx {file} · core {data} · cli {data, out} · duckdb {file}
import { createReadStream, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

interface Measured {
  rows: number;
  bytes: number;
  extra?: Record<string, unknown>;
}

const cases: Record<string, (a: Record<string, unknown>) => Promise<Measured>> = {
  /** papaparse on a decoded utf8 stream, `chunk` callback, nothing else */
  async 'floor-csv'(a) {
    const file = a.file as string;
    const { default: Papa } = await import('papaparse');
    return start(async () => {
      let rows = 0;
      await new Promise<void>((resolve, reject) =>
        Papa.parse(createReadStream(file, { encoding: 'utf8', highWaterMark: 64 * 1024 }) as never, {
          // the options the core's CSV reader gives papaparse (ingest/read.ts, read-detail-stream.ts)
          header: false,
          dynamicTyping: false,
          skipEmptyLines: false,
          delimitersToGuess: [',', '\t', ';', '|'],
          chunk: (r: { data: unknown[] }) => void (rows += r.data.length),
          complete: () => resolve(),
          error: reject,
        } as never),
      );
      return { rows, bytes: statSync(file).size };
    });
  },

  /** exceljs's streaming WorkbookReader over every row, nothing else */
  async 'floor-xlsx'(a) {
    const file = a.file as string;
    const { default: ExcelJS } = await import('exceljs');
    return start(async () => {
      let rows = 0;
      const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' } as never);
      for await (const ws of reader) for await (const row of ws as unknown as AsyncIterable<unknown>) void row, rows++;
      return { rows, bytes: statSync(file).size };
    });
  },

  /**
   * The core without outputs: `banbao report`'s computePeriod (reference data, context, every file
   * read, validated, derived, reconciled) on a data folder, as the CLI runs it before writing.
   */
  async core(a) {
    const data = a.data as string;
    const { loadReference } = await import('../reference/load.ts');
    const { computePeriod } = await import('../report.ts');
    await import('exceljs'); // loaded before the clock, as for its floor
    const sub = path.join(data, 'submissions', '2018H1');
    const files = readdirSync(sub).map((f) => path.join(sub, f));
    const bytes = files.reduce((s, f) => s + statSync(f).size, 0);
    const rows = (a.rows as number | undefined) ?? files.reduce((s, f) => s + countLines(f), 0);
    return start(async () => {
      const ref = loadReference(data);
      const log = { info: () => {}, warn: () => {} };
      const r = (await computePeriod('2018H1', { dataDir: data, outDir: '', ref, log, toolVersion: 'bench' }, new Map()))!;
      const byCode = new Map<string, number>();
      for (const f of r.findings) byCode.set(f.code, (byCode.get(f.code) ?? 0) + 1);
      const perUnit = new Map<string, number>();
      for (const v of r.values) {
        const m = /^明细合计 (\d+) 行$/.exec(v.raw);
        if (m) perUnit.set(v.unit, Math.max(perUnit.get(v.unit) ?? 0, +m[1]));
      }
      const refused = [...new Set(r.findings.filter((f) => f.severity === 'error' && (f.code === 'limit.exceeded' || f.code.startsWith('file.'))).map((f) => `${path.basename(f.file)}: ${f.code}`))].sort();
      return {
        rows,
        bytes,
        extra: {
          files: files.length,
          rowsCounted: [...perUnit.values()].reduce((x, y) => x + y, 0),
          refused,
          findings: r.findings.length,
          byCode: Object.fromEntries([...byCode].sort((x, y) => y[1] - x[1])),
          reconciliation: r.reconciliation.filter((x) => x.text).map((x) => `${x.scope} ${x.indicator} ${x.text} [${x.lo}, ${x.hi}] → ${x.computed ?? '—'} ${x.status}`),
        },
      };
    });
  },

  /**
   * The real CLI: `banbao report --data <dir> --period 2018H1 --out <out>` (report-cli.ts, the code path
   * of `make report`), in this process so its peak RSS and CPU are measured like every other case.
   */
  async cli(a) {
    const data = a.data as string;
    const { runReport } = await import('../report-cli.ts');
    const sub = path.join(data, 'submissions', '2018H1');
    const files = readdirSync(sub).map((f) => path.join(sub, f));
    const bytes = files.reduce((s, f) => s + statSync(f).size, 0);
    const rows = (a.rows as number | undefined) ?? files.reduce((s, f) => s + countLines(f), 0);
    const lines: string[] = [];
    return start(async () => {
      const code = await runReport(['--data', data, '--period', '2018H1', '--out', a.out as string], { info: (m) => lines.push(m), warn: (m) => lines.push(m) });
      return { rows, bytes, extra: { files: files.length, exit: code, ...whatWasRead(path.join(a.out as string, '2018H1')), summary: lines.filter((l) => /个文件|核对|✓|✗|…/.test(l)).slice(0, 20) } };
    });
  },

  /** DuckDB reads the same CSV and sums by county: the reference for this machine */
  async duckdb(a) {
    const file = a.file as string;
    // installed into .cache/duckdb by `make bench`, never as a dependency of the tool: its platform
    // packages are not all served for the same version, which would break `npm ci` elsewhere
    const entry = path.resolve('.cache/duckdb/node_modules/@duckdb/node-api/lib/index.js');
    // typed loosely: the package is not installed where tsc looks
    interface DuckRows { getRowObjects(): Record<string, unknown>[]; currentRowCount: number }
    interface DuckConn { runAndReadAll(sql: string): Promise<DuckRows> }
    const { DuckDBInstance, version } = (await import(pathToFileURL(entry).href)) as {
      DuckDBInstance: { create(path: string): Promise<{ connect(): Promise<DuckConn> }> };
      version(): string;
    };
    return start(async () => {
      const db = await DuckDBInstance.create(':memory:');
      const c = await db.connect();
      const q = (col: string) => `sum(try_cast("${col}" AS BIGINT))`;
      const sql = `SELECT substr("村社代码", 1, 6) AS county, count(*) AS n, ${['悬挂红色标识的行政村', '悬挂红色标识的城市社区', '调整村社干部', '其中党组织书记'].map(q).join(', ')}
        FROM read_csv('${file.replace(/'/g, "''")}', header = true, all_varchar = true) GROUP BY 1`;
      const res = await c.runAndReadAll(sql);
      const rows = res.getRowObjects().reduce((s: number, r) => s + Number(r.n), 0);
      const threads = (await c.runAndReadAll(`SELECT current_setting('threads') AS t`)).getRowObjects()[0].t;
      return { rows, bytes: statSync(file).size, extra: { counties: res.currentRowCount, threads: Number(threads), version: version() } };
    });
  },

};

/** Data rows of a CSV (lines after the header), counted before the clock: not part of the work. */
function countLines(file: string): number {
  const b = readFileSync(file);
  let n = 0;
  for (let i = 0; i < b.length; i++) if (b[i] === 10) n++;
  return Math.max(0, n - 1);
}

let importedAt = 0;
async function start(work: () => Promise<Measured>) {
  importedAt = performance.now();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const m = await work();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { ...m, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

async function main() {
  const [name, json] = process.argv.slice(2);
  const fn = cases[name];
  if (!fn) throw new Error(`unknown case ${name}; known: ${Object.keys(cases).join(', ')}`);
  const r = await fn(JSON.parse(json ?? '{}'));
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  // what the run still holds (its result included), as opposed to heap the collector has not returned yet
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const retainedMB = gc ? process.memoryUsage().heapUsed / 1048576 : null;
  process.stdout.write(`BENCH ${JSON.stringify({ case: name, ...r, startupSeconds: importedAt / 1000, maxRssMB, retainedMB })}\n`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error)?.stack ?? e}\n`);
  process.exit(1);
});

/**
 * What a CLI run really read, from its own outputs: the detail rows it counted (each unit's
 * “明细合计 N 行” in reconciled.csv) and the files it refused (limit.exceeded, file.*): a run that
 * refused its input is timed as a refusal, never as a reading.
 */
function whatWasRead(dir: string): { rowsCounted: number; refused: string[] } {
  const perUnit = new Map<string, number>();
  const csv = readFileSync(path.join(dir, 'reconciled.csv'), 'utf8');
  for (const m of csv.matchAll(/^[^,\n]*,(\d+),.*明细合计 (\d+) 行/gm)) perUnit.set(m[1], Math.max(perUnit.get(m[1]) ?? 0, +m[2]));
  const findings = (JSON.parse(readFileSync(path.join(dir, 'findings.json'), 'utf8')) as { findings: { code: string; severity: string; file: string }[] }).findings;
  const refused = [...new Set(findings.filter((f) => f.severity === 'error' && (f.code === 'limit.exceeded' || f.code.startsWith('file.'))).map((f) => `${f.file}: ${f.code}`))].sort();
  return { rowsCounted: [...perUnit.values()].reduce((a, b) => a + b, 0), refused };
}
