// Hostile names and texts: header names that are JavaScript's own property names (__proto__,
// constructor, prototype) must stay data; spreadsheet formulas in cells, sheet names and file names
// (=HYPERLINK, +1+1, -2+3, @SUM, tab, CR) must come out as text in every CSV, workbook and HTML page
// the real CLI writes; and no file name — with .., an RTL override, zero-width or control characters —
// can make a write land outside the output folder.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import JSZip from 'jszip';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFile } from '../../pipeline/check.ts';
import { readSubmission } from '../../pipeline/ingest/read.ts';
import { safeOutputPath, writeAtomic } from '../../pipeline/io.ts';
import { toCsv } from '../../pipeline/outputs/csv.ts';
import { FINDING_COLUMNS, RECONCILED_COLUMNS, findingRows, reconciledRows } from '../../pipeline/outputs/tables.ts';
import { writeWorkbookBytes } from '../../pipeline/outputs/workbook.ts';
import { DATA, HEADER, TITLE, contextFor, longRows, longXlsx, YZ } from '../helpers.ts';
import { runSample, sampleInputs } from '../sample.ts';
import { dataCopy, expectWellFormed, listTree, runCli, startCli, type CliResult } from './support.ts';

const PAYLOADS = ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\r=1'];
/** the same, as file and sheet names allow them (no slash, no colon) */
const NAME_PAYLOADS = ['=HYPERLINK("x","y")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\r=1'];
const HTML_PAYLOADS = ['<img src=x onerror=alert(1)>', '</script><script>alert(1)</script>'];
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i;

/** CSV text, quoting whatever needs it (including a lone CR). */
function csv(rows: unknown[][]): string {
  const q = (v: unknown) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return '\ufeff' + rows.map((r) => r.map(q).join(',')).join('\r\n') + '\r\n';
}
const bytesOf = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

// ── prototype keys ──────────────────────────────────────────────────────────────────────────────

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'];

function prototypeState() {
  const snap = (o: object) =>
    Object.getOwnPropertyNames(o)
      .sort()
      .map((n) => {
        const d = Object.getOwnPropertyDescriptor(o, n)!;
        return [n, d.value ?? d.get, d.set, d.writable, d.enumerable];
      });
  return { object: snap(Object.prototype), array: snap(Array.prototype), fn: snap(Function.prototype), map: snap(Map.prototype) };
}

/** Wide form (汇总表): the JS names as indicator headers and as unit rows. */
function wideRows() {
  const items = ['一线挂职干部', '提拔干部', ...PROTO_KEYS, 'polluted', 'toString', 'hasOwnProperty'];
  return [
    ['党建争强半年度推进情况汇总表（2018年上半年）'],
    ['单位', ...items],
    ['鄞州区', ...items.map((_, i) => 100 + i)],
    ...PROTO_KEYS.map((u) => [u, ...items.map(() => 1)]),
    ['valueOf', ...items.map(() => 2)],
  ];
}
/** Long form (填报表): the JS names as row labels, as the measure, and as the reporting unit. */
function longRowsHostile() {
  return [
    ...longRows('2018H1', YZ).map((r, i) => (i < 3 ? [r[0], r[1], r[2], PROTO_KEYS[i], r[4], PROTO_KEYS[i]] : r)),
    ...PROTO_KEYS.map((k, i) => [16 + i, k, k, k, 1, k]),
    [19, '', '__proto__.polluted', '', 1, ''],
    [20, '', 'constructor.prototype.polluted', '', 1, ''],
  ];
}

