// Golden tests: the consolidated workbook's cells (values, number formats, merges) and the chart
// specs of both sample periods are pinned; the specs also validate against Vega-Lite's JSON schema.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeWorkbookBytes } from '../../pipeline/outputs/workbook.ts';
import { periodCharts } from '../../pipeline/outputs/charts.ts';
import type { PeriodResult } from '../../pipeline/run.ts';
import { ROOT } from '../helpers.ts';
import { historyOf, runSample, sampleInputs } from '../sample.ts';
import { compareGolden } from './golden.ts';

let h1: PeriodResult;
let h2: PeriodResult;

beforeAll(async () => {
  h1 = await runSample('2018H1');
  h2 = await runSample('2018H2', sampleInputs('2018H2'), { history: historyOf(h1) });
}, 60_000);

/** A workbook as a plain dump: per sheet, every non-empty cell with its value and number format, and merges. */
async function dumpWorkbook(bytes: Uint8Array) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb.worksheets.map((ws) => {
    const cells: [string, unknown, string][] = [];
    ws.eachRow({ includeEmpty: false }, (row) =>
      row.eachCell({ includeEmpty: false }, (c) => {
        if (c.isMerged && c.master !== c) return;
        cells.push([c.address, c.value, c.numFmt ?? '']);
      }),
    );
    return {
      sheet: ws.name,
      frozen: ws.views?.[0] ? { x: (ws.views[0] as { xSplit?: number }).xSplit ?? 0, y: (ws.views[0] as { ySplit?: number }).ySplit ?? 0 } : null,
      merges: [...((ws.model as { merges?: string[] }).merges ?? [])].sort(),
      print: {
        orientation: ws.pageSetup?.orientation ?? null,
        paperSize: ws.pageSetup?.paperSize ?? null,
        titles: ws.pageSetup?.printTitlesRow ?? '',
        fitToWidth: ws.pageSetup?.fitToPage ? ws.pageSetup.fitToWidth ?? null : null,
        footer: ws.headerFooter?.oddFooter ?? '',
      },
      cells,
    };
  });
}

describe('golden outputs', () => {
  it('pins the 2018H1 workbook’s cells, formats, merges, panes and print setup', async () => {
    expect(compareGolden('workbook/2018H1', await dumpWorkbook(await writeWorkbookBytes(h1)))).toEqual([]);
  });

  it('pins the 2018H2 workbook, with its 环比 sheet against 2018H1', async () => {
    const dump = await dumpWorkbook(await writeWorkbookBytes(h2, h1));
    expect(dump.map((s) => s.sheet)).toEqual(['报送情况', '说明', '汇总', '核对', '问题', '明细', '环比']);
    expect(compareGolden('workbook/2018H2', dump)).toEqual([]);
  });

  it('pins the chart specs of both periods', () => {
    for (const [r, prev] of [[h1, undefined], [h2, h1]] as const)
      for (const c of periodCharts(r, prev)) expect(compareGolden(`charts/${r.period}-${c.name}`, c.spec)).toEqual([]);
  });

  it('every chart spec is valid Vega-Lite (its JSON schema)', () => {
    const schema = JSON.parse(readFileSync(path.join(ROOT, 'node_modules/vega-lite/build/vega-lite-schema.json'), 'utf8'));
    const ajv = new Ajv({ allErrors: false, strict: false, allowUnionTypes: true });
    const validate = ajv.compile(schema);
    for (const c of [...periodCharts(h1), ...periodCharts(h2, h1)]) {
      const ok = validate(c.spec);
      expect(ok, `${c.name}: ${JSON.stringify(validate.errors?.slice(0, 3))}`).toBe(true);
    }
  });

  it('the workbook is byte-identical across builds (SHA-256)', async () => {
    const { createHash } = await import('node:crypto');
    const hash = async () => createHash('sha256').update(await writeWorkbookBytes(h2, h1)).digest('hex');
    expect(await hash()).toBe(await hash());
  });
});
