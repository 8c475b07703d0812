// Fuzzing ingest with fast-check (fixed seeds, so a failure replays): random bytes and random text as
// CSV/TXT, real .xlsx files with flipped bytes, cut short, with zip entries deleted, duplicated or
// replaced by garbage, a wrong [Content_Types].xml, a 200,000-string shared-strings table, and long-form
// workbooks whose cells hold anything exceljs can write. Whatever comes in, readSubmission and
// checkFile resolve to findings and values — never a throw, a rejection, or a stack trace in a message.
// The totals are printed at the end (README § Reliability quotes them).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFile } from '../../pipeline/check.ts';
import { readSubmission } from '../../pipeline/ingest/read.ts';
import type { PeriodContext } from '../../pipeline/context.ts';
import { loadCatalogue } from '../../pipeline/reference/load.ts';
import { DATA, HEADER, ROOT, TITLE, contextFor, reference } from '../helpers.ts';
import { expectWellFormed, writeZip, type ZipEntry } from './support.ts';

const SEED = 20180705;
/** Per-case time limit: a case slower than this counts as a hang. */
const CASE_MS = 15_000;

const counts: Record<string, number> = {};
/** cases that were read far enough to give values (the rest were refused with a file-level finding) */
const withValues: Record<string, number> = {};
const slowest: Record<string, number> = {};
let ctx: PeriodContext;

/** The invariants, for one input: read it, check it, and look at everything that came back. */
async function attack(kind: string, bytes: Uint8Array, file: string): Promise<void> {
  const t0 = performance.now();
  const ingested = await readSubmission(bytes, file);
  expectWellFormed(ingested.findings, `${kind} ${file}`);
  expect(ingested.source !== undefined || ingested.findings.length > 0, `${kind}: neither a source nor a finding`).toBe(true);
  const check = await checkFile({ file, bytes }, ctx);
  expectWellFormed(check.findings, `${kind} ${file}`);
  for (const v of check.values) {
    expect(['value', 'missing', 'na', 'invalid']).toContain(v.status);
    if (v.value !== null) expect(Number.isFinite(v.value), `${kind}: ${v.indicator} = ${v.value}`).toBe(true);
  }
  counts[kind] = (counts[kind] ?? 0) + 1;
  withValues[kind] = (withValues[kind] ?? 0) + (check.values.length > 0 ? 1 : 0);
  slowest[kind] = Math.max(slowest[kind] ?? 0, performance.now() - t0);
}

// ── what districts' text looks like, to reach past the first checks ─────────────────────────────

const catalogue = loadCatalogue(DATA, '2018H1');
const TOKENS = [
  ...HEADER,
  TITLE,
  '填报单位：鄞州区委组织部',
  '填报日期：2018年7月5日',
  ...catalogue.items.flatMap((i) => [i.code, i.name_zh, i.category, i.measure]),
  ...reference().units.flatMap((u) => [u.code, u.name]),
  '合计', '单位', '村社代码', '330212001001', '2018H1', '2018年上半年', '2018年下半年',
  '1,248', '１２４８', '1248个', '1.2万', '57.8%', '120余', '近60%', '约400', '-3', '2.5', '—', '/', '无', '#REF!', '#DIV/0!', '1e309', 'NaN', '0x10', '',
  '=SUM(A1:A3)', '+1+1', '@x', '"', '""', '\r\n', '\n', ',', '\t', ';', '\u0000', '\ufeff', '\u202e', '\u200b', '𠮷',
];
const token = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...TOKENS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
  { weight: 2, arbitrary: fc.double().map(String) },
  { weight: 1, arbitrary: fc.integer().map(String) },
);
const table = fc.array(fc.array(token, { maxLength: 9 }), { maxLength: 40 });

