// The blank forms (pipeline/template/): every unit's template for 2018H1 and 2018H2, filled in the way a
// clerk would, reads back through checkFile with zero findings and the exact figures; the workbook
// carries data validation, protection without a password and unlocked input cells; same bytes twice.
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { checkFile } from '../../pipeline/check.ts';
import { main } from '../../pipeline/cli.ts';
import { RULES } from '../../pipeline/validate/rules.ts';
import { templateCsv } from '../../pipeline/template/csv.ts';
import { DETAIL_SHEET, NA_TEXT, TEMPLATE_HEADER, TEMPLATE_LAYOUT, templateModel } from '../../pipeline/template/model.ts';
import { templateXlsx } from '../../pipeline/template/xlsx.ts';
import { contextFor, findingsAt } from '../helpers.ts';
import { detailFor, fillCsv, fillXlsx, plausibleValues, type Filled } from './fill.ts';

const L = TEMPLATE_LAYOUT;
const PERIODS = ['2018H1', '2018H2'] as const;

async function loadWorkbook(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}

/** What checkFile read for the unit: indicator → number, or “—” where it read not applicable. */
function readBack(values: { unit: string; indicator: string; status: string; value: number | null }[], unit: string): Record<string, number | string> {
  return Object.fromEntries(values.filter((v) => v.unit === unit).map((v) => [v.indicator, v.status === 'value' ? v.value! : v.status === 'na' ? NA_TEXT : `(${v.status})`]));
}

/** The figures the unit's rows should read back as: what was typed, and “—” where it does not report. */
function expected(model: ReturnType<typeof templateModel>, filled: Filled): Record<string, number | string> {
  return Object.fromEntries(model.rows.map((r) => [r.code, r.reports ? filled[r.code] : NA_TEXT]));
}

describe.each(PERIODS)('the %s templates, filled in, read back with zero findings', (period) => {
  const ctx = contextFor(period);

  it.each(ctx.units.map((u) => [u.name, u.code]))('%s (%s): .xlsx and its CSV twin', async (_name, code) => {
    const model = templateModel(ctx, code);
    const filled = plausibleValues(ctx, model, { na: code === '330206' }); // 北仑区 writes “—” where it may
    const xlsx = await fillXlsx(await templateXlsx(model, ctx), filled);
    const a = await checkFile({ file: `${model.fileStem}.xlsx`, bytes: xlsx }, ctx);
    expect(findingsAt(a.findings)).toEqual([]);
    expect(a.record).toMatchObject({ unit: code, period, layouts: `long@${L.sheet}` });
    expect(readBack(a.values, code)).toEqual(expected(model, filled));

    const csv = fillCsv(templateCsv(model), filled);
    const b = await checkFile({ file: `${model.fileStem}.csv`, bytes: new Uint8Array(Buffer.from(csv, 'utf8')) }, ctx);
    expect(findingsAt(b.findings)).toEqual([]);
    expect(b.record).toMatchObject({ unit: code, period, encoding: 'utf-8-bom' });
    expect(readBack(b.values, code)).toEqual(expected(model, filled));
  });
});

