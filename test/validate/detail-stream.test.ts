// A 村社明细 CSV beyond the cell limit is read in a stream (pipeline/read-detail-stream.ts), not
// refused: the same values and findings as the same file read whole, with a bounded number of rows
// held as cells. The tests lower the cell limit so that a small file takes the streaming path, and
// compare it with the file read whole under the default limits.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import Papa from 'papaparse';
import { cellText } from '../../pipeline/ingest/grid.ts';
import { runPeriod } from '../../pipeline/run.ts';
import { DEFAULT_LIMITS, readSubmission, type Limits } from '../../pipeline/ingest/read.ts';
import { HEAD_ROWS, eachCsvRow, readDetailCsvStream } from '../../pipeline/read-detail-stream.ts';
import { DATA, contextFor, encodeText } from '../helpers.ts';

const ctx = contextFor('2018H1');
const STREAM: Limits = { ...DEFAULT_LIMITS, zip: { ...DEFAULT_LIMITS.zip, maxCells: 50 } };
const HEADER = '村社代码,村社名称,类型,悬挂红色标识的行政村,悬挂红色标识的城市社区,调整村社干部,其中党组织书记';
const villages = (unit: string) => ctx.roster.ofUnit(unit);
const line = (v: { code: string; name: string; type: string }, i: number) =>
  [v.code, v.name, v.type === '村委会' ? '村' : '社区', v.type === '村委会' ? '1' : '0', v.type === '村委会' ? '0' : '1', String(i % 3), String(Math.min(i % 2, i % 3))].join(','); // 书记 ≤ 干部 on every row

async function both(file: string, text: string) {
  const bytes = encodeText(text, 'utf-8');
  const whole = await runPeriod([{ file, bytes }], ctx);
  const streamed = await runPeriod([{ file, bytes }], ctx, new Map(), STREAM);
  return { whole, streamed };
}
const view = (r: Awaited<ReturnType<typeof runPeriod>>) => ({
  values: r.values.map((v) => [v.unit, v.indicator, v.value, v.status, v.raw, v.loc?.cell ?? ''].join(' ')),
  findings: r.findings.map((f) => [f.code, f.file, f.cell, f.unit, f.indicator, f.raw, f.message].join(' ')),
  inputs: r.inputs.map((i) => [i.file, i.format, i.encoding, i.layouts, i.unit, i.period].join(' ')),
});

