// Reliability, second round (issue 17): what the first round of attack tests did not reach.
//   1. ranges a library expands cell by cell (data validations, conditional formats, defined names)
//   2. memory: the limits and the memory they allow agree (a real file at the limit, peak RSS measured)
//   3. a closed stdout (`banbao report | head -1`)
//   4. no formula in any workbook banbao writes
//   5. the period folder is never absent, even killed inside the swap
//   6. a full disk: a failed run removes what it wrote
//   7. a FIFO, a link out of the submissions folder, `make report` killed at make
// One copy of data/ serves the file, in order (vitest runs a file's tests one after another).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, readSubmission } from '../../pipeline/ingest/read.ts';
import { DEFAULT_ZIP_LIMITS } from '../../pipeline/ingest/zip-guard.ts';
import { packageForExceljs } from '../../pipeline/ingest/xlsx-normalize.ts';
import { ROOT } from '../helpers.ts';
import { bigWorkbook } from './big-workbook.ts';
import { CLI, SHEET_XML_HEAD, TSX, dataCopy, fileExists, listTree, minimalXlsxParts, readInChild, runCli, sha256, sleep, waitFor, writeZip, type ZipEntry } from './support.ts';

const PERIOD = '2018H1';
let tmp: string;
let data: string;
let out: string;

