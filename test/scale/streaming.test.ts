// The streaming path (pipeline/scale/): bounded memory by counters, and the same answers as the core
// pipeline (runPeriod) on the same rows — sums, statuses and findings — including split characters
// (1-byte chunks), GBK, UTF-16, a file that stops being UTF-8 after its head, and .xlsx.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import type { Finding } from '../../schemas/finding.ts';
import { readSubmission } from '../../pipeline/ingest/read.ts';
import { cellText, type Cell } from '../../pipeline/ingest/grid.ts';
import { loadCatalogue } from '../../pipeline/reference/load.ts';
import { runPeriod } from '../../pipeline/run.ts';
import { streamCsvRows } from '../../pipeline/scale/csv-stream.ts';
import { trimPartialUtf8 } from '../../pipeline/scale/decode-stream.ts';
import { rosterIndexFromEntries, serializeRosterIndex, deserializeRosterIndex, rosterLookup, rosterCode, townOfIndex } from '../../pipeline/scale/roster-index.ts';
import { runScale, scaleContext, type ScaleInput } from '../../pipeline/scale/run.ts';
import { streamXlsxRows } from '../../pipeline/scale/xlsx-stream.ts';
import { scaledUnitMatcher } from '../../pipeline/scale/unit-matcher.ts';
import { cellOf } from '../../pipeline/scale/detail-stream.ts';
import { unitMatcher } from '../../pipeline/normalize/match.ts';
import { DATA, contextFor, encodeText, reference } from '../helpers.ts';

const ITEMS = ['villages_signed', 'communities_signed', 'cadres_adjusted', 'secretaries_adjusted'];
let tmp: string;

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'banbao-scale-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The Ningbo roster (data/reference) as a scale context: its ten counties are the units. */
function ningbo() {
  const ref = reference();
  const ix = rosterIndexFromEntries(ref.roster, ref.units.map((u) => [u.code as string, u.name]));
  return scaleContext(loadCatalogue(DATA, '2018H1'), ix);
}

/** A source that hands over `bytes` `size` bytes at a time. */
function chunked(bytes: Uint8Array, size: number): () => AsyncIterable<Uint8Array> {
  return async function* () {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  };
}

function csvText(rows: string[][]): string {
  const esc = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return rows.map((r) => r.map(esc).join(',')).join('\r\n') + '\r\n';
}

/** The shipped 镇海区 village-level sheet (村社明细, 99 rows) as text rows. */
async function zhenhaiRows(period = '2018H1'): Promise<string[][]> {
  const bytes = new Uint8Array(readFileSync(path.join(DATA, 'submissions', period, `镇海区_${period}.xlsx`)));
  const src = (await readSubmission(bytes, '镇海区.xlsx')).source!;
  const sheet = src.sheets.find((s) => s.name === '村社明细')!;
  return sheet.rows.map((r) => r.map((c) => cellText(c)));
}

/** The core's answer for a detail-only submission: 330211's values and its detail findings. */
async function core(file: string, bytes: Uint8Array) {
  const r = await runPeriod([{ file, bytes }], contextFor('2018H1'));
  return {
    values: r.values.filter((v) => v.unit === '330211' && ITEMS.includes(v.indicator)).map((v) => [v.indicator, v.value, v.status]),
    findings: detailFindings(r.findings),
  };
}

async function streamed(inputs: ScaleInput[]) {
  const r = await runScale(inputs, ningbo());
  return {
    result: r,
    values: r.rollup.values.filter((v) => v.unit === '330211').map((v) => [v.indicator, v.value, v.status]),
    findings: detailFindings(r.findings.kept),
  };
}

function detailFindings(fs: Finding[]): string[][] {
  return fs
    .filter((f) => f.code.startsWith('rule.detail') || f.code.startsWith('value.'))
    .map((f) => [f.code, f.sheet, f.cell, f.raw, f.unit, f.indicator, f.message])
    .sort((a, b) => a.join('|').localeCompare(b.join('|')));
}

