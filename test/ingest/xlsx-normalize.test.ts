// Valid .xlsx packages from generators other than Excel, which exceljs misreads as they are:
// SpreadsheetML with a namespace prefix, a worksheet part not named sheetN.xml, xl/SharedStrings.xml,
// <row>/<c> without r=. ingest/xlsx-normalize.ts rewrites them before exceljs sees them. Four real
// files (test/fixtures/blind/) must read with no findings and their figures at the cells Excel shows;
// a generated form per variant must give exactly what the same form written by exceljs gives
// (values, cells, findings); normal workbooks are left alone; broken ones stay broken; limits hold.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkFile } from '../../pipeline/check.ts';
import { DEFAULT_LIMITS, readSubmission, type Limits } from '../../pipeline/ingest/read.ts';
import { cellText } from '../../pipeline/ingest/grid.ts';
import { normalizeXlsx, rewriteXml, xlsxScanner } from '../../pipeline/ingest/xlsx-normalize.ts';
import { DEFAULT_ZIP_LIMITS, verifyEntries, zipStats, type ZipStats } from '../../pipeline/ingest/zip-guard.ts';
import { crc32, writeZip, type ZipWriteEntry } from '../../pipeline/ingest/zip-write.ts';
import { annotateWorkbook } from '../../pipeline/outputs/annotate.ts';
import { HEADER, ROOT, TITLE, codes, contextFor, longRows, longXlsx, YZ } from '../helpers.ts';

const BLIND = path.join(ROOT, 'test', 'fixtures', 'blind');
const ctx = contextFor('2018H1');
const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

afterEach(() => vi.restoreAllMocks());

/** zip-guard's pass with the scanner: what normalizeXlsx would be given. */
function scanned(bytes: Uint8Array) {
  const stats = zipStats(bytes) as ZipStats;
  const { scan, hints } = xlsxScanner();
  expect(verifyEntries(bytes, stats, DEFAULT_ZIP_LIMITS, scan)).toBeUndefined();
  return { stats, hints, normalized: normalizeXlsx(bytes, stats, hints, DEFAULT_ZIP_LIMITS) };
}

async function rawXml(bytes: Uint8Array, name: string): Promise<string> {
  return (await JSZip.loadAsync(bytes)).file(name)!.async('string');
}

// ── the four files from the blind set ───────────────────────────────────────────────────────────

/** 余姚市's 2018H1 figures, in catalogue order (the same in all four files). */
const YUYAO = [
  ['frontline_cadres', 108],
  ['promoted_total', 72],
  ['promoted_frontline', 42],
  ['villages_signed', 286],
  ['communities_signed', 40],
  ['cadres_adjusted', 13],
  ['secretaries_adjusted', 5],
  ['nonpublic_members', 7605],
  ['four_star_orgs', 112],
  ['talent_3315_applications', 162],
  ['high_end_teams_new', 4],
  ['inspections', 330],
  ['problems_found', 180],
  ['persons_handled', 131],
  ['eight_rules_cases', 6],
] as const;

/** [indicator, value, cell]: the figures in column E from `firstRow` on. */
const yuyaoAt = (firstRow: number) => YUYAO.map(([ind, v], i) => [ind, v, `E${firstRow + i}`]);