describe('a large detail CSV is read in a stream', () => {
  it('gives the values and findings of the same file read whole: many units, errors, title and footer', async () => {
    const rows = [
      ...villages('330211').slice(0, 60).map(line),
      ...villages('330212').slice(0, 80).map(line),
      '330212999999,不在名录的村,村,1,0,0,0', // not in the roster
      villages('330211')[3] ? line(villages('330211')[3], 3) : '', // a row twice
      `${villages('330212')[100].code},${villages('330212')[100].name},社区,1,0,0,0`, // a 社区 counting a 村
      `${villages('330212')[101].code},${villages('330212')[101].name},村,120余,0,-1,0.5`, // not counts
      '',
      '330101001001,杭州的社区,社区,0,1,0,0', // a code of no unit of the region
    ];
    const text = ['2018年上半年村社明细', HEADER, ...rows, '合计,,,,,,', '填表人：张三　联系电话：12345678'].join('\n') + '\n';
    const { whole, streamed } = await both('村社明细_2018H1.csv', text);
    expect(whole.findings.some((f) => f.code === 'limit.exceeded')).toBe(false);
    expect(streamed.findings.some((f) => f.code === 'limit.exceeded')).toBe(false);
    expect(view(streamed)).toEqual(view(whole));
    // it was read: each unit's sums, and the errors said where they are
    expect(streamed.values.find((v) => v.unit === '330211' && v.indicator === 'cadres_adjusted')!.raw).toMatch(/^明细合计 \d+ 行$/);
    expect(new Set(streamed.findings.map((f) => f.code))).toEqual(
      new Set([...whole.findings.map((f) => f.code)]),
    );
    expect(streamed.findings.map((f) => f.code)).toEqual(expect.arrayContaining(['rule.detail_unknown_village', 'rule.detail_duplicate_village', 'rule.detail_type', 'value.approximate', 'value.negative', 'value.fraction']));
    // nothing read from it held every row: the streamed file's rows were never a ParsedFile's
    expect(streamed.detailRowsHeld).toBe(0);
  });

  it('a 填报单位 line below the rows (past the first lines) is still the file’s claim', async () => {
    // the codes are 鄞州区's, the label names 镇海区: read whole, the label wins and every row is another unit's
    const rows = villages('330212').slice(0, HEAD_ROWS + 50).map(line);
    const text = ['村社明细', HEADER, ...rows, '填报单位：镇海区委组织部'].join('\n') + '\n';
    const { whole, streamed } = await both('明细.csv', text);
    expect(view(streamed)).toEqual(view(whole));
    expect(streamed.inputs[0].unit).toBe('330211');
    expect(streamed.findings.filter((f) => f.code === 'rule.detail_wrong_unit').length).toBe(HEAD_ROWS + 50);
  });

  it('a second unit’s codes only past the first lines still make it a file of many units', async () => {
    const rows = [...villages('330212').slice(0, HEAD_ROWS + 20).map(line), ...villages('330211').slice(0, 30).map(line)];
    const { whole, streamed } = await both('村社明细.csv', ['村社明细', HEADER, ...rows].join('\n') + '\n');
    expect(view(streamed)).toEqual(view(whole));
    expect(streamed.values.find((v) => v.unit === '330211' && v.indicator === 'cadres_adjusted')!.raw).toBe('明细合计 30 行');
  });

  it('a row with more fields than the header (an unquoted 1,234) takes none of its figures and says so, whole or streamed', async () => {
    const vs = villages('330212').slice(0, 3);
    const rows = [line(vs[0], 0), line(vs[1], 1), `${vs[2].code},${vs[2].name},村,1,0,,2,1`];
    const { whole, streamed } = await both('鄞州区_2018H1.csv', ['村社明细', HEADER, ...rows].join('\n') + '\n');
    expect(view(streamed)).toEqual(view(whole));
    const f = whole.findings.filter((x) => x.code === 'row.extra_fields');
    expect(f.map((x) => [x.cell, x.unit, x.raw])).toEqual([['A5', '330212', '1,0,,2,1']]);
    const v = (ind: string) => whole.values.find((x) => x.unit === '330212' && x.indicator === ind)!;
    expect([v('cadres_adjusted').status, v('secretaries_adjusted').status, v('villages_signed').status]).toEqual(['invalid', 'invalid', 'invalid']);
  });

  it('with release (the CLI’s own inputs), a streamed CSV’s bytes are let go once decoded; the result is the same', async () => {
    const text = ['村社明细', HEADER, ...villages('330212').slice(0, 40).map(line)].join('\n') + '\n';
    const kept = { file: '鄞州区_2018H1.csv', bytes: encodeText(text, 'utf-8') };
    const given = { ...kept };
    const a = await runPeriod([kept], ctx, new Map(), STREAM);
    const b = await runPeriod([given], ctx, new Map(), STREAM, true);
    expect(view(b)).toEqual(view(a));
    expect(b.inputs[0].sha256).toBe(a.inputs[0].sha256);
    expect('bytes' in given).toBe(false);
    expect(kept.bytes).toBeDefined();
  });

  it('blank fields past the header are no proof of a row as written: a doubled comma among the items looks the same', async () => {
    const vs = villages('330212').filter((v) => v.type === '村委会').slice(0, 3);
    const HEAD8 = `${HEADER},备注`;
    const file = (rows: string[]) => both('鄞州区_2018H1.csv', ['村社明细', HEAD8, ...rows].join('\n') + '\n');
    const v = (r: Awaited<ReturnType<typeof both>>['whole'], ind: string) => r.values.find((x) => x.unit === '330212' && x.indicator === ind)!;
    // 1,0,2,1 typed 1,0,,2,1 with the 备注 left empty: one field too many, and the last one blank — a
    // review found this read silently as 0 cadres and 2 secretaries when blank tails were let through
    for (const row of [`${vs[1].code},${vs[1].name},村,1,0,,2,1,`, `${vs[1].code},${vs[1].name},村,1,0,2,1,,`]) {
      const r = await file([`${vs[0].code},${vs[0].name},村,1,0,1,1,`, row, `${vs[2].code},${vs[2].name},村,1,0,0,0,`]);
      expect(view(r.streamed)).toEqual(view(r.whole));
      expect(r.whole.findings.filter((f) => f.code === 'row.extra_fields').map((f) => f.cell), row).toEqual(['A4']);
      expect([v(r.whole, 'cadres_adjusted').status, v(r.whole, 'secretaries_adjusted').status], row).toEqual(['invalid', 'invalid']);
    }
  });

  it('a row whose part exceeds its whole (其中党组织书记 2 of 调整村社干部 1) takes neither, with the cell said', async () => {
    const vs = villages('330212').slice(0, 3);
    const rows = [`${vs[0].code},${vs[0].name},村,1,0,2,1`, `${vs[1].code},${vs[1].name},村,1,0,1,2`, `${vs[2].code},${vs[2].name},村,0,0,3,3`];
    const { whole, streamed } = await both('鄞州区_2018H1.csv', ['村社明细', HEADER, ...rows].join('\n') + '\n');
    expect(view(streamed)).toEqual(view(whole));
    const f = whole.findings.filter((x) => x.code === 'rule.part_exceeds_whole');
    expect(f.map((x) => [x.cell, x.indicator, x.message])).toEqual([['G4', 'secretaries_adjusted', '其中党组织书记（2）大于调整村社干部（1）：其中项不能超过总数']]);
    const v = (ind: string) => whole.values.find((x) => x.unit === '330212' && x.indicator === ind)!;
    expect([v('cadres_adjusted').status, v('secretaries_adjusted').status, v('villages_signed').value]).toEqual(['invalid', 'invalid', 2]);
  });

  it('holds the rows above the header and a few more, however long the file (a count, not a timer)', () => {
    const rows = Array.from({ length: 5 }, () => villages('330212').map(line)).flat();
    const text = ['村社明细（鄞州区）', HEADER, ...rows].join('\n') + '\n';
    const r = readDetailCsvStream(text, '鄞州区_2018H1.csv', { invalid: false }, ctx, STREAM)!;
    expect(r.parsed?.layouts.map((l) => l.layout)).toEqual(['detail']);
    expect(rows.length).toBeGreaterThan(2000);
    expect(r.rowsHeld).toBeLessThanOrEqual(HEAD_ROWS + 1);
    // every plain row past the head but the first (where the header is looked for) is taken in pass 1 without splitting its line
    expect(r.plainLines).toBe(rows.length + 2 - HEAD_ROWS - 1);
  });

  it('a summary table beyond the limit is not streamed: the cell limit stands', async () => {
    const text = ['单位,指标,本期数', ...Array.from({ length: 40 }, (_, i) => `镇海区,调整村社干部,${i}`)].join('\n') + '\n';
    const r = await runPeriod([{ file: 'big.csv', bytes: encodeText(text, 'utf-8') }], ctx, new Map(), STREAM);
    expect(r.findings.filter((f) => f.file === 'big.csv').map((f) => f.code)).toEqual(['limit.exceeded']);
    // refused, the record still says what the file is
    expect(r.inputs.map((i) => [i.file, i.format, i.encoding, i.layouts])).toEqual([['big.csv', 'csv', 'utf-8', '']]);
  });

  it('property: any mix of roster rows, bad rows, blanks and noise reads the same streamed or whole', async () => {
    const pool = [...villages('330211').slice(0, 40), ...villages('330206').slice(0, 40)];
    const noise = ['', ',,,,,,', '330212999999,无此村,村,1,0,0,0', '合计,,,,,,', '备注：以上数据截至6月底', '12345,短代码,村,1,0,0,0', '"330211001001",引号,社区,0,1,2,1'];
    const rowArb = fc.oneof(
      { weight: 4, arbitrary: fc.tuple(fc.integer({ min: 0, max: pool.length - 1 }), fc.integer({ min: 0, max: 5 })).map(([i, k]) => line(pool[i], k)) },
      { weight: 1, arbitrary: fc.constantFrom(...noise) },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(rowArb, { minLength: 1, maxLength: 150 }), async (rows) => {
        const text = ['2018年上半年村社明细', HEADER, ...rows].join('\n') + '\n';
        const { whole, streamed } = await both('村社明细_2018H1.csv', text);
        expect(view(streamed)).toEqual(view(whole));
      }),
      { numRuns: 25 },
    );
  });

  it('property: a plain text’s lines past the head, taken without splitting where certain, read as the file read whole (tight limits too)', async () => {
    // no quote or CR anywhere, so the hand split and its whole-line path (plainLine) are taken past the head
    const one = villages('330211').slice(0, 40);
    const pool = [...one, ...villages('330206').slice(0, 40)];
    const z = pool[0];
    const y = villages('330212')[0];
    const noise = [
      '', ',,,,,,', ' , ,', '330212999999,无此村,村,1,0,0,0', '合计,,,,,,', '备注：以上数据截至6月底', '12345,短代码,村,1,0,0,0',
      '填报单位：镇海区委组织部', ',填报单位,海曙区', '审核人：张三,（党委盖章）', `${z.code},${z.name}党群,村,1,0,0,0`, `${z.code},${z.name},村,1,0,0,0,`,
      ` ${z.code},${z.name},村,1,0,0,0`, `${z.code.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))},${z.name},村,1,0,0,0`,
      `${z.code},${'长'.repeat(70)},村,1,0,0,0`, `${z.code},${z.name},村,1,0,0,0,1,2,3`, `${z.code}`, `,${z.code},村`, '3.30212E+11,科学计数,村,1,0,0,0',
      `${z.code},填报单位：海曙区委组织部,村,1,0,0,0`, `${z.code},${z.name},村,1,0,0,0,审核人：李四（党委盖章）`,
      // a unit met only in codes that are not plain: its prefix must still be seen
      ` ${y.code},${y.name},社区,0,1,0,0`, `${y.code.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))},${y.name},社区,0,1,0,0`,
    ];
    // the rows of one unit, or of two: a unit met only in codes that are not plain makes a file of many units
    const rowsOf = (from: typeof pool) =>
      fc.array(
        fc.oneof(
          { weight: 6, arbitrary: fc.tuple(fc.integer({ min: 0, max: from.length - 1 }), fc.integer({ min: 0, max: 5 })).map(([i, k]) => line(from[i], k)) },
          { weight: 1, arbitrary: fc.constantFrom(...noise) },
        ),
        { minLength: 1, maxLength: 80 },
      );
    const rowsArb = fc.boolean().chain((oneUnit) => rowsOf(oneUnit ? one : pool));
    const tight = { maxCols: 9, maxCellChars: 60 };
    await fc.assert(
      fc.asyncProperty(rowsArb, fc.boolean(), fc.constantFrom(',', '\t'), fc.boolean(), async (tail, isTight, delimiter, numbered) => {
        // the random rows past the head (the first HEAD_ROWS are read as they are); with a 序号 column first, the code is the second field
        const rows = [...Array.from({ length: HEAD_ROWS }, (_, i) => line(one[i % one.length], i)), ...tail];
        const lines = numbered ? [`序号,${HEADER}`, ...rows.map((r, i) => `${i + 1},${r}`)] : [HEADER, ...rows];
        const text = ['2018年上半年村社明细', ...lines].join('\n').replaceAll(',', delimiter) + '\n';
        const bytes = encodeText(text, 'utf-8');
        const limits = isTight ? { ...DEFAULT_LIMITS, ...tight } : DEFAULT_LIMITS;
        const whole = await runPeriod([{ file: '村社明细_2018H1.csv', bytes }], ctx, new Map(), limits);
        const streamed = await runPeriod([{ file: '村社明细_2018H1.csv', bytes }], ctx, new Map(), { ...limits, zip: { ...limits.zip, maxCells: 50 } });
        expect(view(streamed)).toEqual(view(whole));
      }),
      { numRuns: 40 },
    );
  });

  it('property: the rows split by hand (a text without quote or CR) are papaparse’s step rows, to the row where reading stops', () => {
    const papaRows = (text: string, delimiter: string, stopAt: number) => {
      const rows: string[][] = [];
      Papa.parse<string[]>(text, { header: false, delimiter, skipEmptyLines: false, step: (res, parser) => void (rows.push(res.data), rows.length === stopAt && parser.abort()) });
      return rows;
    };
    const chars = fc.constantFrom('a', '1', ',', '\t', ';', '|', '\n', ' ', '村', '\u{20000}', '"', '\r', '\uFEFF');
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 60 }).map((c) => c.join('')), fc.constantFrom(',', '\t', ';', '|'), fc.integer({ min: 0, max: 8 }), (text, delimiter, stopAt) => {
        const rows: string[][] = [];
        const end = eachCsvRow(text, delimiter, (fields) => (rows.push(fields), rows.length !== stopAt));
        const plain = !/["\r]/.test(text) && !text.startsWith('\uFEFF');
        if (plain || end !== 'quotes') expect(rows).toEqual(papaRows(text, delimiter, stopAt));
        if (plain) expect(end).toBe(stopAt > 0 && rows.length === stopAt ? 'aborted' : 'done');
      }),
      { numRuns: 3000 },
    );
    // the text's last line is a row even when empty; an empty text has none
    const seen = (text: string) => {
      const rows: string[][] = [];
      eachCsvRow(text, ',', (f) => (rows.push(f), true));
      return rows;
    };
    expect(seen('a,b\n')).toEqual([['a', 'b'], ['']]);
    expect(seen('')).toEqual([]);
  });
});