describe('__proto__, constructor and prototype are names like any other', () => {
  let before: ReturnType<typeof prototypeState>;
  beforeAll(() => {
    before = prototypeState();
  });

  function expectUnpolluted() {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
    expect(prototypeState()).toEqual(before);
  }

  it('a wide CSV: as indicator headers → header.unknown_indicator; as unit rows → row.unknown_unit', async () => {
    const input = { file: '2018年上半年汇总表.csv', bytes: bytesOf(csv(wideRows())) };
    const check = await checkFile(input, contextFor('2018H1'));
    expectWellFormed(check.findings);
    const at = (code: string) => check.findings.filter((f) => f.code === code).map((f) => f.raw);
    expect(at('header.unknown_indicator')).toEqual([...PROTO_KEYS, 'polluted', 'toString', 'hasOwnProperty']);
    expect(at('row.unknown_unit')).toEqual([...PROTO_KEYS, 'valueOf']);
    expect(check.values.find((v) => v.unit === '330212' && v.indicator === 'frontline_cadres')?.value).toBe(100);
    expectUnpolluted();
  });

  it('a long CSV: as row labels → row.unknown_indicator; as the measure and the 填报单位 line → ordinary findings', async () => {
    const text = csv([[TITLE], ['填报单位：__proto__'], HEADER, ...longRowsHostile()]);
    for (const file of ['鄞州区_2018H1.csv', '__proto__.csv', 'constructor.csv']) {
      const check = await checkFile({ file, bytes: bytesOf(text) }, contextFor('2018H1'));
      expectWellFormed(check.findings, file);
      if (file === '鄞州区_2018H1.csv') {
        expect(check.findings.filter((f) => f.code === 'row.unknown_indicator').map((f) => f.raw)).toEqual([...PROTO_KEYS, '__proto__.polluted', 'constructor.prototype.polluted']);
        expect(check.values.filter((v) => v.status === 'value')).toHaveLength(15);
      } else expect(check.findings.map((f) => f.code)).toContain('file.unit_unknown');
    }
    expectUnpolluted();
  });

  it('an .xlsx: as sheet names, headers, unit rows and row labels', async () => {
    const bytes = await longXlsx({
      sheetName: '__proto__',
      rows: longRowsHostile(),
      extraSheets: [
        // hidden, so a rule tells the forms apart (two visible forms of one period are sheet.same_period, #13)
        { name: 'constructor', rows: wideRows(), state: 'hidden' },
        { name: 'prototype', rows: [['__proto__', 'constructor'], ['prototype', 1]], state: 'hidden' },
      ],
    });
    const r = await readSubmission(bytes, '__proto__.xlsx');
    expect(r.source!.sheets.map((s) => s.name)).toEqual(['__proto__', 'constructor', 'prototype']);
    const check = await checkFile({ file: '鄞州区_2018H1.xlsx', bytes }, contextFor('2018H1'));
    expectWellFormed(check.findings);
    expect(check.findings.map((f) => f.code)).toContain('sheet.several_forms');
    expect(check.findings.filter((f) => f.code === 'row.unknown_indicator').map((f) => [f.sheet, f.raw])).toEqual(
      [...PROTO_KEYS, '__proto__.polluted', 'constructor.prototype.polluted'].map((k) => ['__proto__', k]),
    );
    expectUnpolluted();
  });

  it('through the whole period (validate, reconcile, CSV tables, workbook) beside the shipped sample', async () => {
    const hostile = [
      { file: '__proto__.csv', bytes: bytesOf(csv(wideRows())) },
      { file: 'constructor.xlsx', bytes: await longXlsx({ sheetName: 'prototype', rows: longRowsHostile(), unitLine: '填报单位：constructor' }) },
    ];
    const r = await runSample('2018H1', [...sampleInputs('2018H1'), ...hostile]);
    expectWellFormed(r.findings);
    expect(r.inputs.map((i) => i.file)).toEqual(expect.arrayContaining(['__proto__.csv', 'constructor.xlsx']));
    toCsv(RECONCILED_COLUMNS, reconciledRows(r));
    toCsv(FINDING_COLUMNS, findingRows(r.findings));
    await writeWorkbookBytes(r);
    expectUnpolluted();
  });
});

// ── formula injection through the real CLI ─────────────────────────────────────────────────────

