// The workbook as it prints: LibreOffice (soffice --headless --convert-to pdf) turns 2018H2.xlsx
// into a PDF, and poppler's pdfinfo / pdftotext read it back — 汇总 prints on A3 landscape with its
// title, 计量单位 and every column on one page width, with "第 n 页 共 m 页" in the footer.
// Skipped only when LibreOffice or poppler is not installed (`.ci/run` and `make test` install them).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeWorkbookBytes } from '../../pipeline/outputs/workbook.ts';
import type { PeriodResult } from '../../pipeline/run.ts';
import { historyOf, runSample, sampleInputs } from '../sample.ts';

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const READY = has('soffice') && has('pdfinfo') && has('pdftotext');

let dir: string;
let pdf: string;
let h2: PeriodResult;

/** Per-page sizes in points, from pdfinfo. */
function pageSizes(file: string): { w: number; h: number }[] {
  const info = spawnSync('pdfinfo', ['-f', '1', '-l', '999', file], { encoding: 'utf8' }).stdout;
  return [...info.matchAll(/^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/gm)].map((m) => ({ w: Number(m[1]), h: Number(m[2]) }));
}

const pageText = (file: string, n: number) => spawnSync('pdftotext', ['-f', String(n), '-l', String(n), '-layout', file, '-'], { encoding: 'utf8' }).stdout;

describe.runIf(READY)('the workbook printed to PDF by LibreOffice', () => {
  beforeAll(async () => {
    const h1 = await runSample('2018H1');
    h2 = await runSample('2018H2', sampleInputs('2018H2'), { history: historyOf(h1) });
    dir = mkdtempSync(path.join(os.tmpdir(), 'banbao-pdf-'));
    const xlsx = path.join(dir, '2018H2.xlsx');
    writeFileSync(xlsx, await writeWorkbookBytes(h2, h1));
    // a private profile: a LibreOffice another process runs (or left locked) does not block this one
    const r = spawnSync('soffice', [`-env:UserInstallation=file://${path.join(dir, 'profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, xlsx], { encoding: 'utf8', timeout: 150_000 });
    if (r.status !== 0) throw new Error(`soffice exited ${r.status}: ${r.stderr}`);
    pdf = path.join(dir, '2018H2.pdf');
  }, 180_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('prints 说明 on one page, then 汇总 on exactly one A3 landscape page, the other sheets after', () => {
    const sizes = pageSizes(pdf);
    // 报送情况, 说明, 汇总, 核对, 问题, 明细 (several pages), 环比
    expect(sizes.length).toBeGreaterThanOrEqual(6);
    expect(sizes.length).toBeLessThanOrEqual(14);
    // A3 landscape is 1190.55 × 841.89 pt; every other sheet is A4 landscape (841.89 × 595.3)
    const a3 = sizes.map((s, i) => [i + 1, s] as const).filter(([, s]) => Math.round(s.w) === 1191 && Math.round(s.h) === 842).map(([i]) => i);
    expect(a3).toEqual([3]);
    expect(pageText(pdf, 3)).toContain('党建争强半年度推进情况汇总表（2018年下半年）');
    expect(pageText(pdf, 4)).not.toContain('汇总表（2018年下半年）');
  });

  it('fits every column of 汇总 on its page width: the first item, the last item, and each unit’s row whole', () => {
    const text = pageText(pdf, 3);
    expect(text).toContain('制表单位：宁波市委组织部');
    // every column on the page: the first and the last column's header, 市本级's row from code to last figure
    const lines = text.split('\n');
    const row = (name: string) => lines.find((l) => l.includes(name)) ?? '';
    const city = row('330200');
    expect(city).toContain('市本级');
    // 市本级's row ends with its last item's figure (the last column is on this page, not cut off)
    const last = h2.ctx.catalogue.categories.flatMap((c) => [...h2.ctx.catalogue.items, ...h2.ctx.catalogue.derived].filter((i) => i.category === c)).at(-1)!;
    const lastValue = h2.values.find((v) => v.unit === '330200' && v.indicator === last.code)?.value;
    if (typeof lastValue === 'number') expect(city.trim().endsWith(lastValue.toLocaleString('en-US'))).toBe(true);
    // 计量单位 on their own line under the item names
    expect(lines.some((l) => /^\s*人\s+人\s+人\s+%/.test(l))).toBe(true);
    for (const u of h2.ctx.units) expect(row(u.code), u.name).toContain(u.name);
    expect(text).toContain('全市合计');
    // LibreOffice numbers the pages of the whole workbook (Excel, printing one sheet, that sheet's)
    expect(text).toMatch(/第\s*3\s*页\s*共\s*\d+\s*页/);
  });
});
