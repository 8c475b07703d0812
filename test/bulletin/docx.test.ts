import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { computePeriod } from '../../pipeline/report.ts';
import type { PeriodResult } from '../../pipeline/run.ts';
import { draftBulletin, type BulletinModel } from '../../pipeline/bulletin/draft.ts';
import { loadPhrasing } from '../../pipeline/bulletin/phrasing.ts';
import { bulletinDocx } from '../../pipeline/bulletin/docx.ts';
import { periodEnd } from '../../pipeline/bulletin/cli.ts';
import { DATA, reference } from '../helpers.ts';

const has = (cmd: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const SOFFICE = has('soffice');
const PDFTOTEXT = has('pdftotext');

let model: BulletinModel;
let bytes: Uint8Array;
let zip: JSZip;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'banbao-bulletin-'));

beforeAll(async () => {
  const cache = new Map<string, PeriodResult | null>();
  const result = (await computePeriod('2018H1', { dataDir: DATA, outDir: tmp, ref: reference(), log: { info() {}, warn() {} }, toolVersion: '' }, cache))!;
  model = draftBulletin({ result, phrasing: loadPhrasing(DATA, '2018H1')! });
  bytes = await bulletinDocx(model, periodEnd('2018H1'));
  zip = await JSZip.loadAsync(bytes);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const xml = (name: string) => zip.file(name)!.async('string');
const squash = (s: string) => s.replace(/\s+/g, '');

describe('通报.docx', () => {
  it('gives the same bytes for the same draft', async () => {
    const again = await bulletinDocx(model, periodEnd('2018H1'));
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
  });

  it('fixes its metadata: creator and dates (the period’s end), no clock', async () => {
    const core = await xml('docProps/core.xml');
    expect(core).toContain('<dc:creator>中共宁波市委组织部</dc:creator>');
    expect(core.match(/<dcterms:(created|modified)[^>]*>([^<]*)</g)).toEqual([
      '<dcterms:created xsi:type="dcterms:W3CDTF">2018-06-30T00:00:00Z<',
      '<dcterms:modified xsi:type="dcterms:W3CDTF">2018-06-30T00:00:00Z<',
    ]);
    for (const name of Object.keys(zip.files)) expect(zip.files[name].date.toISOString(), name).toBe('2000-01-01T00:00:00.000Z');
  });

  it('is A4 (portrait text, landscape 汇总表) with page numbers', async () => {
    const doc = await xml('word/document.xml');
    expect(doc).toMatch(/<w:pgSz w:w="11906" w:h="16838" w:orient="portrait"\/>/);
    expect(doc).toMatch(/<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"\/>/);
    const footer = await xml('word/footer1.xml');
    expect(footer).toMatch(/PAGE/);
  });

  it('declares the Chinese fonts with their fallbacks', async () => {
    const styles = await xml('word/styles.xml');
    expect(styles).toMatch(/w:eastAsia="仿宋_GB2312"/);
    const fonts = await xml('word/fontTable.xml');
    expect(fonts).toContain('<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/><w:charset w:val="86"/>');
    expect(fonts).toContain('<w:font w:name="宋体"><w:altName w:val="SimSun"/>');
    const doc = await xml('word/document.xml');
    expect(doc).toMatch(/w:eastAsia="宋体"/); // the table
    expect(doc).toMatch(/w:eastAsia="黑体"/); // the headings
  });

  it('holds the text and the 汇总表 in Word’s own XML', async () => {
    const text = squash((await xml('word/document.xml')).replace(/<[^>]+>/g, ''));
    expect(text).toContain('选派千名挂职干部到攻坚一线');
    expect(text).toContain('同比【待核实：同比需2017H1数据，缺少2017H1的报送】');
    expect(text).toContain('类别指标计量单位全市海曙区江北区北仑区镇海区鄞州区奉化区象山县宁海县余姚市慈溪市市本级');
  });

  it.skipIf(!SOFFICE)(`renders with LibreOffice to an A4 PDF whose text and table read back (${PDFTOTEXT ? 'pdftotext' : 'pdftotext absent: PDF page boxes only'})`, () => {
    const docx = path.join(tmp, '通报.docx');
    writeFileSync(docx, bytes);
    execFileSync('soffice', ['--headless', `-env:UserInstallation=file://${tmp}/lo`, '--convert-to', 'pdf', '--outdir', tmp, docx], { stdio: 'ignore', timeout: 120_000 });
    const pdf = path.join(tmp, '通报.pdf');
    expect(existsSync(pdf)).toBe(true);
    const raw = readFileSync(pdf).toString('latin1');
    expect(raw).toMatch(/\/MediaBox\s*\[\s*0 0 595\.\d+ 841\.\d+\s*\]/); // A4 portrait
    expect(raw).toMatch(/\/MediaBox\s*\[\s*0 0 841\.\d+ 595\.\d+\s*\]/); // the landscape 汇总表
    if (!PDFTOTEXT) return;
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    const lines = text.split('\n').map(squash);
    const all = lines.join('');
    expect(all).toContain('关于2018年上半年“党建争强”推进情况的');
    expect(all).toContain('选派千名挂职干部到攻坚一线');
    expect(all).toContain('党建争强半年度推进情况汇总表（2018年上半年）');
    expect(lines).toContain('制表单位：中共宁波市委组织部');
    expect(lines).toContain('处理人员人1261118669458150808697131155226');
    expect(lines).toContain('悬挂红色标识的行政村个24982079718566279306376357286339—');
    expect(text).toMatch(/—\s*1\s*—/); // page numbers
  });
});