beforeAll(() => {
  ({ tmp, data } = dataCopy('round2'));
  out = path.join(tmp, 'reports');
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const enc = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const NO_TRACE = /at [^\n]*\.(?:ts|js|mjs|cjs):\d+|内部错误/;

/** The text of every part of a zip whose name matches. */
async function partsOf(bytes: Uint8Array, name: RegExp): Promise<Map<string, string>> {
  const zip = await JSZip.loadAsync(bytes);
  const outParts = new Map<string, string>();
  for (const f of Object.values(zip.files)) if (!f.dir && name.test(f.name)) outParts.set(f.name, await f.async('string'));
  return outParts;
}

/** A one-sheet package with a styles part (conditional formats need its dxfs) and defined names. */
function workbookWith(sheetXml: string, definedNames = ''): Uint8Array {
  const parts: ZipEntry[] = minimalXlsxParts(sheetXml).map((p) => {
    const text = Buffer.from(p.data!).toString('utf8');
    if (p.name === 'xl/workbook.xml') return { ...p, data: enc(text.replace('</sheets>', `</sheets>${definedNames}`)) };
    if (p.name === 'xl/_rels/workbook.xml.rels')
      return { ...p, data: enc(text.replace('</Relationships>', '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>')) };
    if (p.name === '[Content_Types].xml')
      return { ...p, data: enc(text.replace('</Types>', '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>')) };
    return { ...p, method: 0 as const };
  });
  parts.push({
    name: 'xl/styles.xml',
    data: enc('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dxfs count="1"><dxf><font><b/></font></dxf></dxfs></styleSheet>'),
  });
  return writeZip(parts);
}

// ── 1 ───────────────────────────────────────────────────────────────────────────────────────────

const WHOLE = 'A1:XFD1048576';
/** A 7 KB workbook: a short form, and a validation, a conditional format and a name over the whole sheet. */
function hostileRanges(): { bytes: Uint8Array; rows: number } {
  const tail =
    `</sheetData><conditionalFormatting sqref="${WHOLE}"><cfRule type="cellIs" dxfId="0" priority="1" operator="lessThan"><formula>0</formula></cfRule></conditionalFormatting>` +
    `<dataValidations count="1"><dataValidation type="whole" operator="greaterThanOrEqual" allowBlank="1" sqref="${WHOLE}"><formula1>0</formula1></dataValidation></dataValidations></worksheet>`;
  const names = `<definedNames><definedName name="_xlnm.Print_Area" localSheetId="0">填报表!$A$1:$B$9</definedName><definedName name="数据区">填报表!$A$1:$XFD$1048576</definedName></definedNames>`;
  let rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>指标名称</t></is></c><c r="B1" t="inlineStr"><is><t>本期数</t></is></c></row>';
  let n = 1;
  let bytes = workbookWith(SHEET_XML_HEAD + rows + tail, names);
  while (bytes.length < 7 * 1024) {
    n++;
    rows += `<row r="${n}"><c r="A${n}" t="inlineStr"><is><t>指标${n}</t></is></c><c r="B${n}"><v>${n * 3}</v></c></row>`;
    bytes = workbookWith(SHEET_XML_HEAD + rows + tail, names);
  }
  return { bytes, rows: n };
}

describe('1. a range a library would expand cell by cell is bounded before it sees it', () => {
  const { bytes, rows } = hostileRanges();
  const file = () => path.join(tmp, '全表验证.xlsx');
  beforeAll(() => writeFileSync(file(), bytes));

  it('the fixture is a 7 KB workbook with sqref="A1:XFD1048576"', () => {
    expect(bytes.length).toBeGreaterThan(6.5 * 1024);
    expect(bytes.length).toBeLessThan(8 * 1024);
  });

  it('the package exceljs sees: validation and conditional format clipped to the used range, the whole-sheet name dropped', async () => {
    const pkg = packageForExceljs(bytes);
    const sheet = (await partsOf(pkg, /^xl\/worksheets\/sheet1\.xml$/)).get('xl/worksheets/sheet1.xml')!;
    expect(sheet).not.toContain(WHOLE);
    expect(sheet).toContain(`<dataValidation type="whole" operator="greaterThanOrEqual" allowBlank="1" sqref="A1:B${rows}">`);
    expect(sheet).toContain(`<conditionalFormatting sqref="A1:B${rows}">`);
    const wb = (await partsOf(pkg, /^xl\/workbook\.xml$/)).get('xl/workbook.xml')!;
    expect(wb).not.toContain('数据区');
    expect(wb).toContain('填报表!$A$1:$B$9'); // a print area is not expanded: kept
  });

  it('read (in a child process, capped): finishes, and the dropped name is a finding', async () => {
    const r = await readInChild(file(), 60_000);
    expect(r.finished).toBe(true);
    expect(r.codes).toContain('file.range_dropped');
    expect(r.messages.join('\n')).toContain('数据区');
  }, 200_000);

  it('validate writes its annotated copy (the 27-second rewrite of the real template is gone)', () => {
    const r = runCli(['validate', file(), '--data', data, '--out', path.join(tmp, 'v1')], 120_000);
    expect(r.stderr).not.toMatch(NO_TRACE);
    expect(r.status).toBe(1);
    expect(existsSync(path.join(tmp, 'v1', '全表验证.annotated.xlsx'))).toBe(true);
  }, 200_000);
});

// ── 2 ───────────────────────────────────────────────────────────────────────────────────────────

/** Runs the CLI in one node process (no tsx wrapper process) and reads its peak RSS. */
function cliWithMaxRss(args: string[], timeoutMs: number) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', './test/robustness/maxrss.mjs', CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20, env: { ...process.env, TZ: 'UTC' } });
  const kb = Number(/banbao-maxrss-kb (\d+)/.exec(r.stderr ?? '')?.[1] ?? NaN);
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', maxRssMb: kb / 1024 };
}

describe('2. the limits and the memory they allow agree', () => {
  const maxCells = (DEFAULT_LIMITS.zip as { maxCells?: number }).maxCells ?? 500_000;
  const COLS = 10;

  it(`a real workbook at the cell limit (${COLS} columns): validate stays under 1 GB peak RSS and declines the annotated copy with a note`, () => {
    const rows = Math.floor(maxCells / COLS) - 1; // + the header row
    const file = path.join(tmp, '大文件.xlsx');
    writeFileSync(file, bigWorkbook(rows, COLS));
    const r = cliWithMaxRss(['validate', file, '--data', data, '--out', path.join(tmp, 'v2')], 900_000);
    console.log(`memory: ${(rows + 1) * COLS} cells (${Math.round(readFileSync(file).length / 1048576)} MB .xlsx): validate peak RSS ${Math.round(r.maxRssMb)} MB, exit ${r.status}`);
    rmSync(file);
    expect(r.stderr).not.toMatch(NO_TRACE);
    expect(r.status).toBe(1);
    expect(r.maxRssMb).toBeLessThan(1024);
    expect(r.stdout).toContain('标注副本未生成');
    expect(existsSync(path.join(tmp, 'v2', '大文件.annotated.xlsx'))).toBe(false);
    expect(existsSync(path.join(tmp, 'v2', 'findings.csv'))).toBe(true);
  }, 900_000);

  it('a workbook of text at the size limit (500k cells, ~230 MB of XML): validate stays under 1 GB peak RSS', () => {
    const file = path.join(tmp, '大文本.xlsx');
    writeFileSync(file, bigWorkbook(Math.floor(maxCells / COLS) - 1, COLS, 140));
    const r = cliWithMaxRss(['validate', file, '--data', data, '--out', path.join(tmp, 'v2t')], 900_000);
    console.log(`memory: ${maxCells} text cells (${Math.round(readFileSync(file).length / 1048576)} MB .xlsx): validate peak RSS ${Math.round(r.maxRssMb)} MB, exit ${r.status}`);
    rmSync(file);
    expect(r.stderr).not.toMatch(NO_TRACE);
    expect(r.stdout).not.toContain('超过上限');
    expect(r.maxRssMb).toBeLessThan(1024);
  }, 900_000);

  it('a CSV is held to the same cell limit, counted before it is parsed (a 99 MB CSV of 26.7M cells peaked at 2 GB)', async () => {
    const limits = { ...DEFAULT_LIMITS, zip: { ...DEFAULT_ZIP_LIMITS, maxCells: 100 } };
    const csv = (rows: number) => enc(['标题：2018年上半年', '指标名称,本期数,备注', ...Array.from({ length: rows }, (_, i) => `指标${i},${i},`)].join('\n'));
    const over = await readSubmission(csv(40), 'a.csv', limits); // 42 lines × 3 fields
    expect(over.findings.map((f) => f.code)).toEqual(['limit.exceeded']);
    expect(over.findings[0].message).toContain('单元格数');
    expect(over.source).toBeUndefined();
    const within = await readSubmission(csv(30), 'a.csv', limits); // 32 × 3
    expect(within.findings).toEqual([]);
    expect(within.source?.sheets[0].rows).toHaveLength(32);
  });

  it('one row more than the limit allows: a limit finding, before exceljs expands anything', async () => {
    const file = path.join(tmp, '超限.xlsx');
    writeFileSync(file, bigWorkbook(Math.floor(maxCells / COLS) + 10, COLS));
    const r = await readInChild(file, 120_000);
    rmSync(file);
    expect(r.finished).toBe(true);
    expect(r.codes).toEqual(['limit.exceeded']);
    expect(r.messages[0]).toContain('单元格');
  }, 300_000);
});

// ── 3, 4 ────────────────────────────────────────────────────────────────────────────────────────

/** What a reader of reports/ sees: the period folder (a link or a folder) complete per its manifest. */
function periodComplete(dir: string): { startedAt: string; files: number } {
  const folder = path.join(dir, PERIOD);
  const manifest = JSON.parse(readFileSync(path.join(folder, 'manifest.json'), 'utf8')) as { run: { started_at: string }; outputs: { file: string; sha256: string; bytes: number }[] };
  for (const o of manifest.outputs) expect([o.file, sha256(readFileSync(path.join(folder, o.file)))]).toEqual([o.file, o.sha256]);
  const files = listTree(folder).filter((p) => !p.endsWith('/'));
  expect(files.sort()).toEqual([...manifest.outputs.map((o) => o.file), 'manifest.json'].sort());
  return { startedAt: manifest.run.started_at, files: files.length };
}

/** Names in reports/ other than the period and the folder its link points at. */
function leftovers(dir: string): string[] {
  const link = path.join(dir, PERIOD);
  const target = existsSync(link) && lstatSync(link).isSymbolicLink() ? readlinkSync(link) : undefined;
  return readdirSync(dir).filter((n) => n !== PERIOD && n !== target);
}

describe('3. a closed stdout: `banbao report | head -1`', () => {
  let r: ReturnType<typeof spawnSync>;
  beforeAll(() => {
    // a complete run first: what a reader finds in reports/ from here on
    const first = runCli(['report', '--period', PERIOD, '--data', data, '--out', out], 300_000);
    expect(first.status, first.stderr).toBe(0);
    r = spawnSync('bash', ['-c', `"${TSX}" ${CLI} report --period ${PERIOD} --data "${data}" --out "${out}" | head -1; echo "status=\${PIPESTATUS[0]}" >&2`], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  }, 600_000);

  it('ends quietly: one line out, no EPIPE trace, exit 0', () => {
    expect(String(r.stdout).split('\n').filter(Boolean)).toHaveLength(1);
    expect(String(r.stderr)).not.toMatch(/EPIPE/);
    expect(String(r.stderr)).not.toMatch(NO_TRACE);
    expect(String(r.stderr)).toContain('status=0');
  });

  it('the run finished: the period folder complete, no staging folder, no lock', () => {
    periodComplete(out);
    expect(leftovers(out)).toEqual([]);
  });
});

describe('4. no formula in any workbook banbao writes', () => {
  const formulas = (xml: string) => xml.match(/<(?:\w+:)?f[\s>/]/g) ?? [];

  it('the annotated copy keeps the cached values and says in the comment that the cell held a formula', async () => {
    const sheet =
      SHEET_XML_HEAD +
      '<row r="1"><c r="A1" t="inlineStr"><is><t>指标名称</t></is></c><c r="B1" t="inlineStr"><is><t>本期数</t></is></c></row>' +
      '<row r="2"><c r="A2" t="str"><f>HYPERLINK("http://example.com/x","点此查看")</f><v>点此查看</v></c><c r="B2"><f>1+1+1+1+1+1+1+1+1+1</f><v>10</v></c></row>' +
      '<row r="3"><c r="A3" t="inlineStr"><is><t>党员人数</t></is></c><c r="B3"><f>B2*2</f><v>20</v></c></row></sheetData></worksheet>';
    const file = path.join(tmp, '公式.xlsx');
    writeFileSync(file, workbookWith(sheet));
    const r = runCli(['validate', file, '--data', data, '--out', path.join(tmp, 'v4')], 120_000);
    expect(r.stderr).not.toMatch(NO_TRACE);
    const copy = readFileSync(path.join(tmp, 'v4', '公式.annotated.xlsx'));
    const parts = await partsOf(copy, /^xl\/(worksheets|comments)/);
    for (const [name, xml] of parts) expect(formulas(xml), name).toEqual([]);
    const sheet1 = parts.get('xl/worksheets/sheet1.xml')!;
    expect(sheet1).toMatch(/<c r="B2"[^>]*><v>10<\/v><\/c>/);
    expect(sheet1).toMatch(/<c r="B3"[^>]*><v>20<\/v><\/c>/);
    const comments = [...parts].filter(([n]) => n.startsWith('xl/comments')).map(([, x]) => x).join('');
    expect(comments).toContain('原为公式 =1+1+1+1+1+1+1+1+1+1');
    expect(comments).toContain('原为公式 =HYPERLINK(');
  }, 200_000);

  it('a figure read from a formula cell: the read-back line and 原为公式 both in its comment', async () => {
    const sheet =
      SHEET_XML_HEAD +
      '<row r="1"><c r="A1" t="inlineStr"><is><t>指标名称</t></is></c><c r="B1" t="inlineStr"><is><t>本期数</t></is></c></row>' +
      '<row r="2"><c r="A2" t="inlineStr"><is><t>提拔干部</t></is></c><c r="B2"><f>40+50</f><v>90</v></c></row></sheetData></worksheet>';
    const file = path.join(tmp, `鄞州区_${PERIOD}_公式.xlsx`);
    writeFileSync(file, workbookWith(sheet));
    const r = runCli(['validate', file, '--data', data, '--period', PERIOD, '--out', path.join(tmp, 'v4b')], 120_000);
    expect(r.stderr).not.toMatch(NO_TRACE);
    const parts = await partsOf(readFileSync(path.join(tmp, 'v4b', `鄞州区_${PERIOD}_公式.annotated.xlsx`)), /^xl\/(worksheets|comments)/);
    for (const [name, xml] of parts) expect(formulas(xml), name).toEqual([]);
    const comments = [...parts].filter(([n]) => n.startsWith('xl/comments')).map(([, x]) => x).join('');
    expect(comments).toContain('已读取：提拔干部 = 90');
    expect(comments).toContain('原为公式 =40+50');
  }, 200_000);

  it('the consolidated workbook of the report run above holds none', async () => {
    const parts = await partsOf(readFileSync(path.join(out, PERIOD, `${PERIOD}.xlsx`)), /^xl\/worksheets\//);
    expect(parts.size).toBeGreaterThan(0);
    for (const [name, xml] of parts) expect(formulas(xml), name).toEqual([]);
  });

  it('nor do the templates', async () => {
    const dir = path.join(tmp, 'templates');
    const r = runCli(['template', '--period', PERIOD, '--data', data, '--out', dir], 200_000);
    expect(r.status, r.stderr).toBe(0);
    const books = listTree(dir).filter((f) => f.endsWith('.xlsx'));
    expect(books.length).toBeGreaterThanOrEqual(11);
    for (const b of books) for (const [name, xml] of await partsOf(readFileSync(path.join(dir, b)), /^xl\/worksheets\//)) expect(formulas(xml), `${b} ${name}`).toEqual([]);
  }, 200_000);
});

// ── 5 ───────────────────────────────────────────────────────────────────────────────────────────

/** The CLI in its own process group, with extra environment. */
function startWith(args: string[], env: Record<string, string>) {
  const child = spawn(TSX, [CLI, ...args], { cwd: ROOT, env: { ...process.env, TZ: 'UTC', ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<{ status: number | null; signal: string | null; stdout: string; stderr: string }>((resolve) => child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr })));
  return { child, done, kill: () => process.kill(-child.pid!, 'SIGKILL') };
}

describe('5. the period folder is never absent', () => {
  it('killed inside the swap (a test hook stops the run there): a reader finds a complete folder before and after the kill; the next run cleans up', async () => {
    const before = periodComplete(out);
    const marker = path.join(tmp, 'paused');
    rmSync(marker, { force: true });
    const run = startWith(['report', '--period', PERIOD, '--data', data, '--out', out], { BANBAO_TEST_PAUSE: `swap:${marker}` });
    expect(await waitFor(() => fileExists(marker) || run.child.exitCode !== null, 300_000, 20)).toBe(true);
    expect(fileExists(marker)).toBe(true);
    // stopped between the steps of the swap: the name still leads to a complete run
    expect(existsSync(path.join(out, PERIOD))).toBe(true);
    periodComplete(out);
    run.kill();
    await run.done;
    const after = periodComplete(out);
    expect(after.startedAt).toBe(before.startedAt);
    const next = runCli(['report', '--period', PERIOD, '--data', data, '--out', out]);
    expect(next.status, next.stderr).toBe(0);
    expect(periodComplete(out).startedAt).not.toBe(before.startedAt);
    expect(leftovers(out)).toEqual([]);
  }, 600_000);
});

// ── 6 ───────────────────────────────────────────────────────────────────────────────────────────

describe('6. a full disk (ENOSPC, injected): the failed run removes what it wrote', () => {
  it('report: exit 4, the previous outputs intact, no staging folder, temp file or lock', () => {
    const before = periodComplete(out);
    const r = spawnSync(TSX, [CLI, 'report', '--period', PERIOD, '--data', data, '--out', out], { cwd: ROOT, encoding: 'utf8', timeout: 300_000, env: { ...process.env, TZ: 'UTC', BANBAO_FAULT_ENOSPC: '3' } });
    expect(r.status).toBe(4);
    expect(r.stderr).toContain('ENOSPC');
    expect(r.stderr).not.toMatch(NO_TRACE);
    expect(periodComplete(out)).toEqual(before);
    expect(leftovers(out)).toEqual([]);
  }, 300_000);

  it('validate: exit 4, no findings.csv.tmp-<pid> left', () => {
    const dir = path.join(tmp, 'v6');
    const file = path.join(data, 'submissions', PERIOD, readdirSync(path.join(data, 'submissions', PERIOD)).find((f) => f.endsWith('.csv'))!);
    const r = spawnSync(TSX, [CLI, 'validate', file, '--data', data, '--out', dir], { cwd: ROOT, encoding: 'utf8', timeout: 300_000, env: { ...process.env, TZ: 'UTC', BANBAO_FAULT_ENOSPC: '1' } });
    expect(r.status).toBe(4);
    expect(r.stderr).toContain('ENOSPC');
    expect(readdirSync(dir)).toEqual([]);
  }, 300_000);
});

// ── 7 ───────────────────────────────────────────────────────────────────────────────────────────

describe('7. quiet or odd cases', () => {
  let r: ReturnType<typeof runCli>;
  const sub = () => path.join(data, 'submissions', PERIOD);
  beforeAll(() => {
    expect(spawnSync('mkfifo', [path.join(sub(), '宁海县_补报.csv')]).status).toBe(0);
    const outside = path.join(tmp, '外部.csv');
    writeFileSync(outside, readFileSync(path.join(sub(), readdirSync(sub()).find((f) => f.endsWith('.csv'))!)));
    symlinkSync(outside, path.join(sub(), '链接_外部.csv'));
    symlinkSync('/etc/passwd', path.join(sub(), 'passwd.csv'));
    r = runCli(['report', '--period', PERIOD, '--data', data, '--out', out], 300_000);
  }, 300_000);
  afterAll(() => {
    for (const f of ['宁海县_补报.csv', '链接_外部.csv', 'passwd.csv']) rmSync(path.join(sub(), f), { force: true });
  });

  const unreadable = () =>
    Papa.parse<Record<string, string>>(readFileSync(path.join(out, PERIOD, 'findings.csv'), 'utf8').replace(/^\ufeff/, ''), { header: true, skipEmptyLines: true }).data.filter((f) => f.code === 'file.unreadable');

  it('a FIFO in the submissions folder: a finding, not read, no hang', () => {
    expect(r.stderr).not.toMatch(NO_TRACE);
    expect(r.status).toBe(1);
    const f = unreadable().find((x) => x.file === '宁海县_补报.csv');
    expect(f?.message).toContain('管道');
  });

  it('a link leading out of the submissions folder: not followed, a finding', () => {
    const manifest = JSON.parse(readFileSync(path.join(out, PERIOD, 'manifest.json'), 'utf8')) as { inputs: { file: string; sha256?: string }[] };
    for (const name of ['链接_外部.csv', 'passwd.csv']) {
      expect(unreadable().find((x) => x.file === name)?.message).toContain('报送文件夹以外');
      expect(manifest.inputs.find((i) => i.file === name)?.sha256 ?? null).toBeNull();
    }
    expect(readFileSync(path.join(out, PERIOD, 'findings.json'), 'utf8')).not.toContain('root:x:0');
  });

  it('`make report` killed at its make process (SIGKILL, nothing forwarded): the node processes stop within seconds and clean up', async () => {
    const mk = path.join(tmp, 'mk');
    mkdirSync(mk);
    for (const d of ['node_modules', 'pipeline', 'schemas', 'package.json']) symlinkSync(path.join(ROOT, d), path.join(mk, d));
    symlinkSync(data, path.join(mk, 'data'));
    // -o: the install step is taken as done (node_modules is shared; nothing may reinstall it)
    // the Makefile exports BANBAO_EXIT_WITH (make's own pid) to every recipe
    // BANBAO: the sources through tsx (a built bundle may be stale); -o for the bundle too
    const make = spawn('make', ['-f', path.join(ROOT, 'Makefile'), '-C', mk, '-o', 'node_modules/.package-lock.json', '-o', 'build/banbao/lib/cli.js', 'report', `PERIOD=${PERIOD}`, `BANBAO=${TSX} pipeline/cli.ts`], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    make.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    make.stderr.resume();
    expect(await waitFor(() => stdout.includes('banbao ') || make.exitCode !== null, 120_000, 20)).toBe(true);
    const group = () =>
      readdirSync('/proc')
        .filter((p) => /^\d+$/.test(p) && Number(p) !== make.pid)
        .filter((p) => {
          try {
            return Number(readFileSync(`/proc/${p}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[2]) === make.pid;
          } catch {
            return false;
          }
        });
    expect(group().length).toBeGreaterThan(0);
    process.kill(make.pid!, 'SIGKILL');
    const gone = await waitFor(() => group().length === 0, 30_000, 100);
    if (!gone) {
      try {
        process.kill(-make.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    expect(gone).toBe(true);
    await sleep(100);
    const reports = path.join(mk, 'reports');
    // it stopped with its make (the report takes seconds more): it did not go on to write outputs alone
    expect(readdirSync(reports).filter((n) => n.startsWith('.staging-') || n === '.banbao.lock' || n.includes(PERIOD))).toEqual([]);
  }, 200_000);
});