describe('streaming reader: text decoding across chunks', () => {
  const text = csvText([
    ['村社代码', '村社名称', '乡镇（街道）', '类型', '悬挂红色标识的行政村'],
    ['330211001001', '城东社区', '招宝山街道', '社区', '0'],
    ['330211101201', '汶溪村〇𠀀', '九龙湖镇', '村', '１'],
  ]);

  async function rowsOf(bytes: Uint8Array, size: number) {
    const rows: string[][] = [];
    const stats = await streamCsvRows(chunked(bytes, size), (batch) => rows.push(...batch));
    return { rows: rows.filter((r) => r.some((v) => v !== '')), stats };
  }

  async function coreRows(bytes: Uint8Array) {
    const src = (await readSubmission(bytes, 'x.csv')).source!;
    return src.sheets[0].rows.map((r) => r.map((c) => cellText(c)));
  }

  it('decodes UTF-8 Chinese split across 1-byte chunks exactly as the whole-file reader', async () => {
    const bytes = encodeText(text, 'utf-8');
    const { rows, stats } = await rowsOf(bytes, 1);
    expect(rows).toEqual(await coreRows(bytes));
    expect(rows[2][1]).toBe('汶溪村〇𠀀');
    expect(stats.decode.encoding).toBe('utf-8');
    expect(JSON.stringify(rows)).not.toContain('\ufffd');
  });

  it('decodes GBK (GB18030) split across 1-byte chunks', async () => {
    const gbk = encodeText(text.replace('𠀀', ''), 'gbk');
    const { rows, stats } = await rowsOf(gbk, 1);
    expect(stats.decode.encoding).toBe('gb18030');
    expect(rows).toEqual(await coreRows(gbk));
    expect(rows[2][1]).toBe('汶溪村〇');
  });

  it('decodes UTF-16LE with BOM and UTF-8 with BOM in 3-byte chunks', async () => {
    for (const enc of ['utf-16le-bom', 'utf-8-bom'] as const) {
      const bytes = encodeText(text, enc);
      const { rows, stats } = await rowsOf(bytes, 3);
      expect(rows, enc).toEqual(await coreRows(bytes));
      expect(stats.decode.encoding).toBe(enc === 'utf-8-bom' ? 'utf-8-bom' : 'utf-16le');
    }
  });

  it('reads a file again as GB18030 when it stops being UTF-8 after the sniffed head', async () => {
    const ascii = Array.from({ length: 3000 }, (_, i) => `330211001${String(i).padStart(3, '0')},x,y,社区,0`).join('\r\n');
    const bytes = new Uint8Array(Buffer.concat([Buffer.from(ascii.replace(/社区/g, 'sq') + '\r\n', 'utf8'), encodeText('330211101201,汶溪村,九龙湖镇,村,1\r\n', 'gbk')]));
    expect(bytes.length).toBeGreaterThan(64 * 1024);
    let restarted = 0;
    const rows: string[][] = [];
    const stats = await streamCsvRows(chunked(bytes, 4096), (batch) => rows.push(...batch), { onRestart: () => ((rows.length = 0), restarted++) });
    expect(restarted).toBe(1);
    expect(stats.decode.encoding).toBe('gb18030');
    expect(rows.filter((r) => r.length > 1)).toEqual((await coreRows(bytes)).filter((r) => r.length > 1));
    expect(rows.find((r) => r[0] === '330211101201')?.[1]).toBe('汶溪村');
  });

  it('trims only an incomplete UTF-8 sequence from a cut-off head', () => {
    const b = Buffer.from('村社', 'utf8'); // 6 bytes
    expect([...trimPartialUtf8(b.subarray(0, 5))]).toEqual([...b.subarray(0, 3)]);
    expect([...trimPartialUtf8(b)]).toEqual([...b]);
    expect([...trimPartialUtf8(Buffer.from('ab'))]).toEqual([0x61, 0x62]);
  });
});