describe('the template workbook', () => {
  const ctx = contextFor('2018H2');

  it('has the period and unit in merged title lines and the header the pipeline reads', async () => {
    const wb = await loadWorkbook(await templateXlsx(templateModel(ctx, '330212'), ctx));
    const ws = wb.getWorksheet(L.sheet)!;
    expect(ws.getCell('A1').value).toBe('党建争强半年度推进情况表（2018年下半年）');
    expect(ws.getCell('A2').value).toBe('填报单位：鄞州区委组织部');
    expect((ws.model as { merges: string[] }).merges).toEqual(expect.arrayContaining(['A1:G1', 'A2:G2']));
    expect((ws.getRow(L.headerRow).values as unknown[]).slice(1)).toEqual([...TEMPLATE_HEADER]);
    const codes = ctx.catalogue.items.map((_, i) => ws.getCell(L.firstItemRow + i, L.codeCol).value);
    expect(codes).toEqual(ctx.catalogue.items.map((i) => i.code));
    expect(wb.worksheets.map((w) => w.name)).toEqual([L.sheet, '说明']);
  });

  it('validates the input cells: whole numbers ≥ 0, and “—” only where the catalogue allows it', async () => {
    const ws = (await loadWorkbook(await templateXlsx(templateModel(ctx, '330212'), ctx))).getWorksheet(L.sheet)!;
    ctx.catalogue.items.forEach((item, i) => {
      const cell = ws.getCell(L.firstItemRow + i, L.valueCol);
      const dv = cell.dataValidation;
      expect(dv, item.code).toMatchObject({ allowBlank: true, showErrorMessage: true, errorStyle: 'stop' });
      expect(dv.error).toContain('整数');
      expect(dv.error).toContain('120余');
      if (item.na_allowed) {
        expect(dv.type).toBe('custom');
        expect(dv.formulae[0]).toBe(`OR(${cell.address}="—",${cell.address}="——",AND(ISNUMBER(${cell.address}),${cell.address}>=0,${cell.address}=INT(${cell.address})))`);
      } else expect(dv).toMatchObject({ type: 'whole', operator: 'greaterThanOrEqual', formulae: [0] });
    });
  });

  it('is protected without a password; the 本期数 and 上报说明 cells are unlocked and the 本期数 cells yellow', async () => {
    const bytes = await templateXlsx(templateModel(ctx, '330212'), ctx);
    const wb = await loadWorkbook(bytes);
    for (const ws of wb.worksheets) {
      const p = (ws as unknown as { sheetProtection: Record<string, unknown> }).sheetProtection;
      expect(p, ws.name).toMatchObject({ sheet: true });
      expect(p.hashValue ?? p.saltValue ?? p.algorithmName, ws.name).toBeUndefined();
    }
    const ws = wb.getWorksheet(L.sheet)!;
    const r = L.firstItemRow;
    expect(ws.getCell(r, L.valueCol).protection).toMatchObject({ locked: false });
    expect(ws.getCell(r, L.noteCol).protection).toMatchObject({ locked: false });
    expect(ws.getCell(r, L.valueCol).fill).toMatchObject({ type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } });
    for (const c of [1, 2, 3, 4, 5]) expect(ws.getCell(r, c).protection?.locked ?? true).toBe(true);
    expect(ws.getCell('A1').protection?.locked ?? true).toBe(true);
  });

  it('pre-fills “—” and locks the items 市本级 does not report', async () => {
    const model = templateModel(ctx, '330200');
    const ws = (await loadWorkbook(await templateXlsx(model, ctx))).getWorksheet(L.sheet)!;
    const notReported = model.rows.map((r, i) => ({ r, cell: ws.getCell(L.firstItemRow + i, L.valueCol) })).filter((x) => !x.r.reports);
    expect(notReported.map((x) => x.r.code)).toEqual(['villages_signed', 'communities_signed', 'cadres_adjusted', 'secretaries_adjusted', 'nonpublic_members']);
    for (const { cell } of notReported) {
      expect(cell.value).toBe('—');
      expect(cell.protection?.locked ?? true).toBe(true);
      expect(cell.dataValidation).toBeUndefined();
    }
  });

  it('two builds give the same bytes, for every unit', async () => {
    for (const u of ctx.units) {
      const a = await templateXlsx(templateModel(ctx, u.code, { detail: true }), ctx);
      const b = await templateXlsx(templateModel(contextFor('2018H2'), u.code, { detail: true }), ctx);
      expect(Buffer.compare(Buffer.from(a), Buffer.from(b)), u.name).toBe(0);
    }
  });

  it('explains in 说明 how to fill it, what not to do, and the rules that will be applied', async () => {
    const ws = (await loadWorkbook(await templateXlsx(templateModel(ctx, '330212'), ctx))).getWorksheet('说明')!;
    const text: string[] = [];
    ws.eachRow((row) => row.eachCell((c) => text.push(String(c.value ?? ''))));
    const all = text.join('\n');
    for (const words of ['120余', '%', '1.2万', '“—”', '.xlsx', '鄞州区_2018H2.xlsx', 'check.html', '没有发生的填 0', '新增高端创业创新团队'])
      expect(all, words).toContain(words);
    for (const code of ['value.approximate', 'value.percent', 'value.negative', 'value.missing', 'value.not_applicable']) expect(all).toContain(code);
    // every registry rule that applies to this catalogue is listed with its own description; 2018H2
    // has no year-to-date item, so rule.ytd_decreased does not apply
    for (const rule of RULES.filter((r) => r.code !== 'rule.ytd_decreased')) {
      expect(all, rule.code).toContain(rule.code);
      expect(all).toContain(rule.description);
    }
    expect(ctx.catalogue.items.some((i) => i.basis === 'ytd')).toBe(false);
    expect(all).not.toContain('rule.ytd_decreased');
    expect(all).toContain('其中党组织书记 ≤ 调整村社干部');
    expect(all).toContain('≤ 407（本单位村社数）');
  });

  it('the CSV twin is UTF-8 with BOM and CRLF, with the same rows as the 填报表', async () => {
    const model = templateModel(ctx, '330212');
    const csv = templateCsv(model);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe('党建争强半年度推进情况表（2018年下半年）,,,,,,');
    expect(lines[1]).toBe('填报单位：鄞州区委组织部,,,,,,');
    expect(lines[2]).toBe(TEMPLATE_HEADER.join(','));
    expect(lines[3]).toBe('1,一线历练,一线挂职干部,frontline_cadres,人,,');
    expect(lines.filter((l) => /^\d+,/.test(l))).toHaveLength(ctx.catalogue.items.length);
  });
});