describe('the blind set: four valid files other generators wrote', () => {
  const cases = [
    { file: 'ok103_余姚市_x前缀命名空间.xlsx', firstRow: 4, rows: 20, title: TITLE, was: 'file.corrupt (sheetNo)' },
    { file: 'ok108_余姚市_工作表文件名非sheetN.xlsx', firstRow: 6, rows: 23, title: '附件1', was: 'file.empty' },
    { file: 'ok109_余姚市_SharedStrings大写.xlsx', firstRow: 6, rows: 23, title: '附件1', was: 'file.no_form' },
    { file: 'ok110_余姚市_单元格无r属性.xlsx', firstRow: 6, rows: 23, title: '附件1', was: "file.corrupt (reading 'col')" },
  ];
  for (const c of cases) {
    it(`${c.file} (was ${c.was}): no findings, 余姚市's figures at E${c.firstRow}:E${c.firstRow + 14}`, async () => {
      const bytes = new Uint8Array(readFileSync(path.join(BLIND, c.file)));
      const r = await readSubmission(bytes, c.file);
      expect(r.findings).toEqual([]);
      const sheet = r.source!.sheets[0];
      expect(r.source!.sheets.map((s) => s.name)).toEqual(['Sheet1']);
      expect(sheet.rows.length).toBe(c.rows);
      expect(cellText(sheet.rows[0][0])).toBe(c.title);
      const check = await checkFile({ file: c.file, bytes }, ctx);
      expect(check.findings).toEqual([]);
      expect(check.record?.unit).toBe('330281');
      expect(check.values.map((v) => [v.indicator, v.value, v.loc?.cell])).toEqual(yuyaoAt(c.firstRow));
      expect(check.values.every((v) => v.status === 'value' && v.loc?.sheet === 'Sheet1')).toBe(true);
    });
  }

  it('ok103: the x:-prefixed XML holds what was read (E4 = 108, A1 the title through x:sst)', async () => {
    const bytes = new Uint8Array(readFileSync(path.join(BLIND, cases[0].file)));
    const xml = await rawXml(bytes, 'xl/worksheets/sheet1.xml');
    expect(xml).toMatch(/^<\?xml[^>]*>\s*<x:worksheet xmlns:x="http:\/\/schemas\.openxmlformats\.org\/spreadsheetml\/2006\/main"/);
    expect(xml).toContain('<x:c r="E4"><x:v>108</x:v></x:c>');
    expect(xml).toContain('<x:c r="A1" t="s"><x:v>0</x:v></x:c>');
    expect(await rawXml(bytes, 'xl/sharedStrings.xml')).toContain(`<x:si><x:t>${TITLE}</x:t></x:si>`);
    const s = (await readSubmission(bytes, 'a.xlsx')).source!.sheets[0];
    expect(s.rows[3][4]).toEqual({ t: 'number', n: 108 });
    expect(scanned(bytes).hints.prefixed).toEqual(new Set(['xl/workbook.xml', 'xl/worksheets/sheet1.xml', 'xl/sharedStrings.xml']));
  });

  it('ok108: the only worksheet is xl/worksheets/data.xml, and E6 = 108 there', async () => {
    const bytes = new Uint8Array(readFileSync(path.join(BLIND, cases[1].file)));
    const zip = await JSZip.loadAsync(bytes);
    expect(Object.keys(zip.files).filter((n) => n.startsWith('xl/worksheets/') && n.endsWith('.xml'))).toEqual(['xl/worksheets/data.xml']);
    expect(await rawXml(bytes, 'xl/_rels/workbook.xml.rels')).toContain('Target="worksheets/data.xml"');
    expect(await rawXml(bytes, 'xl/worksheets/data.xml')).toContain('<c r="E6"><v>108</v></c>');
    // the rewritten package: the part renamed, the relationship and the content type following it
    const out = scanned(bytes).normalized!;
    expect(Object.keys((await JSZip.loadAsync(out)).files).filter((n) => n.startsWith('xl/worksheets/') && n.endsWith('.xml'))).toEqual(['xl/worksheets/sheet1.xml']);
    expect(await rawXml(out, 'xl/_rels/workbook.xml.rels')).toContain('Target="worksheets/sheet1.xml"');
    expect(await rawXml(out, '[Content_Types].xml')).toContain('PartName="/xl/worksheets/sheet1.xml"');
    expect(await rawXml(out, '[Content_Types].xml')).not.toContain('data.xml');
  });

  it('ok109: the strings are in xl/SharedStrings.xml (A4 = string 3 = the 填报单位 line)', async () => {
    const bytes = new Uint8Array(readFileSync(path.join(BLIND, cases[2].file)));
    const zip = await JSZip.loadAsync(bytes);
    expect(zip.file('xl/sharedStrings.xml')).toBeNull();
    const sst = await rawXml(bytes, 'xl/SharedStrings.xml');
    expect([...sst.matchAll(/<si><t>([^<]*)<\/t><\/si>/g)][3][1]).toBe('填报单位（盖章）：余姚市委组织部');
    expect(await rawXml(bytes, 'xl/worksheets/sheet1.xml')).toContain('<c r="A4" t="s"><v>3</v></c>');
    const s = (await readSubmission(bytes, 'a.xlsx')).source!.sheets[0];
    expect(s.rows[3][0]).toEqual({ t: 'text', s: '填报单位（盖章）：余姚市委组织部' });
    const out = scanned(bytes).normalized!;
    expect((await JSZip.loadAsync(out)).file('xl/sharedStrings.xml')).not.toBeNull();
    expect(await rawXml(out, 'xl/_rels/workbook.xml.rels')).toContain('Target="sharedStrings.xml"');
    expect(await rawXml(out, '[Content_Types].xml')).toContain('PartName="/xl/sharedStrings.xml"');
  });

  it('ok110: cells without r are placed by order, the r= it has are kept (A4 and E4 with a gap between)', async () => {
    const bytes = new Uint8Array(readFileSync(path.join(BLIND, cases[3].file)));
    const xml = await rawXml(bytes, 'xl/worksheets/sheet1.xml');
    // row 4 numbers its two cells; row 6 numbers none (E6 is its fifth cell); row 23 follows row 20
    expect(xml).toContain('<row r="4" spans="1:5" x14ac:dyDescent="0.25"><c r="A4" t="s"><v>3</v></c><c r="E4" t="s"><v>4</v></c></row>');
    expect(xml).toContain('<row r="6" spans="1:5" x14ac:dyDescent="0.25"><c><v>1</v></c><c t="s"><v>11</v></c><c t="s"><v>12</v></c><c t="s"><v>13</v></c><c><v>108</v></c></row>');
    const s = (await readSubmission(bytes, 'a.xlsx')).source!.sheets[0];
    expect(cellText(s.rows[3][0])).toBe('填报单位（盖章）：余姚市委组织部');
    expect(s.rows[3].slice(1, 4)).toEqual([{ t: 'empty' }, { t: 'empty' }, { t: 'empty' }]);
    expect(cellText(s.rows[3][4])).toBe('单位：人、个、次');
    expect(s.rows[5]).toEqual([{ t: 'number', n: 1 }, { t: 'text', s: '一线历练' }, { t: 'text', s: '一线挂职干部' }, { t: 'text', s: '人' }, { t: 'number', n: 108 }]);
    expect(s.rows[20]).toEqual([]);
    expect(cellText(s.rows[22][0])).toMatch(/^单位负责人/);
    expect(s.merges).toEqual([{ top: 1, left: 0, bottom: 1, right: 5 }, { top: 2, left: 0, bottom: 2, right: 5 }]);
    const out = await rawXml(scanned(bytes).normalized!, 'xl/worksheets/sheet1.xml');
    expect(out).toContain('<row r="6" spans="1:5" x14ac:dyDescent="0.25"><c r="A6"><v>1</v></c><c r="B6" t="s"><v>11</v></c><c r="C6" t="s"><v>12</v></c><c r="D6" t="s"><v>13</v></c><c r="E6"><v>108</v></c></row>');
    expect(out).toContain('<c r="A4" t="s"><v>3</v></c><c r="E4" t="s"><v>4</v></c>');
    expect(out).toContain('<c r="A2" t="s"><v>1</v></c><c r="B2"/><c r="C2"/>');
  });
});