describe('streaming detail = core pipeline', () => {
  it('sums the shipped 镇海区 detail sheet like runPeriod, in 1-byte chunks too', async () => {
    const bytes = encodeText(csvText(await zhenhaiRows()), 'utf-8');
    const file = '镇海区_2018H1.csv';
    const want = await core(file, bytes);
    expect(want.values.map((v) => v[2])).toEqual(['value', 'value', 'value', 'value']);
    writeFileSync(path.join(tmp, file), bytes);
    const got = await streamed([{ path: path.join(tmp, file) }]);
    expect(got.values).toEqual(want.values);
    expect(got.findings).toEqual(want.findings);
    const oneByte = await streamed([{ path: file, file, bytes: chunked(bytes, 1) }]);
    expect(oneByte.values).toEqual(want.values);
  });

  it('finds what the core finds in a detail sheet with errors (same codes, cells, messages)', async () => {
    const rows = await zhenhaiRows();
    const h = rows[0];
    const col = (name: string) => h.indexOf(name);
    const villageRow = rows.findIndex((r, i) => i > 0 && r[col('类型')] === '村');
    const fullWidth = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    rows[villageRow][col('悬挂红色标识的城市社区')] = '1'; // a 村 counting a community → rule.detail_type
    rows[5][col('村社代码')] = fullWidth(rows[5][col('村社代码')]); // NFKC gives the same code
    rows[6][col('悬挂红色标识的行政村')] = '120余'; // value.approximate
    rows[7][col('调整村社干部')] = '1个';
    rows[8][col('其中党组织书记')] = '—';
    rows[9][col('村社代码')] = '330211999999'; // not in the roster
    rows[10][col('调整村社干部')] = '-1';
    rows.push([...rows[12]]); // a village twice
    const other = reference().roster.find((r) => r.unit_code === '330212')!;
    rows.push([other.code, other.name, other.town_name, '村', '1', '0', '0', '0']); // 鄞州区's village in 镇海区's file
    rows.push(['合计', '', '', '', '', '', '', '']); // a total row is not a village
    const bytes = encodeText(csvText(rows), 'utf-8');
    const file = '镇海区_2018H1.csv';
    const want = await core(file, bytes);
    expect(want.values.filter((v) => v[2] === 'invalid').map((v) => v[0])).toEqual(['villages_signed', 'communities_signed', 'cadres_adjusted']);
    writeFileSync(path.join(tmp, 'errors.csv'), bytes);
    const got = await streamed([{ path: path.join(tmp, 'errors.csv'), file }]);
    expect(got.values).toEqual(want.values);
    expect(got.findings).toEqual(want.findings);
    expect(got.findings.map((f) => f[0]).sort()).toEqual(
      ['rule.detail_duplicate_village', 'rule.detail_type', 'rule.detail_unknown_village', 'rule.detail_wrong_unit', 'value.approximate', 'value.negative'].sort(),
    );
    // the rows the fast path could not vouch for went to the core
    expect(got.result.acc.stats.coreRows).toBeGreaterThanOrEqual(2);
  });

  it('sums GBK bytes in 1-byte chunks like the UTF-8 file', async () => {
    const text = csvText(await zhenhaiRows('2018H2'));
    const want = await core('镇海区_2018H1.csv', encodeText(text, 'utf-8'));
    const gbk = encodeText(text, 'gbk');
    const got = await streamed([{ path: 'x', file: '镇海区_2018H1.csv', bytes: chunked(gbk, 1) }]);
    expect(got.values).toEqual(want.values);
    expect(got.result.csv?.decode.encoding).toBe('gb18030');
  });

  it('streams an .xlsx detail sheet (title lines, shared strings after the sheet) to the core’s sums', async () => {
    const rows = await zhenhaiRows();
    const file = path.join(tmp, '镇海区明细.xlsx');
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: false });
    const ws = wb.addWorksheet('村社明细');
    ws.addRow(['党建争强村社明细（2018年上半年）']).commit();
    ws.addRow(['填报单位：镇海区委组织部']).commit();
    ws.addRow(rows[0]).commit();
    for (const r of rows.slice(1)) ws.addRow([r[0], r[1], r[2], r[3], ...r.slice(4).map(Number)]).commit();
    ws.commit();
    await wb.commit();
    const bytes = new Uint8Array(readFileSync(file));
    const want = await core('镇海区明细.xlsx', bytes);
    const got = await streamed([{ path: file, file: '镇海区明细.xlsx' }]);
    expect(got.values).toEqual(want.values);
    expect(got.findings).toEqual(want.findings);
  });

  it('reads every kind of xlsx cell as the core reads it', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('s');
    ws.addRow([
      1248,
      '１２４８',
      '  ',
      true,
      new Date(Date.UTC(2018, 6, 5)),
      { error: '#REF!' },
      { richText: [{ text: '12' }, { text: '0余' }] },
      { formula: 'A1+1', result: 1249 },
      { text: '链接', hyperlink: 'http://example.invalid/' },
      null,
      '3',
    ] as ExcelJS.CellValue[]);
    const file = path.join(tmp, 'cells.xlsx');
    await wb.xlsx.writeFile(file);
    const full = (await readSubmission(new Uint8Array(readFileSync(file)), 'cells.xlsx')).source!.sheets[0].rows[0];
    let got: Cell[] = [];
    await streamXlsxRows(file, () => ({ row: (cells) => (got = Array.from(cells, cellOf)), end: () => {} }));
    expect(got).toEqual(full);
  });
});