function csvText(rows: string[][], sep: string, quote: boolean): string {
  const q = (s: string) => (quote || s.includes(sep) || s.includes('"') || /[\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return rows.map((r) => r.map(q).join(sep)).join('\r\n');
}

const ENCODINGS = ['utf-8', 'utf-8-bom', 'gb18030', 'utf-16le-bom', 'utf-16be-bom'] as const;
function encode(text: string, enc: (typeof ENCODINGS)[number]): Uint8Array {
  switch (enc) {
    case 'utf-8':
      return new Uint8Array(Buffer.from(text, 'utf8'));
    case 'utf-8-bom':
      return new Uint8Array(Buffer.from('\ufeff' + text, 'utf8'));
    case 'gb18030':
      return new Uint8Array(iconv.encode(text, 'gb18030'));
    case 'utf-16le-bom':
      return new Uint8Array(iconv.encode('\ufeff' + text, 'utf-16le'));
    case 'utf-16be-bom':
      return new Uint8Array(iconv.encode('\ufeff' + text, 'utf-16be'));
  }
}

const fileName = fc.oneof(
  fc.constantFrom('鄞州区_2018H1.csv', '鄞州区_2018H1.txt', 'a.csv', 'noext', '.csv', '2018H2_北仑区.TXT'),
  fc.tuple(fc.string({ unit: 'binary', maxLength: 16 }), fc.constantFrom('.csv', '.txt', '', '.CSV')).map(([s, e]) => s.replace(/[/\\]/g, '_') + e),
);

// ── real workbooks to mutate ────────────────────────────────────────────────────────────────────

const BASES = [
  ...['余姚市', '奉化区', '市本级', '江北区', '海曙区', '象山县', '镇海区'].map((u) => path.join(DATA, 'submissions/2018H1', `${u}_2018H1.xlsx`)),
  ...['江北区2018年上半年党建争强推进情况表（WPS）.xlsx', '奉化区_2018H1_公式.xlsx', '镇海区_2018H1_村社明细.xlsx', '2018年上半年党建争强推进情况汇总表（北仑区、镇海区）.xlsx', '慈溪市_2018H1_隐藏工作表.xlsx'].map((f) =>
    path.join(ROOT, 'test/fixtures', f),
  ),
];
let bases: { file: string; bytes: Uint8Array; entries: { name: string; data: Uint8Array }[] }[] = [];

const GARBAGE_CONTENT = fc.oneof(
  fc.uint8Array({ maxLength: 2000 }),
  fc.string({ unit: 'binary', maxLength: 400 }).map((s) => new Uint8Array(Buffer.from(s, 'utf8'))),
  fc.constantFrom('', '<', '<?xml version="1.0"?>', '<worksheet>', '<a><b></a>', '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><x>&b;&b;</x>', '\ufeff<?xml version="1.0" encoding="UTF-16"?><x/>').map((s) => new Uint8Array(Buffer.from(s, 'utf8'))),
);
const CONTENT_TYPES = fc.constantFrom(
  '',
  'garbage',
  '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"></Types>',
  '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="image/png"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="text/html"/></Types>',
);

type Op =
  | { op: 'delete'; pick: number }
  | { op: 'duplicate'; pick: number }
  | { op: 'rename'; pick: number; to: string }
  | { op: 'garbage'; pick: number; data: Uint8Array }
  | { op: 'truncate-entry'; pick: number; at: number }
  | { op: 'content-types'; xml: string }
  | { op: 'sheet-values'; values: string[] };

const OP: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('duplicate' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('rename' as const), pick: fc.nat(), to: fc.constantFrom('xl/worksheets/sheet9.xml', 'XL/WORKBOOK.XML', '../../evil.xml', '/xl/workbook.xml', 'xl/sharedStrings.xml', '') }),
  fc.record({ op: fc.constant('garbage' as const), pick: fc.nat(), data: GARBAGE_CONTENT }),
  fc.record({ op: fc.constant('truncate-entry' as const), pick: fc.nat(), at: fc.nat() }),
  fc.record({ op: fc.constant('content-types' as const), xml: CONTENT_TYPES }),
  fc.record({ op: fc.constant('sheet-values' as const), values: fc.array(fc.oneof(fc.constantFrom('999999999', '-1', '1e309', 'NaN', '', 'x', '1.5', '4294967296'), fc.integer().map(String)), { minLength: 1, maxLength: 8 }) }),
);

function applyOps(entries: { name: string; data: Uint8Array }[], ops: Op[]): ZipEntry[] {
  let out: ZipEntry[] = entries.map((e) => ({ ...e }));
  const at = (n: number) => n % Math.max(1, out.length);
  for (const o of ops) {
    if (!out.length) break;
    switch (o.op) {
      case 'delete':
        out.splice(at(o.pick), 1);
        break;
      case 'duplicate': // two entries with one name, as a broken zip tool writes them
        out.push({ ...out[at(o.pick)] });
        break;
      case 'rename':
        out[at(o.pick)] = { ...out[at(o.pick)], name: o.to };
        break;
      case 'garbage':
        out[at(o.pick)] = { ...out[at(o.pick)], data: o.data };
        break;
      case 'truncate-entry': {
        const e = out[at(o.pick)];
        out[at(o.pick)] = { ...e, data: e.data!.subarray(0, o.at % (e.data!.length + 1)) };
        break;
      }
      case 'content-types':
        out = out.map((e) => (e.name === '[Content_Types].xml' ? { ...e, data: new Uint8Array(Buffer.from(o.xml, 'utf8')) } : e));
        break;
      case 'sheet-values': {
        let i = 0;
        out = out.map((e) =>
          /^xl\/worksheets\/sheet\d+\.xml$/.test(e.name)
            ? { ...e, data: new Uint8Array(Buffer.from(Buffer.from(e.data!).toString('utf8').replace(/<v>[^<]*<\/v>/g, () => `<v>${o.values[i++ % o.values.length]}</v>`), 'utf8')) }
            : e,
        );
        break;
      }
    }
  }
  return out;
}