// ── generated packages, one variant at a time ──────────────────────────────────────────────────

type Grid = (string | number | null | { n: number; s: number })[][];
type Numbering = 'all' | 'gaps' | 'none' | 'fromCell';

const colName = (c: number) => String.fromCharCode(65 + c); // A..Z is enough here
const xmlEsc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/**
 * Worksheet XML the way other writers make it. numbering: 'all' — every row and cell has r (Excel);
 * 'gaps' — rows have r, a cell has r only after a skipped one (ok110); 'none' — no r anywhere, empty
 * cells written as <c/> and empty rows as <row/>; 'fromCell' — rows without r, each row's first cell
 * has r, empty rows left out (the row number must come from the cell).
 */
function sheetXml(grid: Grid, sst: string[], opts: { prefix?: string; numbering?: Numbering; merges?: string[] } = {}): string {
  const p = opts.prefix ? `${opts.prefix}:` : '';
  const numbering = opts.numbering ?? 'all';
  const str = (s: string) => {
    let i = sst.indexOf(s);
    if (i < 0) (i = sst.length), sst.push(s);
    return i;
  };
  const rows: string[] = [];
  grid.forEach((row, ri) => {
    const cells: string[] = [];
    let skipped = false;
    row.forEach((v, ci) => {
      const empty = v === null || v === '';
      if (empty && numbering !== 'none') return void (skipped = true);
      const withR = numbering === 'all' || (numbering !== 'none' && skipped) || (numbering === 'fromCell' && cells.length === 0);
      const r = withR ? ` r="${colName(ci)}${ri + 1}"` : '';
      skipped = false;
      if (empty) cells.push(`<${p}c${r}/>`);
      else if (typeof v === 'number') cells.push(`<${p}c${r}><${p}v>${v}</${p}v></${p}c>`);
      else if (typeof v === 'object') cells.push(`<${p}c${r} s="${v.s}"><${p}v>${v.n}</${p}v></${p}c>`);
      else cells.push(`<${p}c${r} t="s"><${p}v>${str(v as string)}</${p}v></${p}c>`);
    });
    const rowR = numbering === 'all' || numbering === 'gaps' ? ` r="${ri + 1}"` : '';
    if (cells.length === 0) {
      if (numbering === 'none') rows.push(`<${p}row/>`);
      return;
    }
    rows.push(`<${p}row${rowR}>${cells.join('')}</${p}row>`);
  });
  const ns = opts.prefix ? `xmlns:${opts.prefix}="${MAIN}"` : `xmlns="${MAIN}"`;
  const merges = opts.merges?.length ? `<${p}mergeCells count="${opts.merges.length}">${opts.merges.map((m) => `<${p}mergeCell ref="${m}"/>`).join('')}</${p}mergeCells>` : '';
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<${p}worksheet ${ns} xmlns:r="${REL}"><${p}sheetData>${rows.join('')}</${p}sheetData>${merges}</${p}worksheet>`;
}

interface PackageOpts {
  sheets: { name: string; grid: Grid; merges?: string[]; part?: string; target?: string; rels?: string }[];
  prefix?: string;
  /** also write the relationship parts with a prefix */
  relsPrefix?: string;
  numbering?: Numbering;
  sstPart?: string;
  stylesPart?: string;
  styles?: string;
}

/** A whole .xlsx package, part by part, as a non-Excel writer might lay it out. */
function buildXlsx(o: PackageOpts): Uint8Array {
  const p = o.prefix ? `${o.prefix}:` : '';
  const ns = o.prefix ? `xmlns:${o.prefix}="${MAIN}"` : `xmlns="${MAIN}"`;
  const rp = o.relsPrefix ? `${o.relsPrefix}:` : '';
  const rns = o.relsPrefix ? `xmlns:${o.relsPrefix}="http://schemas.openxmlformats.org/package/2006/relationships"` : 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"';
  const rel = (id: string, type: string, target: string) => `<${rp}Relationship Id="${id}" Type="${REL}/${type}" Target="${xmlEsc(target)}"/>`;
  const rels = (items: string[]) => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<${rp}Relationships ${rns}>${items.join('')}</${rp}Relationships>`;
  const sst: string[] = [];
  const sstPart = o.sstPart ?? 'xl/sharedStrings.xml';
  const stylesPart = o.stylesPart ?? 'xl/styles.xml';
  const entries: ZipWriteEntry[] = [];
  const overrides: string[] = [];
  const wbRels: string[] = [];
  const sheetEls: string[] = [];
  o.sheets.forEach((s, i) => {
    const part = s.part ?? `xl/worksheets/sheet${i + 1}.xml`;
    entries.push({ name: part, data: enc(sheetXml(s.grid, sst, { prefix: o.prefix, numbering: o.numbering, merges: s.merges })) });
    if (s.rels) entries.push({ name: `${part.slice(0, part.lastIndexOf('/') + 1)}_rels/${part.slice(part.lastIndexOf('/') + 1)}.rels`, data: enc(rels([s.rels])) });
    overrides.push(`<Override PartName="/${part}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`);
    wbRels.push(rel(`rId${i + 1}`, 'worksheet', s.target ?? part.slice('xl/'.length)));
    sheetEls.push(`<${p}sheet name="${xmlEsc(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`);
  });
  wbRels.push(rel('rIdS', 'sharedStrings', sstPart.slice('xl/'.length)));
  overrides.push(`<Override PartName="/${sstPart}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>`);
  if (o.styles) {
    wbRels.push(rel('rIdT', 'styles', stylesPart.slice('xl/'.length)));
    overrides.push(`<Override PartName="/${stylesPart}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>`);
    entries.push({ name: stylesPart, data: enc(o.styles) });
  }
  const sstXml = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<${p}sst ${ns} count="${sst.length}" uniqueCount="${sst.length}">${sst.map((s) => `<${p}si><${p}t>${xmlEsc(s)}</${p}t></${p}si>`).join('')}</${p}sst>`;
  return writeZip([
    {
      name: '[Content_Types].xml',
      data: enc(
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${overrides.join('')}</Types>`,
      ),
    },
    { name: '_rels/.rels', data: enc(rels([rel('rId1', 'officeDocument', 'xl/workbook.xml')])) },
    {
      name: 'xl/workbook.xml',
      data: enc(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<${p}workbook ${ns} xmlns:r="${REL}"><${p}sheets>${sheetEls.join('')}</${p}sheets></${p}workbook>`),
    },
    { name: 'xl/_rels/workbook.xml.rels', data: enc(rels(wbRels)) },
    ...entries,
    { name: sstPart, data: enc(sstXml) },
  ]);
}

const FOOTER = '填报人：张三　　联系电话：0574-87654321';
const UNIT_LINE = '填报单位：鄞州区委组织部　　填报日期：2018年7月5日';
/** 鄞州区's figures with mistakes in some cells (so there are findings whose cells must match). */
const VALUES = { ...YZ, frontline_cadres: '约150', promoted_total: -3, inspections: '420余' };
const DATA_ROWS = longRows('2018H1', VALUES).map((r, i) => (i === 2 ? [r[0], null, ...r.slice(2)] : r)); // one category left empty: a gap in row 6

/** The grid longXlsx writes: title and unit line merged across A:F, header, the rows, a blank row, the footer. */
const FORM: Grid = [[TITLE], [UNIT_LINE], HEADER, ...(DATA_ROWS as Grid), [], [FOOTER]];
const FORM_MERGES = ['A1:F1', 'A2:F2'];

/** What exceljs makes of the package as it is: 填报表!C4 and E7, or why it failed. */
async function exceljsAlone(bytes: Uint8Array): Promise<unknown> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (e) {
    return String(e);
  }
  const ws = wb.getWorksheet('填报表');
  return ws ? [ws.getCell('C4').value, ws.getCell('E7').value] : 'no 填报表';
}

/** What checkFile says about a file: values with their cells, and findings with theirs. */
async function outcome(bytes: Uint8Array) {
  const check = await checkFile({ file: '鄞州区_2018H1.xlsx', bytes }, ctx);
  return {
    values: check.values.map((v) => [v.indicator, v.status, v.value, v.loc?.sheet, v.loc?.cell]),
    findings: check.findings.map((f) => [f.code, f.sheet, f.cell, f.raw]),
  };
}

describe('generated forms: each variant reads exactly as the same form written by exceljs', async () => {
  const reference = await outcome(await longXlsx({ rows: DATA_ROWS, unitLine: UNIT_LINE, extraSheets: [{ name: '说明', rows: [['本表由系统导出']] }] }));
  const form = { name: '填报表', grid: FORM, merges: FORM_MERGES };
  const notes = { name: '说明', grid: [['本表由系统导出']] as Grid };

  it('the reference has values at their cells and findings at E4, E5, E15', () => {
    expect(reference.values).toHaveLength(15);
    expect(reference.values[0]).toEqual(['frontline_cadres', 'invalid', null, '填报表', 'E4']);
    expect(reference.values[3]).toEqual(['villages_signed', 'value', 279, '填报表', 'E7']);
    expect(reference.findings.map((f) => f[2])).toEqual(expect.arrayContaining(['E4', 'E5', 'E15']));
  });

  const variants: [string, PackageOpts, Partial<{ prefixed: string[]; unnumbered: string[] }>][] = [
    ['every part with an x: prefix (OpenXML SDK)', { sheets: [form, notes], prefix: 'x' }, { prefixed: ['xl/workbook.xml', 'xl/worksheets/sheet1.xml', 'xl/worksheets/sheet2.xml', 'xl/sharedStrings.xml'] }],
    ['an ss: prefix, and prefixed relationship parts too', { sheets: [form, notes], prefix: 'ss', relsPrefix: 'pr' }, {}],
    [
      'worksheets at xl/worksheets/data.xml (with its own rels) and /xl/parts/notes.xml (absolute target)',
      { sheets: [{ ...form, part: 'xl/worksheets/data.xml', rels: `<Relationship Id="rId1" Type="${REL}/hyperlink" Target="https://example.org/" TargetMode="External"/>` }, { ...notes, part: 'xl/parts/notes.xml', target: '/xl/parts/notes.xml' }] },
      {},
    ],
    ['worksheets named Sheet1.xml / Sheet2.xml (capital S)', { sheets: [{ ...form, part: 'xl/worksheets/Sheet1.xml' }, { ...notes, part: 'xl/worksheets/Sheet2.xml' }] }, {}],
    ['xl/SharedStrings.xml and xl/Styles.xml', { sheets: [form, notes], sstPart: 'xl/SharedStrings.xml', stylesPart: 'xl/Styles.xml', styles: stylesXml() }, {}],
    ['cells numbered only after a gap (ok110)', { sheets: [form, notes], numbering: 'gaps' }, { unnumbered: ['xl/worksheets/sheet1.xml', 'xl/worksheets/sheet2.xml'] }],
    ['no r anywhere: empty cells as <c/>, empty rows as <row/>', { sheets: [form, notes], numbering: 'none' }, { unnumbered: ['xl/worksheets/sheet1.xml', 'xl/worksheets/sheet2.xml'] }],
    ['rows without r whose first cell has one, empty rows left out', { sheets: [form, notes], numbering: 'fromCell' }, { unnumbered: ['xl/worksheets/sheet1.xml', 'xl/worksheets/sheet2.xml'] }],
    [
      'all at once: prefix, no r, a worksheet named data.xml, xl/SharedStrings.xml',
      { sheets: [{ ...form, part: 'xl/worksheets/data.xml' }, notes], prefix: 'x', numbering: 'none', sstPart: 'xl/SharedStrings.xml' },
      { prefixed: ['xl/workbook.xml', 'xl/worksheets/data.xml', 'xl/worksheets/sheet2.xml', 'xl/SharedStrings.xml'] },
    ],
  ];
  for (const [label, opts, hinted] of variants) {
    it(label, async () => {
      const bytes = buildXlsx(opts);
      const { hints, normalized } = scanned(bytes);
      if (hinted.prefixed) expect([...hints.prefixed].sort()).toEqual([...hinted.prefixed].sort());
      if (hinted.unnumbered) expect([...hints.unnumbered].sort()).toEqual([...hinted.unnumbered].sort());
      expect(normalized).toBeDefined();
      expect(await exceljsAlone(bytes), 'exceljs reads this variant right by itself: the case tests nothing').not.toEqual(['一线挂职干部', 279]);
      const r = await readSubmission(bytes, 'a.xlsx');
      expect(r.findings).toEqual([]);
      expect(r.source!.sheets.map((s) => s.name)).toEqual(['填报表', '说明']);
      expect(r.source!.sheets[0].merges).toEqual([{ top: 0, left: 0, bottom: 0, right: 5 }, { top: 1, left: 0, bottom: 1, right: 5 }]);
      expect(await outcome(bytes)).toEqual(reference);
    });
  }

  it('a renamed worksheet takes its rels part along (xl/worksheets/_rels/sheetN.xml.rels)', async () => {
    const bytes = buildXlsx(variants[2][1]);
    const zip = await JSZip.loadAsync(scanned(bytes).normalized!);
    const names = Object.keys(zip.files).sort();
    expect(names).toEqual(expect.arrayContaining(['xl/worksheets/sheet1.xml', 'xl/worksheets/sheet2.xml', 'xl/worksheets/_rels/sheet1.xml.rels']));
    expect(names.filter((n) => /data\.xml|notes\.xml/.test(n))).toEqual([]);
    expect(await zip.file('xl/_rels/workbook.xml.rels')!.async('string')).toContain('Target="worksheets/sheet2.xml"');
    expect(await zip.file('xl/worksheets/_rels/sheet1.xml.rels')!.async('string')).toContain('Target="https://example.org/"');
  });

  it('styles read from xl/Styles.xml: a 0.0% cell stays a percentage', async () => {
    // B1 has style 1: numFmtId 10 (0.00%)
    const grid: Grid = [['比例', { n: 0.578, s: 1 }]];
    const bytes = buildXlsx({ sheets: [{ name: 'S', grid }], stylesPart: 'xl/Styles.xml', styles: stylesXml() });
    expect((await readSubmission(bytes, 'a.xlsx')).source!.sheets[0].rows[0]).toEqual([{ t: 'text', s: '比例' }, { t: 'number', n: 0.578, percent: true }]);
  });
});

function stylesXml(): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="${MAIN}"><fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`;
}

// ── what must not change ────────────────────────────────────────────────────────────────────────

describe('normal workbooks are left alone (detection only, no rewrite)', () => {
  it('exceljs- and Excel-style workbooks, and every .xlsx fixture: no hint, nothing rewritten', async () => {
    const files = [
      await longXlsx({ rows: longRows('2018H1', YZ) }),
      ...['海曙区2018年上半年党建争强推进情况表.xlsx', '江北区2018年上半年党建争强推进情况表（WPS）.xlsx', '镇海区_2018H1_村社明细.xlsx', '奉化区_2018H1_公式.xlsx', '余姚市_2018H1_隐藏行.xlsx'].map(
        (f) => new Uint8Array(readFileSync(path.join(ROOT, 'test', 'fixtures', f))),
      ),
      buildXlsx({ sheets: [{ name: '填报表', grid: FORM, merges: FORM_MERGES }] }),
    ];
    for (const bytes of files) {
      const { hints, normalized } = scanned(bytes);
      expect([hints.prefixed, hints.unnumbered]).toEqual([new Set(), new Set()]);
      expect(normalized).toBeUndefined();
    }
  });

  it('a tag cut by the end of a 64 KiB inflate chunk is not taken for a cell without r', () => {
    for (let shift = -4; shift <= 4; shift++) {
      // the padding puts "<c r=" / "<row r=" across the boundary at 65,536 bytes, a few bytes either way
      const head = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>`;
      const after = '</t></is></c>';
      const pad = 'x'.repeat(65_536 - head.length - after.length - 3 + shift);
      const rows = Array.from({ length: 50 }, (_, i) => `<row r="${i + 2}"><c r="A${i + 2}"><v>${i}</v></c></row>`).join('');
      const xml = `${head}${pad}${after}<c r="B1"><v>1</v></c></row>${rows}</sheetData></worksheet>`;
      const bytes = writeZip(minimalParts(xml));
      const stats = zipStats(bytes) as ZipStats;
      const { scan, hints } = xlsxScanner();
      const chunks: number[] = [];
      const sheet = scan.sheet!;
      scan.sheet = (e, text) => (chunks.push(text.length), sheet(e, text));
      expect(verifyEntries(bytes, stats, DEFAULT_ZIP_LIMITS, scan)).toBeUndefined();
      expect(chunks[0]).toBe(65_536); // the premise: the first chunk ends at 64 KiB
      expect(hints.unnumbered, `shift ${shift}`).toEqual(new Set());
      expect(normalizeXlsx(bytes, stats, hints, DEFAULT_ZIP_LIMITS)).toBeUndefined();
    }
  });
});

/** The parts of a one-sheet package around a given worksheet XML, the sheet at `part`. */
function minimalParts(sheet: string, part = 'xl/worksheets/sheet1.xml'): ZipWriteEntry[] {
  return [
    { name: '[Content_Types].xml', data: enc(`<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/></Types>`) },
    { name: '_rels/.rels', data: enc(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`) },
    { name: 'xl/workbook.xml', data: enc(`<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`) },
    { name: 'xl/_rels/workbook.xml.rels', data: enc(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="${part.slice(3)}"/></Relationships>`) },
    { name: part, data: enc(sheet) },
  ];
}

describe('broken files stay broken', () => {
  const cut = (xml: string) => xml.slice(0, Math.floor(xml.length / 2));

  it('a prefixed worksheet cut in half: file.corrupt', async () => {
    const xml = sheetXml(FORM, [], { prefix: 'x' });
    const r = await readSubmission(writeZip(minimalParts(cut(xml))), 'a.xlsx');
    expect(codes(r.findings)).toEqual(['file.corrupt']);
  });

  it('a worksheet without r= and with broken markup: file.corrupt', async () => {
    const xml = sheetXml(FORM, [], { numbering: 'none' }).replace('<row><c t="s">', '<row><c t="s"<<');
    const r = await readSubmission(writeZip(minimalParts(xml)), 'a.xlsx');
    expect(codes(r.findings)).toEqual(['file.corrupt']);
  });

  it('a part whose declared size is not its size: file.corrupt, rewritten or only renamed', async () => {
    const numbered = sheetXml([['a', 1]], []);
    for (const [xml, part] of [
      [sheetXml([['a', 1]], [], { numbering: 'none' }), 'xl/worksheets/sheet1.xml'], // rewritten
      [numbered, 'xl/worksheets/data.xml'], // renamed, copied as it is
      [numbered, 'xl/worksheets/sheet1.xml'], // the control: nothing to normalise, exceljs (JSZip) refuses it
    ]) {
      const entries = minimalParts(xml, part).map((e) => (e.name === part ? { ...e, declaredSize: e.data!.length + 10 } : e));
      const r = await readSubmission(writeZip(entries), 'a.xlsx');
      expect(codes(r.findings), part).toEqual(['file.corrupt']);
    }
  });

  it('cells counted past column XFD: file.corrupt, not a sheet 16,385 columns wide', async () => {
    const xml = `<worksheet xmlns="${MAIN}"><sheetData><row>${'<c/>'.repeat(16_385)}</row></sheetData></worksheet>`;
    const r = await readSubmission(writeZip(minimalParts(xml)), 'a.xlsx');
    expect(codes(r.findings)).toEqual(['file.corrupt']);
    expect(r.findings[0].message).toContain('16384');
  });
});

describe('limits hold for the rewritten package', () => {
  const watchExcelJs = () => vi.spyOn(ExcelJS.Workbook.prototype, 'xlsx', 'get');

  it('a merge bomb in a worksheet outside xl/worksheets/ (unscanned where it was) is refused once moved there', async () => {
    const xml = `<worksheet xmlns="${MAIN}"><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells></worksheet>`;
    const bytes = writeZip(minimalParts(xml, 'xl/parts/big.xml'));
    expect(verifyEntries(bytes, zipStats(bytes) as ZipStats)).toBeUndefined(); // the original passes: not a worksheet name
    const spy = watchExcelJs();
    const r = await readSubmission(bytes, 'a.xlsx');
    expect(codes(r.findings)).toEqual(['limit.exceeded']);
    expect(r.findings[0].message).toContain('A1:XFD1048576');
    expect(spy).not.toHaveBeenCalled();
  });

  it('r= added to a sheet of <c/> cannot grow the package past maxUncompressed', async () => {
    const xml = `<worksheet xmlns="${MAIN}"><sheetData>${`<row>${'<c/>'.repeat(100)}</row>`.repeat(1000)}</sheetData></worksheet>`;
    const bytes = writeZip(minimalParts(xml));
    const total = (zipStats(bytes) as ZipStats).uncompressed;
    const limits: Limits = { ...DEFAULT_LIMITS, zip: { ...DEFAULT_ZIP_LIMITS, maxUncompressed: total + 10_000 } };
    const spy = watchExcelJs();
    const r = await readSubmission(bytes, 'a.xlsx', limits);
    expect(codes(r.findings)).toEqual(['limit.exceeded']);
    expect(spy).not.toHaveBeenCalled();
    // with room to grow, it reads: 1000 rows of 100 empty cells
    const ok = await readSubmission(bytes, 'a.xlsx');
    expect(ok.findings).toEqual([]);
  });
});

// ── the pieces ──────────────────────────────────────────────────────────────────────────────────

describe('rewriteXml', () => {
  const run = (xml: string) => dec(rewriteXml(xml, Infinity));

  it('drops only prefixes bound to SpreadsheetML; leaves comments, CDATA, PIs and quoted ">" alone', () => {
    const xml = `<?xml version="1.0"?><!-- <x:c> --><x:worksheet xmlns:x="${MAIN}" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"><x:sheetData><x:row r="1" x14ac:dyDescent="0.25"><x:c r="A1" t="inlineStr"><x:is><x:t><![CDATA[<x:c>]]></x:t></x:is></x:c></x:row></x:sheetData><x:extLst><x14ac:foo a="1>2"/></x:extLst></x:worksheet>`;
    expect(run(xml)).toBe(
      `<?xml version="1.0"?><!-- <x:c> --><worksheet xmlns="${MAIN}" xmlns:x="${MAIN}" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"><sheetData><row r="1" x14ac:dyDescent="0.25"><c r="A1" t="inlineStr"><is><t><![CDATA[<x:c>]]></t></is></c></row></sheetData><extLst><x14ac:foo a="1>2"/></extLst></worksheet>`,
    );
  });

  it('numbers rows and cells as Excel would place them, keeping the r= there are', () => {
    const xml = `<worksheet xmlns="${MAIN}"><sheetData><row><c/><c r="D1"/><c/></row><row/><row><c r="C7"/><c/></row><row r="9"><c/></row><row><c t="s"><v>0</v></c></row></sheetData><mergeCells><mergeCell ref="A1:B1"/></mergeCells></worksheet>`;
    expect(run(xml)).toBe(
      `<worksheet xmlns="${MAIN}"><sheetData><row r="1"><c r="A1"/><c r="D1"/><c r="E1"/></row><row r="2"/><row r="7"><c r="C7"/><c r="D7"/></row><row r="9"><c r="A9"/></row><row r="10"><c r="A10" t="s"><v>0</v></c></row></sheetData><mergeCells><mergeCell ref="A1:B1"/></mergeCells></worksheet>`,
    );
  });

  it('an exceljs sheet stripped of every r= it can spare comes back byte for byte', async () => {
    const bytes = await longXlsx({ rows: longRows('2018H1', YZ), mutate: (ws) => (ws.getCell('H30').value = 'far away') });
    const original = await rawXml(bytes, 'xl/worksheets/sheet1.xml');
    // r= dropped where the row / cell follows on from the previous one, kept after a gap
    let prevRow = 0;
    const stripped = original.replace(/<row r="(\d+)"([^>]*>)(.*?)<\/row>/g, (_, r: string, rest: string, cells: string) => {
      let prevCol = 0;
      const inner = cells.replace(/<c r="([A-Z]+)\d+"/g, (m, col: string) => {
        const n = [...col].reduce((x, ch) => x * 26 + ch.charCodeAt(0) - 64, 0);
        return n === ++prevCol ? '<c' : ((prevCol = n), m);
      });
      const head = +r === ++prevRow ? '<row' : ((prevRow = +r), `<row r="${r}"`);
      return `${head}${rest}${inner}</row>`;
    });
    expect(stripped.length).toBeLessThan(original.length - 500);
    expect(stripped).toContain('<row r="30" spans="8:8" x14ac:dyDescent="0.25"><c r="H30"'); // after the gaps: kept
    expect(stripped).toMatch(/<row spans="1:6"[^>]*><c[ >/]/); // following on: dropped
    expect(run(stripped)).toBe(original);
  });

  it('column letters past Z', () => {
    const out = run(`<worksheet xmlns="${MAIN}"><sheetData><row r="3">${'<c/>'.repeat(703)}</row></sheetData></worksheet>`);
    expect(out).toContain('<c r="Z3"/><c r="AA3"/>');
    expect(out).toContain('<c r="ZZ3"/><c r="AAA3"/></row>');
  });
});

describe('the annotated copy is made from the normalised package', () => {
  it('a prefixed form with findings: notes at the cells the findings name, strings intact', async () => {
    const bytes = buildXlsx({ sheets: [{ name: '填报表', grid: FORM, merges: FORM_MERGES }], prefix: 'x', sstPart: 'xl/SharedStrings.xml' });
    const check = await checkFile({ file: '鄞州区_2018H1.xlsx', bytes }, ctx);
    expect(check.findings.map((f) => f.cell)).toContain('E4');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await annotateWorkbook(bytes, check.findings)) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('填报表')!;
    expect(ws.getCell('C4').value).toBe('一线挂职干部');
    expect(JSON.stringify(ws.getCell('E4').note)).toContain('value.approximate');
  });
});

describe('zip-write', () => {
  it('CRC-32 of "123456789" is CBF43926', () => {
    expect(crc32(enc('123456789')).toString(16)).toBe('cbf43926');
  });

  it('JSZip reads what it writes, stored and deflated, with UTF-8 names and their CRCs', async () => {
    const bytes = writeZip([
      { name: 'a.txt', data: enc('hello'), method: 0 },
      { name: '文件/b.xml', data: enc('<b>'.repeat(1000)) },
    ]);
    const zip = await JSZip.loadAsync(bytes, { checkCRC32: true });
    expect(await zip.file('a.txt')!.async('string')).toBe('hello');
    expect(await zip.file('文件/b.xml')!.async('string')).toBe('<b>'.repeat(1000));
    expect((zipStats(bytes) as ZipStats).list.map((e) => [e.name, e.method, e.crc])).toEqual([
      ['a.txt', 0, crc32(enc('hello'))],
      ['文件/b.xml', 8, crc32(enc('<b>'.repeat(1000)))],
    ]);
  });
});