describe('formulas in cells, sheet names and file names come out as text (real report over a data copy)', () => {
  let tmp: string;
  let out: string;
  let report: CliResult;
  let validate: CliResult;
  const files: string[] = [];

  beforeAll(async () => {
    const copy = dataCopy('injection');
    tmp = copy.tmp;
    out = path.join(tmp, 'reports');
    const dir = path.join(copy.data, 'submissions/2018H1');
    // 鄞州区 (CSV): every payload as a figure, as a row label and as a note
    writeFileSync(
      path.join(dir, '鄞州区_2018H1.csv'),
      csv([
        [TITLE],
        ['填报单位：鄞州区委组织部'],
        HEADER,
        ...longRows('2018H1', YZ).map((r, i) => (i < PAYLOADS.length ? [r[0], r[1], r[2], r[3], PAYLOADS[i], PAYLOADS[i]] : r)),
        ...[...PAYLOADS, ...HTML_PAYLOADS].map((p, i) => [20 + i, '', p, '', 1, p]),
        [30, '', '一线挂职干部', '', HTML_PAYLOADS[1], ''],
      ]),
    );
    // 海曙区 and 象山县 (.xlsx): a formula as the sheet name, payloads as text cells
    for (const [unit, sheetName] of [['海曙区', NAME_PAYLOADS[0]], ['象山县', NAME_PAYLOADS[2]]] as const) {
      const bytes = await longXlsx({
        sheetName,
        unitLine: `填报单位：${unit}委组织部`,
        rows: longRows('2018H1', YZ).map((r, i) => (i < PAYLOADS.length ? [r[0], r[1], r[2], r[3], PAYLOADS[(i + 1) % PAYLOADS.length], PAYLOADS[i]] : r)),
      });
      writeFileSync(path.join(dir, `${unit}_2018H1.xlsx`), bytes);
      files.push(path.join(dir, `${unit}_2018H1.xlsx`));
    }
    // payloads as file names (a form that names no unit: file.unit_unknown carries the name)
    for (const name of [...NAME_PAYLOADS, HTML_PAYLOADS[0]]) {
      const file = path.join(dir, `${name}.csv`);
      writeFileSync(file, csv([[TITLE], HEADER, ...longRows('2018H1', YZ)]));
      files.push(file);
    }
    // both at once: they only read the data copy
    [report, validate] = await Promise.all([
      startCli(['report', '--period', '2018H1', '--data', copy.data, '--out', out]).done,
      startCli(['validate', ...files, '--period', '2018H1', '--data', copy.data, '--out', path.join(tmp, 'validate')]).done,
    ]);
  }, 300_000);
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('both runs finish with exit 1 (errors found), no internal error', () => {
    for (const r of [report, validate]) {
      expect(r.stderr).not.toMatch(/内部错误|at .*\.ts:\d+/);
      expect(r.status, r.stderr).toBe(1);
    }
  });

  function csvFiles(root: string): string[] {
    return listTree(root).filter((f) => f.endsWith('.csv')).map((f) => path.join(root, f));
  }

  it('in every CSV written, no text field starts with = + - @ tab or CR; each payload is there, behind a quote', () => {
    const all = [...csvFiles(path.join(out, '2018H1')), ...csvFiles(path.join(tmp, 'validate'))];
    expect(all.map((f) => path.basename(f)).sort()).toEqual(['findings.csv', 'findings.csv', 'reconciled.csv', 'reconciliation.csv']);
    const seen = new Set<string>();
    for (const file of all) {
      const text = readFileSync(file, 'utf8');
      const rows = Papa.parse<string[]>(text.replace(/^\ufeff/, ''), { skipEmptyLines: true }).data;
      for (const row of rows)
        for (const field of row) {
          if (!PLAIN_NUMBER.test(field)) expect(field, `${path.basename(file)}: ${JSON.stringify(field)}`).not.toMatch(FORMULA_START);
          for (const p of [...PAYLOADS, ...NAME_PAYLOADS]) if (field === `'${p}` || field === `'${p}.csv`) seen.add(p);
        }
    }
    expect([...seen].sort()).toEqual([...new Set([...PAYLOADS, ...NAME_PAYLOADS])].sort());
  });

  it('the JSON outputs keep every payload exactly as it was sent (nothing altered)', () => {
    const json = JSON.parse(readFileSync(path.join(out, '2018H1/findings.json'), 'utf8')) as { findings: { raw: string; file: string; sheet: string }[] };
    const texts = new Set(json.findings.flatMap((f) => [f.raw, f.file, f.sheet]));
    for (const p of PAYLOADS) expect(texts.has(p), JSON.stringify(p)).toBe(true);
    for (const p of NAME_PAYLOADS) expect(texts.has(`${p}.csv`), JSON.stringify(p)).toBe(true);
    expect(texts.has(NAME_PAYLOADS[0])).toBe(true); // the sheet name
  });

  /** Every cell of every sheet: no formula anywhere, the payloads as string cells. */
  async function expectNoFormulas(file: string): Promise<Set<string>> {
    const zip = await JSZip.loadAsync(readFileSync(file));
    for (const name of Object.keys(zip.files).filter((n) => /^xl\/worksheets\/.*\.xml$/.test(n))) expect(await zip.file(name)!.async('string'), `${file} ${name}`).not.toMatch(/<f[ >]/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(file) as unknown as ArrayBuffer);
    const strings = new Set<string>();
    wb.eachSheet((ws) => {
      strings.add(ws.name);
      ws.eachRow({ includeEmpty: false }, (row) =>
        row.eachCell({ includeEmpty: false }, (cell) => {
          if (cell.type === ExcelJS.ValueType.Merge) return; // shows its master's value
          expect(cell.type, `${ws.name}!${cell.address}`).not.toBe(ExcelJS.ValueType.Formula);
          expect((cell as { formula?: string }).formula, `${ws.name}!${cell.address}`).toBeUndefined();
          if (typeof cell.value === 'string') {
            expect(cell.type).toBe(ExcelJS.ValueType.String);
            strings.add(cell.value.replace(/\n/g, '\r')); // XML reads a CR back as LF
          }
        }),
      );
    });
    return strings;
  }

  it('the consolidated workbook holds them as string cells, never formulas', async () => {
    const strings = await expectNoFormulas(path.join(out, '2018H1/2018H1.xlsx'));
    for (const p of PAYLOADS) expect(strings.has(p) || strings.has(p.replace(/^\r/, '\n')), JSON.stringify(p)).toBe(true);
    for (const p of NAME_PAYLOADS) expect(strings.has(`${p}.csv`), JSON.stringify(p)).toBe(true);
  });

  it('the annotated copies from validate hold them as string cells, never formulas', async () => {
    const copies = readdirSync(path.join(tmp, 'validate')).filter((f) => f.endsWith('.annotated.xlsx'));
    expect(copies.sort()).toEqual(['海曙区_2018H1.annotated.xlsx', '象山县_2018H1.annotated.xlsx']);
    for (const c of copies) {
      const strings = await expectNoFormulas(path.join(tmp, 'validate', c));
      for (const p of ['=HYPERLINK("http://x","y")', '+1+1', '@SUM(A1)', '\tcmd']) expect(strings.has(p), `${c} ${JSON.stringify(p)}`).toBe(true);
    }
  });

  it('index.html shows them as escaped text: no markup from a submission survives', () => {
    const html = readFileSync(path.join(out, '2018H1/index.html'), 'utf8');
    expect(html).toContain('=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    for (const p of HTML_PAYLOADS) expect(html).not.toContain(p);
  });
});

// ── where outputs may land ──────────────────────────────────────────────────────────────────────

describe('file names cannot write outside the output folder', () => {
  const root = path.join(os.tmpdir(), 'banbao-out-root');

  it('safeOutputPath accepts names inside the root …', () => {
    for (const rel of ['a.csv', 'charts/x.svg', '2018H1', './a', 'a/../b', '\u202Egpj.xlsx', 'a\u200Bb', 'a\u0001\u0007b', '名\r\n称', '..a', 'a..', '...', '．．', '\u2025', '%2e%2e/x', 'C:\\evil'])
      expect(path.relative(root, safeOutputPath(root, rel)), JSON.stringify(rel)).not.toMatch(/^\.\.(\/|$)|^\//);
    expect(safeOutputPath(root)).toBe(root);
  });

  it('… and refuses every way out: .., absolute paths, a sibling with the same prefix', () => {
    for (const parts of [['..'], ['../x'], ['a/../../x'], ['/etc/passwd'], ['../banbao-out-root-evil/x'], ['charts', '../../x'], ['\u202E/../../x'], ['x', '/tmp/y']])
      expect(() => safeOutputPath(root, ...parts), JSON.stringify(parts)).toThrow(/refusing to write outside/);
  });

  it('any names at all: either refused or inside the root (500 random cases)', () => {
    const part = fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom('..', '.', '/', '../', '/..', '\u202E', '\u200B', '\u0000', '\\..'));
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 5 }), (parts) => {
        let full: string;
        try {
          full = safeOutputPath(root, ...parts);
        } catch {
          return;
        }
        expect(full === root || full.startsWith(root + path.sep), JSON.stringify(parts)).toBe(true);
      }),
      { seed: 20180705, numRuns: 500 },
    );
  });

  it('writeAtomic replaces a symbolic link at the target name instead of writing through it', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'banbao-link-'));
    const outside = path.join(dir, 'outside.txt');
    writeFileSync(outside, 'precious');
    mkdirSync(path.join(dir, 'out'));
    symlinkSync(outside, path.join(dir, 'out/findings.csv'));
    writeAtomic(path.join(dir, 'out/findings.csv'), 'new');
    expect(readFileSync(outside, 'utf8')).toBe('precious');
    expect(readFileSync(path.join(dir, 'out/findings.csv'), 'utf8')).toBe('new');
    rmSync(dir, { recursive: true, force: true });
  });

  it('writeAtomic never writes through a symbolic link planted at its temp name', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'banbao-link-'));
    const outside = path.join(dir, 'outside.txt');
    writeFileSync(outside, 'precious');
    mkdirSync(path.join(dir, 'out'));
    symlinkSync(outside, path.join(dir, `out/findings.csv.tmp-${process.pid}`));
    try {
      writeAtomic(path.join(dir, 'out/findings.csv'), 'new');
    } catch {
      /* refusing is fine */
    }
    const after = readFileSync(outside, 'utf8');
    rmSync(dir, { recursive: true, force: true });
    expect(after).toBe('precious');
  });

  describe('validate on files with hostile names writes inside --out only', () => {
    let tmp: string;
    let r: CliResult;
    const NAMES = ['..鄞州区_2018H1.xlsx', '\u202Exslx.鄞州区_2018H1.xlsx', '鄞州区\u200B_2018H1.xlsx', '鄞州区_\u0001\u0007\u001b[31m_2018H1.xlsx', '鄞州区\r\n_2018H1.xlsx', '...xlsx'];

    beforeAll(async () => {
      tmp = mkdtempSync(path.join(os.tmpdir(), 'banbao-names-'));
      const bytes = await longXlsx({ rows: longRows('2018H1', { ...YZ, inspections: '120余' } as Record<string, unknown>) });
      for (const d of ['in', 'in/a', 'in/b']) mkdirSync(path.join(tmp, d));
      for (const n of NAMES) writeFileSync(path.join(tmp, 'in', n), bytes);
      // two files whose copies would share a name: the same base name in two folders, and "a b" / "a_b"
      for (const n of ['a/鄞州区_2018H1.xlsx', 'b/鄞州区_2018H1.xlsx', 'a/鄞州 区_2018H1.xlsx', 'a/鄞州_区_2018H1.xlsx']) writeFileSync(path.join(tmp, 'in', n), bytes);
      const args = [...NAMES.map((n) => path.join(tmp, 'in', n)), `${tmp}/in/a/../b/鄞州区_2018H1.xlsx`, ...['a/鄞州区_2018H1.xlsx', 'a/鄞州 区_2018H1.xlsx', 'a/鄞州_区_2018H1.xlsx'].map((n) => path.join(tmp, 'in', n))];
      r = runCli(['validate', ...args, '--period', '2018H1', '--data', DATA, '--out', path.join(tmp, 'out')]);
    }, 120_000);
    afterAll(() => rmSync(tmp, { recursive: true, force: true }));

    it('exits 1 (the 120余 is an error) and every file it wrote is directly inside --out', () => {
      expect(r.stderr).not.toMatch(/内部错误/);
      expect(r.status, r.stderr).toBe(1);
      const written = listTree(tmp).filter((p) => !p.startsWith('in/') && p !== 'in/');
      expect(written.filter((p) => !/^out\/[^/]+$/.test(p) && p !== 'out/')).toEqual([]);
      expect(written).toEqual(expect.arrayContaining(['out/findings.csv', 'out/findings.json']));
      const copies = written.filter((p) => p.endsWith('.annotated.xlsx'));
      // control characters, RTL overrides and zero-width spaces do not survive into output names
      for (const c of copies) expect(c, JSON.stringify(c)).not.toMatch(/[\u0000-\u001f\u202e\u200b]/);
    });

    it('gives every input its own annotated copy, even when two names would clean up to the same one', () => {
      const copies = readdirSync(path.join(tmp, 'out')).filter((p) => p.endsWith('.annotated.xlsx'));
      expect(copies).toHaveLength(NAMES.length + 4);
    });
  });
});