beforeAll(async () => {
  ctx = contextFor('2018H1');
  bases = await Promise.all(
    BASES.map(async (file) => {
      const bytes = new Uint8Array(readFileSync(file));
      const zip = await JSZip.loadAsync(bytes);
      const entries = await Promise.all(Object.values(zip.files).filter((f) => !f.dir).map(async (f) => ({ name: f.name, data: await f.async('uint8array') })));
      return { file: path.basename(file), bytes, entries };
    }),
  );
});

afterAll(() => {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const lines = Object.entries(counts).map(([k, n]) => `  ${k.padEnd(28)} ${String(n).padStart(5)} cases (${String(withValues[k]).padStart(4)} read to values), slowest ${Math.round(slowest[k])} ms`);
  console.log(`fuzz: ${total} hostile inputs, none crashed, hung or leaked a stack trace\n${lines.join('\n')}`);
});

const run = (numRuns: number, offset: number) => ({ seed: SEED + offset, numRuns, timeout: CASE_MS, endOnFailure: true });

describe('text submissions (CSV/TXT)', () => {
  it('random bytes, with or without a BOM, are findings', async () => {
    const bom = fc.constantFrom([], [0xef, 0xbb, 0xbf], [0xff, 0xfe], [0xfe, 0xff]);
    await fc.assert(
      fc.asyncProperty(bom, fc.uint8Array({ maxLength: 4096 }), fileName, async (b, body, file) => {
        await attack('csv: random bytes', new Uint8Array([...b, ...body]), file);
      }),
      run(400, 1),
    );
  });

  it('random text in every encoding and separator, with the words of real forms mixed in, is findings and values', async () => {
    await fc.assert(
      fc.asyncProperty(table, fc.constantFrom(',', '\t', ';', '|'), fc.boolean(), fc.constantFrom(...ENCODINGS), fileName, async (rows, sep, quote, enc, file) => {
        await attack('csv: random unicode table', encode(csvText(rows, sep, quote), enc), file);
      }),
      run(400, 2),
    );
  });

  it('a real form with random cells in place of the figures is findings and values', async () => {
    const base = catalogue.items.map((i) => [String(i.no), i.category, i.name_zh, i.measure]);
    await fc.assert(
      fc.asyncProperty(fc.array(token, { minLength: base.length, maxLength: base.length }), fc.array(token, { maxLength: 3 }), async (values, title) => {
        const rows = [[TITLE, ...title], ['填报单位：鄞州区委组织部'], HEADER, ...base.map((r, i) => [...r, values[i], ''])];
        await attack('csv: real form, random cells', encode(csvText(rows, ',', false), 'utf-8-bom'), '鄞州区_2018H1.csv');
      }),
      run(300, 3),
    );
  });
});