// The tests of the former streaming harness (pipeline/scale/, removed), run against the core's one path.
describe('the former streaming harness’s cases, on the core', () => {
  const ITEMS = ['villages_signed', 'communities_signed', 'cadres_adjusted', 'secretaries_adjusted'];
  /** The shipped 镇海区 village-level sheet (村社明细, 99 rows) as text rows. */
  async function zhenhaiRows(period = '2018H1'): Promise<string[][]> {
    const bytes = new Uint8Array(readFileSync(path.join(DATA, 'submissions', period, `镇海区_${period}.xlsx`)));
    const src = (await readSubmission(bytes, '镇海区.xlsx')).source!;
    return src.sheets.find((s) => s.name === '村社明细')!.rows.map((r) => r.map((c) => cellText(c)));
  }
  const csvText = (rows: string[][]) => rows.map((r) => r.map((s) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s)).join(',')).join('\r\n') + '\r\n';
  const zhenhai = (r: Awaited<ReturnType<typeof runPeriod>>) => r.values.filter((v) => v.unit === '330211' && ITEMS.includes(v.indicator)).map((v) => [v.indicator, v.value, v.status]);

  it('the shipped 镇海区 detail sheet with errors: streamed = read whole (same sums, codes, cells, messages)', async () => {
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
    const other = ctx.roster.ofUnit('330212')[0];
    rows.push([other.code, other.name, other.town_name, '村', '1', '0', '0', '0']); // 鄞州区's village in 镇海区's file
    rows.push(['合计', '', '', '', '', '', '', '']);
    const { whole, streamed } = await both('镇海区_2018H1.csv', csvText(rows));
    expect(view(streamed)).toEqual(view(whole));
    expect(zhenhai(streamed).filter((v) => v[2] === 'invalid').map((v) => v[0])).toEqual(['villages_signed', 'communities_signed', 'cadres_adjusted']);
    expect([...new Set(streamed.findings.filter((f) => f.code.startsWith('rule.detail') || f.code.startsWith('value.')).map((f) => f.code))].sort()).toEqual(
      ['rule.detail_duplicate_village', 'rule.detail_type', 'rule.detail_unknown_village', 'rule.detail_wrong_unit', 'value.approximate', 'value.negative'].sort(),
    );
  });

  it('GBK and UTF-16 bytes, streamed, sum as the UTF-8 file read whole', async () => {
    const text = csvText(await zhenhaiRows('2018H2'));
    const whole = await runPeriod([{ file: '镇海区_2018H1.csv', bytes: encodeText(text, 'utf-8') }], ctx);
    expect(zhenhai(whole).map((v) => v[2])).toEqual(['value', 'value', 'value', 'value']);
    for (const [enc, label] of [['gbk', 'gb18030'], ['utf-16le-bom', 'utf-16le']] as const) {
      const r = await runPeriod([{ file: '镇海区_2018H1.csv', bytes: encodeText(text, enc) }], ctx, new Map(), STREAM);
      expect(zhenhai(r)).toEqual(zhenhai(whole));
      expect(r.inputs[0].encoding).toBe(label);
      expect(r.findings.some((f) => f.code === 'limit.exceeded')).toBe(false);
    }
  });

  it('an .xlsx detail sheet (title lines, shared strings after the sheet) sums as the CSV', async () => {
    const rows = await zhenhaiRows();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'banbao-detail-'));
    try {
      const file = path.join(dir, '镇海区明细.xlsx');
      const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: false });
      const ws = wb.addWorksheet('村社明细');
      ws.addRow(['党建争强村社明细（2018年上半年）']).commit();
      ws.addRow(['填报单位：镇海区委组织部']).commit();
      ws.addRow(rows[0]).commit();
      for (const r of rows.slice(1)) ws.addRow([r[0], r[1], r[2], r[3], ...r.slice(4).map(Number)]).commit();
      ws.commit();
      await wb.commit();
      const x = await runPeriod([{ file: '镇海区明细.xlsx', bytes: new Uint8Array(readFileSync(file)) }], ctx);
      const c = await runPeriod([{ file: '镇海区明细.csv', bytes: encodeText(['党建争强村社明细（2018年上半年）', '填报单位：镇海区委组织部', csvText(rows)].join('\r\n'), 'utf-8') }], ctx, new Map(), STREAM);
      expect(zhenhai(x)).toEqual(zhenhai(c));
      expect(zhenhai(x).map((v) => v[2])).toEqual(['value', 'value', 'value', 'value']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