describe('streaming keeps memory bounded (counters, not timers)', () => {
  /** n rows of a synthetic county (330211, 1,000 villages per town) and the roster that lists them. */
  function synthetic(n: number) {
    const entries = Array.from({ length: n }, (_, i) => {
      const town = `330211${String(Math.floor(i / 999) + 1).padStart(3, '0')}`;
      return { code: `${town}${String((i % 999) + 1).padStart(3, '0')}`, town_code: town, unit_code: '330211' };
    });
    return { entries, ix: rosterIndexFromEntries(entries, [['330211', '镇海区']]) };
  }

  function writeRows(file: string, entries: { code: string }[]) {
    const fd = openSync(file, 'w');
    writeSync(fd, '村社代码,村社名称,乡镇（街道）,类型,悬挂红色标识的行政村,悬挂红色标识的城市社区,调整村社干部,其中党组织书记\n');
    let buf: string[] = [];
    entries.forEach((e, i) => {
      const village = Number(e.code.slice(9)) >= 200;
      buf.push(`${e.code},第${i}村社,某街道,${village ? '村' : '社区'},${village ? 1 : 0},${village ? 0 : 1},${i % 7 === 0 ? 2 : 0},${i % 14 === 0 ? 1 : 0}\n`);
      if (buf.length === 10_000) (writeSync(fd, buf.join('')), (buf = []));
    });
    writeSync(fd, buf.join(''));
    closeSync(fd);
  }

  it('holds one parser batch of rows at a time, however long the file (200,000 rows)', async () => {
    const big = synthetic(200_000);
    const small = synthetic(20_000);
    writeRows(path.join(tmp, 'big.csv'), big.entries);
    writeRows(path.join(tmp, 'small.csv'), small.entries);
    const cat = loadCatalogue(DATA, '2018H1');
    const stream = { wholeFileBytes: 0 }; // stream even the small one
    const runBig = await runScale([{ path: path.join(tmp, 'big.csv') }], scaleContext(cat, big.ix), stream);
    const runSmall = await runScale([{ path: path.join(tmp, 'small.csv') }], scaleContext(cat, small.ix), stream);

    expect(runBig.acc.stats.detailRows).toBe(200_000);
    // the counters: rows alive at once, text alive at once — set by the 64 KiB chunk, not the file
    expect(runBig.acc.stats.maxRowsHeld).toBeLessThanOrEqual(2_000);
    expect(runBig.acc.stats.maxRowsHeld).toBeLessThanOrEqual(runSmall.acc.stats.maxRowsHeld + 100);
    expect(runBig.csv!.decode.maxChunkChars).toBeLessThanOrEqual(64 * 1024);
    expect(runBig.csv!.batches).toBeGreaterThan(100);
    // what the run keeps grows with the roster (towns), not the rows: no per-row objects
    const kept = [...runBig.acc.itemsSeen].map((j) => runBig.acc.townSums[j].length);
    expect(kept).toEqual([1, 2, 3, 4].map(() => big.ix.towns.length));
    // each distinct text went through readCount once; the rest came from its memo
    expect(runBig.acc.stats.memoMisses).toBeLessThan(20);
    expect(runBig.acc.stats.values).toBe(800_000);
    // and the sums are right
    const v = new Map(runBig.rollup.values.map((x) => [x.indicator, x.value]));
    const villages = big.entries.filter((e) => Number(e.code.slice(9)) >= 200).length;
    expect(v.get('villages_signed')).toBe(villages);
    expect(v.get('communities_signed')).toBe(200_000 - villages);
    expect(v.get('cadres_adjusted')).toBe(2 * Math.ceil(200_000 / 7));
    expect(v.get('secretaries_adjusted')).toBe(Math.ceil(200_000 / 14));
    expect(runBig.findings.total).toBe(0);
  });

  it('smaller chunks hold fewer rows (the bound follows the chunk size)', async () => {
    const { entries, ix } = synthetic(20_000);
    writeRows(path.join(tmp, 'chunks.csv'), entries);
    const cat = loadCatalogue(DATA, '2018H1');
    const a = await runScale([{ path: path.join(tmp, 'chunks.csv') }], scaleContext(cat, ix), { chunkBytes: 8 * 1024, wholeFileBytes: 0 });
    const b = await runScale([{ path: path.join(tmp, 'chunks.csv') }], scaleContext(cat, ix), { chunkBytes: 64 * 1024, wholeFileBytes: 0 });
    expect(a.acc.stats.maxRowsHeld).toBeLessThan(b.acc.stats.maxRowsHeld / 4);
    expect(a.rollup.values).toEqual(b.rollup.values);
  });

  it('reads a file under WHOLE_FILE_BYTES in one piece (one file’s worth), with the same sums', async () => {
    const { entries, ix } = synthetic(5_000);
    writeRows(path.join(tmp, 'whole.csv'), entries);
    const cat = loadCatalogue(DATA, '2018H1');
    const whole = await runScale([{ path: path.join(tmp, 'whole.csv') }], scaleContext(cat, ix));
    const streamed = await runScale([{ path: path.join(tmp, 'whole.csv') }], scaleContext(cat, ix), { wholeFileBytes: 0 });
    expect(whole.acc.stats.maxRowsHeld).toBe(5_002); // header + rows + the empty last line
    expect(streamed.acc.stats.maxRowsHeld).toBeLessThan(2_000);
    expect(whole.rollup.values).toEqual(streamed.rollup.values);
  });
});