describe('mutated .xlsx files', () => {
  const base = () => fc.nat().map((n) => bases[n % bases.length]);

  it('flipped bytes', async () => {
    const flip = fc.record({ pos: fc.nat(), val: fc.integer({ min: 0, max: 255 }) });
    await fc.assert(
      fc.asyncProperty(base(), fc.array(flip, { minLength: 1, maxLength: 24 }), async (b, flips) => {
        const bytes = b.bytes.slice();
        for (const f of flips) bytes[f.pos % bytes.length] = f.val;
        await attack('xlsx: flipped bytes', bytes, b.file);
      }),
      run(200, 4),
    );
  });

  it('cut short at any offset', async () => {
    await fc.assert(
      fc.asyncProperty(base(), fc.nat(), async (b, at) => {
        await attack('xlsx: truncated', b.bytes.slice(0, at % b.bytes.length), b.file);
      }),
      run(150, 5),
    );
  });

  it('zip entries deleted, duplicated, renamed, cut or replaced by garbage; wrong [Content_Types].xml; garbage cell values', async () => {
    await fc.assert(
      fc.asyncProperty(base(), fc.array(OP, { minLength: 1, maxLength: 4 }), async (b, ops) => {
        await attack('xlsx: zip entries mutated', writeZip(applyOps(b.entries, ops)), b.file);
      }),
      run(200, 6),
    );
  });

  it('a sheet XML replaced by garbage, in every base file', async () => {
    await fc.assert(
      fc.asyncProperty(base(), GARBAGE_CONTENT, async (b, data) => {
        const entries = b.entries.map((e) => (/^xl\/worksheets\/sheet1\.xml$/.test(e.name) ? { ...e, data } : e));
        await attack('xlsx: sheet XML garbage', writeZip(entries), b.file);
      }),
      run(100, 7),
    );
  });

  it('a shared-strings table of 200,000 strings (most unused) is read within the case limit', async () => {
    const b = bases[0];
    const n = 200_000;
    const sst = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${n}" uniqueCount="${n}">${Array.from({ length: n }, (_, i) => `<si><t>字符串${i}</t></si>`).join('')}</sst>`;
    const entries = b.entries.filter((e) => e.name !== 'xl/sharedStrings.xml');
    const hasSst = entries.length !== b.entries.length;
    expect(hasSst).toBe(true);
    const bytes = writeZip([...entries, { name: 'xl/sharedStrings.xml', data: new Uint8Array(Buffer.from(sst, 'utf8')) }]);
    const t0 = performance.now();
    await attack('xlsx: 200k shared strings', bytes, b.file);
    expect(performance.now() - t0).toBeLessThan(CASE_MS);
  });
});

describe('long-form workbooks with random cells (written by exceljs)', () => {
  const ERRORS = ['#REF!', '#DIV/0!', '#N/A', '#NAME?', '#NULL!', '#NUM!', '#VALUE!', '#SPILL!', '#GETTING_DATA'];
  const scalar = fc.oneof(fc.double(), fc.integer(), fc.string({ maxLength: 20 }), fc.boolean());
  const cellValue: fc.Arbitrary<ExcelJS.CellValue> = fc.oneof(
    { weight: 4, arbitrary: token },
    { weight: 2, arbitrary: fc.double() },
    { weight: 1, arbitrary: fc.integer() },
    { weight: 1, arbitrary: fc.boolean() },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.date({ min: new Date('1900-01-01'), max: new Date('9999-12-31') }) },
    { weight: 2, arbitrary: fc.constantFrom(...ERRORS).map((error) => ({ error }) as ExcelJS.CellErrorValue) },
    { weight: 2, arbitrary: fc.record({ formula: fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('SUM(E4:E9)', 'E5+E6', '1/0', 'HYPERLINK("http://x","y")')), result: fc.option(scalar, { nil: undefined }) }).map((f) => f as ExcelJS.CellFormulaValue) },
    { weight: 1, arbitrary: fc.array(fc.string({ maxLength: 8 }), { maxLength: 4 }).map((ts) => ({ richText: ts.map((text) => ({ text })) })) },
    { weight: 1, arbitrary: fc.record({ text: fc.string({ maxLength: 10 }), hyperlink: fc.constantFrom('http://x', 'file:///etc/passwd', 'javascript:alert(1)') }) },
  );
  const stray = fc.record({ row: fc.integer({ min: 1, max: 25 }), col: fc.integer({ min: 1, max: 9 }), value: cellValue });

  it('every cell value exceljs can write, in the value column and anywhere else', async () => {
    let unwritable = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(cellValue, { minLength: catalogue.items.length, maxLength: catalogue.items.length }), fc.array(stray, { maxLength: 6 }), fc.boolean(), async (values, strays, merge) => {
        const wb = new ExcelJS.Workbook();
        const ws = wb.addWorksheet('填报表');
        ws.addRow([TITLE]);
        if (merge) ws.mergeCells('A1:F1');
        ws.addRow(['填报单位：鄞州区委组织部']);
        ws.addRow(HEADER);
        catalogue.items.forEach((it, i) => ws.addRow([it.no, it.category, it.name_zh, it.measure, values[i], '']));
        for (const s of strays) if (!ws.getCell(s.row, s.col).isMerged) ws.getCell(s.row, s.col).value = s.value;
        let bytes: Uint8Array;
        try {
          bytes = new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
        } catch {
          unwritable++; // exceljs itself cannot write it: not an input anyone can send
          return;
        }
        await attack('xlsx: random cells (exceljs)', bytes, '鄞州区_2018H1.xlsx');
      }),
      run(120, 8),
    );
    expect(unwritable).toBeLessThan(12);
  });
});