describe('the optional 村社明细 sheet (--detail)', () => {
  const ctx = contextFor('2018H2');

  it('lists the unit’s roster units, codes as text, with 类型 and the village-level items to fill', async () => {
    const model = templateModel(ctx, '330212', { detail: true });
    const wb = await loadWorkbook(await templateXlsx(model, ctx));
    const ws = wb.getWorksheet(DETAIL_SHEET)!;
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(['村社代码', '村社名称', '乡镇（街道）', '类型', '悬挂红色标识的行政村', '悬挂红色标识的城市社区', '调整村社干部', '其中党组织书记']);
    expect(ws.rowCount).toBe(1 + 407);
    expect(ws.getCell('A2').value).toMatch(/^330212\d{6}$/);
    expect(typeof ws.getCell('A2').value).toBe('string');
    expect(ws.getCell('D2').protection).toMatchObject({ locked: false });
    expect(ws.getCell('D2').dataValidation).toMatchObject({ type: 'list', formulae: ['"村,社区"'] });
    expect(templateModel(ctx, '330200', { detail: true }).detail).toBeUndefined(); // 市本级 reports no village-level item
  });

  it('filled consistently with the 填报表, it reads back with zero findings', async () => {
    for (const code of ['330212', '330211']) {
      const model = templateModel(ctx, code, { detail: true });
      const filled = plausibleValues(ctx, model);
      const bytes = await fillXlsx(await templateXlsx(model, ctx), filled, detailFor(model, filled));
      const c = await checkFile({ file: `${model.fileStem}.xlsx`, bytes }, ctx);
      expect(findingsAt(c.findings), code).toEqual([]);
      expect(c.record?.layouts).toBe(`long@${L.sheet} detail@${DETAIL_SHEET}`);
      expect(readBack(c.values, code)).toEqual(expected(model, filled));
    }
  });

  // values.ts sums an all-empty detail column to 0 and holds it against the 填报表 row (rule.detail_sum),
  // so a district that leaves 村社明细 blank gets errors; hence the sheet is opt-in (--detail).
  it('left empty, it reads back with zero findings (an empty detail column is not given)', async () => {
    const model = templateModel(ctx, '330212', { detail: true });
    const bytes = await fillXlsx(await templateXlsx(model, ctx), plausibleValues(ctx, model));
    const c = await checkFile({ file: `${model.fileStem}.xlsx`, bytes }, ctx);
    expect(findingsAt(c.findings)).toEqual([]);
  });
});

describe('banbao template', () => {
  it('writes one .xlsx and one .csv per unit, and check.html, into the folder given', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'banbao-template-'));
    expect(await main(['template', '--period', '2018H1', '--out', out])).toBe(0);
    const files = readdirSync(out).sort();
    expect(files).toHaveLength(11 * 2 + 1);
    expect(files).toContain('check.html');
    expect(files).toContain('鄞州区_2018H1.xlsx');
    expect(files).toContain('市本级_2018H1.csv');
    expect(readFileSync(path.join(out, 'check.html'), 'utf8')).toContain('2018年上半年');
    expect(await main(['template', '--period', '2017H2', '--out', out])).toBe(2);
  }, 120_000);
});