describe('unit names in file names and title lines, at national scale', () => {
  it('the scaled matcher finds exactly what the core matcher finds', () => {
    const units = [
      ...reference().units,
      ...['海曙区', '鼓楼区', '市中区', '城关镇', '江北区', '东城区'].map((name, i) => ({ code: `9${String(i).padStart(5, '0')}`, name, short_name: name.slice(0, 2), level: 'district', aliases: [`${name}委组织部`] })),
    ] as unknown as Parameters<typeof unitMatcher>[0];
    const core = unitMatcher(units);
    const fast = scaledUnitMatcher(units);
    const texts = ['镇海区_2018H1', '330211', '鄞州区委组织部　填报日期', '海曙 江北 北仑', '填报单位：市直单位（市本级）', '鼓楼区委组织部', 'abc', '', '330212_鄞州区_2018H2.csv', '江北区江北', '１２３'];
    for (const t of texts) {
      expect(fast.within(t), t).toEqual(core.within(t));
      expect(fast.exact(t), t).toEqual(core.exact(t));
    }
    for (const u of units) expect(fast.name(u.code)).toBe(core.name(u.code));
  });
});

describe('roster index', () => {
  it('round-trips through its binary form and finds every code', () => {
    const ref = reference();
    const ix = rosterIndexFromEntries(ref.roster, [['330211', '镇海区']]);
    const back = deserializeRosterIndex(serializeRosterIndex(ix));
    expect(back.size).toBe(3042);
    expect(back.names.get('330211')).toBe('镇海区');
    for (const r of ref.roster) {
      const i = rosterLookup(back, r.code);
      expect(rosterCode(back, i)).toBe(r.code);
      expect(back.countyOfTown[townOfIndex(back, i)]).toBe(back.counties.indexOf(+r.unit_code));
    }
    expect(rosterLookup(back, '330211999999')).toBe(-1);
    expect([...back.countyCount].reduce((a, b) => a + b, 0)).toBe(3042);
  });
});
