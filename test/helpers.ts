// Shared test helpers: the repo's reference data, a period context, and fixture builders that make
// files the way offices make them (exceljs workbooks with merged titles, GBK/UTF-16 bytes).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { Finding } from '../schemas/finding.ts';
import { makeContext, type Confirmation, type Choice, type PeriodContext } from '../pipeline/context.ts';
import { loadCatalogue, loadPublished, loadReference } from '../pipeline/reference/load.ts';
import type { PublishedFile } from '../schemas/published.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DATA = path.join(ROOT, 'data');

let refCache: ReturnType<typeof loadReference> | undefined;
export function reference() {
  refCache ??= loadReference(DATA);
  return refCache;
}

export function contextFor(
  period: string,
  extra: { published?: PublishedFile; confirmations?: Confirmation[]; choices?: Choice[] } = {},
): PeriodContext {
  return makeContext(reference(), loadCatalogue(DATA, period), extra.published ?? loadPublished(DATA, period), extra);
}

/** [cell, code] pairs: the first thing a test about findings compares. */
export function findingsAt(findings: Finding[]): [string, string][] {
  return findings.map((f) => [f.cell, f.code]);
}

export function codes(findings: Finding[]): string[] {
  return findings.map((f) => f.code);
}

export const TITLE = '党建争强半年度推进情况表（2018年上半年）';
export const HEADER = ['序号', '指标类别', '指标名称', '单位', '本期数', '备注'];

/** Long-form rows for a unit from a value map (indicator code → cell value), in catalogue order. */
export function longRows(period: string, values: Record<string, unknown>): unknown[][] {
  const cat = loadCatalogue(DATA, period);
  return cat.items.map((it) => [it.no, it.category, it.name_zh, it.measure, values[it.code] ?? null, '']);
}

/** A long-form .xlsx as Excel makes it: merged title lines, header on row 3, a footer. */
export async function longXlsx(opts: {
  unitLine?: string;
  title?: string;
  rows: unknown[][];
  sheetName?: string;
  extraSheets?: { name: string; rows: unknown[][]; state?: 'hidden' | 'visible' }[];
  mutate?: (ws: ExcelJS.Worksheet, wb: ExcelJS.Workbook) => void;
}): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.created = wb.modified = new Date('2018-07-05T00:00:00Z');
  const ws = wb.addWorksheet(opts.sheetName ?? '填报表');
  ws.addRow([opts.title ?? TITLE]);
  ws.mergeCells('A1:F1');
  ws.addRow([opts.unitLine ?? '填报单位：鄞州区委组织部　　填报日期：2018年7月5日']);
  ws.mergeCells('A2:F2');
  ws.addRow(HEADER);
  for (const r of opts.rows) ws.addRow(r as ExcelJS.CellValue[]);
  ws.addRow([]);
  ws.addRow(['填报人：张三　　联系电话：0574-87654321']);
  for (const s of opts.extraSheets ?? []) {
    const x = wb.addWorksheet(s.name, { state: s.state ?? 'visible' });
    for (const r of s.rows) x.addRow(r as ExcelJS.CellValue[]);
  }
  opts.mutate?.(ws, wb);
  return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

/** Text table → bytes in an office encoding. */
export function encodeText(text: string, encoding: 'utf-8' | 'utf-8-bom' | 'gbk' | 'utf-16le-bom' | 'utf-16be-bom'): Uint8Array {
  switch (encoding) {
    case 'utf-8':
      return new Uint8Array(Buffer.from(text, 'utf8'));
    case 'utf-8-bom':
      return new Uint8Array(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]));
    case 'gbk':
      return new Uint8Array(iconv.encode(text, 'gbk'));
    case 'utf-16le-bom':
      return new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]));
    case 'utf-16be-bom':
      return new Uint8Array(Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf-16be')]));
  }
}

/** A CSV (or TSV) text of the long form, with title lines, CRLF. */
export function longCsv(rows: unknown[][], opts: { sep?: string; unitLine?: string; title?: string } = {}): string {
  const sep = opts.sep ?? ',';
  const esc = (v: unknown) => {
    const s = v === null || v === undefined ? '' : String(v);
    return s.includes(sep) || s.includes('"') || s.includes('\n') ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [
    [opts.title ?? TITLE],
    [opts.unitLine ?? '填报单位：鄞州区委组织部　　填报日期：2018年7月5日'],
    HEADER,
    ...rows,
    ['填报人：张三'],
  ]
    .map((r) => r.map(esc).join(sep))
    .join('\r\n') + '\r\n';
}

/** A clean 2018H1 set of figures for 鄞州区 (330212: 407 village-level units in the roster). */
export const YZ: Record<string, number> = {
  frontline_cadres: 150,
  promoted_total: 90,
  promoted_frontline: 52,
  villages_signed: 279,
  communities_signed: 128,
  cadres_adjusted: 18,
  secretaries_adjusted: 7,
  nonpublic_members: 5200,
  four_star_orgs: 96,
  talent_3315_applications: 210,
  high_end_teams_new: 6,
  inspections: 420,
  problems_found: 230,
  persons_handled: 170,
  eight_rules_cases: 8,
};
